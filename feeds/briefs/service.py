"""The briefing engine as the bot calls it (bot/core/capabilities.py wires these in).

    Capabilities(compose=compose_request, explain=explain_text, check_query=check_query)

`compose_request` takes the bot's BriefingRequest by its attributes (title,
query, since, until, max_stories, quotes_per_story, timezone,
exclude_delivered_to, scheduled): feeds/ does not import bot/.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from feeds.briefs.compose import Subject, compose
from feeds.briefs.explain import explain_article
from feeds.briefs.grouping import assign_stories
from feeds.briefs.matching import match_new_articles
from feeds.briefs.model import Briefing
from feeds.briefs.query import parse
from feeds.store import ArticleText

if TYPE_CHECKING:
    from datetime import datetime

    from feeds.models import Article, Topic
    from feeds.store import Store


class BriefingRequestLike(Protocol):
    title: str
    query: str
    since: datetime
    until: datetime
    max_stories: int
    quotes_per_story: int
    timezone: str
    exclude_delivered_to: tuple[str, str] | None
    scheduled: bool


def catch_up(store: Store) -> None:
    """Group what is not grouped and match what is not matched yet: the end of the ingest
    cycle, for a briefing asked for between two cycles (cheap when nothing is new)."""
    assign_stories(store)
    match_new_articles(store)


def compose_request(store: Store, request: BriefingRequestLike) -> Briefing:
    """Catch up with what is new, then compose the briefing the request describes.

    A daily post (`request.scheduled`) is the news of its window, as /brief is:
    every story on the topic published in it, whether its articles came with a
    feed's first poll or not (an article published before the window is never
    in it; one without a date counts from when it was first seen). The
    first-poll baseline only keeps old entries from flooding a channel, which
    a bounded window already does; the ledger (`exclude_delivered_to`) keeps
    a story from being posted twice to one channel.
    """
    catch_up(store)
    return compose(
        store,
        _subject(store, request.title, request.query),
        since=request.since,
        until=request.until,
        exclude_delivered_to=request.exclude_delivered_to,
        limit=request.max_stories,
        quotes_per_story=request.quotes_per_story,
        timezone=request.timezone,
    )


def _subject(store: Store, title: str, text: str) -> Subject:
    """A topic when the title names one (the bot passes its name and query), else a search.

    A saved topic (global or a guild's) of that name and query reads its recorded
    matches; a topic the store does not know with that query is searched.
    """
    query = parse(text)
    if " ".join(title.split()) == " ".join(text.split()):
        return Subject(title, query, is_topic=False)
    topic = store.find_topic(title, text)
    return Subject(title, query, is_topic=True, topic_id=topic.id if topic else None)


def explain_text(store: Store, article: Article, topic: Topic) -> str:
    """One or two lines: does the article match the topic, with which terms, where."""
    explanation = explain_article(parse(topic.query), ArticleText.from_article(article), excerpts=1)
    return "\n".join([explanation.describe(), *explanation.excerpts])


def check_query(query: str) -> None:
    """Raise QuerySyntaxError (an InvalidInputError naming the column) for a bad query."""
    parse(query)
