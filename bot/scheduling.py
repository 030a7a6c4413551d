"""Daily briefings on APScheduler: one date job per subscription, re-armed after each slot.

The schedule lives in the database (Subscription.time_of_day, timezone,
last_slot_at); the in-memory job store is rebuilt from it at start. The slot
arithmetic is feeds.schedule; this module only arms jobs and runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from feeds.errors import NotFoundError
from feeds.models import Subscription, Topic
from feeds.schedule import missed_slot, next_slot
from feeds.store import Store
from feeds.timeutil import utcnow

log = logging.getLogger(__name__)

# A failed slot (e.g. Discord unreachable) is tried again after 5, 10, 15… minutes,
# as long as that is within the grace period.
SLOT_RETRY = timedelta(minutes=5)
# run_slot(subscription, topic, slot): compose and deliver one daily briefing; an
# outcome with an `error` means "try again later".
SlotRunner = Callable[[Subscription, Topic, datetime], Awaitable[object]]


def job_id(subscription_id: int) -> str:
    return f"briefing:{subscription_id}"


class InFlight:
    """The jobs running now, so that shutdown can let them finish (or cut them off)."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()

    async def run(self, coroutine: Awaitable[object]) -> object:
        task = asyncio.current_task()
        self.tasks.add(task)
        try:
            return await coroutine
        except asyncio.CancelledError:
            # Cut off by shutdown (drain); the ledger keeps what it needs to settle it.
            log.info("a running job was cut off by shutdown")
            return None
        finally:
            self.tasks.discard(task)

    async def drain(self, timeout: float) -> int:
        """Wait up to `timeout` s for running jobs, then cancel the rest; returns how many."""
        pending = {t for t in self.tasks if not t.done()}
        if not pending:
            return 0
        _done, still = await asyncio.wait(pending, timeout=timeout)
        for task in still:
            task.cancel()
        if still:
            await asyncio.wait(still, timeout=5)
        return len(still)


