"""`newsbrief run` as a subprocess: served feeds, the fake Discord, a SIGKILL right after a send.

The bot polls the loopback feed server itself (full text, quotes, grouping),
posts the daily briefing it missed, is killed between a send and its record,
and is started again. Nothing may be posted twice and nothing may be lost.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

import pytest

from bot.app import apply_config
from bot.config import Settings
from feeds.schedule import latest_slot
from feeds.store import open_store
from feeds.timeutil import utcnow
from tests.support.cli import start_run
from tests.support.fake_discord import FakeDiscord, message_text
from tests.support.newsdesk import (
    EVENTS,
    FOOTBALL,
    GUARD,
    TROOPS,
    TROOPS_SPEAKER,
    loopback_ingest,
    serve,
)
from tests.support.waiting import eventually

TOKEN = "e2e-token"
NEWS = [TROOPS, GUARD, *EVENTS]  # eight stories: two Discord messages


def write_config(tmp_path, fake: FakeDiscord) -> str:
    path = tmp_path / "newsbrief.toml"
    path.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "e2e.db"}"
[discord]
api_base = "{fake.api_base}"
gateway_url = "{fake.gateway_url}"
[polling]
allow_private_hosts = true
parse_workers = 1
timeout = "5s"
[schedule]
grace_period = "6h"
"""
    )
    return str(path)


async def seed(tmp_path, feed_server, channel_id: int) -> None:
    """A feed already followed (its first poll brought only FOOTBALL) that now carries
    the eight stories, and a subscription whose slot passed 10 minutes ago."""
    store = open_store(f"sqlite:///{tmp_path / 'e2e.db'}")
    ingest = loopback_ingest()
    try:
        apply_config(store, Settings())
        feed = store.add_feed(serve(feed_server, "/wire.xml", [FOOTBALL]), origin="config")
        await ingest.cycle(store)
        serve(feed_server, "/wire.xml", [*NEWS, FOOTBALL])
        store.update_feed(feed.id, next_check_at=utcnow())  # due when the bot starts
        now = utcnow()
        time_of_day = (now - timedelta(minutes=10)).strftime("%H:%M")
        slot = latest_slot(now, time_of_day, "UTC")
        subscription = store.subscribe(
            platform="discord",
            channel_id=str(channel_id),
            topic_id=store.get_topic("Mexico security").id,
            time_of_day=time_of_day,
        )
        store.update_subscription(
            subscription.id,
            created_at=slot - timedelta(days=2),
            last_slot_at=slot - timedelta(days=1),
        )
    finally:
        ingest.close()
        store.close()


async def start(config: str, tmp_path) -> asyncio.subprocess.Process:
    return await start_run(config, tmp_path, token=TOKEN)


def statuses(tmp_path, channel_id: int) -> list[str]:
    """The ledger status of each of the eight stories in the channel ("none": no row)."""
    store = open_store(f"sqlite:///{tmp_path / 'e2e.db'}", upgrade=False)
    try:
        found = []
        for report in NEWS:
            article = next(
                (a for a in store.list_articles() if a.title == report.title and a.story_id),
                None,
            )
            row = article and store.delivery_of(
                platform="discord", channel_id=str(channel_id), story_id=article.story_id
            )
            found.append(row.status if row else "none")
        return found
    finally:
        store.close()


@pytest.mark.parametrize(
    "held_post", [0, 1], ids=["killed-after-first-message", "killed-after-second-message"]
)
async def test_killed_after_a_send_posts_nothing_twice_and_loses_nothing(
    tmp_path, feed_server, held_post
):
    fake = await FakeDiscord(token=TOKEN).start()
    process = None
    try:
        guild_id = fake.add_guild()
        channel_id = fake.add_channel(guild_id)
        await seed(tmp_path, feed_server, channel_id)
        config = write_config(tmp_path, fake)

        hold = fake.hold_next_post(channel_id, skip=held_post)
        process = await start(config, tmp_path)
        await asyncio.wait_for(hold.arrived.wait(), 90)
        process.send_signal(signal.SIGKILL)  # right after the send, before it is recorded
        await process.wait()
        hold.release()
        before = fake.posts(channel_id)
        assert len(before) == held_post + 1
        assert "pending" in statuses(tmp_path, channel_id)
        assert feed_server.hits("/news/sheinbaum-troops.html") == 1  # the bot fetched it

        process = await start(config, tmp_path)
        await eventually(lambda: statuses(tmp_path, channel_id) == ["sent"] * len(NEWS), timeout=90)
        process.send_signal(signal.SIGTERM)
        output = (await asyncio.wait_for(process.communicate(), 30))[0].decode()
        assert process.returncode == 0, output
        assert "SIGTERM: shutting down" in output

        posts = fake.posts(channel_id)
        assert len(posts) == 2 and posts[: len(before)] == before  # nothing deleted or edited
        text = "\n".join(message_text(p) for p in posts)
        for report in NEWS:
            assert text.count(report.title) == 1, (report.title, text)
        assert FOOTBALL.title not in text
        assert f"— {TROOPS_SPEAKER}" in text  # real quotes, found by the bot's own analysis
        assert fake.rejections == []
        assert sum(p["pinged"] != [] for p in posts) == 0
    finally:
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()
