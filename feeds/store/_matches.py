"""Saved topics' matches, kept like an index: written at ingest, read by briefings.

- `topic_match_writer()` is the ingest step's view (feeds.briefs.matching):
  claim the articles that are due (Article.topics_matched_at is NULL: new,
  or their text changed since — a trigger resets it), read their texts and
  the topics, and replace their TopicMatch rows, in one transaction. Claiming
  first takes the write lock (SQLite) or the row locks (PostgreSQL), so a
  text that changes meanwhile waits, and is due again afterwards.
- `topic_matches()` is what a briefing reads: a topic's matches in a time
  window, from the (topic_id, at) index, with each article's story.
- Coverage: a topic's rows are complete for `Topic.matched_query` from
  `Topic.matched_from` on. `reset_topic_matches` starts over (a new or
  changed query); `backfill_topic_matches` extends coverage back in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from feeds.errors import NotFoundError
from feeds.models import Article, Topic, TopicMatch
from feeds.store._search import ArticleText, article_text_columns, to_article_text
from feeds.store._topics import normalized_query, reset_matches, topic_key
from feeds.timeutil import utcnow


@dataclass(frozen=True)
class TopicMatchRow:
    topic_id: int
    article_id: int
    score: float
    at: datetime  # the article's time (ArticleText.at)


@dataclass(frozen=True)
class TopicHit:
    """One matching article of a topic, as a briefing reads it."""

    article_id: int
    story_id: int | None
    score: float
    at: datetime


@dataclass(frozen=True)
class TopicCoverage:
    topic_id: int
    query: str  # the topic's query now (normalized)
    matched_query: str | None  # the query its TopicMatch rows were computed for
    matched_from: datetime | None  # rows are complete from here on (None: nothing yet)

    @property
    def current(self) -> bool:
        return self.matched_query == self.query


class TopicMatchWriter:
    """The ingest step's transaction (see module doc)."""

    def __init__(self, session: Session):
        self.session = session
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name

    def claim_due(self, limit: int) -> list[int]:
        """Mark up to `limit` due articles as matched now; their ids, oldest first."""
        due = (
            select(Article.id)
            .where(Article.topics_matched_at.is_(None))
            .order_by(Article.id)
            .limit(limit)
        )
        # Checked again on the row itself: on PostgreSQL a concurrent claim that won
        # the row lock has set it, and this one then skips the row.
        return self._claim(
            Article.id.in_(due.scalar_subquery()), Article.topics_matched_at.is_(None)
        )

    def claim(self, article_ids: Sequence[int]) -> list[int]:
        """Mark these articles as matched now (due or not); the ids that exist."""
        return self._claim(Article.id.in_(list(article_ids))) if article_ids else []

    def _claim(self, *conditions) -> list[int]:
        statement = (
            sa.update(Article)
            .where(*conditions)
            .values(topics_matched_at=utcnow())
            .returning(Article.id)
        )
        return sorted(self.connection.execute(statement).scalars())

    def texts(self, article_ids: Sequence[int]) -> list[ArticleText]:
        statement = select(*article_text_columns()).where(Article.id.in_(list(article_ids)))
        return [to_article_text(row) for row in self.connection.execute(statement)]

    def topics(self) -> list[tuple[int, str]]:
        """(id, query) of every saved topic, global and per guild."""
        return list(self.connection.execute(select(Topic.id, Topic.query).order_by(Topic.id)))

    def replace(self, article_ids: Sequence[int], rows: Iterable[TopicMatchRow]) -> None:
        """These articles' matches become `rows` (for every topic)."""
        self.connection.execute(
            sa.delete(TopicMatch).where(TopicMatch.article_id.in_(list(article_ids)))
        )
        values = [row.__dict__ for row in rows]
        if values:
            self.connection.execute(sa.insert(TopicMatch), values)


class TopicMatchesMixin:
    @contextmanager
    def topic_match_writer(self) -> Iterator[TopicMatchWriter]:
        with self.session() as session:
            yield TopicMatchWriter(session)

    def count_topics_due(self) -> int:
        """Articles whose topic matches are due (new, or their text changed)."""
        statement = select(sa.func.count()).where(Article.topics_matched_at.is_(None))
        with self.session() as session:
            return session.execute(statement).scalar_one()

    def topic_coverages(self) -> list[TopicCoverage]:
        """Every topic's coverage (the topic table is small)."""
        statement = select(Topic.id, Topic.query, Topic.matched_query, Topic.matched_from)
        with self.session() as session:
            return [
                TopicCoverage(topic_id, normalized_query(query), matched_query, matched_from)
                for topic_id, query, matched_query, matched_from in session.execute(statement)
            ]

    def topic_coverage(self, topic_id: int) -> TopicCoverage:
        with self.session() as session:
            topic = session.get(Topic, topic_id)
            if topic is None:
                raise NotFoundError(f"no topic with id {topic_id}")
            return TopicCoverage(
                topic.id, normalized_query(topic.query), topic.matched_query, topic.matched_from
            )

    def reset_topic_matches(self, topic_id: int, query: str) -> None:
        """Forget a topic's matches: they were for another query. Ingest covers what comes
        from now on; briefings back-fill what they need."""
        with self.session() as session:
            reset_matches(session, topic_id, query)

    def backfill_topic_matches(
        self, topic_id: int, query: str, since: datetime, rows: Sequence[TopicMatchRow]
    ) -> bool:
        """Add matches of older articles and extend the topic's coverage back to `since`.

        Returns False (and writes nothing) when the topic's query changed meanwhile.
        """
        with self.session() as session:
            current = session.execute(
                select(Topic.matched_from)
                .where(Topic.id == topic_id, Topic.matched_query == normalized_query(query))
                .with_for_update()
            ).first()
            if current is None:
                return False
            if current.matched_from is None or current.matched_from > since:
                session.execute(
                    sa.update(Topic).where(Topic.id == topic_id).values(matched_from=since)
                )
            if rows:
                insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(
                    TopicMatch
                )
                upsert = insert.on_conflict_do_update(
                    index_elements=[TopicMatch.topic_id, TopicMatch.article_id],
                    set_={"score": insert.excluded.score, "at": insert.excluded.at},
                )
                session.connection().execute(upsert, [row.__dict__ for row in rows])
            return True

    def topic_matches(
        self,
        topic_id: int,
        *,
        since: datetime,
        until: datetime,
        announced_only: bool = False,
    ) -> list[TopicHit]:
        """The topic's matching articles with time in [since, until), from the index."""
        statement = (
            select(TopicMatch.article_id, Article.story_id, TopicMatch.score, TopicMatch.at)
            .join(Article, Article.id == TopicMatch.article_id)
            .where(TopicMatch.topic_id == topic_id)
            .where(TopicMatch.at >= since, TopicMatch.at < until)
        )
        if announced_only:
            statement = statement.where(Article.announce.is_(True))
        with self.session() as session:
            return [TopicHit(*row) for row in session.execute(statement)]

    def find_topic(self, name: str, query: str) -> Topic | None:
        """A saved topic (any scope) with this name and query: the bot names topics so."""
        wanted = normalized_query(query)
        with self.session() as session:
            rows = session.exec(select(Topic).where(Topic.name_key == topic_key(name)))
            return next((t for t in rows if normalized_query(t.query) == wanted), None)
