"""What the bot needs from the other parts of newsbrief, and THE place they are wired in.

The chat commands and the scheduler call these functions and nothing else of
the ingest and briefing engines. A missing capability removes the commands
that need it (they are not registered, and `/help` does not list them)
instead of answering with something made up. `wired()` gives the real ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.config import Settings
from feeds.briefs import Briefing
from feeds.models import Article, Feed, Topic
from feeds.store import Store

if TYPE_CHECKING:
    from feeds.live.service import LiveDesk
    from feeds.pipeline import Ingest


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
    # True for daily posts: the stories published in the window, first polls included.
    scheduled: bool = False


# compose(store, request) -> Briefing. Blocking; the bot runs it in a thread.
ComposeFn = Callable[[Store, BriefingRequest], Briefing]


@dataclass(frozen=True)
class TopicCheck:
    """Does an article match a topic, and why: which terms were found where (or what is
    missing), in one or two lines of plain text."""

    matched: bool
    text: str


# explain(store, article, topic) -> TopicCheck. Blocking.
ExplainFn = Callable[[Store, Article, Topic], TopicCheck]
# check_query(query) -> None, or raise feeds.errors.InvalidInputError naming the position.
CheckQueryFn = Callable[[str], None]
# add_feed(store, url, follower=scope, followed_by=user id) -> Feed: fetch and validate the
# URL behind the SSRF guard (always on for chat), store it with origin="chat", followed by
# the chat scope; raise a NewsbriefError with a clear message when it is not a usable feed
# (AlreadyExistsError when it, or the address it moved to, is stored already).
AddFeedFn = Callable[..., Awaitable[Feed]]
# poll_cycle(store) -> anything: one ingest cycle, i.e. poll the feeds that are due, then
# analyse and group what came in (run every [polling] check_every by `newsbrief run`).
PollCycleFn = Callable[[Store], Awaitable[object]]

# live: the live-stories engine (feeds.live.service.LiveDesk, with the [live] policy):
# plan(store, channel, now) -> ChannelPlan and view(store, spec) -> LiveView. Blocking.

NAMES = ("compose", "explain", "check_query", "add_feed", "poll_cycle", "live")


@dataclass(frozen=True)
class Capabilities:
    compose: ComposeFn | None = None
    explain: ExplainFn | None = None
    check_query: CheckQueryFn | None = None
    add_feed: AddFeedFn | None = None
    poll_cycle: PollCycleFn | None = None
    live: LiveDesk | None = None
    # Run by close(): what the capabilities hold (worker processes) is let go.
    closers: tuple[Callable[[], None], ...] = field(default=(), repr=False)

    def has(self, name: str) -> bool:
        return getattr(self, name) is not None

    def missing(self) -> list[str]:
        return [name for name in NAMES if getattr(self, name) is None]

    def close(self) -> None:
        """Whoever built the capabilities calls this once, at shutdown."""
        for close in self.closers:
            close()


def wired(settings: Settings | None = None, *, ingest: Ingest | None = None) -> Capabilities:
    """The capabilities of this build: the ingest cycle (feeds.pipeline: polling, quotes,
    grouping; by default with the [polling] settings), the briefing engine
    (feeds.briefs.service) and live stories (feeds.live.service, with the [live]
    settings). Worker processes start on first use; call `close()` at shutdown."""
    from bot.app import poll_options
    from feeds.briefs.service import check_query, compose_request
    from feeds.live.service import LiveDesk
    from feeds.pipeline import Ingest

    settings = settings or Settings()
    if ingest is None:
        ingest = Ingest(poll_options(settings.polling))
    return Capabilities(
        compose=compose_request,
        explain=explain,
        check_query=check_query,
        add_feed=ingest.add_feed,
        poll_cycle=ingest.poll_cycle,
        live=LiveDesk(settings.live_policy()),
        closers=(ingest.close,),
    )


def explain(store: Store, article: Article, topic: Topic) -> TopicCheck:
    """feeds.briefs.service.explain_text, whose first line says "matches …" or "no match …"."""
    from feeds.briefs.service import explain_text

    text = explain_text(store, article, topic)
    return TopicCheck(matched=text.startswith("matches"), text=text)
