"""Quotes and summaries stored with their article.

An article is due for analysis while its `analyzed_hash` is NULL: never
analysed, or its text changed since (the feed updated the entry, or the full
text arrived) — a trigger (migration 0005) clears the hash whenever summary,
content or full text change, whoever changes them. A partial index finds the
due articles without reading any text. Saving replaces the article's Quote
rows in one transaction, and only if the text still hashes to the analysed one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import select

from feeds.models import Article, Feed, Quote

if TYPE_CHECKING:
    from feeds.nlp.analyze import QuoteResult

log = logging.getLogger(__name__)


def text_hash(text: str) -> str:
    """The hash stored in `Article.analyzed_hash` (SHA-256 of the UTF-8 text, hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PendingText:
    """An article's text waiting for analysis, with a language hint (the article's
    or its feed's, or None)."""

    article_id: int
    text: str
    text_hash: str
    language: str | None


class AnalysisMixin:
    def pending_analysis(self, limit: int | None = None) -> list[PendingText]:
        """Articles whose text was never analysed or changed since, oldest first."""
        with self.session() as session:
            query = (
                select(Article.id, _body_sql(), Article.language, Feed.language)
                .join(Feed, Feed.id == Article.feed_id)
                .where(Article.analyzed_hash.is_(None))
                .order_by(Article.id)
            )
            if limit is not None:
                query = query.limit(limit)
            return [
                PendingText(article_id, text, text_hash(text), language or feed_language)
                for article_id, text, language, feed_language in session.exec(query)
            ]

    def save_analysis(
        self,
        article_id: int,
        analyzed_hash: str,
        *,
        language: str | None,
        lead: str | None,
        quotes: Sequence[QuoteResult],
    ) -> bool:
        """Store an article's language, lead and quotes, replacing its old quotes.

        Returns False (and changes nothing) when the article is gone or its text
        no longer hashes to `analyzed_hash`: it changed while being analysed and
        will be picked up again.
        """
        with self.session() as session:
            article = session.exec(
                select(Article).where(Article.id == article_id).with_for_update()
            ).first()
            if article is None or text_hash(article.body_text()) != analyzed_hash:
                return False
            session.execute(sa.delete(Quote).where(Quote.article_id == article_id))
            session.add_all(
                Quote(
                    article_id=article_id,
                    text=q.text,
                    start=q.start,
                    end=q.end,
                    speaker=_fit(q.speaker, Quote.model_fields["speaker"]),
                    speaker_start=q.speaker_start,
                    speaker_end=q.speaker_end,
                    speaker_kind=q.speaker_kind,
                    rank=q.rank,
                    score=q.score,
                )
                for q in quotes
            )
            article.language, article.lead, article.analyzed_hash = language, lead, analyzed_hash
            return True

    def article_quotes(self, article_id: int) -> list[Quote]:
        """An article's quotes in text order."""
        with self.session() as session:
            query = select(Quote).where(Quote.article_id == article_id).order_by(Quote.start)
            return list(session.exec(query))


def _fit(value: str | None, field) -> str | None:
    """Cut a value to its column's length (PostgreSQL enforces it, SQLite not)."""
    limit = next((m.max_length for m in field.metadata if hasattr(m, "max_length")), None)
    return value[:limit] if value and limit else value


def _body_sql():
    """`Article.body_text()` in SQL: the first non-empty of full text, content, summary."""
    return sa.func.coalesce(
        sa.func.nullif(Article.full_text, ""),
        sa.func.nullif(Article.content, ""),
        sa.func.nullif(Article.summary, ""),
        "",
    )
