"""Exactly-once delivery through the ledger, with a transport that can fail on cue."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.delivery import ChannelGone, Deliverer, SendFailed
from feeds.delivery import markers_in, notice_marker
from feeds.store import Store
from feeds.timeutil import utcnow
from tests.support.briefings import briefing, story
from tests.support.newsroom import add_feed, add_story
from tests.support.transport import MemoryTransport

CHANNEL = "555555555555555555"


@pytest.fixture
def stories(store: Store):
    feed = add_feed(store)
    return [add_story(store, feed, f"Story {n}") for n in range(1, 31)]


@pytest.fixture
def subscription(store: Store):
    topic = store.add_topic("Mexico security", "cartel")
    return store.subscribe(platform="discord", channel_id=CHANNEL, topic_id=topic.id)


def big_briefing(story_ids):
    """About three stories per Discord message."""
    said = (("q " * 200, "A Speaker"), ("r " * 200, "B Speaker"))
    return briefing(
        *(
            story(sid, f"Story {sid} " + "w " * 50, summary="s " * 600, quotes=said)
            for sid in story_ids
        )
    )


class Sleeps(list):
    async def __call__(self, seconds):
        self.append(seconds)


async def test_each_story_goes_out_once(store, stories, subscription):
    transport = MemoryTransport()
    deliverer = Deliverer(store, transport, sleep=Sleeps())
    first = await deliverer.deliver(
        CHANNEL, big_briefing(stories[:6]), subscription_id=subscription.id
    )
    assert (first.stories, first.paused, first.error) == (6, None, None)
    assert first.messages == len(transport.posted) >= 2
    again = await deliverer.deliver(
        CHANNEL, big_briefing(stories[:8]), subscription_id=subscription.id
    )
    assert again.stories == 2  # only the two new ones
    assert sorted(transport.stories_posted()) == stories[:8]
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=stories[0])
    assert row.status == "sent" and row.message_id == transport.posted[0][1]


async def test_a_failed_send_is_retried_with_backoff(store, stories, subscription):
    transport = MemoryTransport()
    transport.failures = [SendFailed("503"), SendFailed("timeout")]
    sleeps = Sleeps()
    outcome = await Deliverer(store, transport, sleep=sleeps).deliver(
        CHANNEL, big_briefing(stories[:1])
    )
    assert outcome.stories == 1 and sleeps == [2.0, 4.0]


async def test_giving_up_leaves_the_stories_for_next_time(store, stories, subscription):
    transport = MemoryTransport()
    transport.failures = [SendFailed("503")] * 4
    deliverer = Deliverer(store, transport, sleep=Sleeps())
    outcome = await deliverer.deliver(CHANNEL, big_briefing(stories[:2]))
    assert outcome.error == "503" and transport.posted == []
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=stories[0])
    assert (row.status, row.last_error) == ("failed", "503")
    assert (await deliverer.deliver(CHANNEL, big_briefing(stories[:2]))).stories == 2


async def test_a_refused_payload_is_not_retried(store, stories, subscription):
    transport = MemoryTransport()
    transport.failures = [SendFailed("400 Invalid Form Body", retry=False)]
    sleeps = Sleeps()
    outcome = await Deliverer(store, transport, sleep=sleeps).deliver(
        CHANNEL, big_briefing(stories[:1])
    )
    assert outcome.error and sleeps == []


async def test_a_gone_channel_pauses_its_subscriptions(store, stories, subscription):
    transport = MemoryTransport()
    transport.failures = [ChannelGone("403 Missing Access")]
    paused_ids = []
    deliverer = Deliverer(store, transport, sleep=Sleeps(), on_pause=paused_ids.extend)
    outcome = await deliverer.deliver(
        CHANNEL, big_briefing(stories[:1]), subscription_id=subscription.id
    )
    assert outcome.paused == "cannot post here: 403 Missing Access"
    assert paused_ids == [subscription.id]
    assert store.get_subscription(subscription.id)[0].paused_reason == outcome.paused
    assert store.active_subscriptions(platform="discord") == []


async def test_a_crash_between_send_and_record_is_settled_from_the_channel(
    store, stories, subscription
):
    transport = MemoryTransport()
    transport.crash_after_send = True
    deliverer = Deliverer(store, transport, sleep=Sleeps())
    with pytest.raises(KeyboardInterrupt):
        await deliverer.deliver(CHANNEL, big_briefing(stories[:6]), subscription_id=subscription.id)
    assert len(transport.posted) == 1  # part 1 is in the channel, the ledger does not know
    first_part = {int(e["url"].rsplit("/", 1)[1]) for e in transport.posted[0][2] if e.get("url")}
    transport.crash_after_send = False

    restarted = Deliverer(store, transport, sleep=Sleeps())
    assert await restarted.reconcile() == 1
    held = store.delivered_story_ids(platform="discord", channel_id=CHANNEL, story_ids=stories[:6])
    assert held == first_part  # found by its marker; the rest will go again
    outcome = await restarted.deliver(CHANNEL, big_briefing(stories[:6]))
    assert outcome.stories == 6 - len(first_part)
    assert sorted(transport.stories_posted()) == stories[:6]  # nothing twice, nothing lost


async def test_reconcile_when_the_channel_shows_nothing(store, stories, subscription):
    transport = MemoryTransport()
    store.record_intent(
        platform="discord", channel_id=CHANNEL, batch="0123456789ab", placements={stories[0]: 1}
    )
    await Deliverer(store, transport).reconcile()
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=stories[0])
    assert (row.status, row.last_error) == ("failed", "interrupted before it was posted")


async def test_one_notice_per_disabled_feed_per_channel(store, subscription):
    feed = add_feed(store, "https://gone.example/rss", "Gone News")
    story_id = add_story(store, feed, "Old story")
    transport = MemoryTransport()
    deliverer = Deliverer(store, transport)
    await deliverer.deliver(CHANNEL, briefing(story(story_id, "Old story")))
    assert await deliverer.notify_disabled_feeds() == 0  # nothing disabled yet
    store.update_feed(feed.id, disabled_reason="http_404", disabled_at=utcnow())
    assert await deliverer.notify_disabled_feeds() == 1
    assert await deliverer.notify_disabled_feeds() == 0
    notice = transport.posted[-1][2][0]
    assert notice["title"] == "Feed disabled: Gone News"
    assert "answers 404 Not Found" in notice["description"]
    assert markers_in(notice["footer"]["text"]) == {notice_marker(1)}
    # disabled again after a recovery: a new event, a new notice
    store.update_feed(feed.id, disabled_at=utcnow() + timedelta(seconds=1))
    assert await deliverer.notify_disabled_feeds() == 1


async def test_a_notice_interrupted_after_sending_is_not_sent_again(store, subscription):
    feed = add_feed(store, "https://gone.example/rss", "Gone News")
    story_id = add_story(store, feed, "Old story")
    transport = MemoryTransport()
    await Deliverer(store, transport).deliver(CHANNEL, briefing(story(story_id, "Old story")))
    store.update_feed(feed.id, disabled_reason="timeout", disabled_at=utcnow())
    transport.crash_after_send = True
    with pytest.raises(KeyboardInterrupt):
        await Deliverer(store, transport).notify_disabled_feeds()
    transport.crash_after_send = False
    posted = len(transport.posted)
    await Deliverer(store, transport).reconcile()
    assert len(transport.posted) == posted
    assert store.pending_notices(platform="discord") == []


async def test_reconcile_leaves_a_send_in_progress_alone(store, stories, subscription):
    transport = MemoryTransport()
    deliverer = Deliverer(store, transport)
    entered, release = asyncio.Event(), asyncio.Event()
    send = transport.send

    async def slow_send(channel_id, payload):
        entered.set()
        await release.wait()
        return await send(channel_id, payload)

    transport.send = slow_send
    sending = asyncio.create_task(deliverer.deliver(CHANNEL, big_briefing(stories[:1])))
    await asyncio.wait_for(entered.wait(), 5)
    assert await deliverer.reconcile() == 0  # the poll cycle runs it every minute
    release.set()
    assert (await sending).stories == 1
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=stories[0])
    assert row.status == "sent"
