"""Slash commands and scheduled posts through the fake Discord, with the real discord.py client."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.core.capabilities import Capabilities
from feeds.timeutil import utcnow
from tests.bot.discord.conftest import MANAGER, start_service, stop_service
from tests.support.briefings import briefing, story
from tests.support.fake_discord import EPHEMERAL, message_text
from tests.support.newsroom import Said, add_feed, add_story
from tests.support.waiting import eventually

MEMBER = discord.Permissions(view_channel=True, send_messages=True).value


async def run(harness, command, permissions=MEMBER, **options):
    interaction = await harness.fake.interact(
        harness.guild_id, harness.channel_id, command, permissions=permissions, **options
    )
    return await interaction.finished()


def channel_briefings(harness) -> list[dict]:
    """Posts in the channel that are not interaction replies (the scheduled ones)."""
    return [m for m in harness.fake.posts(harness.channel_id) if m["type"] == 0]


async def test_subscribe_is_refused_without_manage_channels(harness):
    harness.store.add_topic("Mexico security", "cartel")
    reply = await run(harness, "subscribe", topic="Mexico security")
    assert reply.ephemeral
    assert "needs the Manage Channels permission" in reply.shown()
    assert harness.store.list_subscriptions() == []
    assert harness.fake.posts(harness.channel_id) == []  # nothing public


async def test_management_commands_declare_manage_channels(harness):
    for name in ("subscribe", "unsubscribe", "topic", "feed"):
        command = harness.fake.registered(name)
        assert command["default_member_permissions"] == str(
            discord.Permissions(manage_channels=True).value
        )
        assert command["contexts"] == [0]  # guild only
    for name in ("brief", "subscriptions", "status", "why"):
        assert harness.fake.registered(name)["default_member_permissions"] is None


async def test_subscribe_then_the_scheduled_briefing_arrives(harness):
    store = harness.store
    store.add_topic("Mexico security", "cartel")
    feed = add_feed(store)
    story_id = add_story(
        store,
        feed,
        "Sheinbaum rejects U.S. military help against cartels",
        summary="Mexico's president turned down an offer of U.S. troops.",
        quotes=(Said("Our territory is inalienable.", "Claudia Sheinbaum"),),
    )
    reply = await run(
        harness,
        "subscribe",
        MANAGER,
        topic="Mexico security",
        time="07:30",
        timezone="Europe/Madrid",
    )
    assert not reply.ephemeral
    assert "daily briefing on Mexico security at 07:30 Europe/Madrid" in reply.shown()
    ((subscription, _),) = store.list_subscriptions()
    assert (subscription.guild_id, subscription.channel_id) == (
        str(harness.guild_id),
        str(harness.channel_id),
    )
    armed = harness.runtime.briefings.armed_slot(subscription.id)
    assert armed is not None and armed > utcnow()

    harness.runtime.briefings.run_now(subscription.id)  # the test decides the time has come
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at == armed)
    (post,) = channel_briefings(harness)
    text = message_text(post)
    assert "Sheinbaum rejects U.S. military help against cartels" in text
    assert "> “Our territory is inalienable.”\n> — Claudia Sheinbaum" in text
    assert post["embeds"][1]["url"].startswith("https://news.example/")
    assert (
        store.delivery_of(
            platform="discord", channel_id=str(harness.channel_id), story_id=story_id
        ).status
        == "sent"
    )


async def test_subscriptions_lists_the_next_post_and_a_pause(harness):
    harness.store.add_topic("Mexico security", "cartel")
    await run(harness, "subscribe", MANAGER, topic="Mexico security", time="08:00", timezone="UTC")
    listing = await run(harness, "subscriptions")
    assert (
        "Daily briefings in this channel:\n- Mexico security: 08:00 UTC | Next:" in listing.shown()
    )
    harness.fake.fail_channel(harness.channel_id, 403)
    ((subscription, _),) = harness.store.list_subscriptions()
    feed = add_feed(harness.store)
    add_story(harness.store, feed, "Undeliverable cartel story")
    harness.runtime.briefings.run_now(subscription.id)
    await eventually(lambda: harness.store.get_subscription(subscription.id)[0].paused_reason)
    assert harness.runtime.briefings.armed_slot(subscription.id) is None
    harness.fake.fail_channel(harness.channel_id, None)
    listing = await run(harness, "subscriptions")
    assert "PAUSED: cannot post here: no permission to post (403 Missing Access)" in listing.shown()


async def test_an_everyone_in_a_title_does_not_ping(harness):
    store = harness.store
    store.add_topic("Mexico security", "cartel")
    feed = add_feed(store)
    add_story(store, feed, "@everyone <@123456789012345678> **Cartel** news", summary="@here too")
    await run(harness, "subscribe", MANAGER, topic="Mexico security")
    ((subscription, _),) = store.list_subscriptions()
    harness.runtime.briefings.run_now(subscription.id)
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at)
    (post,) = channel_briefings(harness)
    text = message_text(post)
    assert "@\u200beveryone" in text and "@everyone" not in text
    assert "<\u200b@\u200b123456789012345678>" in text
    assert "\\*\\*Cartel\\*\\*" in text
    assert post["pinged"] == [] and post["mention_everyone"] is False
    # and in a text reply: a topic named to ping
    store.add_topic("@everyone alert", "x")
    listing = await run(harness, "topic list", MANAGER)
    (reply,) = listing.messages
    assert "@everyone" not in reply["content"] and reply["pinged"] == []


async def test_a_long_briefing_is_split_within_limits(harness):
    store = harness.store
    store.add_topic("Mexico security", "cartel")
    feed = add_feed(store)
    said = (Said("word " * 150, "A Long Speaker"), Said("other " * 150, "Another Speaker"))
    story_ids = [
        add_story(
            store, feed, f"Story {n} cartel " + "headline " * 40, summary="s " * 2000, quotes=said
        )
        for n in range(8)
    ]
    await run(harness, "subscribe", MANAGER, topic="Mexico security")
    ((subscription, _),) = store.list_subscriptions()
    harness.runtime.briefings.run_now(subscription.id)
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at)
    posts = channel_briefings(harness)
    assert len(posts) >= 3  # real compose cuts summaries; long quotes and headlines stay
    assert harness.fake.rejections == []
    footers = [p["embeds"][-1]["footer"]["text"] for p in posts]
    assert all(f"{n}/{len(posts)}" in footer for n, footer in enumerate(footers, start=1))
    text = "\n".join(message_text(p) for p in posts)
    assert all(f"Story {n} " in text for n in range(8))
    assert len({p["id"] for p in posts}) == len(posts)
    assert all(
        store.delivery_of(platform="discord", channel_id=str(harness.channel_id), story_id=s).status
        == "sent"
        for s in story_ids
    )


async def test_a_429_with_via_is_retried(harness):
    store = harness.store
    store.add_topic("Mexico security", "cartel")
    add_story(store, add_feed(store), "Rate limited cartel story")
    await run(harness, "subscribe", MANAGER, topic="Mexico security")
    ((subscription, _),) = store.list_subscriptions()
    harness.fake.rate_limit_next(f"POST /channels/{harness.channel_id}/messages", retry_after=0.05)
    harness.runtime.briefings.run_now(subscription.id)
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at)
    posts = channel_briefings(harness)
    assert len(posts) == 1 and "Rate limited cartel story" in message_text(posts[0])
    assert harness.fake.requests.count(f"POST /channels/{harness.channel_id}/messages") == 2


async def test_the_disabled_feed_notice_is_posted_once(harness):
    store = harness.store
    store.add_topic("Mexico security", "cartel")
    feed = add_feed(store, "https://gone.example/rss", "Gone News")
    add_story(store, feed, "Last cartel story from Gone News")
    await run(harness, "subscribe", MANAGER, topic="Mexico security")
    ((subscription, _),) = store.list_subscriptions()
    harness.runtime.briefings.run_now(subscription.id)
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at)
    store.update_feed(
        feed.id, disabled_reason="http_404", disabled_at=utcnow() - timedelta(minutes=1)
    )
    await harness.runtime.run_poll_cycle()
    await harness.runtime.run_poll_cycle()
    notices = [p for p in channel_briefings(harness) if "Feed disabled" in message_text(p)]
    assert len(notices) == 1
    text = message_text(notices[0])
    assert "Feed disabled: Gone News" in text and "answers 404 Not Found" in text


async def test_brief_defers_then_follows_up_with_the_briefing(harness):
    store = harness.store
    add_story(
        store,
        add_feed(store),
        "Guardia Nacional deployed to Sinaloa",
        quotes=(Said("We will restore order.", "Omar García Harfuch"),),
    )
    reply = await run(harness, "brief", query="Sinaloa", since="2d")
    assert reply.responses[0]["type"] == 5  # deferred first
    (message,) = reply.messages
    assert message["flags"] & EPHEMERAL == 0
    text = message_text(message)
    assert "Guardia Nacional deployed to Sinaloa" in text
    assert "We will restore order.”\n> — Omar García Harfuch" in text


async def test_an_error_after_defer_is_private(harness):
    reply = await run(harness, "brief", query="x", since="forever")
    assert reply.ephemeral and "not a duration" in reply.shown()
    assert [m for m in harness.fake.posts(harness.channel_id)] == []


async def test_autocomplete_topics_and_time_zones(harness):
    harness.store.add_topic("Mexico security", "cartel")
    harness.store.add_topic("Energy in Mexico", "pemex")
    topics = await harness.fake.interact(
        harness.guild_id,
        harness.channel_id,
        "subscribe",
        permissions=MANAGER,
        focused="topic",
        topic="mex",
    )
    await topics.finished()
    assert [c["value"] for c in topics.choices] == ["Mexico security", "Energy in Mexico"]
    zones = await harness.fake.interact(
        harness.guild_id,
        harness.channel_id,
        "subscribe",
        permissions=MANAGER,
        focused="timezone",
        topic="Mexico security",
        timezone="madr",
    )
    await zones.finished()
    assert [c["value"] for c in zones.choices] == ["Europe/Madrid"]


async def test_commands_without_their_capability_are_not_registered(fake, store):
    guild_id = fake.add_guild()
    fake.add_channel(guild_id)
    service = await start_service(fake, store, capabilities=Capabilities())
    try:
        names = {c["name"] for c in fake.global_commands}
        assert {"brief", "subscribe", "why"}.isdisjoint(names)
        assert {"subscriptions", "unsubscribe", "status", "help", "topic", "feed"} <= names
        topic = fake.registered("topic")
        assert {o["name"] for o in topic["options"]} == {"list", "delete"}
    finally:
        await stop_service(service)


async def test_commands_are_synced_only_when_they_change(fake, store):
    guild_id = fake.add_guild()
    fake.add_channel(guild_id)
    for _ in range(2):
        service = await start_service(fake, store)
        await stop_service(service)
    assert fake.command_syncs == ["global"]
    service = await start_service(fake, store, guild_ids=[guild_id])  # the set changed
    await stop_service(service)
    assert fake.command_syncs == ["global", "global", str(guild_id)]


async def test_auto_sharding_connects_every_shard(fake, store):
    fake.recommended_shards = 2
    guilds = [fake.add_guild(shard=(0, 2)), fake.add_guild(shard=(1, 2))]
    channels = {g: fake.add_channel(g) for g in guilds}
    service = await start_service(fake, store, shards="auto")
    try:
        assert isinstance(service.bot, discord.AutoShardedClient)
        assert sorted(g.shard for g in fake.gateways) == [(0, 2), (1, 2)]
        for guild_id, channel_id in channels.items():
            reply = await fake.interact(guild_id, channel_id, "subscriptions")
            await reply.finished()
            assert "no daily briefings" in reply.shown()
    finally:
        await stop_service(service)


async def test_the_fake_enforces_the_3_second_first_response(harness):
    on_time = await run(harness, "help")
    assert on_time.errors == [] and "/subscriptions" in on_time.shown()
    late = await harness.fake.interact(harness.guild_id, harness.channel_id, "help", age=3.5)
    await late.finished()
    assert late.errors == [10062] and late.messages == []


async def test_the_fake_enforces_the_15_minute_followup_window(fake, store):
    import threading

    guild_id = fake.add_guild()
    channel_id = fake.add_channel(guild_id)
    release = threading.Event()

    def slow_compose(store, request):
        release.wait(10)
        return briefing()

    service = await start_service(fake, store, capabilities=Capabilities(compose=slow_compose))
    try:
        reply = await fake.interact(guild_id, channel_id, "brief", query="anything")
        await eventually(lambda: reply.deferred)  # deferred at once, well within 3 s
        fake.advance(15 * 60 + 1)
        release.set()
        await reply.finished()
        assert reply.errors[0] == 50027 and reply.messages == []
    finally:
        await stop_service(service)


async def test_channel_permissions_are_checked_per_channel(harness):
    from tests.support.fake_discord import BOT_DEFAULT, EMBED_LINKS, SEND_MESSAGES

    fake, store = harness.fake, harness.store
    story_id = add_story(store, add_feed(store), "Permission story")
    topic = store.add_topic("Mexico security", "cartel")
    cases = {
        fake.add_channel(
            harness.guild_id, "no-send", bot_permissions=BOT_DEFAULT & ~SEND_MESSAGES
        ): "403 Missing Permissions",
        fake.add_channel(
            harness.guild_id, "no-embeds", bot_permissions=BOT_DEFAULT & ~EMBED_LINKS
        ): "403 Missing Permissions",
        fake.add_channel(harness.guild_id, "deleted"): "404 Unknown Channel",
    }
    fake.fail_channel(list(cases)[-1], 404)
    for channel_id, expected in cases.items():
        store.subscribe(platform="discord", channel_id=str(channel_id), topic_id=topic.id)
        outcome = await harness.runtime.deliverer.deliver(
            str(channel_id), briefing(story(story_id, "Permission story"))
        )
        assert expected in outcome.paused
    assert fake.rejections == [] and all(fake.posts(c) == [] for c in cases)
    assert store.active_subscriptions(platform="discord") == []


async def test_a_429_without_via_is_a_ban_for_discord_py_and_our_backoff_retries(harness):
    store = harness.store
    story_id = add_story(store, add_feed(store), "Cloudflare story")
    route = f"POST /channels/{harness.channel_id}/messages"
    harness.fake.rate_limit_next(route, via=False)
    outcome = await harness.runtime.deliverer.deliver(
        str(harness.channel_id), briefing(story(story_id, "Cloudflare story"))
    )
    assert outcome.stories == 1
    assert harness.fake.requests.count(route) == 2


async def test_each_server_sees_and_removes_only_the_feeds_it_follows(harness):
    store, fake = harness.store, harness.fake
    other_guild = fake.add_guild()
    other_channel = fake.add_channel(other_guild)
    ours = store.add_feed("https://ours.example/rss", origin="chat", follower=str(harness.guild_id))
    theirs = store.add_feed("https://theirs.example/rss", origin="chat", follower=str(other_guild))
    listing = (await run(harness, "feed list", MANAGER)).shown()
    assert f"#{ours.id} https://ours.example/rss: ok" in listing
    assert "theirs.example" not in listing and "Briefings also read 1 other feed" in listing
    reply = await run(harness, "feed remove", MANAGER, feed=str(theirs.id))
    assert reply.ephemeral and "is not followed here; /feed list shows" in reply.shown()
    assert "newsbrief feeds" not in reply.shown()  # chat points to chat commands
    interaction = await fake.interact(
        other_guild, other_channel, "feed remove", permissions=MANAGER, feed=str(theirs.id)
    )
    assert "it is removed with its 0 articles" in (await interaction.finished()).shown()
    assert [f.id for f in store.list_feeds()] == [ours.id]
