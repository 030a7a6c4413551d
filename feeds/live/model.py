"""Live messages as renderers see them: platform-neutral frozen dataclasses, like Briefing.

A view is computed from the database alone (no clock), so rendering the same
message twice gives the same text: that is how an edit that changes nothing
is told apart from one that must be made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feeds.briefs.model import KeyQuote, Source


@dataclass(frozen=True)
class LiveItemSpec:
    """One story in a live message, as the ledger (or the plan) describes it."""

    story_id: int
    added_at: datetime  # when the message began to show it
    polled_at: datetime  # when the article that made it news was polled
    covers_from: datetime | None = None  # None: the whole story; else a development
    reason: str = "new"  # "new", "cap" or "late"
    subscription_id: int | None = None  # the live subscription that found it


@dataclass(frozen=True)
class LiveMessageSpec:
    kind: str  # "story" (one story as it grows) or "more" (a list)
    topics: tuple[str, ...]  # the topics of the subscriptions it serves
    items: tuple[LiveItemSpec, ...]
    mention_role_id: str | None = None  # pinged by the post (never by an edit)


@dataclass(frozen=True)
class LiveStory:
    story_id: int
    headline: str
    summary: str
    url: str | None
    sources: tuple[Source, ...]  # outlets, in the order they reported it
    article_count: int  # articles the message shows (several may come from one outlet)
    quote: KeyQuote | None  # the best key quote of the articles there when it was posted
    new_quote: KeyQuote | None  # the best one that came after (not a repeat)
    development: bool = False  # a new development of a story posted over a day before
    reason: str = "new"


@dataclass(frozen=True)
class LiveView:
    kind: str
    topics: tuple[str, ...]
    stories: tuple[LiveStory, ...]
    mention_role_id: str | None = None
    max_per_hour: int = 0  # the cap, for the "more stories" wording

    @property
    def topic_label(self) -> str:
        return ", ".join(self.topics) or "live stories"
