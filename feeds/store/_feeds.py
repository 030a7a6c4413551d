"""Feed rows and their followers: add, look up, list, follow, enable and remove.

A follower is a chat scope (a guild id, or "console"): chat commands manage
only the feeds their scope follows. A feed added from chat goes when its last
follower lets it go; the operator's feeds (config, CLI) stay until the
operator removes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from feeds.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from feeds.models import Article, Feed, FeedFollow
from feeds.timeutil import utcnow


def within_limit(value: str, column: sa.Column, what: str) -> str:
    """`value` if it fits the column (PostgreSQL refuses longer text; SQLite would keep it),
    else InvalidInputError saying how long it may be."""
    limit = column.type.length
    if limit is not None and len(value) > limit:
        raise InvalidInputError(
            f"{what} can have at most {limit} characters (this one has {len(value)})"
        )
    return value


def clean_feed_url(url: str) -> str:
    """A feed URL as stored: stripped, not empty, not longer than the column."""
    url = url.strip()
    if not url:
        raise InvalidInputError("a feed needs a URL")
    return within_limit(url, Feed.__table__.c.url, "a feed URL")


def clean_feed_name(name: str | None) -> str | None:
    """A feed's own label as stored: on one line, None when blank, not too long."""
    flat = " ".join((name or "").split())
    return within_limit(flat, Feed.__table__.c.name, "a feed name") if flat else None


def clean_scope(scope: str) -> str:
    return within_limit(scope, FeedFollow.__table__.c.scope, "a chat scope")


@dataclass(frozen=True)
class Unfollowed:
    """What letting a feed go did."""

    feed: Feed
    removed: bool  # the feed went too: it came from chat and nobody follows it any more
    articles: int  # articles removed with it


class FeedsMixin:
    def add_feed(
        self,
        url: str,
        *,
        name: str | None = None,
        origin: str = "cli",
        follower: str | None = None,
        followed_by: str | None = None,
    ) -> Feed:
        """Store a new feed, due for polling at once, followed by `follower` if given
        (in the same transaction); AlreadyExistsError if the URL is known,
        InvalidInputError if the URL or name do not fit."""
        url, name = clean_feed_url(url), clean_feed_name(name)
        with self.session() as session:
            if session.exec(select(Feed.id).where(Feed.url == url)).first() is not None:
                raise AlreadyExistsError(f"feed already added: {url}")
            feed = Feed(url=url, name=name, origin=origin)
            session.add(feed)
            session.flush()
            if follower is not None:
                session.add(
                    FeedFollow(feed_id=feed.id, scope=clean_scope(follower), created_by=followed_by)
                )
            return feed

    def get_feed(self, feed_id: int) -> Feed:
        with self.session() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            return feed

    def feed_by_url(self, url: str) -> Feed | None:
        with self.session() as session:
            return session.exec(select(Feed).where(Feed.url == url.strip())).first()

    def find_feed(self, url_or_id: str) -> Feed:
        """Look a feed up by id (as text) or exact URL."""
        with self.session() as session:
            feed = None
            if url_or_id.isdigit():
                feed = session.get(Feed, int(url_or_id))
            if feed is None:
                feed = session.exec(select(Feed).where(Feed.url == url_or_id)).first()
            if feed is None:
                raise NotFoundError(f"no feed {url_or_id!r}")
            return feed

    def list_feeds(self) -> list[Feed]:
        with self.session() as session:
            return list(session.exec(select(Feed).order_by(Feed.id)))

    def update_feed(self, feed_id: int, **changes: Any) -> Feed:
        return self._update_row(Feed, feed_id, changes)

    def enable_feed(self, feed_id: int, *, now: datetime | None = None) -> Feed:
        """Poll a disabled or failing feed again from scratch: its disabled reason and
        errors cleared, due now."""
        return self.update_feed(
            feed_id,
            disabled_reason=None,
            disabled_at=None,
            error_count=0,
            last_error=None,
            last_error_reason=None,
            next_check_at=now or utcnow(),
        )

    def remove_feed(self, feed_id: int) -> int:
        """Delete a feed and, through the foreign keys, its articles, quotes and followers;
        returns how many articles went."""
        with self.session() as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            return _delete(session, feed)

    # Followers.

    def follow_feed(self, feed_id: int, scope: str, *, created_by: str | None = None) -> bool:
        """`scope` follows the feed from now on; False if it already did."""
        scope = clean_scope(scope)
        with self.session() as session:
            _locked(session, feed_id)  # not removed by a last unfollow meanwhile
            if session.get(FeedFollow, (feed_id, scope)) is not None:
                return False
            session.add(FeedFollow(feed_id=feed_id, scope=scope, created_by=created_by))
            return True

    def unfollow_feed(self, feed_id: int, scope: str) -> Unfollowed:
        """`scope` stops following the feed; a chat feed that nobody follows any more is
        removed with its articles (the operator's feeds never are)."""
        with self.session() as session:
            # Locked, so that two last followers leaving at once cannot both see the other.
            feed = _locked(session, feed_id)
            follow = session.get(FeedFollow, (feed_id, scope))
            if follow is None:
                raise NotFoundError(f"{scope} does not follow feed {feed_id}")
            session.delete(follow)
            session.flush()
            followed = session.exec(
                select(FeedFollow.scope).where(FeedFollow.feed_id == feed_id)
            ).first()
            if feed.origin != "chat" or followed is not None:
                return Unfollowed(feed, removed=False, articles=0)
            return Unfollowed(feed, removed=True, articles=_delete(session, feed))

    def followed_feeds(self, scope: str) -> list[Feed]:
        """The feeds `scope` follows, oldest first."""
        with self.session() as session:
            query = (
                select(Feed)
                .join(FeedFollow, FeedFollow.feed_id == Feed.id)
                .where(FeedFollow.scope == scope)
                .order_by(Feed.id)
            )
            return list(session.exec(query))

    def follower_counts(self) -> Counter[int]:
        """{feed id: how many scopes follow it} (feeds nobody follows are left out)."""
        with self.session() as session:
            rows = session.exec(
                select(FeedFollow.feed_id, sa.func.count()).group_by(FeedFollow.feed_id)
            )
            return Counter(dict(rows.all()))


def _locked(session: Session, feed_id: int) -> Feed:
    """The feed row, locked until the transaction ends (PostgreSQL; SQLite has one writer)."""
    feed = session.exec(select(Feed).where(Feed.id == feed_id).with_for_update()).first()
    if feed is None:
        raise NotFoundError(f"no feed with id {feed_id}")
    return feed


def _delete(session: Session, feed: Feed) -> int:
    articles = session.exec(
        select(sa.func.count()).select_from(Article).where(Article.feed_id == feed.id)
    ).one()
    session.delete(feed)
    return articles
