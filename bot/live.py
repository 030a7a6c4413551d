"""Live subscriptions, for any chat platform: post each new story once, then edit that message.

After every poll cycle (bot/runtime.py) the poster settles the live messages a
crash left pending, asks the live desk (feeds.live.service, in a thread) what
each channel gets, posts the new stories, lists the rest in the channel's
"more stories" message, and makes the edits that are due.

The ledger (Store, feeds/store/_live.py) makes it exactly once: a message is
recorded as pending before the post and found again by its marker after a
crash; an edit is due until it is recorded as made, so an interrupted edit is
made after the restart (an edit is idempotent), and a message deleted in the
channel is marked gone: never edited, never posted again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.delivery import ChannelGone, Deliverer, MessageGone, SendFailed, Transport
from feeds.delivery import marker, new_batch
from feeds.live import LiveItemSpec, LiveMessageSpec, LiveView
from feeds.live.policy import CAP_WINDOW
from feeds.live.service import LiveChannel, LiveDesk, PlannedPost, live_channels
from feeds.models import LiveMessage
from feeds.store import Store
from feeds.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveOutcome:
    posted: int = 0  # story messages
    listed: int = 0  # stories put in a "more stories" message
    edited: int = 0  # messages edited
    held: int = 0  # stories held back by quiet hours

    def __add__(self, other: LiveOutcome) -> LiveOutcome:
        return LiveOutcome(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return dataclasses.astuple(self)


def fingerprint(payload: object) -> str:
    """A digest of what a message shows, to tell a needed edit from one that changes nothing."""
    data = dataclasses.asdict(payload) if dataclasses.is_dataclass(payload) else payload
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class ChannelPaused(Exception):
    """The channel refused us: its subscriptions were paused, stop working on it."""


class LivePoster:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        desk: LiveDesk,
        deliverer: Deliverer,
        *,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.store, self.transport, self.desk, self.deliverer = store, transport, desk, deliverer
        self.platform, self.clock = transport.platform, clock
        self._lock = asyncio.Lock()  # one round at a time
        self._sending: set[int] = set()  # live messages being posted now: not for reconcile

    @property
    def policy(self):
        return self.desk.policy

    async def run(self) -> LiveOutcome:
        """One round: settle, post and list for every live channel, then edit what is due."""
        async with self._lock:
            await self.reconcile()
            now = self.clock()
            views: dict = {}  # this round's: channels on one topic share them
            outcome = LiveOutcome()
            for channel in live_channels(self.store, platform=self.platform):
                try:
                    outcome += await self._channel(channel, now, views)
                except ChannelPaused:
                    continue
            outcome += await self._edit_due(now, views)
            if outcome.posted or outcome.listed or outcome.edited:
                log.info(
                    "live: %d posted, %d listed as more stories, %d edited, %d held by quiet hours",
                    *outcome.astuple(),
                )
            return outcome

    async def _channel(self, channel: LiveChannel, now: datetime, views: dict) -> LiveOutcome:
        plan = await asyncio.to_thread(self.desk.plan, self.store, channel, now, views)
        posted = 0
        for planned in plan.posts:
            if planned.view.stories:  # else its articles were deleted meanwhile
                posted += await self._post(channel.channel_id, planned, now)
        listed = await self._list_more(channel, plan.more, now, views) if plan.more else 0
        return LiveOutcome(posted=posted, listed=listed, held=plan.held)

    # Posting.

    async def _post(self, channel_id: str, planned: PlannedPost, now: datetime) -> int:
        """Post one new message (a story, or a list); 1 if it went out."""
        token = new_batch()
        payload = self.transport.render_live(planned.view, marker_text=marker(token, 1))
        row = self.store.record_live_message(
            platform=self.platform,
            channel_id=channel_id,
            subscription_id=planned.subscription_id,
            kind=planned.spec.kind,
            token=token,
            items=planned.spec.items,
            shown={story.story_id: story.article_count for story in planned.view.stories},
            shown_hash=fingerprint(payload),
            mention_role_id=planned.spec.mention_role_id,
            created_at=now,
        )
        self._sending.add(row.id)
        try:
            message_id = await self.deliverer.retrying(
                channel_id, lambda: self.transport.send(channel_id, payload)
            )
        except ChannelGone as error:
            self.store.fail_live(row.id, f"channel unavailable: {error}")
            self.deliverer.pause(channel_id, error)
            raise ChannelPaused from error
        except SendFailed as error:  # its stories are free again: the next round retries
            self.store.fail_live(row.id, str(error))
            log.warning("live post to %s failed for now: %s", channel_id, error)
            return 0
        finally:
            self._sending.discard(row.id)
        self.store.mark_live_sent(row.id, message_id)
        return 1

    async def _list_more(
        self, channel: LiveChannel, items: tuple[LiveItemSpec, ...], now: datetime, views: dict
    ) -> int:
        """Add the stories to the channel's "more stories" message of the hour (edited in
        the same round), or start one."""
        limit = self.policy.more_limit
        where = {"platform": self.platform, "channel_id": channel.channel_id}
        found = self.store.open_more_message(**where, since=now - CAP_WINDOW, limit=limit)
        rest, listed = list(items), 0
        if found is not None:
            message_id, already = found
            self.store.add_live_items(message_id, rest[: limit - already])
            listed, rest = len(rest[: limit - already]), rest[limit - already :]
        topics = {subscription.id: topic.name for subscription, topic in channel.subscriptions}
        while rest:
            chunk, rest = tuple(rest[:limit]), rest[limit:]
            names = tuple(dict.fromkeys(topics[item.subscription_id] for item in chunk))
            spec = LiveMessageSpec("more", names, chunk)
            view = await asyncio.to_thread(self.desk.view, self.store, spec, views)
            planned = PlannedPost(chunk[0].subscription_id, spec, view)
            if not await self._post(channel.channel_id, planned, now):
                break  # failed for now: the next round lists them again
            listed += len(chunk)
        return listed

    # Editing.

    async def _edit_due(self, now: datetime, views: dict) -> LiveOutcome:
        due = self.store.live_edits_due(
            platform=self.platform, now=now, update_for=self.policy.update_for
        )
        refused: set[str] = set()
        edited = 0
        for message, spec in self.store.live_messages(due) if due else ():
            if message.channel_id not in refused:
                try:
                    edited += await self._edit(message, spec, views)
                except ChannelPaused:
                    refused.add(message.channel_id)
        return LiveOutcome(edited=edited)

    async def _edit(self, message: LiveMessage, spec: LiveMessageSpec, views: dict) -> int:
        view: LiveView = self.desk.cached(spec, views) or await asyncio.to_thread(
            self.desk.view, self.store, spec, views
        )
        payload = self.transport.render_live(view, marker_text=marker(message.token, 1))
        digest = fingerprint(payload)
        shown = {item.story_id: 0 for item in spec.items}
        shown |= {story.story_id: story.article_count for story in view.stories}
        if digest == message.shown_hash:  # e.g. the same outlet again: nothing to change
            self.store.record_live_edit(message.id, shown=shown, shown_hash=digest, changed=False)
            return 0
        channel_id = message.channel_id
        try:
            await self.deliverer.retrying(
                channel_id, lambda: self.transport.edit(channel_id, message.message_id, payload)
            )
        except MessageGone as error:
            self.store.mark_live_gone(message.id, str(error))
            log.info("live message %s in %s was deleted: not edited again", message.id, channel_id)
            return 0
        except ChannelGone as error:
            self.store.note_live_error(message.id, f"channel unavailable: {error}")
            self.deliverer.pause(channel_id, error)
            raise ChannelPaused from error
        except SendFailed as error:  # still due: the next round tries again
            self.store.note_live_error(message.id, str(error))
            log.warning("live edit in %s failed for now: %s", channel_id, error)
            return 0
        self.store.record_live_edit(
            message.id, shown=shown, shown_hash=digest, changed=True, at=self.clock()
        )
        return 1

    # After a crash.

    async def reconcile(self) -> int:
        """Settle the live posts a crash interrupted: found in the channel by their marker,
        they were posted; not found, they were not (their stories go out again while still
        news). Returns how many were looked at."""
        pending = [
            row
            for row in self.store.pending_live_messages(platform=self.platform)
            if row.id not in self._sending
        ]
        for row in pending:
            wanted = marker(row.token, 1)
            try:
                found = await self.deliverer.find_markers(row.channel_id, {wanted})
            except ChannelGone as error:
                self.store.fail_live(row.id, f"channel unavailable: {error}")
                self.deliverer.pause(row.channel_id, error)
                continue
            except SendFailed as error:
                log.warning("cannot check %s now (%s); will retry", row.channel_id, error)
                continue
            if wanted in found:
                self.store.mark_live_sent(row.id, found[wanted])
            else:
                self.store.fail_live(row.id, "interrupted before it was posted")
            log.info(
                "reconciled live message %s in %s: %s",
                row.id,
                row.channel_id,
                "found" if wanted in found else "not posted, free to go out again",
            )
        return len(pending)
