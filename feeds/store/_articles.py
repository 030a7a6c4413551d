"""Article rows and the polling engine's bookkeeping, written in few statements.

One statement per feed inserts its entries and returns exactly the new ones
(`INSERT … ON CONFLICT DO NOTHING RETURNING`, on SQLite and PostgreSQL);
entries whose content hash changed are then updated in place. Feed
bookkeeping after a poll cycle is one executemany per set of changed columns.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from feeds.errors import AlreadyExistsError
from feeds.models import Article, Feed

log = logging.getLogger(__name__)

# Columns the feed refreshes on a changed entry (never the analysis columns:
# quotes and briefings recompute when `Article.body_text()` changes).
UPDATABLE = (
    "url",
    "canonical_url",
    "title",
    "author",
    "summary",
    "content",
    "published_at",
    "updated_at",
    "content_hash",
)
_ARTICLE = Article.__table__
_FEED = Feed.__table__
# Every column a poll writes; the rest keep their defaults (NULL, or False/0 below).
INSERTED = (
    "feed_id",
    "entry_key",
    "first_seen_at",
    "announce",
    "full_text_status",
    *UPDATABLE,
)
MAX_ROWS_PER_STATEMENT = 1000  # 15 parameters a row stays under SQLite's 32,766


@functools.cache
def _insert_sql(dialect: str, paramstyle: str, count: int) -> str:
    marker = "?" if paramstyle == "qmark" else "%s"
    row = "(" + ", ".join([marker] * len(INSERTED)) + ")"
    columns = ", ".join(f'"{name}"' for name in INSERTED)
    return (
        f"INSERT INTO article ({columns}) VALUES {', '.join([row] * count)} "
        "ON CONFLICT (feed_id, entry_key) DO NOTHING RETURNING id, entry_key"
    )


def _processors(dialect) -> list[tuple[str, Any]]:
    cached = _PROCESSORS.get(dialect.name)
    if cached is None:
        cached = _PROCESSORS[dialect.name] = [
            (name, _ARTICLE.c[name].type._cached_bind_processor(dialect)) for name in INSERTED
        ]
    return cached


_PROCESSORS: dict[str, list[tuple[str, Any]]] = {}


@dataclass
class StoredEntries:
    """What one feed's insert did: ids by entry key."""

    new: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedHealth:
    """One feed with its article counts, for `feeds list` and the demo."""

    feed: Feed
    articles: int
    full_text_ok: int


