"""The live ledger (LiveMessage, LiveItem) and the reads live subscriptions need.

A live message is recorded as "pending" with its stories before it is posted
and marked "sent" with the platform's message id after; pending rows found
later are settled by the caller from the channel's history (`mark_live_sent`
or `fail_live`). A "failed" message does not hold its stories: they may be
posted again. An edit is recorded after the platform took it; what is due is
read from the database (`live_edits_due`), so an edit a crash interrupted is
still due after the restart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from feeds.errors import NotFoundError
from feeds.live.model import LiveItemSpec, LiveMessageSpec
from feeds.models import (
    Article,
    Delivery,
    LiveItem,
    LiveMessage,
    Subscription,
    Topic,
    TopicMatch,
)
from feeds.store._deliveries import HOLDING
from feeds.timeutil import utcnow

# Messages whose stories count as shown in the channel ("gone": deleted there, not re-posted).
SHOWING = ("pending", "sent", "gone")


@dataclass(frozen=True)
class LiveRecord:
    """A story's place in a channel's live messages (what `/why` tells)."""

    message: LiveMessage
    item: LiveItem
    topic: str | None  # of the subscription that found it, if it still exists


def _shown_here(*, platform: str, channel_id: str, since: datetime | None):
    """EXISTS: a live message of the channel shows the article's story (from `since` on)."""
    condition = [
        LiveItem.channel_id == channel_id,
        LiveItem.story_id == Article.story_id,
        LiveItem.platform == platform,
        LiveMessage.status.in_(SHOWING),
    ]
    if since is not None:
        condition.append(LiveItem.added_at > since)
    return (
        select(LiveItem.story_id)
        .join(LiveMessage, LiveMessage.id == LiveItem.message_id)
        .where(*condition)
        .exists()
    )


def _briefed_here(*, platform: str, channel_id: str):
    """EXISTS: a briefing sent the article's story to the channel (or is sending it)."""
    return (
        select(Delivery.story_id)
        .where(
            Delivery.story_id == Article.story_id,
            Delivery.platform == platform,
            Delivery.channel_id == channel_id,
            Delivery.status.in_(HOLDING),
        )
        .exists()
    )


def _in_cover(item):
    """Articles of the item's story that its message shows (from covers_from on)."""
    return sa.and_(
        Article.story_id == item.story_id,
        sa.or_(item.covers_from.is_(None), Article.first_seen_at >= item.covers_from),
    )


