"""The live desk and the live ledger on both backends: news, views, edits due, developments."""

from datetime import timedelta

import pytest

from feeds.briefs.matching import match_new_articles
from feeds.live.model import LiveItemSpec
from feeds.live.policy import LivePolicy, QuietHours
from feeds.live.service import LiveDesk, live_channels
from feeds.store import Store
from feeds.timeutil import utcnow
from tests.support.newsroom import Said, add_article, add_feed, add_story

CHANNEL = "333333333333333333"
WHERE = {"platform": "discord", "channel_id": CHANNEL}
QUOTE = Said("We will not accept foreign soldiers on our soil, not now and not ever", "Ana Ruiz")
LATER = Said("The offer was made in a phone call and it was refused within a minute", "Luis Vega")


@pytest.fixture
def desk():
    return LiveDesk(LivePolicy(max_delay=timedelta(minutes=10), max_per_hour=3))


@pytest.fixture
def outlets(store: Store):
    return [
        add_feed(store, f"https://{name}.example/rss", name) for name in ("Wire", "Daily", "Post")
    ]


@pytest.fixture
def live(store: Store):
    topic = store.add_topic("Cartels", "cartel")
    start = utcnow() - timedelta(hours=1)
    store.subscribe(**WHERE, topic_id=topic.id, mode="live", mention_role_id="42", now=start)
    return topic


def channel(store):
    (found,) = live_channels(store, platform="discord")
    return found


def story(store, feed, headline, *, ago=2, **options):
    story_id = add_story(
        store, feed, headline, seen_at=utcnow() - timedelta(minutes=ago), **options
    )
    match_new_articles(store)
    return story_id


def post(store, planned, *, token="t1"):
    """Record a planned post as the bot does, and mark it sent."""
    shown = {s.story_id: s.article_count for s in planned.view.stories}
    message = store.record_live_message(
        **WHERE,
        subscription_id=planned.subscription_id,
        kind="story",
        token=token,
        items=planned.spec.items,
        shown=shown,
        shown_hash="h1",
        mention_role_id=planned.spec.mention_role_id,
        created_at=planned.spec.items[0].added_at,
    )
    assert store.mark_live_sent(message.id, "m-" + token)
    return message


def test_a_new_matching_story_is_planned_with_what_it_shows(store, desk, outlets, live):
    sid = story(store, outlets[0], "Cartel offer refused", quotes=(QUOTE,), summary="It was.")
    story(store, outlets[0], "Cartel news from before", ago=120)  # before the subscription
    story(store, outlets[0], "Cartel news of a first poll", announce=False)
    story(store, outlets[0], "Weather today")  # no match
    plan = desk.plan(store, channel(store), utcnow())
    (planned,) = plan.posts
    assert planned.spec.kind == "story" and planned.spec.mention_role_id == "42"
    (shown,) = planned.view.stories
    assert (shown.story_id, shown.headline, shown.article_count) == (sid, "Cartel offer refused", 1)
    assert [s.name for s in shown.sources] == ["Wire"]
    assert shown.quote.text == QUOTE.text and shown.new_quote is None
    assert planned.view.topics == ("Cartels",) and plan.more == ()


def test_a_posted_story_is_not_news_again_and_grows_by_edits(store, desk, outlets, live):
    sid = story(store, outlets[0], "Cartel offer refused", quotes=(QUOTE,))
    (planned,) = desk.plan(store, channel(store), utcnow()).posts
    message = post(store, planned)
    now = utcnow()
    assert desk.plan(store, channel(store), now).posts == ()
    assert store.live_edits_due(platform="discord", now=now, update_for=timedelta(hours=24)) == []

    add_article(store, outlets[1], sid, "Cartel offer turned down", quotes=(LATER, QUOTE))
    add_article(store, outlets[1], sid, "Cartel offer: more")  # same outlet again
    match_new_articles(store)
    assert desk.plan(store, channel(store), utcnow()).posts == ()  # an edit, not a post
    due = store.live_edits_due(platform="discord", now=utcnow(), update_for=timedelta(hours=24))
    assert due == [message.id]
    _, spec = store.live_message(message.id)
    (shown,) = desk.view(store, spec).stories
    assert [s.name for s in shown.sources] == ["Wire", "Daily"] and shown.article_count == 3
    assert shown.quote.text == QUOTE.text  # the one it was posted with
    assert shown.new_quote.text == LATER.text  # the best new one that is not a repeat
    assert shown.new_quote.source == "Daily"

    store.record_live_edit(message.id, shown={sid: 3}, shown_hash="h2", changed=True)
    assert (
        store.live_edits_due(platform="discord", now=utcnow(), update_for=timedelta(hours=24)) == []
    )
    (row,) = store.live_records(**WHERE, story_id=sid)
    assert (row.message.edits, row.message.shown_hash, row.item.shown_articles) == (1, "h2", 3)
    assert row.topic == "Cartels"


