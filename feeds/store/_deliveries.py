"""The exactly-once ledgers (deliveries and notices) and the schedule state of subscriptions.

A delivery is recorded as "pending" (the intent) before anything is sent and
marked "sent" with the message id afterwards. Pending rows found at start are
the sends a crash interrupted; the caller checks the channel and settles them
with `mark_part_sent` or `fail_pending`. A "failed" row does not count as
delivered: the story may be claimed again by a later briefing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import select

from feeds.errors import AlreadyExistsError, NotFoundError
from feeds.models import Article, Delivery, Feed, Notice, Subscription, Topic, TopicMatch
from feeds.timeutil import utcnow

# Statuses that keep a story out of later briefings for that channel.
HOLDING = ("pending", "sent")


@dataclass(frozen=True)
class PendingBatch:
    """Messages of one briefing send whose outcome is unknown."""

    channel_id: str
    batch: str
    parts: frozenset[int]
    subscription_id: int | None


class DeliveriesMixin:
    # The delivery ledger.

    def delivered_story_ids(
        self, *, platform: str, channel_id: str, story_ids: Iterable[int]
    ) -> set[int]:
        """Which of these stories were sent to the channel or are being sent now, in a
        briefing or as live stories."""
        wanted = list(set(story_ids))
        live = self.live_shown(platform=platform, channel_id=channel_id, story_ids=wanted)
        return self.briefed_story_ids(
            platform=platform, channel_id=channel_id, story_ids=wanted
        ) | set(live)

    def briefed_story_ids(
        self, *, platform: str, channel_id: str, story_ids: Iterable[int]
    ) -> set[int]:
        """Which of these stories a briefing sent to the channel, or is sending now."""
        wanted = list(set(story_ids))
        if not wanted:
            return set()
        with self.session() as session:
            rows = session.exec(
                select(Delivery.story_id).where(
                    Delivery.platform == platform,
                    Delivery.channel_id == channel_id,
                    Delivery.story_id.in_(wanted),
                    Delivery.status.in_(HOLDING),
                )
            )
            return set(rows)

    def record_intent(
        self,
        *,
        platform: str,
        channel_id: str,
        batch: str,
        placements: Mapping[int, int],
        subscription_id: int | None = None,
    ) -> None:
        """Write one pending row per story ({story_id: part}) in one transaction.

        AlreadyExistsError (and nothing written) when any story is already
        pending or sent to this channel: another send got there first.
        """
        with self.session() as session:
            existing = {
                row.story_id: row
                for row in session.exec(
                    select(Delivery).where(
                        Delivery.platform == platform,
                        Delivery.channel_id == channel_id,
                        Delivery.story_id.in_(list(placements)),
                    )
                )
            }
            taken = sorted(sid for sid, row in existing.items() if row.status in HOLDING)
            if taken:
                raise AlreadyExistsError(f"stories {taken} are already delivered to {channel_id}")
            for story_id, part in placements.items():
                row = existing.get(story_id) or Delivery(
                    platform=platform, channel_id=channel_id, story_id=story_id
                )
                row.status, row.batch, row.part = "pending", batch, part
                row.subscription_id, row.attempts = subscription_id, row.attempts + 1
                row.message_id, row.sent_at, row.last_error = None, None, None
                row.created_at = utcnow()
                session.add(row)

    def mark_part_sent(
        self, batch: str, part: int, message_id: str, *, sent_at: datetime | None = None
    ) -> int:
        """Record that message `part` of `batch` was posted; returns the rows settled."""
        with self.session() as session:
            result = session.execute(
                sa.update(Delivery)
                .where(Delivery.batch == batch, Delivery.part == part, Delivery.status == "pending")
                .values(status="sent", message_id=message_id, sent_at=sent_at or utcnow())
            )
            return result.rowcount

    def fail_pending(self, batch: str, error: str, *, parts: Iterable[int] | None = None) -> int:
        """Give up on the still-pending rows of a batch (all, or only some parts)."""
        condition = [Delivery.batch == batch, Delivery.status == "pending"]
        if parts is not None:
            condition.append(Delivery.part.in_(list(parts)))
        with self.session() as session:
            result = session.execute(
                sa.update(Delivery).where(*condition).values(status="failed", last_error=error)
            )
            return result.rowcount

    def pending_batches(self, *, platform: str) -> list[PendingBatch]:
        """Batches with rows whose send a crash (or a shutdown) interrupted."""
        with self.session() as session:
            rows = session.exec(
                select(Delivery.channel_id, Delivery.batch, Delivery.part, Delivery.subscription_id)
                .where(Delivery.platform == platform, Delivery.status == "pending")
                .order_by(Delivery.id)
            ).all()
        grouped: dict[tuple[str, str], tuple[set[int], int | None]] = {}
        for channel_id, batch, part, subscription_id in rows:
            parts, _ = grouped.setdefault((channel_id, batch or ""), (set(), subscription_id))
            parts.add(part or 1)
        return [
            PendingBatch(channel, batch, frozenset(parts), subscription_id)
            for (channel, batch), (parts, subscription_id) in grouped.items()
        ]

    def delivery_of(self, *, platform: str, channel_id: str, story_id: int) -> Delivery | None:
        with self.session() as session:
            return session.exec(
                select(Delivery).where(
                    Delivery.platform == platform,
                    Delivery.channel_id == channel_id,
                    Delivery.story_id == story_id,
                )
            ).first()

    def article_by_url(self, url: str) -> Article | None:
        """The newest article stored under this link or canonical link."""
        with self.session() as session:
            return session.exec(
                select(Article)
                .where(sa.or_(Article.url == url, Article.canonical_url == url))
                .order_by(Article.first_seen_at.desc())
            ).first()

    # Subscriptions as the scheduler sees them.

    def get_subscription(self, subscription_id: int) -> tuple[Subscription, Topic]:
        with self.session() as session:
            row = session.exec(
                select(Subscription, Topic).join(Topic).where(Subscription.id == subscription_id)
            ).first()
            if row is None:
                raise NotFoundError(f"no subscription with id {subscription_id}")
            return row

    def active_subscriptions(
        self, *, platform: str, mode: str = "daily"
    ) -> list[tuple[Subscription, Topic]]:
        """Subscriptions of that mode ("daily" or "live") that are not paused, oldest first."""
        with self.session() as session:
            return list(
                session.exec(
                    select(Subscription, Topic)
                    .join(Topic)
                    .where(
                        Subscription.platform == platform,
                        Subscription.mode == mode,
                        Subscription.paused_reason.is_(None),
                    )
                    .order_by(Subscription.id)
                )
            )

    def mark_slot_handled(self, subscription_id: int, slot: datetime) -> None:
        """Remember the newest slot posted or skipped (never moves backwards)."""
        with self.session() as session:
            row = session.get(Subscription, subscription_id)
            if row is not None and (row.last_slot_at is None or row.last_slot_at < slot):
                row.last_slot_at = slot

    def pause_channel(self, *, platform: str, channel_id: str, reason: str) -> list[int]:
        """Pause every subscription of a channel that cannot be posted to; returns their ids."""
        with self.session() as session:
            rows = list(
                session.exec(
                    select(Subscription).where(
                        Subscription.platform == platform,
                        Subscription.channel_id == channel_id,
                        Subscription.paused_reason.is_(None),
                    )
                )
            )
            for row in rows:
                row.paused_reason = reason[:200]
            return [row.id for row in rows]

    # Feed health notices.

    def disabled_feeds(self) -> list[Feed]:
        with self.session() as session:
            return list(
                session.exec(
                    select(Feed).where(Feed.disabled_reason.is_not(None)).order_by(Feed.id)
                )
            )

    def channels_fed_by(self, feed_id: int, *, platform: str, since: datetime) -> list[str]:
        """Channels with a live subscription that rely on this feed: they were sent a story
        from it since then, or one of their topics matched an article from it since then."""
        live = sa.and_(Subscription.platform == platform, Subscription.paused_reason.is_(None))
        sent = (
            select(Delivery.channel_id)
            .join(Article, Article.story_id == Delivery.story_id)
            .where(
                Article.feed_id == feed_id,
                Delivery.platform == platform,
                Delivery.status == "sent",
                Delivery.sent_at >= since,
                Delivery.channel_id.in_(select(Subscription.channel_id).where(live)),
            )
        )
        # TopicMatch holds saved topics' matches (recorded at ingest; no row: no match).
        matched = (
            select(Subscription.channel_id)
            .join(TopicMatch, TopicMatch.topic_id == Subscription.topic_id)
            .join(Article, Article.id == TopicMatch.article_id)
            .where(live, Article.feed_id == feed_id, Article.first_seen_at >= since)
        )
        with self.session() as session:
            return sorted(set(session.exec(sent)) | set(session.exec(matched)))

    def claim_notice(
        self,
        *,
        platform: str,
        channel_id: str,
        feed_id: int,
        event_at: datetime,
        reason: str | None,
        kind: str = "feed_disabled",
    ) -> Notice | None:
        """Record a pending notice; None when this channel already has one for this event."""
        key = (
            Notice.platform == platform,
            Notice.channel_id == channel_id,
            Notice.kind == kind,
            Notice.feed_id == feed_id,
            Notice.event_at == event_at,
        )
        try:
            with self.session() as session:
                if session.exec(select(Notice.id).where(*key)).first() is not None:
                    return None
                notice = Notice(
                    platform=platform,
                    channel_id=channel_id,
                    kind=kind,
                    feed_id=feed_id,
                    event_at=event_at,
                    reason=reason,
                )
                session.add(notice)
                session.flush()
                return notice
        except AlreadyExistsError:  # another process claimed it between the check and insert
            return None

    def pending_notices(self, *, platform: str) -> list[Notice]:
        with self.session() as session:
            return list(
                session.exec(
                    select(Notice)
                    .where(Notice.platform == platform, Notice.status == "pending")
                    .order_by(Notice.id)
                )
            )

    def settle_notice(
        self,
        notice_id: int,
        *,
        message_id: str | None = None,
        error: str | None = None,
        give_up: bool = False,
    ) -> None:
        """Mark a notice sent (message_id), failed for good (give_up), or note a retryable error."""
        with self.session() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise NotFoundError(f"no notice with id {notice_id}")
            if message_id is not None:
                notice.status, notice.message_id, notice.sent_at = "sent", message_id, utcnow()
            elif give_up:
                notice.status = "failed"
            notice.last_error = error
