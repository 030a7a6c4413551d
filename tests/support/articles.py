"""Feeds, articles and quotes written straight through the Store, for briefing tests."""

from __future__ import annotations

import itertools
from datetime import datetime

from feeds.models import Article, Feed, Quote
from feeds.store import Store
from feeds.timeutil import utcnow

_keys = itertools.count(1)


def add_feed(store: Store, name: str | None, *, title: str | None = None) -> int:
    slug = (name or title or "feed").lower().replace(" ", "-")
    with store.session() as session:
        feed = Feed(url=f"https://{slug}-{next(_keys)}.example/rss", name=name, title=title)
        session.add(feed)
        session.flush()
        return feed.id


def add_article(
    store: Store,
    feed_id: int,
    title: str,
    summary: str = "",
    *,
    content: str | None = None,
    full_text: str | None = None,
    lead: str | None = None,
    url: str | None = None,
    canonical_url: str | None = None,
    at: datetime | None = None,
    published_at: datetime | None = None,
    announce: bool = True,
) -> int:
    """An article first seen at `at` (default now), published then unless told otherwise."""
    key = next(_keys)
    first_seen = at or utcnow()
    with store.session() as session:
        article = Article(
            feed_id=feed_id,
            entry_key=f"entry-{key}",
            url=url or f"https://news.example/{key}",
            canonical_url=canonical_url or url or f"https://news.example/{key}",
            title=title,
            summary=summary,
            content=content,
            full_text=full_text,
            lead=lead,
            published_at=published_at or first_seen,
            first_seen_at=first_seen,
            announce=announce,
        )
        session.add(article)
        session.flush()
        return article.id


def add_quote(
    store: Store,
    article_id: int,
    text: str,
    speaker: str | None,
    *,
    rank: int = 1,
    score: float = 0.5,
) -> int:
    with store.session() as session:
        quote = Quote(
            article_id=article_id,
            text=text,
            start=0,
            end=len(text),
            speaker=speaker,
            rank=rank,
            score=score,
        )
        session.add(quote)
        session.flush()
        return quote.id


def story_of(store: Store, article_id: int) -> int | None:
    with store.session() as session:
        return session.get(Article, article_id).story_id
