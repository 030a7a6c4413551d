"""`newsbrief feeds …` and `newsbrief poll`."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import datetime, timedelta

import click

from bot.cli import CliState, pass_state
from feeds.errors import AlreadyExistsError, FeedError, InvalidInputError, NotFoundError
from feeds.store import clean_feed_name, clean_feed_url
from feeds.timeutil import format_duration, utcnow
from feeds.wording import plural

log = logging.getLogger(__name__)


@click.group("feeds")
def feeds() -> None:
    """Add, list, enable and remove the feeds newsbrief follows."""


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="A label of your own (default: the feed's title).")
@pass_state
def feeds_add(state: CliState, url: str, name: str | None) -> None:
    """Fetch URL now and follow it if it is a feed (RSS, Atom or JSON Feed).

    Nothing is stored when URL is not a feed; the message says what it is
    instead (an HTML page names the feeds it links to).
    """
    from feeds.polling.engine import Poller

    url, name = clean_feed_url(url), clean_feed_name(name)  # before fetching anything
    app = state.app
    store = app.store()
    if store.feed_by_url(url) is not None:
        raise AlreadyExistsError(f"already following {url}")
    options = app.poll_options(parse_workers=1, full_text=False)

    async def check():
        async with Poller(store, options) as poller:
            return await poller.check_url(url, guard=not options.allow_private_hosts)

    try:
        response, prepared = asyncio.run(check())
    except FeedError as error:
        raise InvalidInputError(f"not added: {error}") from error
    final_url = response.moved_to or url
    try:
        feed = store.add_feed(final_url, name=name, origin="cli")
    except AlreadyExistsError:
        raise AlreadyExistsError(f"already following {final_url}") from None
    store.update_feed(feed.id, title=prepared.title, site_url=prepared.site_url)
    moved = f" (moved permanently from {url})" if final_url != url else ""
    entries = plural(len(prepared.rows), "entry", "entries")
    click.echo(
        f"added feed {feed.id}: {prepared.title or '(untitled)'} — {entries}, "
        f"{_kind(prepared.kind)}{moved}\n  {final_url}\n"
        "Its entries are stored by the next `newsbrief poll` (the first poll announces nothing)."
    )


@feeds.command("list")
@pass_state
def feeds_list(state: CliState) -> None:
    """Show every feed and its health: last success, errors, next check, disabled reason;
    where it comes from (config, cli, chat) and how many chats (Discord servers, the
    console) follow it."""
    store = state.app.store()
    rows, followers = store.feed_health(), store.follower_counts()
    if not rows:
        click.echo("no feeds yet: `newsbrief feeds add URL`, or [[feeds]] in the config")
        return
    now = utcnow()
    for health in rows:
        feed = health.feed
        name = feed.name or feed.title or "(not polled yet)"
        followed = plural(followers[feed.id], "follower")
        click.echo(f"{feed.id:>4}  {name}  <{feed.url}>  [{feed.origin} · {followed}]")
        if feed.disabled_reason:
            status = click.style(f"DISABLED: {feed.disabled_reason}", fg="red")
        elif feed.error_count:
            status = click.style(
                f"failing ×{feed.error_count}: {feed.last_error_reason}", fg="yellow"
            )
        else:
            status = click.style("ok", fg="green")
        click.echo(
            f"      {status} · last success {_ago(feed.last_success_at, now)} · next check "
            f"{_until(feed.next_check_at, now) if not feed.disabled_reason else '—'} · "
            f"{plural(health.articles, 'article')} ({health.full_text_ok} with full text)"
        )
        if feed.last_error and (feed.error_count or feed.disabled_reason):
            click.echo(f"      last error: {feed.last_error}")


@feeds.command("remove")
@click.argument("feed")
@pass_state
def feeds_remove(state: CliState, feed: str) -> None:
    """Stop following FEED (its URL or id) and delete its articles."""
    store = state.app.store()
    row = find_feed(store, feed)
    count = store.remove_feed(row.id)
    click.echo(f"removed feed {row.id} ({row.label}) and {plural(count, 'article')}")


@feeds.command("enable")
@click.argument("feed")
@pass_state
def feeds_enable(state: CliState, feed: str) -> None:
    """Poll FEED (its URL or id) again after it was disabled (or while it keeps failing):
    its errors are forgotten and it is due at once."""
    store = state.app.store()
    row = find_feed(store, feed)
    name = row.label
    if row.disabled_reason:
        since = f" since {row.disabled_at:%d %b %Y}" if row.disabled_at else ""
        was = f"disabled{since} ({row.disabled_reason})"
    elif row.error_count:
        was = f"failing ×{row.error_count} ({row.last_error_reason or 'error'})"
    else:
        click.echo(f"feed {row.id} ({name}) is not disabled: nothing to do")
        return
    store.enable_feed(row.id)
    click.echo(f"enabled feed {row.id} ({name}), {was}: the next poll checks it")


def find_feed(store, feed: str):
    """The feed named by id or URL; NotFoundError pointing to `feeds list`."""
    try:
        return store.find_feed(feed)
    except NotFoundError as error:
        raise NotFoundError(f"{error}; `newsbrief feeds list` shows them") from None


@click.command("poll")
@click.option("--once", is_flag=True, help="Run one cycle, then exit.")
@click.option(
    "--feed",
    "only",
    multiple=True,
    metavar="URL|ID",
    help="Poll this feed now, due or not (repeatable; implies --once).",
)
@click.option("--no-full-text", is_flag=True, help="Do not fetch article pages this time.")
@pass_state
def poll(state: CliState, once: bool, only: tuple[str, ...], no_full_text: bool) -> int:
    """Poll the feeds that are due, then find quotes and group stories in what came in;
    without --once, keep doing it every [polling] check_every until Ctrl-C.

    On a terminal a progress line shows each feed; otherwise each feed is a
    log line. Every cycle ends with one summary line; a step that failed is
    also named on stderr, and makes --once exit with status 1 (failing feeds
    do not: they are recorded on the feed).
    """
    from feeds.pipeline import Ingest

    app = state.app
    store = app.store()
    overrides = {"full_text": False} if no_full_text else {}
    ingest = Ingest(app.poll_options(**overrides))
    feed_ids = [find_feed(store, f).id for f in only] or None
    every = app.settings.polling.check_every.total_seconds()
    progress = TerminalProgress() if sys.stderr.isatty() else log_progress
    failed = False
    try:
        failed = asyncio.run(
            _poll_loop(store, ingest, feed_ids, once or bool(only), every, progress)
        )
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        ingest.close()
    return 1 if failed else 0


async def _poll_loop(store, ingest, feed_ids, once: bool, every: float, progress) -> bool:
    """Run the cycles; True when the (only) cycle had a step that failed."""
    while True:
        # The summary goes to stdout below, not also into the log.
        report = await ingest.cycle(store, feed_ids=feed_ids, progress=progress, log_summary=False)
        if isinstance(progress, TerminalProgress):
            progress.clear()
        click.echo(report.summary())
        for step, error in report.failures.items():
            click.echo(f"newsbrief poll: the {step!r} step failed: {error}", err=True)
        if once:
            return bool(report.failures)
        await asyncio.sleep(every)


def log_progress(result, done: int, total: int) -> None:
    """One log line per feed (for logs and pipes)."""
    if result.status == "failed":
        log.warning("[%d/%d] %s: %s (%s)", done, total, result.url, result.reason, result.error)
    else:
        log.info(
            "[%d/%d] %s: %s, %d new", done, total, result.url, result.status, len(result.new_ids)
        )


class TerminalProgress:
    """One line on stderr, rewritten as feeds finish."""

    def __call__(self, result, done: int, total: int) -> None:
        mark = "✗" if result.status == "failed" else "✓"
        what = result.reason if result.status == "failed" else f"{len(result.new_ids)} new"
        name = (result.title or result.url)[:50]
        sys.stderr.write(f"\r\033[K[{done}/{total}] {mark} {name} — {what}")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def _kind(version: str) -> str:
    if version == "json1":
        return "JSON Feed"
    if version.startswith("atom"):
        return "Atom"
    if version.startswith("rss"):
        return "RSS " + {"rss10": "1.0", "rss20": "2.0"}.get(version, "0.9x")
    return "feed"


def short_duration(delta: timedelta) -> str:
    """'45s', '12m', '3h20m', '2d4h': seconds only under a minute."""
    seconds = delta.total_seconds()
    if seconds >= 60:
        delta = timedelta(minutes=round(seconds / 60))
    return format_duration(delta)


def _ago(when: datetime | None, now: datetime) -> str:
    return "never" if when is None else f"{short_duration(now - when)} ago"


def _until(when: datetime | None, now: datetime) -> str:
    if when is None or when <= now:
        return "now"
    return f"in {short_duration(when - now)}"


COMMANDS = [feeds, poll]
