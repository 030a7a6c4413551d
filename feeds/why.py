"""Why an article was, or was not, posted to a channel (what `/why` answers).

Pure: the caller gathers the facts (the article, the ledger row of its story
in that channel, its live messages there, the channel's subscriptions and
whether the article matches each topic) and gets back the lines to show. An
article's time is `ArticleText.at`, the one briefing windows use; live
subscriptions go by when it was polled (`first_seen_at`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from feeds.live.policy import LivePolicy, QuietHours
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
class LiveFacts:
    """One live message of the channel that shows the article's story."""

    kind: str  # "story" or "more"
    status: str  # "pending", "sent", "failed" or "gone"
    shown_at: datetime  # when the message began to show the story
    covers_from: datetime | None = None  # a development: the articles from then on
    reason: str = "new"  # why it is in the message: "new", "cap" or "late"
    topic: str | None = None
    timezone: str = "UTC"
    edits: int = 0
    edited_at: datetime | None = None
    error: str | None = None

    def covers(self, article: ArticleText) -> bool:
        return self.covers_from is None or article.first_seen_at >= self.covers_from


@dataclass(frozen=True)
class SubscriptionFacts:
    """One daily briefing or live subscription of the channel, and how the article fares
    against its topic."""

    topic: str
    matched: bool
    explanation: str  # which terms were found where, or what was missing
    time_of_day: str
    timezone: str
    last_slot_at: datetime | None = None
    paused_reason: str | None = None
    mode: str = "daily"
    live_since: datetime | None = None
    quiet_hours: str | None = None  # the live subscription's, in effect ("" or None: none)
    policy: LivePolicy = field(default_factory=LivePolicy)

    @classmethod
    def of(
        cls,
        subscription: Subscription,
        topic: Topic,
        check: TopicCheck,
        policy: LivePolicy | None = None,
    ) -> SubscriptionFacts:
        policy = policy or LivePolicy()
        quiet = policy.quiet_for(subscription.quiet_hours)
        return cls(
            topic.name,
            check.matched,
            check.text,
            subscription.time_of_day,
            subscription.timezone,
            subscription.last_slot_at,
            subscription.paused_reason,
            subscription.mode,
            subscription.live_since or subscription.created_at,
            str(quiet) if quiet else None,
            policy,
        )


def why_lines(
    article: ArticleText | None,
    delivery: DeliveryFacts | None,
    subscriptions: Sequence[SubscriptionFacts],
    *,
    now: datetime,
    live: Sequence[LiveFacts] = (),
) -> list[str]:
    """Whether the article was posted to the channel and when, or every reason why not."""
    if article is None:
        return [
            "No stored article has that link: it does not come from a feed newsbrief follows "
            "(or that feed was not polled since it appeared), so it was never posted anywhere."
        ]
    title = " ".join(article.title.split()) or "(untitled)"
    shown = _showing(article, live)
    if shown is not None and shown.status in ("sent", "gone"):
        return [_posted_live(title, article, shown)]
    if delivery is not None and delivery.status == "sent":
        return [_posted(title, article, delivery)]
    if (delivery is not None and delivery.status == "pending") or (
        shown is not None and shown.status == "pending"
    ):
        return [f"{title}: being posted here right now."]
    lines = [f"{title}: not posted here."]
    if delivery is not None and delivery.error:
        lines.append(f"A post here failed ({delivery.error}); the next briefing tries again.")
    failed = [facts for facts in live if facts.status == "failed" and facts.covers(article)]
    if failed and failed[-1].error:
        lines.append(
            f"A live post here failed ({failed[-1].error}); it goes out with a later check "
            "while it is still news."
        )
    if not subscriptions:
        lines.append(
            "This channel has no daily briefing or live stories, so nothing is posted here "
            "on its own: /subscribe to a topic, or ask with /brief."
        )
    for subscription in subscriptions:
        verdict = (
            _live_verdict(article, subscription, now)
            if subscription.mode == "live"
            else _verdict(article, subscription, now)
        )
        lines.append(f"{subscription.topic}: {verdict}")
        lines += [f"  ↳ {line}" for line in subscription.explanation.splitlines() if line.strip()]
    return lines


def _showing(article: ArticleText, live: Sequence[LiveFacts]) -> LiveFacts | None:
    """The live message that shows the article's part of its story: the latest one whose
    span covers it (a development shows the articles from its start)."""
    holding = [facts for facts in live if facts.status != "failed" and facts.covers(article)]
    return max(holding, key=lambda facts: facts.shown_at, default=None)


def _posted_live(title: str, article: ArticleText, facts: LiveFacts) -> str:
    when = _local(facts.shown_at, facts.timezone)
    topic = f" on {facts.topic}" if facts.topic else ""
    if facts.kind == "more":
        why = {
            "cap": "the channel had reached its live posts for the hour",
            "late": "it came during quiet hours, or while newsbrief was away",
        }.get(facts.reason, "")
        line = f'{title}: listed here {when} in a "more stories" message of the live stories{topic}'
        line += f" ({why})." if why else "."
    else:
        what = "a new development of its story" if facts.covers_from else "its story"
        line = f"{title}: {what} was posted here live {when} (live stories{topic})."
    if article.first_seen_at > facts.shown_at and facts.status == "sent":
        if facts.edited_at is not None and facts.edited_at >= article.first_seen_at:
            line += (
                f" This article came later and was added to that message by an edit "
                f"({_local(facts.edited_at, facts.timezone)}); it was not posted again."
            )
        else:
            line += " This article came later: the message is updated at the next check."
    elif facts.edits and facts.edited_at is not None:
        times = "once" if facts.edits == 1 else f"{facts.edits} times"
        last = _local(facts.edited_at, facts.timezone)
        line += f" Updated {times} as outlets reported it, last {last}."
    if facts.status == "gone":
        line += " That message was deleted here since; it is not posted again."
    return line


def _live_verdict(article: ArticleText, subscription: SubscriptionFacts, now: datetime) -> str:
    """Why the live stories on this topic did not (yet) post the article."""
    if not subscription.matched:
        return "does not match this topic."
    if subscription.paused_reason:
        return f"matches, but these live stories are paused: {subscription.paused_reason}."
    if not article.announce:
        return (
            "matches, but it came with its feed's first poll: live stories never post those "
            "(following a feed must not flood a channel with its old news)."
        )
    began = subscription.live_since
    if began is not None and article.first_seen_at < began:
        return (
            f"matches, but it came in {_local(article.first_seen_at, subscription.timezone)}, "
            f"before the live stories here began ({_local(began, subscription.timezone)})."
        )
    if article.first_seen_at < now - subscription.policy.update_for:
        return (
            f"matches, but it came in {_local(article.first_seen_at, subscription.timezone)}: "
            f"live stories look at the last {format_duration(subscription.policy.update_for)}."
        )
    quiet = QuietHours.parse(subscription.quiet_hours)
    if quiet is not None and quiet.contains(now, subscription.timezone):
        end = quiet.ends_after(now, subscription.timezone)
        return f"matches; held by quiet hours until {_local(end, subscription.timezone)}."
    if article.story_id is None:
        return "matches; it is posted once it is grouped into a story (the next ingest cycle)."
    return "matches; not yet posted: live stories go out after each poll cycle."


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
