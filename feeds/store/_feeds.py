"""Feed rows: add, look up, list, change and remove."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from feeds.errors import AlreadyExistsError, NotFoundError
from feeds.models import Feed


class FeedsMixin:
    def add_feed(self, url: str, *, name: str | None = None, origin: str = "cli") -> Feed:
        """Store a new feed, due for polling at once; AlreadyExistsError if the URL is known."""
        with self.session() as session:
            if session.exec(select(Feed.id).where(Feed.url == url)).first() is not None:
                raise AlreadyExistsError(f"feed already added: {url}")
            feed = Feed(url=url, name=name, origin=origin)
            session.add(feed)
            session.flush()
            return feed

    def get_feed(self, feed_id: int) -> Feed:
        with self.session() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            return feed

    def find_feed(self, url_or_id: str) -> Feed:
        """Look a feed up by id (as text) or exact URL."""
        with self.session() as session:
            feed = None
            if url_or_id.isdigit():
                feed = session.get(Feed, int(url_or_id))
            if feed is None:
                feed = session.exec(select(Feed).where(Feed.url == url_or_id)).first()
            if feed is None:
                raise NotFoundError(f"no feed {url_or_id!r}; `newsbrief feeds list` shows them")
            return feed

    def list_feeds(self) -> list[Feed]:
        with self.session() as session:
            return list(session.exec(select(Feed).order_by(Feed.id)))

    def update_feed(self, feed_id: int, **changes: Any) -> Feed:
        return self._update_row(Feed, feed_id, changes)

    def remove_feed(self, feed_id: int) -> None:
        """Delete a feed and, through the foreign keys, its articles and quotes."""
        with self.session() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            session.delete(feed)
