"""Exactly-once posting of briefings and notices, for any chat platform.

The ledger (Store) records the intent before a send and the message id after;
every message carries a marker (feeds.delivery) so that, on start, pending
rows are settled by looking at what the channel really shows. A channel that
refuses us (403/404) pauses its subscriptions; other failures are retried
with backoff and then left for the next briefing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from feeds.briefs import Briefing
from feeds.delivery import (
    Part,
    marker,
    markers_in,
    new_batch,
    notice_marker,
    placements,
    retry_delays,
    undelivered,
)
from feeds.errors import AlreadyExistsError, NewsbriefError
from feeds.live import LiveView
from feeds.models import Feed, Notice
from feeds.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

SEND_ATTEMPTS = 4
# A disabled feed concerns the channels it fed stories to, or whose topics matched its
# articles, in this period before.
RELIANCE_WINDOW = timedelta(days=30)

DISABLE_REASONS = {
    "http_404": "its address answers 404 Not Found",
    "http_410": "its address answers 410 Gone",
    "http_401": "it asks for a login",
    "http_403": "its server refuses us (403 Forbidden)",
    "too_large": "it is larger than newsbrief accepts",
    "not_a_feed": "its address no longer serves a feed",
    "ssrf_blocked": "its address points to a private network",
    "timeout": "it keeps timing out",
    "dns": "its host name no longer resolves",
}


class ChannelGone(NewsbriefError):
    """The platform refuses this channel for good (deleted, or no permission)."""


class MessageGone(NewsbriefError):
    """The message to edit no longer exists (deleted in the channel)."""


class SendFailed(NewsbriefError):
    """A send failed; `retry` says whether trying again may help (network, 5xx, 429)."""

    def __init__(self, message: str, *, retry: bool = True):
        super().__init__(message)
        self.retry = retry


class Transport(Protocol):
    """What a chat platform provides to deliver into a channel."""

    platform: str

    def render_briefing(self, briefing: Briefing, *, batch: str) -> list[Part]: ...

    def render_notice(self, title: str, text: str, *, marker_text: str) -> object: ...

    def render_live(self, view: LiveView, *, marker_text: str) -> object:
        """A live message; the same view always renders to the same payload."""

    async def send(self, channel_id: str, payload: object) -> str:
        """Post one message; its id. ChannelGone or SendFailed on failure."""

    async def edit(self, channel_id: str, message_id: str, payload: object) -> None:
        """Change a posted message. MessageGone (deleted), ChannelGone or SendFailed."""

    async def recent_texts(self, channel_id: str) -> list[tuple[str, str]] | None:
        """(message id, all its text) of our own recent messages, or None if it cannot look."""


@dataclass(frozen=True)
class Outcome:
    stories: int = 0  # stories posted
    messages: int = 0
    paused: str | None = None  # why the channel was paused
    error: str | None = None  # why the rest was given up for now


class Deliverer:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        attempts: int = SEND_ATTEMPTS,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        on_pause: Callable[[list[int]], None] | None = None,
    ):
        self.store, self.transport = store, transport
        self.platform = transport.platform
        self.attempts, self.sleep, self.on_pause = attempts, sleep, on_pause
        self._notices = asyncio.Lock()
        self._sending: set[str] = set()  # batches being sent now: not for reconcile

    async def deliver(
        self, channel_id: str, briefing: Briefing, *, subscription_id: int | None = None
    ) -> Outcome:
        """Post the stories of a briefing this channel does not have yet, each exactly once."""
        held = self.store.delivered_story_ids(
            platform=self.platform,
            channel_id=channel_id,
            story_ids=[s.story_id for s in briefing.stories],
        )
        briefing = undelivered(briefing, held)
        if briefing.is_empty:
            return Outcome()
        batch = new_batch()
        parts = self.transport.render_briefing(briefing, batch=batch)
        try:
            self.store.record_intent(
                platform=self.platform,
                channel_id=channel_id,
                batch=batch,
                placements=placements(parts),
                subscription_id=subscription_id,
            )
        except AlreadyExistsError as error:  # another send claimed a story meanwhile
            log.warning("not posting to %s: %s", channel_id, error)
            return Outcome(error=str(error))
        self._sending.add(batch)
        try:
            return await self._send_parts(channel_id, batch, parts)
        finally:
            self._sending.discard(batch)

    async def _send_parts(self, channel_id: str, batch: str, parts: list[Part]) -> Outcome:
        outcome = Outcome()
        for part in parts:
            try:
                message_id = await self._send(channel_id, part.payload)
            except ChannelGone as error:
                self.store.fail_pending(batch, f"channel unavailable: {error}")
                return Outcome(
                    outcome.stories, outcome.messages, paused=self.pause(channel_id, error)
                )
            except SendFailed as error:
                self.store.fail_pending(batch, str(error))
                log.warning("gave up posting to %s for now: %s", channel_id, error)
                return Outcome(outcome.stories, outcome.messages, error=str(error))
            self.store.mark_part_sent(batch, part.number, message_id)
            outcome = Outcome(outcome.stories + len(part.story_ids), outcome.messages + 1)
        log.info(
            "posted %d stories in %d messages to %s", outcome.stories, outcome.messages, channel_id
        )
        return outcome

    async def _send(self, channel_id: str, payload: object) -> str:
        return await self.retrying(channel_id, lambda: self.transport.send(channel_id, payload))

    async def retrying(self, channel_id: str, action: Callable[[], Awaitable[T]]) -> T:
        """Run a send or an edit, trying again with backoff while SendFailed says it may help."""
        delays = retry_delays(self.attempts)
        for attempt in range(self.attempts):
            try:
                return await action()
            except SendFailed as error:
                if attempt == len(delays) or not error.retry:
                    raise
                log.info(
                    "send to %s failed (%s); retry in %.0fs", channel_id, error, delays[attempt]
                )
                await self.sleep(delays[attempt])
        raise AssertionError("unreachable")

    def pause(self, channel_id: str, error: Exception) -> str:
        reason = f"cannot post here: {error}"
        paused = self.store.pause_channel(
            platform=self.platform, channel_id=channel_id, reason=reason
        )
        log.warning("paused %d subscription(s) of %s: %s", len(paused), channel_id, reason)
        if self.on_pause is not None and paused:
            self.on_pause(paused)
        return reason

    # After a crash.

    async def reconcile(self) -> int:
        """Settle the sends a crash interrupted; returns how many batches were looked at.

        A message found in the channel with its marker was posted: its rows
        become "sent". The others were not: their rows fail, so that the
        stories go out with the next briefing (a missed slot is re-run on
        start, see BriefingScheduler). Safe to run at any time: batches this
        process is sending are left alone.
        """
        batches = [
            pending
            for pending in self.store.pending_batches(platform=self.platform)
            if pending.batch not in self._sending
        ]
        for pending in batches:
            wanted = {marker(pending.batch, part): part for part in pending.parts}
            try:
                found = await self.find_markers(pending.channel_id, set(wanted))
            except ChannelGone as error:
                self.store.fail_pending(pending.batch, f"channel unavailable: {error}")
                self.pause(pending.channel_id, error)
                continue
            except SendFailed as error:
                log.warning("cannot check %s now (%s); will retry", pending.channel_id, error)
                continue
            for text, message_id in found.items():
                self.store.mark_part_sent(pending.batch, wanted[text], message_id)
            missing = [part for text, part in wanted.items() if text not in found]
            if missing:
                self.store.fail_pending(
                    pending.batch, "interrupted before it was posted", parts=missing
                )
            log.info(
                "reconciled batch %s in %s: %d message(s) found, %d to send again",
                pending.batch,
                pending.channel_id,
                len(found),
                len(missing),
            )
        await self._retry_pending_notices()
        return len(batches)

    async def find_markers(self, channel_id: str, wanted: set[str]) -> dict[str, str]:
        """{marker: message id} of the wanted markers found in the channel's recent messages."""
        recent = await self.transport.recent_texts(channel_id)
        found: dict[str, str] = {}
        for message_id, text in recent or ():
            for seen in markers_in(text) & wanted:
                found.setdefault(seen, message_id)
        return found

    # Feed health notices.

    async def notify_disabled_feeds(self) -> int:
        """Tell each channel once about each disabled feed it relied on; returns notices sent."""
        async with self._notices:
            sent = 0
            for feed in self.store.disabled_feeds():
                if feed.disabled_at is None:
                    continue
                channels = self.store.channels_fed_by(
                    feed.id, platform=self.platform, since=feed.disabled_at - RELIANCE_WINDOW
                )
                for channel_id in channels:
                    notice = self.store.claim_notice(
                        platform=self.platform,
                        channel_id=channel_id,
                        feed_id=feed.id,
                        event_at=feed.disabled_at,
                        reason=feed.disabled_reason,
                    )
                    if notice is not None:
                        sent += await self._send_notice(notice, feed)
            return sent

    async def _retry_pending_notices(self) -> None:
        async with self._notices:
            for notice in self.store.pending_notices(platform=self.platform):
                try:
                    found = await self.find_markers(notice.channel_id, {notice_marker(notice.id)})
                except (ChannelGone, SendFailed):
                    found = {}
                if found:
                    self.store.settle_notice(notice.id, message_id=next(iter(found.values())))
                else:
                    await self._send_notice(notice, self.store.get_feed(notice.feed_id))

    async def _send_notice(self, notice: Notice, feed: Feed) -> int:
        title, text = feed_disabled_notice(feed, notice.reason)
        payload = self.transport.render_notice(title, text, marker_text=notice_marker(notice.id))
        try:
            message_id = await self._send(notice.channel_id, payload)
        except ChannelGone as error:
            self.store.settle_notice(notice.id, error=str(error), give_up=True)
            self.pause(notice.channel_id, error)
            return 0
        except SendFailed as error:  # stays pending: retried on the next start
            self.store.settle_notice(notice.id, error=str(error))
            return 0
        self.store.settle_notice(notice.id, message_id=message_id)
        log.info(
            "told %s that feed %s is disabled (%s)", notice.channel_id, feed.url, notice.reason
        )
        return 1


def feed_disabled_notice(feed: Feed, reason: str | None) -> tuple[str, str]:
    """The (title, text) of the notice about a disabled feed."""
    name = feed.label
    why = DISABLE_REASONS.get(reason or "", f"it kept failing ({reason or 'unknown reason'})")
    when = f" on {feed.disabled_at:%d %b %Y}" if feed.disabled_at else ""
    return (
        f"Feed disabled: {name}",
        f"newsbrief stopped polling {name} ({feed.url}){when} because {why}.\n"
        "Stories from it will be missing from the briefings here until it is fixed or "
        f"replaced; once it works again, /feed add {feed.url} turns it back on.",
    )
