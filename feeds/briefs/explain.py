"""Why does an article match a topic (or not)? What `/why` and `newsbrief topics` show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from feeds.briefs.compose import Subject, resolve_subject
from feeds.briefs.query import Document, Match, Query, Term, match, snippet
from feeds.errors import NotFoundError

if TYPE_CHECKING:
    from feeds.store import ArticleText, Store


@dataclass(frozen=True)
class Explanation:
    article_id: int
    title: str
    story_id: int | None
    match: Match
    excerpts: tuple[str, ...] = ()  # where the first few matching terms occur

    def describe(self) -> str:
        return self.match.describe()


def explain_article(query: Query, article: ArticleText, *, excerpts: int = 2) -> Explanation:
    """Match `article` against `query` and quote where the terms were found."""
    result = match(query, Document.from_text(article.title, article.opening, article.body))
    hits = result.hits if result.matched else result.excluded_by
    found: list[str] = []
    terms = {term.text: term for term in query.terms()}
    texts = {"title": article.title, "opening": article.opening, "body": article.body}
    fields_shown = set()
    for hit in hits:
        if len(found) >= excerpts or hit.field == "title" or hit.field in fields_shown:
            continue
        term: Term | None = terms.get(hit.term)
        excerpt = snippet(texts[hit.field], term) if term else None
        if excerpt:
            fields_shown.add(hit.field)
            found.append(f"{hit.field}: {excerpt}")
    return Explanation(article.id, article.title, article.story_id, result, tuple(found))


def explain(
    store: Store, subject: str | Subject, article_id: int, *, scope: str = ""
) -> Explanation:
    """Does stored article `article_id` match the topic or query `subject`, and why."""
    if isinstance(subject, str):
        subject = resolve_subject(store, subject, scope=scope)
    articles = store.article_texts([article_id])
    if not articles:
        raise NotFoundError(f"no article with id {article_id}")
    return explain_article(subject.query, articles[0])
