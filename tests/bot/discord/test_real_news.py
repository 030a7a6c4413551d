"""Slash commands on real news: served feeds → the ingest cycle → real compose → fake Discord."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import apply_config
from bot.config import Settings
from feeds.timeutil import utcnow
from tests.bot.discord.conftest import MANAGER, start_service, stop_service
from tests.support.fake_discord import message_text
from tests.support.newsdesk import (
    FOOTBALL,
    GUARD,
    TROOPS,
    TROOPS_QUOTE,
    TROOPS_SPEAKER,
    loopback_ingest,
    serve,
)
from tests.support.waiting import eventually


@pytest.fixture
async def newsroom(harness, feed_server):
    """The presets, and a feed whose first poll (the baseline) brought GUARD and FOOTBALL,
    and whose second poll brought TROOPS; all were published in the last day."""
    store = harness.store
    apply_config(store, Settings())
    ingest = loopback_ingest()
    try:
        url = serve(feed_server, "/wire.xml", [GUARD, FOOTBALL], title="Test Wire")
        feed = store.add_feed(url, name="Test Wire", origin="config")
        await ingest.cycle(store)
        serve(feed_server, "/wire.xml", [TROOPS, GUARD, FOOTBALL], title="Test Wire")
        report = await ingest.cycle(store, feed_ids=[feed.id])
    finally:
        ingest.close()
    assert (len(report.poll.new_article_ids), report.analysed, report.grouped) == (1, 1, 1)
    return {r.slug: feed_server.url(f"/news/{r.slug}.html") for r in (TROOPS, GUARD, FOOTBALL)}


async def run(harness, command, permissions=None, **options):
    extra = {"permissions": permissions} if permissions is not None else {}
    interaction = await harness.fake.interact(
        harness.guild_id, harness.channel_id, command, **extra, **options
    )
    return await interaction.finished(timeout=30)


async def test_brief_defers_then_shows_stories_with_quotes_and_speakers(harness, newsroom):
    reply = await run(harness, "brief", query="Mexico security", since="1d")
    assert reply.responses[0]["type"] == 5  # deferred at once, then followed up
    assert not reply.ephemeral
    text = reply.shown()
    assert TROOPS.title in text and GUARD.title in text  # on demand: the baseline too
    assert f"> “{TROOPS_QUOTE}”\n> — {TROOPS_SPEAKER}" in text
    assert "> — Omar García Harfuch" in text
    assert FOOTBALL.title not in text
    preview = await run(harness, "topic preview", name="mexico security")
    assert preview.responses[0]["type"] == 5 and TROOPS.title in preview.shown()


async def test_subscribe_then_the_scheduled_post_and_why(harness, newsroom):
    store, channel = harness.store, str(harness.channel_id)
    soon = (utcnow() + timedelta(minutes=2)).strftime("%H:%M")
    reply = await run(
        harness, "subscribe", MANAGER, topic="Mexico security", time=soon, timezone="UTC"
    )
    assert f"daily briefing on Mexico security at {soon} UTC" in reply.shown()
    ((subscription, _),) = store.list_subscriptions()
    armed = harness.runtime.briefings.armed_slot(subscription.id)
    why_troops = await run(harness, "why", url=newsroom["sheinbaum-troops"])
    assert "Mexico security: matches; not yet due: the next briefing is" in why_troops.shown()

    harness.runtime.briefings.run_now(subscription.id)  # the test decides the time has come
    await eventually(lambda: store.get_subscription(subscription.id)[0].last_slot_at == armed)
    (post,) = [m for m in harness.fake.posts(harness.channel_id) if m["type"] == 0]
    text = message_text(post)
    assert TROOPS.title in text and f"> “{TROOPS_QUOTE}”\n> — {TROOPS_SPEAKER}" in text
    assert GUARD.title in text  # published in the window: in it, though the first poll got it
    assert FOOTBALL.title not in text

    posted = (await run(harness, "why", url=newsroom["sheinbaum-troops"] + "?utm_source=x")).shown()
    assert posted.startswith(f"{TROOPS.title}: posted here ")
    assert posted.endswith("in the daily briefing on Mexico security.")
    baseline = (await run(harness, "why", url=newsroom["guard-culiacan"])).shown()
    assert baseline.startswith(f"{GUARD.title}: posted here ")
    football = (await run(harness, "why", url=newsroom["mexico-ecuador"])).shown()
    assert (
        "Mexico security: does not match this topic.\n↳ no match: found Mexico (title)" in football
    )
    guard = store.article_by_url(newsroom["guard-culiacan"])
    delivery = store.delivery_of(platform="discord", channel_id=channel, story_id=guard.story_id)
    assert delivery is not None and delivery.status == "sent"


async def test_topic_create_refuses_a_bad_query_with_its_position(harness):
    reply = await run(harness, "topic create", MANAGER, name="Sinaloa", query='cartel "Sinaloa')
    assert reply.ephemeral
    assert "Not a valid query: unclosed quotation mark (at column 8)" in reply.shown()
    assert [t.name for t in harness.store.list_topics(scope=str(harness.guild_id))] == []
    ok = await run(harness, "topic create", MANAGER, name="Sinaloa", query="cartel Sinaloa")
    assert "Saved the topic Sinaloa" in ok.shown()


async def test_feed_add_from_chat_refuses_loopback_even_when_the_operator_allows_it(
    fake, sqlite_store, feed_server
):
    guild_id = fake.add_guild()
    channel_id = fake.add_channel(guild_id)
    service = await start_service(fake, sqlite_store, polling={"allow_private_hosts": True})
    try:
        interaction = await fake.interact(
            guild_id,
            channel_id,
            "feed add",
            permissions=MANAGER,
            url=feed_server.url("/rss.xml"),
        )
        reply = await interaction.finished(timeout=30)
    finally:
        await stop_service(service)
    assert reply.responses[0]["type"] == 5 and reply.ephemeral
    assert f"cannot follow {feed_server.url('/rss.xml')}" in reply.shown()
    assert "127.0.0.1" in reply.shown()
    assert sqlite_store.list_feeds() == [] and feed_server.hits("/rss.xml") == 0