def test_edits_stop_after_the_window_and_a_new_development_is_a_new_post(
    store, desk, outlets, live
):
    sid = story(store, outlets[0], "Cartel leader arrested", ago=30 * 60)
    shown_at = utcnow() - timedelta(hours=30)
    item = LiveItemSpec(sid, shown_at, shown_at, None, "new", None)
    old = store.record_live_message(
        **WHERE, subscription_id=None, kind="story", token="old", items=[item],
        shown={sid: 1}, shown_hash="h", created_at=shown_at,
    )  # fmt: skip
    store.mark_live_sent(old.id, "m-old")
    add_article(store, outlets[1], sid, "Cartel leader arrested: extradition asked")
    match_new_articles(store)
    now = utcnow()
    assert store.live_edits_due(platform="discord", now=now, update_for=timedelta(hours=24)) == []
    (planned,) = desk.plan(store, channel(store), now).posts
    (development,) = planned.view.stories
    assert development.development and development.article_count == 1
    assert [s.name for s in development.sources] == ["Daily"]
    assert planned.spec.items[0].covers_from is not None


def test_the_cap_and_late_news_go_to_the_more_list(store, desk, outlets, live):
    fresh = [story(store, outlets[0], f"Cartel story {n}") for n in range(4)]
    late = story(store, outlets[0], "Cartel story from the night", ago=40)
    plan = desk.plan(store, channel(store), utcnow())
    assert len(plan.posts) == 3
    listed = {item.story_id: item.reason for item in plan.more}
    assert listed[late] == "late" and list(listed.values()).count("cap") == 1
    assert {p.spec.items[0].story_id for p in plan.posts} | set(listed) == {*fresh, late}


def test_the_cap_counts_the_last_hour_of_posts(store, desk, outlets, live):
    for n in range(3):
        story(store, outlets[0], f"Cartel story {n}")
        (planned,) = desk.plan(store, channel(store), utcnow()).posts
        post(store, planned, token=f"t{n}")
    story(store, outlets[0], "Cartel story 3")
    plan = desk.plan(store, channel(store), utcnow())
    assert plan.posts == () and [i.reason for i in plan.more] == ["cap"]
    later = utcnow() + timedelta(minutes=61)
    assert store.live_posts_since(**WHERE, since=later - timedelta(hours=1)) == 0


def test_quiet_hours_hold_new_stories(store, outlets, live):
    now = utcnow()
    start = (now - timedelta(minutes=30)).strftime("%H:%M")
    end = (now + timedelta(minutes=30)).strftime("%H:%M")
    desk = LiveDesk(LivePolicy(quiet_hours=QuietHours.parse(f"{start}-{end}")))
    story(store, outlets[0], "Cartel story at night")
    plan = desk.plan(store, channel(store), now)
    assert (plan.posts, plan.more, plan.held) == ((), (), 1)
    store.subscribe(**WHERE, topic_id=live.id, mode="live", quiet_hours="")  # none for this one
    assert len(desk.plan(store, channel(store), now).posts) == 1


def test_a_failed_post_frees_its_story_and_a_deleted_one_keeps_it(store, desk, outlets, live):
    sid = story(store, outlets[0], "Cartel offer refused")
    (planned,) = desk.plan(store, channel(store), utcnow()).posts
    message = store.record_live_message(
        **WHERE, subscription_id=planned.subscription_id, kind="story", token="t",
        items=planned.spec.items, shown={sid: 1}, shown_hash="h",
    )  # fmt: skip
    assert [m.id for m in store.pending_live_messages(platform="discord")] == [message.id]
    assert store.delivered_story_ids(**WHERE, story_ids=[sid]) == {sid}  # no daily repeat
    assert desk.plan(store, channel(store), utcnow()).posts == ()
    assert store.fail_live(message.id, "interrupted")
    assert not store.mark_live_sent(message.id, "m")  # settled already
    assert len(desk.plan(store, channel(store), utcnow()).posts) == 1

    (planned,) = desk.plan(store, channel(store), utcnow()).posts
    message = post(store, planned, token="t2")
    assert store.mark_live_gone(message.id, "404 Unknown Message")
    add_article(store, outlets[1], sid, "Cartel offer turned down")
    match_new_articles(store)
    assert desk.plan(store, channel(store), utcnow()).posts == ()  # never re-created
    assert (
        store.live_edits_due(platform="discord", now=utcnow(), update_for=timedelta(hours=24)) == []
    )


def test_a_story_a_briefing_posted_is_not_posted_live(store, desk, outlets, live):
    sid = story(store, outlets[0], "Cartel offer refused")
    store.record_intent(**WHERE, batch="b", placements={sid: 1})
    assert desk.plan(store, channel(store), utcnow()).posts == ()


def test_the_more_list_takes_stories_while_it_has_room(store, outlets, live):
    sids = [story(store, outlets[0], f"Cartel story {n}") for n in range(3)]
    now = utcnow()
    items = [LiveItemSpec(sid, now, now, None, "cap", None) for sid in sids[:2]]
    more = store.record_live_message(
        **WHERE, subscription_id=None, kind="more", token="m", items=items, shown={},
        shown_hash=None, created_at=now,
    )  # fmt: skip
    since = now - timedelta(hours=1)
    assert store.open_more_message(**WHERE, since=since, limit=3) is None  # not posted yet
    store.mark_live_sent(more.id, "m-1")
    assert store.open_more_message(**WHERE, since=since, limit=3) == (more.id, 2)
    store.add_live_items(more.id, [LiveItemSpec(sids[2], now, now, None, "late", None)])
    assert store.open_more_message(**WHERE, since=since, limit=3) is None  # full
    assert store.open_more_message(**WHERE, since=now + timedelta(seconds=1), limit=9) is None
