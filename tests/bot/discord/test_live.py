"""Live stories through the fake Discord with the real discord.py client: /subscribe mode:live
with a role, the post that pings exactly that role, edits, a deleted message."""

from __future__ import annotations

import re

import pytest

from feeds.briefs.matching import match_new_articles
from tests.bot.discord.conftest import MANAGER
from tests.support.fake_discord import validate_message
from tests.support.newsroom import Said, add_article, add_feed, add_story

QUOTE = Said(
    "We will never accept foreign soldiers on our soil, not today and not ever", "Ana Ruiz"
)


async def run(harness, command, **options):
    interaction = await harness.fake.interact(
        harness.guild_id, harness.channel_id, command, permissions=MANAGER, **options
    )
    return await interaction.finished()


def live_posts(harness) -> list[dict]:
    return [m for m in harness.fake.posts(harness.channel_id) if m["type"] == 0]


def sources(message: dict) -> int:
    (embed,) = message["embeds"]
    return int(re.match(r"(\d+) sources?", embed["footer"]["text"]).group(1))


@pytest.fixture
def outlets(harness):
    harness.store.add_topic("Cartels", "cartel")
    return [add_feed(harness.store, f"https://{n}.example/rss", n) for n in ("Wire", "Daily")]


async def test_live_story_pings_only_its_role_and_grows_by_edits(harness, outlets):
    fake, store = harness.fake, harness.store
    role = fake.add_role(harness.guild_id, "cartel-watch")
    fake.add_role(harness.guild_id, "everybody-else")
    reply = await run(harness, "subscribe", topic="Cartels", mode="live", mention=role)
    assert "live stories on Cartels" in reply.shown()
    assert "Each new story pings @cartel-watch." in reply.shown()
    ((subscription, _),) = store.list_subscriptions()
    assert (subscription.mode, subscription.mention_role_id) == ("live", str(role))

    hostile = "Cartel boss says @everyone <@&1234567890123456789> must pay"
    sid = add_story(store, outlets[0], hostile, quotes=(QUOTE,))
    match_new_articles(store)
    assert (await harness.runtime.live.run()).posted == 1
    (post,) = live_posts(harness)
    assert post["content"] == f"<@&{role}>"
    assert post["pinged"] == [f"role:{role}"] and post["mention_everyone"] is False
    assert sources(post) == 1 and "@\u200beveryone" in post["embeds"][0]["title"]

    add_article(store, outlets[1], sid, "Cartel boss demands payment")
    match_new_articles(store)
    assert (await harness.runtime.live.run()).edited == 1
    (post,) = live_posts(harness)  # the same message, edited
    assert sources(post) == 2 and post["pinged"] == [f"role:{role}"]
    (edit,) = fake.edits_of(post["id"])
    assert "content" not in edit and edit["allowed_mentions"]["parse"] == []
    assert fake.rejections == []


async def test_a_message_deleted_in_discord_is_not_recreated(harness, outlets):
    store, fake = harness.store, harness.fake
    await run(harness, "subscribe", topic="Cartels", mode="live")
    sid = add_story(store, outlets[0], "Cartel offer refused")
    match_new_articles(store)
    await harness.runtime.live.run()
    (post,) = live_posts(harness)
    assert post["content"] == "" and post["pinged"] == []  # no role chosen: no mention
    fake.delete_message(harness.channel_id, post["id"])
    add_article(store, outlets[1], sid, "Cartel offer turned down")
    match_new_articles(store)
    assert (await harness.runtime.live.run()).edited == 0
    assert (await harness.runtime.live.run()).posted == 0
    assert live_posts(harness) == [] and fake.edits == []
    (record,) = store.live_records(
        platform="discord", channel_id=str(harness.channel_id), story_id=sid
    )
    assert record.message.status == "gone" and "Unknown Message" in record.message.last_error


async def test_subscribe_options_are_checked(harness, outlets):
    role = harness.fake.add_role(harness.guild_id, "news")
    everyone = await run(
        harness, "subscribe", topic="Cartels", mode="live", mention=harness.guild_id
    )
    assert "@everyone is never pinged" in everyone.shown()
    daily = await run(harness, "subscribe", topic="Cartels", mention=role)
    assert "add mode:live" in daily.shown()
    timed = await run(harness, "subscribe", topic="Cartels", mode="live", time="08:00")
    assert "leave out the time" in timed.shown()
    quiet = await run(harness, "subscribe", topic="Cartels", mode="live", quiet="23-07")
    assert "not a time of day" in quiet.shown()
    assert harness.store.list_subscriptions() == []
    ok = await run(harness, "subscribe", topic="Cartels", mode="live", quiet="23:00-07:00")
    assert "Quiet hours 23:00-07:00 UTC" in ok.shown()
    listing = await run(harness, "subscriptions")
    assert "- Cartels: live | Quiet hours 23:00-07:00 UTC" in listing.shown()


def test_the_fake_refuses_allowed_mentions_discord_refuses():
    embeds = [{"title": "x"}]
    clash = validate_message(
        {"embeds": embeds, "allowed_mentions": {"parse": ["roles"], "roles": ["1"]}}
    )
    assert clash["allowed_mentions"]["roles"]["_errors"][0]["code"] == (
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"
    )
    many = validate_message({"embeds": embeds, "allowed_mentions": {"users": ["1"] * 101}})
    assert "users" in many["allowed_mentions"]
    unknown = validate_message({"embeds": embeds, "allowed_mentions": {"parse": ["channels"]}})
    assert "parse" in unknown["allowed_mentions"]
    assert (
        validate_message({"embeds": embeds, "allowed_mentions": {"parse": [], "roles": ["1"]}})
        == {}
    )


async def test_a_role_that_cannot_be_mentioned_pings_nobody(harness, outlets):
    quiet_role = harness.fake.add_role(harness.guild_id, "muted", mentionable=False)
    await run(harness, "subscribe", topic="Cartels", mode="live", mention=quiet_role)
    add_story(harness.store, outlets[0], "Cartel offer refused")
    match_new_articles(harness.store)
    await harness.runtime.live.run()
    (post,) = live_posts(harness)
    assert post["content"] == f"<@&{quiet_role}>" and post["pinged"] == []
