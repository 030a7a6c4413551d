"""Daily briefings on the real APScheduler, with the time given by the test's clock."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.core.capabilities import Capabilities
from bot.delivery import SendFailed
from bot.runtime import Runtime
from feeds.briefs.service import compose_request
from feeds.timeutil import utcnow
from tests.support.newsroom import add_feed, add_story
from tests.support.transport import MemoryTransport
from tests.support.waiting import eventually

CHANNEL = "666666666666666666"


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


async def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
async def make_runtime(store):
    made = []

    async def make(
        clock: Clock, compose=compose_request, poll_cycle=None
    ) -> tuple[Runtime, MemoryTransport]:
        transport = MemoryTransport()
        runtime = Runtime(
            Settings.model_validate({"schedule": {"grace_period": "6h"}}),
            store,
            Capabilities(compose=compose, poll_cycle=poll_cycle),
            transport,
            clock=clock,
            sleep=no_sleep,
        )
        made.append(runtime)
        return runtime, transport

    yield make
    for runtime in made:
        await runtime.stop(timeout=1)


def subscribe(
    store, *, time_of_day="08:00", zone="Europe/Madrid", created_at=None, last_slot_at=None
):
    topic = store.add_topic(f"Topic {time_of_day} {zone}", "cartel")
    subscription = store.subscribe(
        platform="discord",
        channel_id=CHANNEL,
        topic_id=topic.id,
        time_of_day=time_of_day,
        timezone=zone,
    )
    changes = {"created_at": created_at or datetime(2026, 1, 1, tzinfo=UTC)}
    if last_slot_at:
        changes["last_slot_at"] = last_slot_at
    return store.update_subscription(subscription.id, **changes)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # the day Madrid springs forward: 08:00 CEST is 06:00 UTC
        (datetime(2026, 3, 28, 7, 30, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        # the day it falls back: 08:00 CET is 07:00 UTC
        (datetime(2026, 10, 24, 6, 30, tzinfo=UTC), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
async def test_jobs_are_armed_at_the_local_time_across_dst(store, make_runtime, now, expected):
    subscription = subscribe(store, last_slot_at=now)
    runtime, _ = await make_runtime(Clock(now))
    await runtime.start()
    assert runtime.briefings.armed_slot(subscription.id) == expected
    job = runtime.scheduler.get_job(f"briefing:{subscription.id}")
    real_wait = (job.next_run_time - datetime.now(UTC)).total_seconds()
    assert real_wait == pytest.approx((expected - now).total_seconds(), abs=5)


async def test_a_fired_slot_posts_once_and_arms_the_next_day(store, make_runtime):
    clock = Clock(datetime(2026, 5, 4, 5, 59, tzinfo=UTC))
    feed = add_feed(store)
    story_id = add_story(
        store, feed, "Cartel leader extradited", seen_at=clock.now - timedelta(hours=2)
    )
    subscription = subscribe(store, last_slot_at=datetime(2026, 5, 3, 6, 0, tzinfo=UTC))
    runtime, transport = await make_runtime(clock)
    await runtime.start()
    slot = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    assert runtime.briefings.armed_slot(subscription.id) == slot
    clock.now = slot
    runtime.briefings.run_now(subscription.id)  # the test's "the time has come"
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at == slot)
    assert transport.stories_posted() == [story_id]
    assert runtime.briefings.armed_slot(subscription.id) == slot + timedelta(days=1)
    # firing the next day with nothing new posts nothing
    clock.now = slot + timedelta(days=1)
    runtime.briefings.run_now(subscription.id)
    await eventually(
        lambda: runtime.briefings.armed_slot(subscription.id) == slot + timedelta(days=2)
    )
    assert transport.stories_posted() == [story_id]


async def test_a_slot_missed_while_down_is_posted_once_on_start(store, make_runtime):
    slot = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    clock = Clock(slot + timedelta(hours=3))
    feed = add_feed(store)
    story_id = add_story(store, feed, "Missed cartel story", seen_at=slot - timedelta(hours=1))
    subscription = subscribe(store, last_slot_at=slot - timedelta(days=1))
    runtime, transport = await make_runtime(clock)
    await runtime.start()
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at == slot)
    assert transport.stories_posted() == [story_id]
    assert runtime.briefings.armed_slot(subscription.id) == slot + timedelta(days=1)
    await runtime.stop(timeout=1)
    # a second start the same morning: already handled, nothing more
    again, transport_again = await make_runtime(clock)
    await again.start()
    assert again.briefings.armed_slot(subscription.id) == slot + timedelta(days=1)
    await asyncio.sleep(0.05)
    assert transport_again.posted == []


async def test_a_missed_briefing_waits_for_the_first_poll_cycle(store, make_runtime):
    slot = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    clock = Clock(slot + timedelta(hours=3))
    feed = add_feed(store)
    subscription = subscribe(store, last_slot_at=slot - timedelta(days=1))
    release, polled = asyncio.Event(), []

    async def poll_cycle(store) -> None:  # the news of the downtime arrives with the poll
        await release.wait()
        polled.append(add_story(store, feed, "Cartel news", seen_at=slot - timedelta(hours=1)))

    runtime, transport = await make_runtime(clock, poll_cycle=poll_cycle)
    await runtime.start()
    await asyncio.sleep(0.2)
    assert transport.posted == [] and store.get_subscription(subscription.id)[0].last_slot_at < slot
    release.set()
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at == slot)
    assert transport.stories_posted() == polled


async def test_a_slot_missed_beyond_the_grace_period_is_skipped_with_a_log_line(
    store, make_runtime, caplog
):
    slot = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    clock = Clock(slot + timedelta(hours=7))
    feed = add_feed(store)
    add_story(store, feed, "Too late cartel story", seen_at=slot - timedelta(hours=1))
    subscription = subscribe(store, last_slot_at=slot - timedelta(days=1))
    runtime, transport = await make_runtime(clock)
    with caplog.at_level(logging.WARNING, logger="bot.scheduling"):
        await runtime.start()
    assert "skipping the briefing of subscription" in caplog.text
    assert "more than the grace period of 6:00:00" in caplog.text
    assert store.get_subscription(subscription.id)[0].last_slot_at == slot
    assert runtime.briefings.armed_slot(subscription.id) == slot + timedelta(days=1)
    await asyncio.sleep(0.05)
    assert transport.posted == []


async def test_changes_rearm_or_drop_the_job(store, make_runtime):
    clock = Clock(datetime(2026, 5, 4, 5, 0, tzinfo=UTC))
    subscription = subscribe(store, last_slot_at=datetime(2026, 5, 3, 6, 0, tzinfo=UTC))
    runtime, _ = await make_runtime(clock)
    await runtime.start()
    store.subscribe(
        platform="discord",
        channel_id=CHANNEL,
        topic_id=subscription.topic_id,
        time_of_day="07:15",
        timezone="Europe/Madrid",
    )
    runtime.briefings.subscription_changed(subscription.id)
    assert runtime.briefings.armed_slot(subscription.id) == datetime(2026, 5, 4, 5, 15, tzinfo=UTC)
    store.pause_channel(platform="discord", channel_id=CHANNEL, reason="gone")
    runtime.briefings.subscription_changed(subscription.id)
    assert runtime.briefings.armed_slot(subscription.id) is None


async def test_shutdown_cuts_off_a_slow_send_and_leaves_it_pending(store, make_runtime):
    clock = Clock(datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    feed = add_feed(store)
    story_id = add_story(store, feed, "Slow cartel story", seen_at=clock.now - timedelta(hours=1))
    subscription = subscribe(store, last_slot_at=datetime(2026, 5, 3, 6, 0, tzinfo=UTC))
    runtime, transport = await make_runtime(clock)
    entered = asyncio.Event()

    async def stuck_send(channel_id, payload):
        entered.set()
        await asyncio.Event().wait()

    transport.send = stuck_send
    await runtime.start()
    runtime.briefings.run_now(subscription.id)
    await asyncio.wait_for(entered.wait(), 10)
    await runtime.stop(timeout=0.1)
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=story_id)
    assert row.status == "pending"  # settled by reconcile on the next start
    assert store.get_subscription(subscription.id)[0].last_slot_at != clock.now


async def test_a_failed_slot_is_tried_again_within_the_grace_period(store, make_runtime):
    slot = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    clock = Clock(slot - timedelta(minutes=1))
    feed = add_feed(store)
    story_id = add_story(store, feed, "Retried cartel story", seen_at=slot - timedelta(hours=1))
    subscription = subscribe(store, last_slot_at=slot - timedelta(days=1))
    runtime, transport = await make_runtime(clock)
    transport.failures = [SendFailed("503 Service Unavailable")] * 4  # every attempt of one send
    await runtime.start()
    clock.now = slot
    runtime.briefings.run_now(subscription.id)
    retry_at = utcnow() + timedelta(minutes=5)
    await eventually(lambda: not transport.failures)
    await eventually(lambda: runtime.scheduler.get_job(f"briefing:{subscription.id}").args[2] == 2)
    job = runtime.scheduler.get_job(f"briefing:{subscription.id}")
    assert job.args[1] == slot  # the same slot, again
    assert job.next_run_time == pytest.approx(retry_at, abs=timedelta(seconds=5))
    assert store.get_subscription(subscription.id)[0].last_slot_at < slot
    clock.now = slot + timedelta(minutes=5)
    runtime.briefings.run_now(subscription.id)
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at == slot)
    assert transport.stories_posted() == [story_id]
    assert runtime.briefings.armed_slot(subscription.id) == slot + timedelta(days=1)
