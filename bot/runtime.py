"""One running bot: command core, delivery, and the scheduler, for one chat platform.

Both adapters (Discord, console) build a Runtime around their Transport; all
that differs between them is parsing, rendering and transport.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.core.capabilities import BriefingRequest, Capabilities
from bot.core.commands import ChatCore, CoreOptions
from bot.delivery import Deliverer, Outcome, Transport
from bot.live import LivePoster
from bot.scheduling import BriefingScheduler, InFlight, add_interval_job
from feeds.models import Subscription, Topic
from feeds.schedule import briefing_window
from feeds.store import Store
from feeds.timeutil import utcnow

log = logging.getLogger(__name__)

POLL_JOB = "poll-cycle"
# At start, briefings wait (at most this long) for the first poll cycle, so that a briefing
# missed while the bot was down carries the news of that time.
FIRST_POLL_WAIT = timedelta(minutes=5)


class Runtime:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        capabilities: Capabilities,
        transport: Transport,
        *,
        clock: Callable[[], datetime] = utcnow,
        sleep=asyncio.sleep,
    ):
        self.settings, self.store, self.capabilities = settings, store, capabilities
        self.platform = transport.platform
        self.core = ChatCore(store, CoreOptions.from_settings(settings), capabilities, clock)
        self.deliverer = Deliverer(store, transport, sleep=sleep, on_pause=self._paused)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.inflight = InFlight()
        self.briefings = BriefingScheduler(
            self.scheduler,
            store,
            platform=self.platform,
            run_slot=self.run_slot,
            grace=settings.schedule.grace_period,
            inflight=self.inflight,
            clock=clock,
        )
        self.core.on_subscription_change = self.briefings.subscription_changed
        self.live = (
            LivePoster(store, transport, capabilities.live, self.deliverer, clock=clock)
            if capabilities.live is not None
            else None
        )
        self.polled = asyncio.Event()  # set once the first poll cycle ended (or there is none)
        if capabilities.poll_cycle is None:
            self.polled.set()

    async def start(self) -> None:
        """Settle interrupted sends, re-arm the schedules, start the scheduler."""
        await self.deliverer.reconcile()
        if self.live is not None:
            await self.live.reconcile()
        self.scheduler.start()
        self.briefings.start()
        add_interval_job(
            self.scheduler,
            self.run_poll_cycle,
            every=self.settings.polling.check_every,
            name=POLL_JOB,
            inflight=self.inflight,
        )
        missing = self.capabilities.missing()
        if missing:
            log.info("not available in this build: %s", ", ".join(missing))

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop firing jobs; let running ones finish for `timeout` s, then cut them off.

        A send cut off mid-way leaves its ledger rows pending; the next start
        reconciles them against the channel, so nothing is posted twice.
        """
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        abandoned = await self.inflight.drain(timeout)
        if abandoned:
            log.warning("abandoned %d running job(s) at shutdown", abandoned)

    async def run_poll_cycle(self) -> None:
        """THE poll-cycle hook, run every [polling] check_every.

        Runs the ingest cycle (capabilities.poll_cycle: poll the due feeds, analyse,
        group, match), then posts and edits live stories, tells channels about feeds
        it disabled, and settles sends that could not be checked before (channel
        unreachable).
        """
        try:
            if self.capabilities.poll_cycle is not None:
                self._note_failed_steps(await self.capabilities.poll_cycle(self.store))
        finally:
            self.polled.set()
        if self.live is not None:
            try:
                await self.live.run()
            except Exception:  # logged; feed notices and settling still run
                log.exception("the live stories round failed")
        await self.deliverer.notify_disabled_feeds()
        await self.deliverer.reconcile()

    def _note_failed_steps(self, report) -> None:
        """Keep what /status shows: a failed step stays listed until it runs without failing
        (a cycle with nothing new skips the steps; that fixes nothing)."""
        failures = getattr(report, "failures", None) or {}
        ran = getattr(report, "counts", None) or {}
        known = {**self.core.failed_steps, **failures}
        self.core.failed_steps = {step: error for step, error in known.items() if step not in ran}

    async def run_slot(self, subscription: Subscription, topic: Topic, slot: datetime) -> Outcome:
        """Compose and deliver one daily briefing."""
        compose = self.capabilities.compose
        if compose is None:
            log.warning(
                "cannot post the daily briefing on %s: no compose in this build", topic.name
            )
            return Outcome()
        await self._first_poll()
        since, until = briefing_window(slot, subscription.last_slot_at)
        request = BriefingRequest(
            title=topic.name,
            query=topic.query,
            since=since,
            until=until,
            max_stories=self.settings.briefing.max_stories,
            quotes_per_story=self.settings.briefing.quotes_per_story,
            timezone=subscription.timezone,
            exclude_delivered_to=(self.platform, subscription.channel_id),
            scheduled=True,
        )
        briefing = await asyncio.to_thread(compose, self.store, request)
        if briefing.is_empty:
            log.info("nothing new on %s for %s", topic.name, subscription.channel_id)
            return Outcome()
        return await self.deliverer.deliver(
            subscription.channel_id, briefing, subscription_id=subscription.id
        )

    async def _first_poll(self) -> None:
        if self.polled.is_set():
            return
        try:
            await asyncio.wait_for(self.polled.wait(), FIRST_POLL_WAIT.total_seconds())
        except TimeoutError:
            log.warning("the first poll cycle is still running: briefing without waiting more")

    def _paused(self, subscription_ids: list[int]) -> None:
        for subscription_id in subscription_ids:
            self.briefings.disarm(subscription_id)
