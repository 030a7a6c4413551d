"""Stories written straight into the database (one article each, with its quotes).

For tests that need stories in a given state quickly; the real briefing
engine composes from them. Tests of the whole way from a feed use
tests/support/newsdesk.py and the ingest cycle instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feeds.models import Article, Feed, Quote, Story
from feeds.store import Store
from feeds.timeutil import utcnow


@dataclass(frozen=True)
class Said:
    text: str
    speaker: str


def add_feed(store: Store, url: str = "https://news.example/rss", name: str = "Example News"):
    return store.add_feed(url, name=name, origin="config")


def add_story(
    store: Store,
    feed: Feed,
    headline: str,
    *,
    summary: str = "",
    url: str | None = None,
    quotes: tuple[Said, ...] = (),
    seen_at: datetime | None = None,
    announce: bool = True,
) -> int:
    """One story carried by one article of `feed`; returns the story id."""
    seen_at = seen_at or utcnow()
    with store.session() as session:
        story = Story(headline=headline, first_seen_at=seen_at, last_seen_at=seen_at)
        session.add(story)
        session.flush()
        story_id = story.id
    url = url or f"https://news.example/{abs(hash(headline))}"
    add_article(
        store,
        feed,
        story_id,
        headline,
        summary=summary,
        url=url,
        quotes=quotes,
        seen_at=seen_at,
        announce=announce,
    )
    return story_id


def key_quotes(article_id: int, quotes: tuple[Said, ...]) -> list[Quote]:
    """Quote rows ranked (and scored) in the order given: the first is the best."""
    return [
        Quote(
            article_id=article_id,
            text=said.text,
            start=0,
            end=1,
            speaker=said.speaker,
            rank=rank,
            score=1.0 / rank,
        )
        for rank, said in enumerate(quotes, start=1)
    ]


def add_article(
    store: Store,
    feed: Feed,
    story_id: int,
    headline: str,
    *,
    summary: str = "",
    url: str | None = None,
    seen_at: datetime | None = None,
    quotes: tuple[Said, ...] = (),
    announce: bool = True,
) -> int:
    """An article of a story (e.g. a second outlet's); returns the article id."""
    seen_at = seen_at or utcnow()
    url = url or f"https://{abs(hash((feed.url, headline)))}.example/news"
    with store.session() as session:
        article = Article(
            feed_id=feed.id,
            entry_key=url,
            url=url,
            canonical_url=url,
            title=headline,
            summary=summary,
            first_seen_at=seen_at,
            published_at=seen_at,
            story_id=story_id,
            announce=announce,
        )
        session.add(article)
        session.flush()
        session.add_all(key_quotes(article.id, quotes))
        return article.id
