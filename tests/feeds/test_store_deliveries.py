"""The delivery and notice ledgers and the scheduler's view of subscriptions, on both backends."""

from datetime import UTC, datetime, timedelta

import pytest

from feeds.errors import AlreadyExistsError, NotFoundError
from feeds.store import PendingBatch, Store, TopicMatchRow
from feeds.timeutil import utcnow
from tests.support.newsroom import add_feed, add_story

CHANNEL = "222222222222222222"


@pytest.fixture
def world(store: Store):
    feed = add_feed(store)
    topic = store.add_topic("Mexico security", "cartel")
    subscription = store.subscribe(platform="discord", channel_id=CHANNEL, topic_id=topic.id)
    stories = [add_story(store, feed, f"Story {n}") for n in range(3)]
    return feed, topic, subscription, stories


def test_intent_then_sent(store: Store, world):
    _, _, subscription, (a, b, c) = world
    store.record_intent(
        platform="discord",
        channel_id=CHANNEL,
        batch="b1",
        placements={a: 1, b: 1, c: 2},
        subscription_id=subscription.id,
    )
    held = store.delivered_story_ids(platform="discord", channel_id=CHANNEL, story_ids=[a, b, c])
    assert held == {a, b, c}  # pending counts: never send twice
    assert store.pending_batches(platform="discord") == [
        PendingBatch(CHANNEL, "b1", frozenset({1, 2}), subscription.id)
    ]
    assert store.mark_part_sent("b1", 1, "m1") == 2
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=a)
    assert (row.status, row.message_id, row.attempts) == ("sent", "m1", 1)
    assert row.sent_at is not None and row.sent_at.tzinfo is not None
    assert store.pending_batches(platform="discord") == [
        PendingBatch(CHANNEL, "b1", frozenset({2}), subscription.id)
    ]
    assert store.mark_part_sent("b1", 1, "again") == 0  # settled rows stay settled


def test_a_story_is_never_claimed_twice(store: Store, world):
    _, _, _, (a, b, _) = world
    store.record_intent(platform="discord", channel_id=CHANNEL, batch="b1", placements={a: 1})
    with pytest.raises(AlreadyExistsError, match="already delivered"):
        store.record_intent(
            platform="discord", channel_id=CHANNEL, batch="b2", placements={a: 1, b: 1}
        )
    # all or nothing: b was not written by the refused intent
    assert store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=b) is None
    # another channel may have the same story
    store.record_intent(platform="discord", channel_id="other", batch="b3", placements={a: 1})


def test_failed_rows_can_be_claimed_again(store: Store, world):
    _, _, _, (a, b, _) = world
    store.record_intent(platform="discord", channel_id=CHANNEL, batch="b1", placements={a: 1, b: 2})
    store.mark_part_sent("b1", 1, "m1")
    assert store.fail_pending("b1", "channel gone") == 1
    assert store.delivered_story_ids(platform="discord", channel_id=CHANNEL, story_ids=[a, b]) == {
        a
    }
    store.record_intent(platform="discord", channel_id=CHANNEL, batch="b2", placements={b: 1})
    row = store.delivery_of(platform="discord", channel_id=CHANNEL, story_id=b)
    assert (row.status, row.batch, row.attempts, row.last_error) == ("pending", "b2", 2, None)


def test_fail_only_some_parts(store: Store, world):
    _, _, _, (a, b, c) = world
    store.record_intent(
        platform="discord", channel_id=CHANNEL, batch="b1", placements={a: 1, b: 2, c: 3}
    )
    assert store.fail_pending("b1", "lost", parts=[2, 3]) == 2
    assert store.pending_batches(platform="discord")[0].parts == frozenset({1})


def test_active_subscriptions_pause_and_slots(store: Store, world):
    _, topic, subscription, _ = world
    other = store.subscribe(platform="discord", channel_id="333", topic_id=topic.id)
    store.subscribe(platform="console", channel_id="console", topic_id=topic.id)
    assert [s.id for s, _ in store.active_subscriptions(platform="discord")] == [
        subscription.id,
        other.id,
    ]
    assert store.pause_channel(platform="discord", channel_id=CHANNEL, reason="http 403") == [
        subscription.id
    ]
    assert [s.id for s, _ in store.active_subscriptions(platform="discord")] == [other.id]
    paused, found_topic = store.get_subscription(subscription.id)
    assert paused.paused_reason == "http 403" and found_topic.id == topic.id
    slot = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    store.mark_slot_handled(other.id, slot)
    store.mark_slot_handled(other.id, slot - timedelta(days=1))  # never backwards
    assert store.get_subscription(other.id)[0].last_slot_at == slot
    with pytest.raises(NotFoundError):
        store.get_subscription(999)


