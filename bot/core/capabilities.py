"""What the bot needs from the other parts of newsbrief, and THE place they are wired in.

The chat commands and the scheduler call these functions and nothing else of
the polling and briefing engines. A missing capability removes the commands
that need it (they are not registered, and `/help` does not list them)
instead of answering with something made up.

Wiring (for the lead, after merging): fill in `wired()` below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import datetime

from bot.config import Settings
from feeds.briefs import Briefing
from feeds.models import Article, Feed, Topic
from feeds.store import Store


@dataclass(frozen=True)
class BriefingRequest:
    """Everything a briefing is composed from; `compose` gets one of these."""

    title: str  # the topic's name, or the words asked for
    query: str  # the topic's query, or the words asked for (ad-hoc search)
    since: datetime
    until: datetime
    max_stories: int
    quotes_per_story: int
    timezone: str  # for dates shown in the briefing
    # (platform, channel_id): leave out stories already delivered there.
    exclude_delivered_to: tuple[str, str] | None = None
    # True for daily posts: leave out the first-poll baseline (Article.announce = False).
    scheduled: bool = False


# compose(store, request) -> Briefing. Blocking; the bot runs it in a thread.
ComposeFn = Callable[[Store, BriefingRequest], Briefing]
# explain(store, article, topic) -> why the article does or does not match, in one or two
# lines of plain text. Blocking.
ExplainFn = Callable[[Store, Article, Topic], str]
# check_query(query) -> None, or raise feeds.errors.InvalidInputError naming the position.
CheckQueryFn = Callable[[str], None]
# add_feed(store, url) -> Feed: fetch and validate the URL behind the SSRF guard (always on
# for chat), store it with origin="chat"; raise a NewsbriefError with a clear message when
# it is not a usable feed.
AddFeedFn = Callable[[Store, str], Awaitable[Feed]]
# poll_cycle(store) -> anything: poll the feeds that are due once (run every
# [polling] check_every by `newsbrief run`).
PollCycleFn = Callable[[Store], Awaitable[object]]


@dataclass(frozen=True)
class Capabilities:
    compose: ComposeFn | None = None
    explain: ExplainFn | None = None
    check_query: CheckQueryFn | None = None
    add_feed: AddFeedFn | None = None
    poll_cycle: PollCycleFn | None = None

    def has(self, name: str) -> bool:
        return getattr(self, name) is not None

    def missing(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is None]


def wired(settings: Settings | None = None) -> Capabilities:
    """The capabilities of this build. Issue 5 (briefings) plugs in here:

    compose=feeds.briefs.compose (adapted to BriefingRequest), explain=…,
    check_query=…. Polling (issue 3) is wired: add_feed and poll_cycle.
    """
    from bot.app import poll_options
    from feeds.polling.engine import PollingService

    polling = PollingService(poll_options((settings or Settings()).polling))
    return Capabilities(add_feed=polling.add_feed, poll_cycle=polling.poll_cycle)