class LiveMixin:
    # What live subscriptions read.

    def live_matches(
        self,
        topic_id: int,
        *,
        since: datetime,
        until: datetime,
        platform: str | None = None,
        channel_id: str | None = None,
        editable_since: datetime | None = None,
    ) -> list[tuple[int, datetime]]:
        """(story id, when polled) of the topic's matching articles polled in [since, until],
        grouped into a story and announced (a feed's first poll never is).

        With a channel, leave out the stories that cannot be news there: a briefing sent
        them, or one of its live messages shows them and is still edited (began to show
        them after `editable_since`). Most of a busy topic's day is so, every minute.
        """
        # Articles polled since then have ids from the first of them on: the topic's matches
        # are read from that id on (its primary key), not over all time. ("id + 0": SQLite
        # would otherwise walk the table in id order to the first article of the window.)
        first_id = select(sa.func.min(Article.id + 0)).where(Article.first_seen_at >= since)
        statement = (
            select(Article.story_id, Article.first_seen_at)
            .join(TopicMatch, TopicMatch.article_id == Article.id)
            .where(TopicMatch.topic_id == topic_id)
            .where(TopicMatch.article_id >= first_id.scalar_subquery())
            .where(Article.first_seen_at >= since, Article.first_seen_at <= until)
            .where(Article.announce.is_(True), Article.story_id.is_not(None))
        )
        if channel_id is not None:
            here = {"platform": platform, "channel_id": channel_id}
            statement = statement.where(
                ~_shown_here(**here, since=editable_since), ~_briefed_here(**here)
            )
        with self.session() as session:
            return [tuple(row) for row in session.execute(statement)]

    def live_shown(
        self, *, platform: str, channel_id: str, story_ids: Iterable[int]
    ) -> dict[int, list[datetime]]:
        """When the channel's live messages began to show each of these stories."""
        wanted = list(set(story_ids))
        if not wanted:
            return {}
        statement = (
            select(LiveItem.story_id, LiveItem.added_at)
            .join(LiveMessage, LiveMessage.id == LiveItem.message_id)
            .where(LiveItem.platform == platform, LiveItem.channel_id == channel_id)
            .where(LiveMessage.status.in_(SHOWING), LiveItem.story_id.in_(wanted))
        )
        shown: dict[int, list[datetime]] = {}
        with self.session() as session:
            for story_id, added_at in session.execute(statement):
                shown.setdefault(story_id, []).append(added_at)
        return shown

    def live_posts_since(self, *, platform: str, channel_id: str, since: datetime) -> int:
        """The channel's live story posts (not "more stories" lists) made since then."""
        statement = select(sa.func.count()).where(
            LiveMessage.platform == platform,
            LiveMessage.channel_id == channel_id,
            LiveMessage.kind == "story",
            LiveMessage.status.in_(SHOWING),
            LiveMessage.created_at >= since,
        )
        with self.session() as session:
            return session.execute(statement).scalar_one()

    def open_more_message(
        self, *, platform: str, channel_id: str, since: datetime, limit: int
    ) -> tuple[int, int] | None:
        """(id, stories listed) of the channel's "more stories" message begun since then,
        posted and with room for more; None when there is none."""
        listed = sa.func.count(LiveItem.story_id)
        statement = (
            select(LiveMessage.id, listed)
            .join(LiveItem, LiveItem.message_id == LiveMessage.id)
            .where(LiveMessage.platform == platform, LiveMessage.channel_id == channel_id)
            .where(LiveMessage.kind == "more", LiveMessage.status == "sent")
            .where(LiveMessage.created_at >= since)
            .group_by(LiveMessage.id)
            .having(listed < limit)
            .order_by(LiveMessage.created_at.desc())
            .limit(1)
        )
        with self.session() as session:
            row = session.execute(statement).first()
            return tuple(row) if row else None

    # The ledger.

    def record_live_message(
        self,
        *,
        platform: str,
        channel_id: str,
        subscription_id: int | None,
        kind: str,
        token: str,
        items: Sequence[LiveItemSpec],
        shown: Mapping[int, int],
        shown_hash: str | None,
        mention_role_id: str | None = None,
        created_at: datetime | None = None,
    ) -> LiveMessage:
        """A pending message with its stories (`shown`: story id -> articles it shows)."""
        with self.session() as session:
            message = LiveMessage(
                platform=platform,
                channel_id=channel_id,
                subscription_id=subscription_id,
                kind=kind,
                token=token,
                mention_role_id=mention_role_id,
                shown_hash=shown_hash,
                created_at=created_at or utcnow(),
            )
            session.add(message)
            session.flush()
            session.add_all(_items(message, items, shown))
            return message

    def add_live_items(self, message_id: int, items: Sequence[LiveItemSpec]) -> None:
        """More stories for a "more stories" message; they show nothing until its next edit."""
        with self.session() as session:
            message = session.get(LiveMessage, message_id)
            if message is None:
                raise NotFoundError(f"no live message with id {message_id}")
            session.add_all(_items(message, items, {}))

    def mark_live_sent(
        self, live_id: int, message_id: str, *, sent_at: datetime | None = None
    ) -> bool:
        """The pending message was posted as `message_id`; False if it was not pending."""
        return self._settle_live(
            live_id, "pending", status="sent", message_id=message_id, sent_at=sent_at or utcnow()
        )

    def fail_live(self, live_id: int, error: str) -> bool:
        """The pending message was not posted: its stories are free to go out again."""
        return self._settle_live(live_id, "pending", status="failed", last_error=error)

    def mark_live_gone(self, live_id: int, error: str) -> bool:
        """The message was deleted in the channel: its stories stay shown, never re-posted."""
        return self._settle_live(live_id, "sent", status="gone", last_error=error)

    def _settle_live(self, live_id: int, current: str, **values) -> bool:
        with self.session() as session:
            result = session.execute(
                sa.update(LiveMessage)
                .where(LiveMessage.id == live_id, LiveMessage.status == current)
                .values(**values)
            )
            return result.rowcount == 1

    def record_live_edit(
        self,
        live_id: int,
        *,
        shown: Mapping[int, int],
        shown_hash: str,
        changed: bool,
        at: datetime | None = None,
    ) -> None:
        """What the message shows now; `changed`: an edit was made (False: none was needed)."""
        values = {"shown_hash": shown_hash, "last_error": None}
        if changed:
            values |= {"edits": LiveMessage.edits + 1, "edited_at": at or utcnow()}
        items = (
            sa.update(LiveItem)
            .where(LiveItem.message_id == live_id, LiveItem.story_id == sa.bindparam("story"))
            .values(shown_articles=sa.bindparam("count"))
        )
        with self.session() as session:
            updated = session.execute(
                sa.update(LiveMessage).where(LiveMessage.id == live_id).values(**values)
            )
            if updated.rowcount != 1:
                raise NotFoundError(f"no live message with id {live_id}")
            if shown:
                session.connection().execute(
                    items, [{"story": story, "count": count} for story, count in shown.items()]
                )

    def note_live_error(self, live_id: int, error: str) -> None:
        self._update_row(LiveMessage, live_id, {"last_error": error})

    def pending_live_messages(self, *, platform: str) -> list[LiveMessage]:
        with self.session() as session:
            return list(
                session.exec(
                    select(LiveMessage)
                    .where(LiveMessage.platform == platform, LiveMessage.status == "pending")
                    .order_by(LiveMessage.id)
                )
            )

    def live_edits_due(self, *, platform: str, now: datetime, update_for: timedelta) -> list[int]:
        """Posted messages of active live subscriptions with a story still in its edit
        window whose articles are not what the message last showed."""
        item = sa.orm.aliased(LiveItem)
        articles = select(sa.func.count(Article.id)).where(_in_cover(item)).scalar_subquery()
        statement = (
            select(LiveMessage.id)
            .distinct()
            .join(item, item.message_id == LiveMessage.id)
            .join(Subscription, Subscription.id == LiveMessage.subscription_id)
            .where(LiveMessage.platform == platform, LiveMessage.status == "sent")
            .where(Subscription.mode == "live", Subscription.paused_reason.is_(None))
            .where(item.added_at > now - update_for)
            .where(articles != item.shown_articles)
            .order_by(LiveMessage.id)
        )
        with self.session() as session:
            return list(session.exec(statement))

    def live_message(self, live_id: int) -> tuple[LiveMessage, LiveMessageSpec]:
        """A message of the ledger and what it shows, as a view is built from."""
        found = self.live_messages([live_id])
        if not found:
            raise NotFoundError(f"no live message with id {live_id}")
        return found[0]

    def live_messages(self, live_ids: Sequence[int]) -> list[tuple[LiveMessage, LiveMessageSpec]]:
        """Messages of the ledger (in the order asked) with what each shows."""
        with self.session() as session:
            messages = session.exec(select(LiveMessage).where(LiveMessage.id.in_(live_ids)))
            by_id = {message.id: message for message in messages}
            rows = session.execute(
                select(LiveItem, Topic.name)
                .outerjoin(Subscription, Subscription.id == LiveItem.subscription_id)
                .outerjoin(Topic, Topic.id == Subscription.topic_id)
                .where(LiveItem.message_id.in_(live_ids))
                .order_by(LiveItem.added_at, LiveItem.polled_at, LiveItem.story_id)
            ).all()
        items: dict[int, list[tuple[LiveItem, str | None]]] = {}
        for item, topic in rows:
            items.setdefault(item.message_id, []).append((item, topic))
        return [
            (by_id[live_id], _spec(by_id[live_id], items.get(live_id, [])))
            for live_id in live_ids
            if live_id in by_id
        ]

    def live_records(self, *, platform: str, channel_id: str, story_id: int) -> list[LiveRecord]:
        """The story's live messages in the channel, oldest first (for `/why`)."""
        statement = (
            select(LiveMessage, LiveItem, Topic.name)
            .join(LiveItem, LiveItem.message_id == LiveMessage.id)
            .outerjoin(Subscription, Subscription.id == LiveItem.subscription_id)
            .outerjoin(Topic, Topic.id == Subscription.topic_id)
            .where(LiveMessage.platform == platform, LiveMessage.channel_id == channel_id)
            .where(LiveItem.story_id == story_id)
            .order_by(LiveItem.added_at, LiveMessage.id)
        )
        with self.session() as session:
            return [LiveRecord(*row) for row in session.execute(statement)]


def _spec(message: LiveMessage, rows: list[tuple[LiveItem, str | None]]) -> LiveMessageSpec:
    items = tuple(
        LiveItemSpec(
            row.story_id,
            row.added_at,
            row.polled_at,
            row.covers_from,
            row.reason,
            row.subscription_id,
        )
        for row, _ in rows
    )
    topics = tuple(dict.fromkeys(name for _, name in rows if name))
    return LiveMessageSpec(message.kind, topics, items, message.mention_role_id)


def _items(
    message: LiveMessage, items: Sequence[LiveItemSpec], shown: Mapping[int, int]
) -> list[LiveItem]:
    return [
        LiveItem(
            message_id=message.id,
            platform=message.platform,
            channel_id=message.channel_id,
            story_id=item.story_id,
            subscription_id=item.subscription_id,
            added_at=item.added_at,
            polled_at=item.polled_at,
            covers_from=item.covers_from,
            reason=item.reason,
            shown_articles=shown.get(item.story_id, 0),
        )
        for item in items
    ]
