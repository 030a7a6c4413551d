"""The platform-neutral Briefing that renderers (Discord, terminal, Markdown, JSON) consume.

Plain frozen dataclasses: no database rows, no chat types. Every quote is
verbatim from an article and carries the link to where it was said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Source:
    """One outlet that carried a story, with the link to its article."""

    name: str
    url: str | None


@dataclass(frozen=True)
class KeyQuote:
    text: str  # verbatim, without the surrounding quotation marks
    speaker: str | None  # resolved full name or organisation; None when the article does not say
    url: str | None  # the article the quote comes from
    source: str  # the outlet name of that article


@dataclass(frozen=True)
class StoryBrief:
    story_id: int
    headline: str
    summary: str
    url: str | None  # the lead article
    first_seen_at: datetime
    sources: tuple[Source, ...] = ()
    quotes: tuple[KeyQuote, ...] = ()
    score: float = 0.0  # ranking score: sources + topic relevance (<1) + recency (<1)
    last_seen_at: datetime | None = None  # the story's latest article
    article_count: int = 0  # articles in the story (several may come from one outlet)
    matched: tuple[str, ...] = ()  # query terms found in the lead article, best field first


@dataclass(frozen=True)
class Briefing:
    title: str  # the topic name, or the ad-hoc query
    query: str
    since: datetime
    until: datetime
    stories: tuple[StoryBrief, ...] = ()
    total_stories: int = 0  # matching stories before the limit
    timezone: str = "UTC"  # for displaying dates
    generated_at: datetime | None = None
    notes: tuple[str, ...] = field(default=())
    kind: str = "topic"  # "topic" (a saved topic) or "search" (free-text query)

    @property
    def story_count(self) -> int:
        return len(self.stories)

    @property
    def source_count(self) -> int:
        return len({source.name for story in self.stories for source in story.sources})

    @property
    def is_empty(self) -> bool:
        return not self.stories