def test_subscribing_again_resumes_a_paused_channel(store: Store, world):
    _, topic, subscription, _ = world
    store.pause_channel(platform="discord", channel_id=CHANNEL, reason="http 404")
    store.subscribe(platform="discord", channel_id=CHANNEL, topic_id=topic.id, time_of_day="09:00")
    again, _ = store.get_subscription(subscription.id)
    assert (again.paused_reason, again.time_of_day) == (None, "09:00")


def test_channels_fed_by_a_feed(store: Store, world):
    feed, topic, _, (a, _, _) = world
    other_feed = add_feed(store, "https://other.example/rss", "Other")
    other_story = add_story(store, other_feed, "Elsewhere")
    store.subscribe(platform="discord", channel_id="444", topic_id=topic.id)
    store.record_intent(platform="discord", channel_id=CHANNEL, batch="b1", placements={a: 1})
    store.record_intent(
        platform="discord", channel_id="444", batch="b2", placements={other_story: 1}
    )
    since = utcnow() - timedelta(days=30)
    assert store.channels_fed_by(feed.id, platform="discord", since=since) == []  # pending only
    store.mark_part_sent("b1", 1, "m1")
    store.mark_part_sent("b2", 1, "m2")
    assert store.channels_fed_by(feed.id, platform="discord", since=since) == [CHANNEL]
    assert store.channels_fed_by(other_feed.id, platform="discord", since=since) == ["444"]
    assert store.channels_fed_by(feed.id, platform="console", since=since) == []
    store.pause_channel(platform="discord", channel_id=CHANNEL, reason="http 403")
    assert store.channels_fed_by(feed.id, platform="discord", since=since) == []


def test_channels_whose_topics_matched_the_feed_rely_on_it(store: Store, world):
    feed, topic, _, _ = world
    other_feed = add_feed(store, "https://other.example/rss", "Other")
    add_story(store, other_feed, "Sinaloa cartel news")
    (article,) = store.list_articles(feed_id=other_feed.id)
    since = utcnow() - timedelta(days=30)
    silent = store.add_topic("Football", "football")
    store.subscribe(platform="discord", channel_id="555", topic_id=silent.id)
    with store.topic_match_writer() as writer:  # matched at ingest: no topic matched
        writer.replace([article.id], [])
    assert store.channels_fed_by(other_feed.id, platform="discord", since=since) == []
    with store.topic_match_writer() as writer:
        writer.replace([article.id], [TopicMatchRow(topic.id, article.id, 3.0, utcnow())])
    assert store.channels_fed_by(other_feed.id, platform="discord", since=since) == [CHANNEL]
    later = utcnow() + timedelta(minutes=1)
    assert store.channels_fed_by(other_feed.id, platform="discord", since=later) == []
    assert store.channels_fed_by(feed.id, platform="discord", since=since) == []


def test_one_notice_per_channel_and_event(store: Store, world):
    feed, _, _, _ = world
    when = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    store.update_feed(feed.id, disabled_reason="http_404", disabled_at=when)
    assert [f.id for f in store.disabled_feeds()] == [feed.id]
    notice = store.claim_notice(
        platform="discord", channel_id=CHANNEL, feed_id=feed.id, event_at=when, reason="http_404"
    )
    assert notice is not None and notice.status == "pending"
    again = store.claim_notice(
        platform="discord", channel_id=CHANNEL, feed_id=feed.id, event_at=when, reason="http_404"
    )
    assert again is None
    assert [n.id for n in store.pending_notices(platform="discord")] == [notice.id]
    store.settle_notice(notice.id, error="timeout")  # retryable: still pending
    assert store.pending_notices(platform="discord")[0].last_error == "timeout"
    store.settle_notice(notice.id, message_id="m9")
    assert store.pending_notices(platform="discord") == []
    # disabled again later: a new event, a new notice
    later = when + timedelta(days=2)
    assert store.claim_notice(
        platform="discord", channel_id=CHANNEL, feed_id=feed.id, event_at=later, reason="timeout"
    )


def test_article_by_url(store: Store, world):
    feed, _, _, _ = world
    add_story(store, feed, "Findable", url="https://news.example/findable")
    assert store.article_by_url("https://news.example/findable").title == "Findable"
    assert store.article_by_url("https://news.example/nothing") is None
