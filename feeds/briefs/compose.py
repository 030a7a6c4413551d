"""Compose a Briefing: the stories on a topic (or matching a search) in a time window.

    compose(store, "Mexico security", since=now - 24h)

1. Resolve the subject: a saved topic by name, else the text is a search query.
2. The matching articles published in the window (ArticleText.at: the
   publication time, else when first seen): for a saved topic, read from its matches
   recorded at ingest (feeds.briefs.matching; a window older than the topic
   is back-filled once); for a search, the full-text index's candidates
   matched exactly (feeds.briefs.query).
3. Gather the matches by story; leave out stories already delivered to the
   channel; rank by sources, topic score and recency.
4. For each story: headline and summary of its best-matching article, its
   outlets with links, and its best two key quotes across all its articles.

Articles not yet grouped into a story, or not yet matched, are not shown:
`feeds.briefs.service.catch_up` groups and matches what is new (the bot's
cycle does, and so do `/brief` and `newsbrief brief`).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from feeds.briefs.matching import ensure_coverage
from feeds.briefs.model import Briefing, KeyQuote, Source, StoryBrief
from feeds.briefs.query import Document, Match, Query, match, parse
from feeds.briefs.text import repeats_title, shorten, tokens
from feeds.errors import InvalidInputError, NotFoundError
from feeds.nlp.summary import summarize as lead_of
from feeds.store import ArticleText
from feeds.timeutil import utcnow
from feeds.wording import plural

if TYPE_CHECKING:
    from feeds.models import Quote
    from feeds.store import Store, StoryArticle, StoryStats

log = logging.getLogger(__name__)

SUMMARY_CHARS = 320
# How much one topic score point is worth next to one more source: a story
# carried by one more outlet outranks any difference in topic score alone.
RELEVANCE_SATURATION = 4.0


@dataclass(frozen=True)
class Subject:
    """What a briefing is about: a saved topic, or a free-text search."""

    name: str
    query: Query
    is_topic: bool
    topic_id: int | None = None  # saved topics remember their matches (TopicMatch)


def resolve_subject(store: Store, text: str, *, scope: str = "") -> Subject:
    """A saved topic named `text` (in `scope`, else global), else `text` as a query.

    Raises QuerySyntaxError for a search that is not a valid query, and
    InvalidInputError when a saved topic's query is broken.
    """
    try:
        topic = store.get_topic(text, scope=scope)
    except NotFoundError:
        return Subject(" ".join(text.split()), parse(text), is_topic=False)
    try:
        query = parse(topic.query)
    except InvalidInputError as error:
        raise InvalidInputError(f"topic {topic.name!r} has an invalid query: {error}") from error
    return Subject(topic.name, query, is_topic=True, topic_id=topic.id)


@dataclass
class _StoryMatch:
    story_id: int
    score: float  # best topic score among its matching articles
    lead_id: int  # the best-matching article
    lead_at: datetime


def compose(
    store: Store,
    subject: str | Subject,
    *,
    since: datetime,
    until: datetime | None = None,
    exclude_delivered_to: tuple[str, str] | None = None,
    limit: int = 8,
    include_baseline: bool = True,
    quotes_per_story: int = 2,
    scope: str = "",
    timezone: str = "UTC",
) -> Briefing:
    """The briefing on `subject` for [since, until), best stories first (see module doc).

    exclude_delivered_to: (platform, channel_id) whose delivered stories
    (any delivery row: sent, pending…) are left out. A briefing, daily post
    or not, is the news published in its window, first polls included;
    include_baseline=False (posts of what arrives, not of a window) leaves
    out stories known only from a feed's first poll.
    """
    if isinstance(subject, str):
        subject = resolve_subject(store, subject, scope=scope)
    until = until or utcnow()
    if limit < 1:
        raise InvalidInputError("a briefing needs a limit of at least 1 story")
    notes: list[str] = []
    if not subject.is_topic:
        notes.append(f"“{subject.name}” is not a saved topic: showing stories that match it")

    matches = _matching_stories(store, subject, since, until, include_baseline)
    if exclude_delivered_to is not None:
        platform, channel_id = exclude_delivered_to
        delivered = store.delivered_story_ids(
            platform=platform, channel_id=channel_id, story_ids=matches
        )
        if delivered:
            notes.append(f"{len(delivered)} already posted here and left out")
        for story_id in delivered:
            del matches[story_id]

    stories = store.stories_by_id(matches)
    scores = {
        story_id: _rank(found, stories[story_id], since, until)
        for story_id, found in matches.items()
    }
    ranked = sorted(matches.values(), key=lambda m: (-scores[m.story_id], -m.story_id))
    chosen = ranked[:limit]
    if len(ranked) > limit:
        more = plural(len(ranked) - limit, "more matching story", "more matching stories")
        notes.append(f"{more} not shown")
    articles = _articles_by_story(store, [found.story_id for found in chosen])
    leads = {text.id: text for text in store.article_texts(found.lead_id for found in chosen)}
    quotes = _quotes(store, chosen, articles)
    briefs = tuple(
        _story_brief(
            found,
            leads[found.lead_id],
            subject.query,
            stories[found.story_id],
            articles[found.story_id],
            quotes.get(found.story_id, [])[:quotes_per_story],
            scores[found.story_id],
        )
        for found in chosen
        if found.lead_id in leads  # deleted meanwhile: left out
    )
    return Briefing(
        title=subject.name,
        query=subject.query.text,
        since=since,
        until=until,
        stories=briefs,
        total_stories=len(ranked),
        timezone=timezone,
        generated_at=utcnow(),
        notes=tuple(notes),
        kind="topic" if subject.is_topic else "search",
    )


class _MatchCache:
    """Match results of recent (query, article text) pairs: matching is pure but not cheap.

    Scheduled and on-demand briefings look at overlapping windows again and
    again; an article whose text changed gets a new key.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple, Match] = OrderedDict()
        self.lock = threading.Lock()

    def match(self, query: Query, article: ArticleText) -> Match:
        key = (query.text, article.id, hash((article.title, article.opening, article.body)))
        with self.lock:
            cached = self.entries.get(key)
            if cached is not None:
                self.entries.move_to_end(key)
                return cached
        document = Document.from_text(article.title, article.opening, article.body)
        result = match(query, document, explain=False)
        with self.lock:
            self.entries[key] = result
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return result


