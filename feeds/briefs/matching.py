"""Saved topics matched at ingest, like an index: briefings read matches, not texts.

    match_new_articles(store)            # in the cycle: poll → quotes → grouping → this

Every new or changed article is scored against every saved topic once, and
its matches recorded in TopicMatch (non-matches leave no row). An article is
due when Article.topics_matched_at is None: stored since the last run, or
its title, text, lead or times changed (a database trigger resets it,
whoever changes them). Composing a topic briefing then reads the window's
matches from the (topic_id, at) index.

A topic created or changed later (from chat, or a new config) covers what
arrives from then on. Older articles are back-filled over a bounded window:
eagerly, the last EAGER_WINDOW (a day: the default briefing), by the next
ingest run (`match_new_articles` ends with `backfill_new_topics`); lazily,
by `ensure_coverage`, when a briefing asks for a window that is not covered
— only that window, candidates from the full-text index, and once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from feeds.briefs.query import Document, Query, parse, score
from feeds.errors import InvalidInputError
from feeds.store import ArticleText, TopicMatchRow
from feeds.timeutil import utcnow

if TYPE_CHECKING:
    from feeds.store import Store

log = logging.getLogger(__name__)

BATCH = 500  # articles per transaction
EAGER_WINDOW = timedelta(hours=24)


def match_new_articles(
    store: Store,
    article_ids: Sequence[int] | None = None,
    *,
    batch: int = BATCH,
    backfill: timedelta | None = EAGER_WINDOW,
) -> int:
    """Score new or changed articles against every saved topic; how many were scored.

    article_ids: score exactly these (due or not), e.g. the ids polling just
    stored or updated; None: every article that is due. Safe to run from
    several processes: an article is claimed once per change. Then topics
    created or changed since the last run are back-filled over `backfill`.
    """
    remaining = None if article_ids is None else list(dict.fromkeys(article_ids))
    scored = 0
    while True:
        with store.topic_match_writer() as writer:
            if remaining is None:
                ids = writer.claim_due(batch)
            else:
                ids, remaining = writer.claim(remaining[:batch]), remaining[batch:]
            if ids:
                topics = compile_topics(writer.topics())
                writer.replace(ids, score_articles(writer.texts(ids), topics))
        scored += len(ids)
        if (remaining is None and len(ids) < batch) or remaining == []:
            break
    if scored:
        log.info("matched %d articles against the saved topics", scored)
    if backfill is not None:
        backfill_new_topics(store, backfill)
    return scored


def backfill_new_topics(store: Store, window: timedelta = EAGER_WINDOW) -> int:
    """Back-fill the topics that do not cover the last `window` yet (new or changed ones,
    and every topic of a store upgraded to these matches); how many articles were matched."""
    since = utcnow() - window
    done = 0
    for coverage in store.topic_coverages():
        covered = coverage.matched_from is not None and coverage.matched_from <= since
        if coverage.current and covered:
            continue
        for topic_id, query in compile_topics([(coverage.topic_id, coverage.query)]):
            done += ensure_coverage(store, topic_id, query, since)
    return done


def compile_topics(topics: Iterable[tuple[int, str]]) -> list[tuple[int, Query]]:
    """Parsed topic queries; a topic whose query is broken is skipped (and logged)."""
    compiled = []
    for topic_id, text in topics:
        try:
            compiled.append((topic_id, parse(text)))
        except InvalidInputError as error:
            log.warning("topic %d is not matched: invalid query: %s", topic_id, error)
    return compiled


def score_articles(
    articles: Iterable[ArticleText], topics: Sequence[tuple[int, Query]]
) -> list[TopicMatchRow]:
    """The matches of each article against each topic (one text analysis per article)."""
    rows = []
    for article in articles:
        document = Document.from_text(article.title, article.opening, article.body)
        for topic_id, query in topics:
            value = score(query, document)
            if value is not None:
                rows.append(TopicMatchRow(topic_id, article.id, value, article.at))
    return rows


def ensure_coverage(store: Store, topic_id: int, query: Query, since: datetime) -> int:
    """Make the topic's matches complete from `since` on; how many articles were back-filled.

    Only the part of the window not covered yet is matched (its candidates
    come from the full-text index), and the topic remembers it. A topic whose
    query changed without its matches being reset is reset first.
    """
    coverage = store.topic_coverage(topic_id)
    if not coverage.current:
        store.reset_topic_matches(topic_id, coverage.query)
        coverage = store.topic_coverage(topic_id)
    if coverage.query != query.text:
        log.debug("topic %d changed its query while a briefing was composed", topic_id)
        return 0
    if coverage.matched_from is not None and coverage.matched_from <= since:
        return 0
    candidates = store.search_articles(query, since=since, until=coverage.matched_from)
    rows = score_articles(candidates, [(topic_id, query)])
    store.backfill_topic_matches(topic_id, coverage.query, since, rows)
    log.info(
        "topic %d: back-filled %d articles (%d matches) from %s",
        topic_id,
        len(candidates),
        len(rows),
        since.isoformat(timespec="minutes"),
    )
    return len(candidates)