class ArticlesMixin:
    # Polling: which feeds, and what to write afterwards.

    def due_feeds(self, now: datetime, *, limit: int | None = None) -> list[Feed]:
        """Enabled feeds whose next check is due, the most overdue first."""
        query = (
            select(Feed)
            .where(Feed.disabled_reason.is_(None), Feed.next_check_at <= now)
            .order_by(Feed.next_check_at, Feed.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.session() as session:
            return list(session.exec(query))

    def feeds_by_id(self, feed_ids: Iterable[int]) -> list[Feed]:
        ids = sorted(set(feed_ids))
        with self.session() as session:
            return list(session.exec(select(Feed).where(Feed.id.in_(ids)).order_by(Feed.id)))

    def store_entries(self, feed_id: int, rows: Sequence[Mapping[str, Any]]) -> StoredEntries:
        """Insert a feed's entries; update those whose content_hash changed.

        `rows` are Article column values (entry_key and content_hash required,
        unique by entry_key). Returns the ids of the new and changed rows.
        """
        result = StoredEntries()
        if not rows:
            return result
        rows = [{**row, "feed_id": feed_id} for row in rows]
        with self.session() as session:
            connection = session.connection()
            for start in range(0, len(rows), MAX_ROWS_PER_STATEMENT):
                chunk = rows[start : start + MAX_ROWS_PER_STATEMENT]
                result.new.update(self._insert_new(connection, chunk))
            if len(result.new) < len(rows):
                result.changed = self._update_changed(connection, feed_id, rows, result.new)
        return result

    def _insert_new(self, connection, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """`INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING RETURNING id, entry_key`.

        Rendered once per dialect and row count, and run as one driver call with
        the columns' own bind processors applied: SQLAlchemy's per-row
        executemany machinery cost 40 µs a row, the better part of storing a feed.
        """
        dialect = connection.dialect
        sql = _insert_sql(dialect.name, dialect.paramstyle, len(rows))
        processors = _processors(dialect)
        values = []
        for row in rows:
            for name, process in processors:
                value = row.get(name)
                values.append(
                    process(value) if process is not None and value is not None else value
                )
        cursor = connection.exec_driver_sql(sql, tuple(values))
        return {key: article_id for article_id, key in cursor}

    @staticmethod
    def _update_changed(connection, feed_id: int, rows, new: Mapping[str, int]) -> dict[str, int]:
        old_rows = {row["entry_key"]: row for row in rows if row["entry_key"] not in new}
        known = connection.execute(
            sa.select(_ARTICLE.c.id, _ARTICLE.c.entry_key, _ARTICLE.c.content_hash).where(
                _ARTICLE.c.feed_id == feed_id, _ARTICLE.c.entry_key.in_(list(old_rows))
            )
        )
        changed = {
            key: article_id
            for article_id, key, stored_hash in known
            if old_rows[key]["content_hash"] != stored_hash
        }
        if changed:
            statement = (
                _ARTICLE.update()
                .where(_ARTICLE.c.id == sa.bindparam("_id"))
                .values({name: sa.bindparam(name) for name in UPDATABLE})
            )
            connection.execute(
                statement,
                [
                    {"_id": article_id, **{n: old_rows[key].get(n) for n in UPDATABLE}}
                    for key, article_id in changed.items()
                ],
            )
        return changed

    def article_identities(
        self, feed_id: int
    ) -> list[tuple[int, str | None, str, datetime | None, str]]:
        """(id, url, title, published_at, content_hash) of a feed's articles, to compute
        new entry keys."""
        query = sa.select(
            _ARTICLE.c.id,
            _ARTICLE.c.url,
            _ARTICLE.c.title,
            _ARTICLE.c.published_at,
            _ARTICLE.c.content_hash,
        ).where(_ARTICLE.c.feed_id == feed_id)
        with self.session() as session:
            return [tuple(row) for row in session.connection().execute(query)]

    def rekey_articles(self, feed_id: int, keys: Mapping[int, str]) -> int:
        """Give a feed's articles new entry keys; returns how many moved.

        A key already taken (by another article of the feed, or twice in
        `keys`) is skipped: that article keeps its old key.
        """
        with self.session() as session:
            connection = session.connection()
            taken = set(
                connection.execute(
                    sa.select(_ARTICLE.c.entry_key).where(_ARTICLE.c.feed_id == feed_id)
                ).scalars()
            )
            changes = []
            for article_id, key in keys.items():
                if key not in taken:
                    taken.add(key)
                    changes.append({"_id": article_id, "key": key})
            if changes:
                connection.execute(
                    _ARTICLE.update()
                    .where(_ARTICLE.c.id == sa.bindparam("_id"))
                    .values(entry_key=sa.bindparam("key")),
                    changes,
                )
        return len(changes)

    def save_feed_updates(self, updates: Sequence[Mapping[str, Any]]) -> None:
        """Apply many feeds' bookkeeping at once: each mapping has "id" plus Feed columns.

        Mappings with the same columns share one executemany. A URL change
        (permanent redirect) that clashes with another feed is skipped and logged.
        """
        by_columns: defaultdict[tuple[str, ...], list[Mapping[str, Any]]] = defaultdict(list)
        moved = []
        for update in updates:
            if "url" in update:
                moved.append(update)
            else:
                by_columns[tuple(sorted(k for k in update if k != "id"))].append(update)
        with self.session() as session:
            connection = session.connection()
            for columns, group in by_columns.items():
                if not columns:
                    continue
                statement = (
                    _FEED.update()
                    .where(_FEED.c.id == sa.bindparam("_id"))
                    .values({name: sa.bindparam(name) for name in columns})
                )
                connection.execute(
                    statement, [{"_id": u["id"], **{c: u[c] for c in columns}} for u in group]
                )
        for update in moved:
            changes = {k: v for k, v in update.items() if k != "id"}
            try:
                self.update_feed(update["id"], **changes)
            except AlreadyExistsError:
                changes.pop("url")
                log.warning(
                    "feed %s moved to %s, which is already another feed; URL kept",
                    update["id"],
                    update["url"],
                )
                self.update_feed(update["id"], **changes)

    def save_full_texts(self, results: Sequence[tuple[int, str | None, str]]) -> None:
        """Store (article id, full text or None, status) for many articles at once."""
        if not results:
            return
        statement = (
            _ARTICLE.update()
            .where(_ARTICLE.c.id == sa.bindparam("_id"))
            .values(full_text=sa.bindparam("text"), full_text_status=sa.bindparam("status"))
        )
        with self.session() as session:
            session.connection().execute(
                statement,
                [{"_id": i, "text": text, "status": status} for i, text, status in results],
            )

    # Reading articles.

    def get_article(self, article_id: int) -> Article | None:
        with self.session() as session:
            return session.get(Article, article_id)

    def articles_by_id(self, article_ids: Iterable[int]) -> list[Article]:
        ids = sorted(set(article_ids))
        with self.session() as session:
            return list(
                session.exec(select(Article).where(Article.id.in_(ids)).order_by(Article.id))
            )

    def list_articles(
        self, *, feed_id: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Articles, newest first (by publication date, else first seen)."""
        query = select(Article).order_by(
            sa.func.coalesce(Article.published_at, Article.first_seen_at).desc(), Article.id.desc()
        )
        if feed_id is not None:
            query = query.where(Article.feed_id == feed_id)
        if limit is not None:
            query = query.limit(limit)
        with self.session() as session:
            return list(session.exec(query))

    def feed_health(self) -> list[FeedHealth]:
        """Every feed with its number of articles and of full texts fetched."""
        ok = sa.case((Article.full_text_status == "ok", 1), else_=0)
        counts = select(
            Article.feed_id, sa.func.count(Article.id), sa.func.coalesce(sa.func.sum(ok), 0)
        ).group_by(Article.feed_id)
        with self.session() as session:
            per_feed = {feed_id: (n, k) for feed_id, n, k in session.exec(counts)}
            feeds = list(session.exec(select(Feed).order_by(Feed.id)))
        return [FeedHealth(f, *per_feed.get(f.id, (0, 0))) for f in feeds]
