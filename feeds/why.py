"""Why an article was, or was not, posted to a channel (what `/why` answers).

Pure: the caller gathers the facts (the article, the ledger row of its story
in that channel, the channel's subscriptions and whether the article matches
each topic) and gets back the lines to show. An article's time is
`ArticleText.at`, the one briefing windows use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from feeds.models import Subscription, Topic
from feeds.schedule import briefing_window, next_slot, zone
from feeds.store import ArticleText
from feeds.timeutil import format_duration


@dataclass(frozen=True)
class DeliveryFacts:
    """The ledger row of the article's story in this channel."""

    status: str  # "pending", "sent" or "failed"
    sent_at: datetime | None = None
    topic: str | None = None  # of the subscription that posted it, if still known
    timezone: str = "UTC"
    error: str | None = None


class TopicCheck(Protocol):
    """Whether the article matches the topic, and the explanation (the bot's explain)."""

    matched: bool
    text: str


@dataclass(frozen=True)
class SubscriptionFacts:
    """One daily briefing of the channel, and how the article fares against its topic."""

    topic: str
    matched: bool
    explanation: str  # which terms were found where, or what was missing
    time_of_day: str
    timezone: str
    last_slot_at: datetime | None = None
    paused_reason: str | None = None

    @classmethod
    def of(cls, subscription: Subscription, topic: Topic, check: TopicCheck) -> SubscriptionFacts:
        return cls(
            topic.name,
            check.matched,
            check.text,
            subscription.time_of_day,
            subscription.timezone,
            subscription.last_slot_at,
            subscription.paused_reason,
        )


def why_lines(
    article: ArticleText | None,
    delivery: DeliveryFacts | None,
    subscriptions: Sequence[SubscriptionFacts],
    *,
    now: datetime,
) -> list[str]:
    """Whether the article was posted to the channel and when, or every reason why not."""
    if article is None:
        return [
            "No stored article has that link: it does not come from a feed newsbrief follows "
            "(or that feed was not polled since it appeared), so it was never posted anywhere."
        ]
    title = " ".join(article.title.split()) or "(untitled)"
    if delivery is not None and delivery.status == "sent":
        return [_posted(title, article, delivery)]
    if delivery is not None and delivery.status == "pending":
        return [f"{title}: being posted here right now."]
    lines = [f"{title}: not posted here."]
    if delivery is not None and delivery.error:
        lines.append(f"A post here failed ({delivery.error}); the next briefing tries again.")
    if not subscriptions:
        lines.append(
            "This channel has no daily briefing, so nothing is posted here on its own: "
            "/subscribe to a topic, or ask with /brief."
        )
    for subscription in subscriptions:
        lines.append(f"{subscription.topic}: {_verdict(article, subscription, now)}")
        lines += [f"  ↳ {line}" for line in subscription.explanation.splitlines() if line.strip()]
    return lines


def _posted(title: str, article: ArticleText, delivery: DeliveryFacts) -> str:
    when = _local(delivery.sent_at, delivery.timezone) if delivery.sent_at else "earlier"
    briefing = f" in the daily briefing on {delivery.topic}" if delivery.topic else ""
    if delivery.sent_at is not None and article.first_seen_at > delivery.sent_at:
        return (
            f"{title}: its story was already posted here {when}{briefing}, before this "
            "article arrived; a story is posted to a channel once, so it was not posted again."
        )
    return f"{title}: posted here {when}{briefing}."


def _verdict(article: ArticleText, subscription: SubscriptionFacts, now: datetime) -> str:
    """Why the daily briefing on this topic did not (yet) post the article."""
    if not subscription.matched:
        return "does not match this topic."
    if subscription.paused_reason:
        return f"matches, but this briefing is paused: {subscription.paused_reason}."
    # Whether or not it came with its feed's first poll: a daily briefing holds the news
    # published in its window, and only that (see feeds.briefs.service.compose_request).
    slot = next_slot(now, subscription.time_of_day, subscription.timezone)
    since, _ = briefing_window(slot, subscription.last_slot_at)
    if article.at >= since:
        return (
            f"matches; not yet due: the next briefing is {_local(slot, subscription.timezone)} "
            f"(in {format_duration(slot - now)})."
        )
    last = subscription.last_slot_at
    if last is not None and article.at >= briefing_window(last, None)[0]:
        return (
            f"matches, but the briefing of {_local(last, subscription.timezone)} left it out "
            "(it ranked below the stories shown, or that briefing was skipped)."
        )
    return (
        f"matches, but it appeared {_local(article.at, subscription.timezone)}, before the "
        "period any briefing here covered (each covers the day before it is posted)."
    )


def _local(moment: datetime, zone_name: str) -> str:
    local = moment.astimezone(zone(zone_name))
    return f"{local:%a} {local.day} {local:%b %H:%M} {local:%Z}"