class BriefingScheduler:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        store: Store,
        *,
        platform: str,
        run_slot: SlotRunner,
        grace: timedelta,
        inflight: InFlight,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.scheduler, self.store, self.platform = scheduler, store, platform
        self.run_slot, self.grace, self.inflight, self.clock = run_slot, grace, inflight, clock

    def start(self) -> None:
        """Re-arm every active subscription; a missed slot within grace runs at once, once."""
        now = self.clock()
        for subscription, _topic in self.store.active_subscriptions(platform=self.platform):
            missed = missed_slot(
                now=now,
                time_of_day=subscription.time_of_day,
                zone_name=subscription.timezone,
                last_slot_at=subscription.last_slot_at,
                created_at=subscription.created_at,
                grace=self.grace,
            )
            if missed is not None and missed.post:
                log.info(
                    "posting the briefing of subscription %d missed %s ago",
                    subscription.id,
                    missed.late_by,
                )
                self._arm_at(subscription.id, missed.slot, run_at=now)
                continue
            if missed is not None:
                log.warning(
                    "skipping the briefing of subscription %d (%s): missed by %s, more than "
                    "the grace period of %s",
                    subscription.id,
                    missed.slot.isoformat(),
                    missed.late_by,
                    self.grace,
                )
                self.store.mark_slot_handled(subscription.id, missed.slot)
            self.arm(subscription)

    def arm(self, subscription: Subscription, *, after: datetime | None = None) -> datetime:
        """Schedule the subscription's next slot (after `after`, default now); returns it."""
        slot = next_slot(after or self.clock(), subscription.time_of_day, subscription.timezone)
        self._arm_at(subscription.id, slot, run_at=slot)
        return slot

    def _arm_at(
        self, subscription_id: int, slot: datetime, *, run_at: datetime, attempt: int = 1
    ) -> None:
        # APScheduler waits in real time; `clock` may be a test's. Map one onto the other
        # (the identity in production, where clock is utcnow).
        real_run_at = utcnow() + (run_at - self.clock())
        self.scheduler.add_job(
            self._fire,
            trigger=DateTrigger(run_date=real_run_at),
            args=(subscription_id, slot, attempt),
            id=job_id(subscription_id),
            name=f"daily briefing {subscription_id}",
            replace_existing=True,
            misfire_grace_time=None,  # late is judged in _fire, against the grace period
            coalesce=True,
        )

    def subscription_changed(self, subscription_id: int) -> None:
        """Re-read one subscription: arm it, re-arm it at its new time, or drop its job."""
        try:
            subscription, _ = self.store.get_subscription(subscription_id)
        except NotFoundError:
            subscription = None
        if subscription is None or subscription.paused_reason or subscription.mode != "daily":
            self.disarm(subscription_id)
            return
        self.arm(subscription)

    def disarm(self, subscription_id: int) -> None:
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id(subscription_id))

    def armed_slot(self, subscription_id: int) -> datetime | None:
        """The slot a subscription's job will post, if armed."""
        job = self.scheduler.get_job(job_id(subscription_id))
        return job.args[1] if job else None

    def run_now(self, subscription_id: int) -> None:
        """Make the armed job fire at once (tests and operators: "post today's now")."""
        self.scheduler.modify_job(job_id(subscription_id), next_run_time=utcnow())

    async def _fire(self, subscription_id: int, slot: datetime, attempt: int = 1) -> None:
        await self.inflight.run(self._run(subscription_id, slot, attempt))

    async def _run(self, subscription_id: int, slot: datetime, attempt: int) -> None:
        try:
            subscription, topic = self.store.get_subscription(subscription_id)
        except NotFoundError:
            return
        if subscription.paused_reason:
            return
        late_by = self.clock() - slot
        if subscription.last_slot_at and subscription.last_slot_at >= slot:
            log.info("slot %s of subscription %d was already handled", slot, subscription_id)
        elif late_by > self.grace:
            log.warning(
                "skipping the briefing of subscription %d: %s late (grace %s)",
                subscription_id,
                late_by,
                self.grace,
            )
            self.store.mark_slot_handled(subscription_id, slot)
        elif await self._post(subscription, topic, slot) or not self._retry(
            subscription_id, slot, attempt
        ):
            self.store.mark_slot_handled(subscription_id, slot)
        else:
            return  # the retry job replaced this one
        current, _ = self.store.get_subscription(subscription_id)
        if not current.paused_reason:
            self.arm(current, after=max(slot, self.clock()))

    async def _post(self, subscription: Subscription, topic: Topic, slot: datetime) -> bool:
        """Run the slot; False when it failed in a way worth trying again."""
        try:
            outcome = await self.run_slot(subscription, topic, slot)
        except asyncio.CancelledError:
            raise  # shutdown: the slot is re-run (within grace) on the next start
        except Exception:
            log.exception("daily briefing of subscription %d failed", subscription.id)
            return False
        return not getattr(outcome, "error", None)

    def _retry(self, subscription_id: int, slot: datetime, attempt: int) -> bool:
        """Try the same slot again later while still within the grace period."""
        run_at = self.clock() + SLOT_RETRY * attempt
        if run_at - slot > self.grace:
            log.warning("giving up the briefing of subscription %d for %s", subscription_id, slot)
            return False
        log.info("will try the briefing of subscription %d again at %s", subscription_id, run_at)
        self._arm_at(subscription_id, slot, run_at=run_at, attempt=attempt + 1)
        return True


def add_interval_job(
    scheduler: AsyncIOScheduler,
    job: Callable[[], Awaitable[object]],
    *,
    every: timedelta,
    name: str,
    inflight: InFlight,
    first_run: datetime | None = None,
) -> None:
    """A repeating job (the poll cycle) that never overlaps itself."""

    async def tracked() -> None:
        try:
            await inflight.run(job())
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed", name)

    scheduler.add_job(
        tracked,
        trigger=IntervalTrigger(seconds=max(every.total_seconds(), 1)),
        id=name,
        name=name,
        next_run_time=first_run or utcnow(),
        max_instances=1,
        coalesce=True,
        replace_existing=True,
    )
