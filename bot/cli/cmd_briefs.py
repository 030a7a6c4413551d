"""`newsbrief brief` and `newsbrief topics …`: briefings and topics from what is stored."""

from __future__ import annotations

import textwrap
from datetime import timedelta

import click

from bot.cli import CliState, QueryCommand, pass_state
from bot.config import check_timezone
from feeds.briefs.compose import Subject, compose, resolve_subject
from feeds.briefs.explain import explain, explain_article
from feeds.briefs.presets import preset_by_name
from feeds.briefs.query import QuerySyntaxError
from feeds.briefs.render import FORMATS, render
from feeds.briefs.service import catch_up
from feeds.errors import InvalidInputError
from feeds.store import Store
from feeds.timeutil import ago, parse_duration, utcnow
from feeds.wording import plural


def _since(value: str) -> timedelta:
    """The --since option as a duration longer than zero, or a message naming it."""
    try:
        duration = parse_duration(value)
    except InvalidInputError as error:
        raise InvalidInputError(f"--since: {error}") from None
    if duration <= timedelta(0):
        raise InvalidInputError(f"--since must be longer than zero, got {value!r}")
    return duration


def _subject(store: Store, text: str) -> Subject:
    """Resolve a topic name or a query; a bad query shows where it went wrong."""
    try:
        return resolve_subject(store, text)
    except QuerySyntaxError as error:
        raise InvalidInputError(
            f"invalid query: {error}\n{textwrap.indent(error.pointer(), '  ')}"
        ) from error


def _timezone(value: str | None, default: str) -> str:
    try:
        return check_timezone(value or default)
    except ValueError as error:
        raise InvalidInputError(str(error)) from None


@click.command("brief", cls=QueryCommand)
@click.argument("subject", nargs=-1, required=True)
@click.option(
    "--since",
    metavar="DURATION",
    help="How far back to look, e.g. 6h or 3d (default: [briefing] window, 24h).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for the terminal, markdown, or json (versioned schema, see README).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    help="Most stories to show (default: [briefing] max_stories).",
)
@click.option("--timezone", metavar="ZONE", help="IANA zone for dates (default: [schedule]).")
@pass_state
def brief(
    state: CliState,
    subject: tuple[str, ...],
    since: str | None,
    output: str,
    limit: int | None,
    timezone: str | None,
) -> None:
    """Print a briefing on a topic, or on any query, from the stored articles.

    SUBJECT is a topic name (`newsbrief topics list`) or, if no topic has
    that name, a search query: words, "phrases", OR, -exclusions and
    parentheses, e.g.  newsbrief brief 'fentanyl (Sinaloa OR Sonora) -football'
    A query may start with an exclusion: newsbrief brief -sports mexico

    Articles not yet grouped into stories, or not yet matched against the
    saved topics, are grouped and matched first.
    """
    settings = state.app.settings
    store = state.app.store()
    window = _since(since) if since else settings.briefing.window
    zone = _timezone(timezone, settings.schedule.timezone)
    resolved = _subject(store, " ".join(subject))
    catch_up(store)
    now = utcnow()
    briefing = compose(
        store,
        resolved,
        since=ago(window, now),
        until=now,
        limit=limit or settings.briefing.max_stories,
        quotes_per_story=settings.briefing.quotes_per_story,
        timezone=zone,
    )
    click.echo(render(briefing, output), nl=False)


@click.group("topics")
def topics() -> None:
    """List, show and test topics (saved queries; presets are built in)."""


@topics.command("list")
@pass_state
def topics_list(state: CliState) -> None:
    """List the topics: built-in presets and those from the config."""
    rows = state.app.store().list_topics()
    if not rows:
        click.echo("no topics")
        return
    width = max(len(topic.name) for topic in rows)
    for topic in rows:
        query = textwrap.shorten(" ".join(topic.query.split()), 100 - width, placeholder=" …")
        click.echo(f"{topic.name:<{width}}  {topic.origin:<6}  {query}")


@topics.command("show")
@click.argument("name", nargs=-1, required=True)
@pass_state
def topics_show(state: CliState, name: tuple[str, ...]) -> None:
    """Show one topic: where it comes from and its full query."""
    topic = state.app.store().get_topic(" ".join(name))
    click.echo(f"{topic.name} ({topic.origin})")
    preset = preset_by_name(topic.name)
    if preset is not None and topic.origin == "preset":
        click.echo(textwrap.fill(preset.description, 78))
    click.echo("query:")
    click.echo(
        textwrap.fill(
            " ".join(topic.query.split()), 78, initial_indent="  ", subsequent_indent="  "
        )
    )


@topics.command("test", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--since", metavar="DURATION", help="Only articles this recent, e.g. 7d (default: all)."
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="Most articles to show.",
)
@pass_state
def topics_test(state: CliState, query: tuple[str, ...], since: str | None, limit: int) -> None:
    """Show which stored articles a query (or a topic's query) would match, and why.

    QUERY is a query such as 'cartel -football', or the name of a topic.
    """
    store = state.app.store()
    subject = _subject(store, " ".join(query))
    if subject.is_topic:
        click.echo(f"testing the query of topic {subject.name!r}")
    start = ago(_since(since)) if since else None
    candidates = store.search_articles(subject.query, since=start, limit=max(limit * 5, 100))
    explained = [explain_article(subject.query, article) for article in candidates]
    matches = sorted((e for e in explained if e.match.matched), key=lambda e: -e.match.score)
    matches = matches[:limit]
    if not matches:
        click.echo("no stored article matches")
        return
    click.echo(f"{plural(len(matches), 'matching article')} (best first):")
    by_id = {article.id: article for article in candidates}
    for explanation in matches:
        article = by_id[explanation.article_id]
        story = f"story {article.story_id}" if article.story_id else "ungrouped"
        click.echo(f"\n#{article.id} [{story}] {article.at:%Y-%m-%d %H:%M} {article.title}")
        click.echo(f"  {explanation.describe()}")
        for excerpt in explanation.excerpts:
            click.echo(f"  {excerpt}")


@topics.command("why", cls=QueryCommand)
@click.argument("subject")
@click.argument("article_id", type=int)
@pass_state
def topics_why(state: CliState, subject: str, article_id: int) -> None:
    """Say whether stored article ARTICLE_ID matches SUBJECT (a topic or a query), and why."""
    store = state.app.store()
    explanation = explain(store, _subject(store, subject), article_id)
    click.echo(f"#{explanation.article_id} {explanation.title}")
    click.echo(f"  {explanation.describe()}")
    for excerpt in explanation.excerpts:
        click.echo(f"  {excerpt}")


COMMANDS = [brief, topics]
