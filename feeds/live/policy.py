"""What a live subscription posts, lists or holds back, and when a message is still edited.

Pure decisions, no I/O (the service gathers the facts, the bot sends):

- a story is news for a channel when one of its articles matching the topic was
  polled after the subscription went live (never a feed's first poll: those
  articles are not announced), and it has no live message there yet; a story
  whose message stopped being edited (`update_for` after it was shown) is news
  again when a matching article arrives after that: a new development;
- news polled at most `max_delay` ago is posted on its own, best-sourced first,
  while the channel has posted fewer than `max_per_hour` stories in the last
  hour; the rest (past the cap, or older: quiet hours, the bot was away) is
  listed in the channel's one "more stories" message of the hour;
- in a subscription's quiet hours nothing new is posted or listed for it; edits
  go on (an edit notifies nobody).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from feeds.errors import InvalidInputError
from feeds.schedule import next_slot, parse_time_of_day, zone

# The cap counts the posts of the last hour, and a "more stories" message takes the
# excess of its hour.
CAP_WINDOW = timedelta(hours=1)
# Stories a "more stories" message lists before another one is started (fits one embed).
MORE_LIMIT = 15


@dataclass(frozen=True)
class QuietHours:
    """A daily span of local time ("23:00-07:00" wraps midnight) when nothing new is posted."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str | None) -> QuietHours | None:
        """'23:00-07:00' -> QuietHours; '' or 'off' -> None; InvalidInputError otherwise."""
        text = (text or "").strip()
        if text.lower() in ("", "off", "none"):
            return None
        start, dash, end = text.partition("-")
        if not dash:
            raise InvalidInputError(f"quiet hours look like 23:00-07:00, not {text!r}")
        quiet = cls(parse_time_of_day(start), parse_time_of_day(end))
        if quiet.start == quiet.end:
            raise InvalidInputError(f"quiet hours {text!r} start and end at the same time")
        return quiet

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: datetime, zone_name: str) -> bool:
        local = moment.astimezone(zone(zone_name)).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, moment: datetime, zone_name: str) -> datetime:
        """When the quiet hours `moment` is in end (UTC)."""
        return next_slot(moment, f"{self.end:%H:%M}", zone_name)


@dataclass(frozen=True)
class LivePolicy:
    max_delay: timedelta = timedelta(minutes=10)
    update_for: timedelta = timedelta(hours=24)
    max_per_hour: int = 5
    quiet_hours: QuietHours | None = None  # the default; a subscription may set its own
    more_limit: int = MORE_LIMIT

    def quiet_for(self, own: str | None) -> QuietHours | None:
        """A subscription's quiet hours: its own ("" for none), else the default."""
        return self.quiet_hours if own is None else QuietHours.parse(own)


@dataclass(frozen=True)
class News:
    """What makes a story news for a channel now."""

    polled_at: datetime  # the first matching article that is news, as polled
    covers_from: datetime | None  # None: the whole story; else a development from then on


def news_in(
    matched: Iterable[datetime], shown: Sequence[datetime], update_for: timedelta
) -> News | None:
    """Is the story news? `matched`: when its matching, announced articles were polled;
    `shown`: when the channel's live messages began to show it (empty: never)."""
    times = sorted(matched)
    if not shown:
        return News(times[0], None) if times else None
    closed = max(shown) + update_for  # the last message's edits end here
    later = [at for at in times if at >= closed]
    return News(later[0], later[0]) if later else None


def editable(shown_at: datetime, now: datetime, update_for: timedelta) -> bool:
    return now < shown_at + update_for


@dataclass(frozen=True)
class Candidate:
    """A story that is news for a channel, through one of its live subscriptions."""

    story_id: int
    subscription_id: int
    news: News
    sources: int  # outlets carrying it: the best-sourced go first


@dataclass(frozen=True)
class Plan:
    post: tuple[Candidate, ...] = ()  # each in its own message, now
    more: tuple[tuple[Candidate, str], ...] = ()  # (story, "cap" or "late") for the list
    held: tuple[Candidate, ...] = ()  # quiet hours: decided again when they end

    @property
    def is_empty(self) -> bool:
        return not (self.post or self.more)


def plan(
    candidates: Iterable[Candidate],
    *,
    now: datetime,
    policy: LivePolicy,
    quiet: Collection[int] = (),
    posted_last_hour: int = 0,
) -> Plan:
    """Which news to post now, which to list as "more stories", which to hold.

    quiet: the subscriptions in their quiet hours; posted_last_hour: the
    channel's live story posts in the last CAP_WINDOW.
    """
    held, fresh, late = [], [], []
    for candidate in candidates:
        if candidate.subscription_id in quiet:
            held.append(candidate)
        elif now - candidate.news.polled_at <= policy.max_delay:
            fresh.append(candidate)
        else:
            late.append(candidate)
    fresh.sort(key=lambda c: (-c.sources, c.news.polled_at, c.story_id))
    late.sort(key=lambda c: (c.news.polled_at, c.story_id))
    room = max(policy.max_per_hour - posted_last_hour, 0)
    more = [(c, "cap") for c in fresh[room:]] + [(c, "late") for c in late]
    return Plan(post=tuple(fresh[:room]), more=tuple(more), held=tuple(held))
