"""`newsbrief run` as a subprocess against the fake Discord: killed right after a send, restarted.

Nothing may be posted twice and nothing may be lost. Until the briefings
engine is merged, the process is started through tests.support.run_newsbrief
(the real CLI with the stand-in compose).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta

import pytest

from feeds.schedule import latest_slot
from feeds.store import open_store
from feeds.timeutil import utcnow
from tests.conftest import REPO
from tests.support.fake_discord import FakeDiscord, message_text
from tests.support.newsroom import Said, add_feed, add_story
from tests.support.waiting import eventually

TOKEN = "e2e-token"
HEADLINES = [f"Story {n}: cartel crackdown in region {n}" for n in range(1, 7)]


def write_config(tmp_path, fake: FakeDiscord) -> str:
    path = tmp_path / "newsbrief.toml"
    path.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "e2e.db"}"
[discord]
api_base = "{fake.api_base}"
gateway_url = "{fake.gateway_url}"
[schedule]
grace_period = "6h"
"""
    )
    return str(path)


def seed(tmp_path, channel_id: int) -> list[int]:
    """Six long stories and a subscription whose slot passed 10 minutes ago."""
    store = open_store(f"sqlite:///{tmp_path / 'e2e.db'}")
    try:
        now = utcnow()
        time_of_day = (now - timedelta(minutes=10)).strftime("%H:%M")
        slot = latest_slot(now, time_of_day, "UTC")
        feed = add_feed(store)
        said = (Said("word " * 70, "Omar García Harfuch"), Said("more " * 70, "Claudia Sheinbaum"))
        stories = [
            add_story(
                store,
                feed,
                h,
                summary="detail " * 100,
                quotes=said,
                seen_at=slot - timedelta(hours=1),
            )
            for h in HEADLINES
        ]
        topic = store.add_topic("Mexico security", "cartel")
        subscription = store.subscribe(
            platform="discord",
            channel_id=str(channel_id),
            topic_id=topic.id,
            time_of_day=time_of_day,
        )
        store.update_subscription(
            subscription.id,
            created_at=slot - timedelta(days=2),
            last_slot_at=slot - timedelta(days=1),
        )
        return stories
    finally:
        store.close()


async def start(config: str, tmp_path) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": TOKEN,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.run_newsbrief",
        "--config",
        config,
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


def statuses(tmp_path, channel_id: int, stories: list[int]) -> list[str]:
    store = open_store(f"sqlite:///{tmp_path / 'e2e.db'}", upgrade=False)
    try:
        rows = [
            store.delivery_of(platform="discord", channel_id=str(channel_id), story_id=s)
            for s in stories
        ]
        return [row.status if row else "none" for row in rows]
    finally:
        store.close()


@pytest.mark.parametrize(
    "held_post", [0, 1], ids=["killed-after-first-message", "killed-after-second-message"]
)
async def test_killed_after_a_send_posts_nothing_twice_and_loses_nothing(tmp_path, held_post):
    fake = await FakeDiscord(token=TOKEN).start()
    process = None
    try:
        guild_id = fake.add_guild()
        channel_id = fake.add_channel(guild_id)
        stories = seed(tmp_path, channel_id)
        config = write_config(tmp_path, fake)

        hold = fake.hold_next_post(channel_id, skip=held_post)
        process = await start(config, tmp_path)
        await asyncio.wait_for(hold.arrived.wait(), 60)
        process.send_signal(signal.SIGKILL)  # right after the send, before it is recorded
        await process.wait()
        hold.release()
        before = fake.posts(channel_id)
        assert len(before) == held_post + 1
        assert "pending" in statuses(tmp_path, channel_id, stories)

        process = await start(config, tmp_path)
        await eventually(
            lambda: statuses(tmp_path, channel_id, stories) == ["sent"] * len(stories), timeout=60
        )
        process.send_signal(signal.SIGTERM)
        output = (await asyncio.wait_for(process.communicate(), 30))[0].decode()
        assert process.returncode == 0, output
        assert "SIGTERM: shutting down" in output

        posts = fake.posts(channel_id)
        assert posts[: len(before)] == before  # nothing deleted or edited
        text = "\n".join(message_text(p) for p in posts)
        for headline in HEADLINES:
            assert text.count(headline) == 1, (headline, text)
        assert fake.rejections == []
        assert sum(p["pinged"] != [] for p in posts) == 0
    finally:
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()
