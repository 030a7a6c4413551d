"""Live stories through the poster, the real Store and the live desk, with a transport in memory
that can fail, crash or lose a message on cue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.core.capabilities import Capabilities, explain
from bot.core.commands import ChatContext, ChatCore, CoreOptions
from bot.delivery import ChannelGone, Deliverer, SendFailed
from bot.live import LiveOutcome, LivePoster
from feeds.briefs.matching import match_new_articles
from feeds.live import LivePolicy, QuietHours
from feeds.live.service import LiveDesk
from feeds.timeutil import utcnow
from tests.support.newsroom import Said, add_article, add_feed, add_story
from tests.support.transport import MemoryTransport

CHANNEL = "444444444444444444"
ROLE = "987654321987654321"
QUOTE = Said(
    "We will never accept foreign soldiers on our soil, not today and not ever", "Ana Ruiz"
)
LATER = Said("The call lasted ten minutes and the answer was no from the first one", "Luis Vega")


class Clock:
    """A clock the test moves; it starts a little ahead, so stories stored now are past."""

    def __init__(self):
        self.now = utcnow() + timedelta(seconds=5)

    def __call__(self):
        return self.now


async def no_sleep(_seconds):
    return None


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


@pytest.fixture
def outlets(store):
    return [
        add_feed(store, f"https://{name}.example/rss", name) for name in ("Wire", "Daily", "Post")
    ]


@pytest.fixture
def subscription(store):
    topic = store.add_topic("Cartels", "cartel")
    return store.subscribe(
        platform="discord",
        channel_id=CHANNEL,
        topic_id=topic.id,
        mode="live",
        mention_role_id=ROLE,
        now=utcnow() - timedelta(hours=1),
    )


def poster(store, transport, clock=None, **policy) -> LivePoster:
    desk = LiveDesk(LivePolicy(**{"max_per_hour": 3, **policy}))
    deliverer = Deliverer(store, transport, sleep=no_sleep)
    return LivePoster(store, transport, desk, deliverer, clock=clock or utcnow)


def news(store, feed, headline, **options):
    story_id = add_story(store, feed, headline, **options)
    match_new_articles(store)
    return story_id


def report(store, feed, story_id, headline, **options):
    add_article(store, feed, story_id, headline, **options)
    match_new_articles(store)


def sources(payload) -> int:
    (embed,) = payload.embeds
    return int(re.match(r"(\d+) sources?", embed["footer"]["text"]).group(1))


async def test_a_story_is_posted_once_then_edited_as_outlets_report_it(
    store, outlets, subscription
):
    transport = MemoryTransport()
    live = poster(store, transport)
    sid = news(store, outlets[0], "Cartel offer refused", quotes=(QUOTE,))
    assert (await live.run()).posted == 1
    (_, message_id, posted) = transport.posted[0]
    assert posted.content == f"<@&{ROLE}>" and posted.role_ids == (ROLE,)
    assert sources(posted) == 1 and QUOTE.text in posted.embeds[0]["description"]

    assert (await live.run()).edited == 0  # nothing new: no edit
    report(store, outlets[1], sid, "Cartel offer turned down", quotes=(LATER,))
    assert (await live.run()).edited == 1
    report(store, outlets[2], sid, "Cartel offer: the answer was no")
    assert (await live.run()).edited == 1
    report(store, outlets[2], sid, "Cartel offer: more from the same outlet")
    assert (await live.run()).edited == 0  # same outlets, same quotes: nothing to change

    assert len(transport.posted) == 1
    assert [sources(payload) for _, _, payload in transport.edits] == [2, 3]
    now = transport.shown(message_id)
    assert now.content == f"<@&{ROLE}>"  # the mention stays as posted
    assert f"New, from Daily:\n> “{LATER.text}”" in now.embeds[0]["description"]
    (record,) = store.live_records(platform="discord", channel_id=CHANNEL, story_id=sid)
    assert (record.message.status, record.message.edits, record.item.shown_articles) == (
        "sent",
        2,
        4,
    )


async def test_killed_after_the_post_it_is_found_not_posted_again(store, outlets, subscription):
    transport = MemoryTransport()
    news(store, outlets[0], "Cartel offer refused")
    transport.crash_after_send = True
    with pytest.raises(KeyboardInterrupt):
        await poster(store, transport).run()
    (pending,) = store.pending_live_messages(platform="discord")

    transport.crash_after_send = False
    restarted = poster(store, transport)
    assert await restarted.reconcile() == 1
    assert (await restarted.run()).posted == 0
    assert len(transport.posted) == 1
    assert store.live_message(pending.id)[0].message_id == transport.posted[0][1]


async def test_killed_before_the_post_it_goes_out_after_the_restart(store, outlets, subscription):
    transport = MemoryTransport()
    news(store, outlets[0], "Cartel offer refused")
    transport.failures = [KeyboardInterrupt("killed while sending")]
    with pytest.raises(KeyboardInterrupt):
        await poster(store, transport).run()
    assert transport.posted == []
    outcome = await poster(store, transport).run()  # reconciles first: not found, so posted
    assert outcome.posted == 1 and len(transport.posted) == 1


async def test_an_edit_killed_before_it_was_recorded_is_made_after_the_restart(
    store, outlets, subscription
):
    transport = MemoryTransport()
    sid = news(store, outlets[0], "Cartel offer refused")
    await poster(store, transport).run()
    report(store, outlets[1], sid, "Cartel offer turned down")
    transport.crash_after_edit = True
    with pytest.raises(KeyboardInterrupt):
        await poster(store, transport).run()
    transport.crash_after_edit = False
    assert (await poster(store, transport).run()).edited == 1  # made again: same text
    assert len(transport.posted) == 1
    assert [sources(payload) for _, _, payload in transport.edits] == [2, 2]
    assert (
        store.live_edits_due(platform="discord", now=utcnow(), update_for=timedelta(days=1)) == []
    )


async def test_a_failed_edit_is_tried_again_next_round(store, outlets, subscription):
    transport = MemoryTransport()
    sid = news(store, outlets[0], "Cartel offer refused")
    live = poster(store, transport)
    await live.run()
    report(store, outlets[1], sid, "Cartel offer turned down")
    transport.edit_failures = [SendFailed("503", retry=False)]
    assert (await live.run()).edited == 0
    assert (await live.run()).edited == 1
    assert sources(transport.shown(transport.posted[0][1])) == 2


async def test_a_deleted_message_is_neither_edited_nor_posted_again(store, outlets, subscription):
    transport = MemoryTransport()
    sid = news(store, outlets[0], "Cartel offer refused")
    live = poster(store, transport)
    await live.run()
    transport.deleted.add(transport.posted[0][1])
    report(store, outlets[1], sid, "Cartel offer turned down")
    assert (await live.run()).edited == 0
    (record,) = store.live_records(platform="discord", channel_id=CHANNEL, story_id=sid)
    assert record.message.status == "gone"
    report(store, outlets[2], sid, "Cartel offer: the answer was no")
    assert await live.run() == LiveOutcome()  # nothing at all
    assert len(transport.posted) == 1 and transport.edits == []


async def test_a_channel_that_refuses_us_pauses_its_subscriptions(store, outlets, subscription):
    transport = MemoryTransport()
    news(store, outlets[0], "Cartel offer refused")
    transport.failures = [ChannelGone("no permission to post (403 Missing Access)")]
    assert (await poster(store, transport).run()).posted == 0
    (paused, _) = store.get_subscription(subscription.id)
    assert "403" in paused.paused_reason
    assert store.active_subscriptions(platform="discord", mode="live") == []


async def test_past_the_cap_stories_share_one_more_message(store, outlets, subscription):
    transport, clock = MemoryTransport(), Clock()
    live = poster(store, transport, clock, max_per_hour=2)
    for n in range(4):
        news(store, outlets[n % 3], f"Cartel story number {n}")
    outcome = await live.run()
    assert (outcome.posted, outcome.listed) == (2, 2)
    assert len(transport.posted) == 3
    more = transport.posted[2][2]
    assert more.content is None and more.role_ids == ()  # a list pings nobody
    assert "2 stories" in more.embeds[0]["footer"]["text"]
    assert "Past this channel's 2 live posts an hour:" in more.embeds[0]["description"]

    clock.now += timedelta(minutes=5)
    news(store, outlets[0], "Cartel story number 4")
    assert (await live.run()).listed == 1
    assert len(transport.posted) == 3  # added to the same list, by an edit
    (_, _, edited) = transport.edits[-1]
    assert "3 stories" in edited.embeds[0]["footer"]["text"]
    assert "Cartel story number 4" in edited.embeds[0]["description"]

    clock.now += timedelta(minutes=61)  # a new hour: posts again
    news(store, outlets[0], "Cartel story number 5", seen_at=clock.now)
    assert (await live.run()).posted == 1


async def test_quiet_hours_hold_stories_until_they_end(store, outlets, subscription):
    transport, clock = MemoryTransport(), Clock()
    start = (clock.now - timedelta(minutes=20)).strftime("%H:%M")
    end = (clock.now + timedelta(minutes=20)).strftime("%H:%M")
    live = poster(store, transport, clock, quiet_hours=QuietHours.parse(f"{start}-{end}"))
    sid = news(store, outlets[0], "Cartel story at night")
    assert (await live.run()).held == 1 and transport.posted == []
    clock.now += timedelta(minutes=21)  # over, and the story is 21 minutes old: listed
    outcome = await live.run()
    assert (outcome.posted, outcome.listed, outcome.held) == (0, 1, 0)
    (record,) = store.live_records(platform="discord", channel_id=CHANNEL, story_id=sid)
    assert (record.message.kind, record.item.reason) == ("more", "late")
    assert "From quiet hours" in transport.posted[0][2].embeds[0]["description"]


async def test_a_story_that_came_while_quiet_but_recent_is_posted_on_its_own(
    store, outlets, subscription
):
    transport, clock = MemoryTransport(), Clock()
    start = (clock.now - timedelta(minutes=20)).strftime("%H:%M")
    end = (clock.now + timedelta(minutes=2)).strftime("%H:%M")
    live = poster(store, transport, clock, quiet_hours=QuietHours.parse(f"{start}-{end}"))
    news(store, outlets[0], "Cartel story just before dawn")
    assert (await live.run()).held == 1
    clock.now += timedelta(minutes=3)
    assert (await live.run()).posted == 1


async def test_why_tells_a_live_post_and_the_edit_that_added_an_article(
    store, outlets, subscription
):
    transport = MemoryTransport()
    live = poster(store, transport)
    sid = news(store, outlets[0], "Cartel offer refused", url="https://wire.example/offer")
    await live.run()
    report(store, outlets[1], sid, "Cartel offer turned down")
    await live.run()
    core = ChatCore(store, CoreOptions(), Capabilities(explain=explain))
    ctx = ChatContext("discord", CHANNEL, "u1", "g1")
    first = (await core.why(ctx, "https://wire.example/offer")).text
    assert first.startswith("Cartel offer refused: its story was posted here live")
    assert "(live stories on Cartels). Updated once as outlets reported it" in first
    later = next(a for a in store.list_articles() if a.title == "Cartel offer turned down")
    text = (await core.why(ctx, later.url)).text
    assert "This article came later and was added to that message by an edit" in text
    other = ChatContext("discord", "another-channel", "u1", "g1")
    assert "not posted here" in (await core.why(other, later.url)).text
