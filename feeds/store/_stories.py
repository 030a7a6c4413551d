"""Stories: grouping writes (one transaction per batch) and the reads a briefing needs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from feeds.models import Article, ArticleKey, ConceptCount, Feed, Quote, Story
from feeds.store._search import ArticleText, article_text_columns, in_window, to_article_text

TOTAL_KEY = ""  # ConceptCount row that counts grouped articles
GROUPING_BODY_CHARS = 1500
QUOTE_CONTEXT_CHARS = 120  # of text read before and after each quotation


@dataclass(frozen=True)
class StoryArticle:
    """One article of a story, with its outlet, as a briefing lists it (no text)."""

    article_id: int
    story_id: int
    url: str | None
    outlet: str
    first_seen_at: datetime | None = None  # when it was polled


@dataclass(frozen=True)
class QuoteInContext:
    """A quotation as grouping reads it: its words, speaker, and the text just around it."""

    text: str
    speaker: str | None
    before: str
    after: str


@dataclass(frozen=True)
class StoryStats:
    """What a briefing needs of a Story row."""

    id: int
    headline: str
    first_seen_at: datetime
    last_seen_at: datetime
    article_count: int
    source_count: int


def _param(name: str, column=None, *, expanding: bool = False) -> sa.BindParameter:
    return sa.bindparam(name, type_=None if column is None else column.type, expanding=expanding)


_AT = Article.__table__.c.first_seen_at


class _Statements:
    """Grouping's statements, built once: per-article calls then skip SQLAlchemy's construction."""

    def __init__(self) -> None:
        self.pending = (
            select(*article_text_columns(GROUPING_BODY_CHARS))
            .where(Article.story_id.is_(None))
            .order_by(Article.first_seen_at, Article.id)
            .limit(_param("limit"))
        )
        self.story_with_url = (
            select(Article.story_id)
            .where(Article.canonical_url == _param("url"), Article.story_id.is_not(None))
            .where(Article.id != _param("article_id"))
            .limit(1)
        )
        self.concept_counts = select(ConceptCount.key, ConceptCount.count).where(
            ConceptCount.key.in_(_param("keys", expanding=True))
        )
        shared = sa.func.count().label("shared")
        self.candidate_stories = (
            select(ArticleKey.story_id, shared)
            .join(Story, Story.id == ArticleKey.story_id)
            .where(ArticleKey.key.in_(_param("keys", expanding=True)))
            .where(ArticleKey.at >= _param("since", _AT), ArticleKey.at <= _param("until", _AT))
            .where(Story.first_seen_at >= _param("opened", _AT))
            .group_by(ArticleKey.story_id)
            .order_by(shared.desc(), ArticleKey.story_id.desc())
            .limit(_param("limit"))
        )
        self.members_of: dict[int, sa.Select] = {}  # by number of stories
        # Grouping compares quotations, with the words around each (its attribution).
        body = sa.func.coalesce(Article.full_text, Article.content, Article.summary, "")
        reach = QUOTE_CONTEXT_CHARS
        starts_late = Quote.start > reach
        self.quotes_of = (
            select(
                Quote.article_id,
                Quote.text,
                Quote.speaker,
                sa.func.substr(
                    body,
                    sa.case((starts_late, Quote.start - reach + 1), else_=1),
                    sa.case((starts_late, reach), else_=Quote.start),
                ),
                sa.func.substr(body, Quote.end + 1, reach),
            )
            .join(Article, Article.id == Quote.article_id)
            .where(Quote.article_id.in_(_param("ids", expanding=True)))
            .order_by(Quote.article_id, Quote.rank == 0, Quote.rank, Quote.start)
        )
        self.claim = (
            sa.update(Article)
            .where(Article.id == _param("article_id"), Article.story_id.is_(None))
            .values(story_id=_param("story_id"))
        )
        self.add_keys = sa.insert(ArticleKey)
        first = _param("first", Story.__table__.c.first_seen_at)
        last = _param("last", Story.__table__.c.last_seen_at)
        members = select(sa.func.count()).where(Article.story_id == Story.id)
        outlets = select(sa.func.count(sa.distinct(Article.feed_id))).where(
            Article.story_id == Story.id
        )
        self.refresh_story = (
            sa.update(Story)
            .where(Story.id == _param("sid"))
            .values(
                article_count=members.scalar_subquery(),
                source_count=outlets.scalar_subquery(),
                first_seen_at=sa.case(
                    (Story.first_seen_at > first, first), else_=Story.first_seen_at
                ),
                last_seen_at=sa.case((Story.last_seen_at < last, last), else_=Story.last_seen_at),
            )
        )

    def story_members(self, stories: int) -> sa.Select:
        """The latest few articles of each of `stories` stories in a window.

        One LIMITed subquery per story, walking the story_id index backwards
        from the newest id: a story told by hundreds of articles costs a few
        rows, not hundreds (a window function would rank them all).
        """
        statement = self.members_of.get(stories)
        if statement is None:
            since, until = _param("since", _AT), _param("until", _AT)
            latest = [
                select(
                    select(Article.id)
                    .where(Article.story_id == _param(f"story{index}"), *in_window(since, until))
                    .order_by(Article.id.desc())
                    .limit(_param("per_story"))
                    .subquery()
                    .c.id
                )
                for index in range(stories)
            ]
            ids = sa.union_all(*latest) if stories > 1 else latest[0]
            statement = (
                select(*article_text_columns(GROUPING_BODY_CHARS))
                .where(Article.id.in_(ids))
                .order_by(Article.first_seen_at.desc(), Article.id.desc())
            )
            self.members_of[stories] = statement
        return statement


_STATEMENTS = _Statements()


class StoryWriter:
    """Grouping's view of the database inside one transaction (see StoriesMixin.story_writer).

    Per article it reads candidates and claims the article; concept counts and
    story statistics are written once per batch by `finish`.
    """

    def __init__(self, session: Session):
        self.session = session
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name

    def _run(self, statement, **params):
        return self.connection.execute(statement, params)

    def pending(self, limit: int) -> list[ArticleText]:
        """Articles without a story, oldest first."""
        return [to_article_text(row) for row in self._run(_STATEMENTS.pending, limit=limit)]

    def story_with_url(self, url: str, article_id: int) -> int | None:
        return self._run(_STATEMENTS.story_with_url, url=url, article_id=article_id).scalar()

    def concept_counts(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(set(keys))
        if not keys:
            return {}
        return dict(self._run(_STATEMENTS.concept_counts, keys=keys).all())

    def candidate_stories(
        self, keys: list[str], since: datetime, until: datetime, limit: int, opened: datetime
    ) -> list[int]:
        """Stories first seen from `opened` on, with articles in [since, until] sharing the
        most of `keys`, most first."""
        if not keys:
            return []
        rows = self._run(
            _STATEMENTS.candidate_stories,
            keys=keys,
            since=since,
            until=until,
            limit=limit,
            opened=opened,
        )
        return [story_id for story_id, _ in rows]

    def story_members(
        self, story_ids: list[int], since: datetime, until: datetime, per_story: int
    ) -> dict[int, list[ArticleText]]:
        """Each story's latest articles in the window (the last stored: the highest ids),
        most recent first, at most `per_story`."""
        if not story_ids:
            return {}
        members: dict[int, list[ArticleText]] = {story: [] for story in story_ids}
        rows = self._run(
            _STATEMENTS.story_members(len(story_ids)),
            since=since,
            until=until,
            per_story=per_story,
            **{f"story{index}": story for index, story in enumerate(story_ids)},
        )
        for row in rows:
            article = to_article_text(row)
            members[article.story_id].append(article)
        return members

    def quotes_of(self, article_ids: list[int]) -> dict[int, list[QuoteInContext]]:
        """Each article's quotations with the text around them: key quotes first, by
        rank, then the rest in text order."""
        if not article_ids:
            return {}
        found: dict[int, list[QuoteInContext]] = {}
        for article_id, *quote in self._run(_STATEMENTS.quotes_of, ids=article_ids):
            found.setdefault(article_id, []).append(QuoteInContext(*quote))
        return found

    def attach(self, article: ArticleText, story_id: int | None, keys: list[str]) -> int | None:
        """Put `article` in a story (a new one when story_id is None); its story id.

        Returns None when another process grouped the article meanwhile.
        """
        new = None
        if story_id is None:
            new = Story(
                headline=article.title[:1000], first_seen_at=article.at, last_seen_at=article.at
            )
            self.session.add(new)
            self.session.flush()
            story_id = new.id
        claimed = self._run(_STATEMENTS.claim, article_id=article.id, story_id=story_id).rowcount
        if not claimed:
            if new is not None:
                self.session.delete(new)
            return None
        if keys:
            rows = [
                {"article_id": article.id, "key": key, "at": article.at, "story_id": story_id}
                for key in keys
            ]
            self.connection.execute(_STATEMENTS.add_keys, rows)
        return story_id

    def finish(self, counts: dict[str, int], spans: dict[int, tuple[datetime, datetime]]) -> None:
        """Add concept counts, and refresh the statistics of the stories that grew."""
        if counts:
            insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(
                ConceptCount
            )
            upsert = insert.on_conflict_do_update(
                index_elements=[ConceptCount.key],
                set_={"count": ConceptCount.count + insert.excluded.count},
            )
            self.connection.execute(upsert, [{"key": k, "count": n} for k, n in counts.items()])
        if spans:
            self.connection.execute(
                _STATEMENTS.refresh_story,
                [
                    {"sid": story, "first": first, "last": last}
                    for story, (first, last) in spans.items()
                ],
            )


class StoriesMixin:
    @contextmanager
    def story_writer(self) -> Iterator[StoryWriter]:
        """One transaction for a batch of grouping decisions."""
        with self.session() as session:
            yield StoryWriter(session)

    def count_ungrouped(self) -> int:
        with self.session() as session:
            statement = select(sa.func.count()).where(Article.story_id.is_(None))
            return session.execute(statement).scalar_one()

    def get_story(self, story_id: int) -> Story | None:
        with self.session() as session:
            return session.get(Story, story_id)

    def stories_by_id(self, story_ids: Iterable[int]) -> dict[int, StoryStats]:
        ids = list(set(story_ids))
        if not ids:
            return {}
        statement = select(
            Story.id,
            Story.headline,
            Story.first_seen_at,
            Story.last_seen_at,
            Story.article_count,
            Story.source_count,
        ).where(Story.id.in_(ids))
        with self.session() as session:
            return {row[0]: StoryStats(*row) for row in session.execute(statement)}

    def story_articles(self, story_ids: Iterable[int]) -> list[StoryArticle]:
        """Every article of these stories with its outlet's name, oldest first."""
        ids = list(set(story_ids))
        if not ids:
            return []
        statement = (
            select(
                Article.id,
                Article.story_id,
                sa.func.coalesce(Article.canonical_url, Article.url),
                Feed.name,
                Feed.title,
                Feed.url,
                Article.first_seen_at,
            )
            .join(Feed, Feed.id == Article.feed_id)
            .where(Article.story_id.in_(ids))
            .order_by(Article.first_seen_at, Article.id)
        )
        with self.session() as session:
            return [
                StoryArticle(article_id, story_id, url, outlet_name(name, title, feed_url), seen)
                for article_id, story_id, url, name, title, feed_url, seen in session.execute(
                    statement
                )
            ]

    def key_quotes(self, article_ids: Iterable[int]) -> list[Quote]:
        """Quotes fit to be key quotes (rank >= 1) of these articles, best score first."""
        ids = list(set(article_ids))
        if not ids:
            return []
        statement = (
            select(Quote)
            .where(Quote.article_id.in_(ids), Quote.rank >= 1)
            .order_by(Quote.score.desc(), Quote.rank, Quote.id)
        )
        with self.session() as session:
            return list(session.exec(statement))


def outlet_name(name: str | None, title: str | None, url: str) -> str:
    """What to call a feed's outlet: the operator's label, the feed's own title, or its host."""
    if name:
        return name
    if title:
        return title
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