MATCH_CACHE = _MatchCache(100_000)


def _matching_stories(
    store: Store, subject: Subject, since: datetime, until: datetime, include_baseline: bool
) -> dict[int, _StoryMatch]:
    """The best-matching article of each story with a match in the window."""
    if subject.topic_id is not None:
        ensure_coverage(store, subject.topic_id, subject.query, since)
        hits = [
            (hit.article_id, hit.story_id, hit.score, hit.at)
            for hit in store.topic_matches(
                subject.topic_id, since=since, until=until, announced_only=not include_baseline
            )
        ]
    else:
        hits = _search(store, subject.query, since, until, include_baseline)
    found: dict[int, _StoryMatch] = {}
    ungrouped = 0
    for article_id, story_id, score, at in hits:
        if story_id is None:
            ungrouped += 1
            continue
        best = found.get(story_id)
        if best is None or (score, -at.timestamp(), -article_id) > (
            best.score,
            -best.lead_at.timestamp(),
            -best.lead_id,
        ):
            found[story_id] = _StoryMatch(story_id, score, article_id, at)
    if ungrouped:
        log.debug("%d matching articles are not grouped into stories yet", ungrouped)
    return found


def _search(
    store: Store, query: Query, since: datetime, until: datetime, include_baseline: bool
) -> list[tuple[int, int | None, float, datetime]]:
    """Ad-hoc queries: full-text candidates, matched exactly."""
    candidates = store.search_articles(
        query, since=since, until=until, announced_only=not include_baseline
    )
    hits = []
    for article in candidates:
        result = MATCH_CACHE.match(query, article)
        if result.matched:
            hits.append((article.id, article.story_id, result.score, article.at))
    return hits


def _articles_by_story(store: Store, story_ids: list[int]) -> dict[int, list[StoryArticle]]:
    grouped: dict[int, list[StoryArticle]] = {story_id: [] for story_id in story_ids}
    for article in store.story_articles(story_ids):
        grouped[article.story_id].append(article)
    return grouped


def _rank(found: _StoryMatch, story: StoryStats, since: datetime, until: datetime) -> float:
    """Sources carrying the story, plus topic relevance and recency (each below 1)."""
    sources = max(story.source_count, 1)
    relevance = found.score / (found.score + RELEVANCE_SATURATION)
    latest = min(max(story.last_seen_at, found.lead_at), until)
    span = max((until - since).total_seconds(), 1.0)
    recency = min(1.0, max(0.0, 1.0 - (until - latest).total_seconds() / span))
    return sources + relevance + recency


def _quotes(
    store: Store, chosen: list[_StoryMatch], articles: dict[int, list[StoryArticle]]
) -> dict[int, list[KeyQuote]]:
    """Each story's key quotes, best first, without repeats of the same words."""
    owner = {a.article_id: a for found in chosen for a in articles[found.story_id]}
    by_story: dict[int, list[KeyQuote]] = {}
    seen: dict[int, list[set[str]]] = {}
    for quote in store.key_quotes(owner):
        article = owner[quote.article_id]
        story_id = article.story_id
        words = set(tokens(quote.text))
        if not words or any(_same_words(words, other) for other in seen.get(story_id, [])):
            continue
        seen.setdefault(story_id, []).append(words)
        by_story.setdefault(story_id, []).append(_key_quote(quote, article))
    return by_story


def _same_words(a: set[str], b: set[str]) -> bool:
    return len(a & b) / min(len(a), len(b)) >= 0.8


def _key_quote(quote: Quote, article: StoryArticle) -> KeyQuote:
    return KeyQuote(
        text=quote.text,
        speaker=quote.speaker,
        url=article.url,
        source=article.outlet,
    )


def _story_brief(
    found: _StoryMatch,
    lead: ArticleText,
    query: Query,
    story: StoryStats,
    articles: list[StoryArticle],
    quotes: list[KeyQuote],
    score: float,
) -> StoryBrief:
    sources: dict[str, Source] = {}
    for article in articles:
        sources.setdefault(article.outlet, Source(article.outlet, article.url))
    return StoryBrief(
        story_id=found.story_id,
        headline=" ".join(lead.title.split()) or story.headline,
        summary=summarize(lead),
        url=lead.url,
        first_seen_at=story.first_seen_at,
        sources=tuple(sources.values()),
        quotes=tuple(quotes),
        score=round(score, 3),
        last_seen_at=story.last_seen_at,
        article_count=len(articles),
        matched=tuple(hit.term for hit in MATCH_CACHE.match(query, lead).hits),
    )


def summarize(article: ArticleText) -> str:
    """A summary that adds to the headline: the extracted lead, unless it repeats the title;
    else the first sentences of the text, or of the feed's summary, that do not ("" if none:
    a feed that only repeats its titles says nothing more)."""
    if article.lead and not repeats_title(article.lead, article.title):
        return shorten(article.lead, SUMMARY_CHARS)
    for text in (article.body, article.opening):
        summary = lead_of(text, SUMMARY_CHARS, title=article.title) if text else ""
        if summary and not repeats_title(summary, article.title):
            return summary
    return ""
