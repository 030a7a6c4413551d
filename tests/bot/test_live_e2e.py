"""Live stories end to end: `newsbrief run` as a subprocess, the loopback feed server, the fake
Discord (or the console), and SIGKILLs between a post or an edit and its record.

Three outlets report one event minutes apart: the story is posted once (pinging exactly the
role the channel chose) and that message is edited as the second and the third outlet's
articles arrive (sources 1 → 2 → 3), never posted again, whenever the bot is killed. Quiet
hours hold new stories back; past the hourly cap they share one "more stories" message.
"""

from __future__ import annotations

import asyncio
import re
import signal
from datetime import timedelta

import discord
import pytest
from sqlmodel import select

from bot.app import apply_config
from bot.config import Settings
from feeds.models import LiveMessage
from feeds.store import open_store
from feeds.timeutil import utcnow
from tests.support.cli import start_run
from tests.support.fake_discord import FakeDiscord, message_text
from tests.support.newsdesk import (
    EVENTS,
    FOOTBALL,
    SALVATIERRA,
    SALVATIERRA_MAYOR,
    loopback_ingest,
    serve,
)
from tests.support.waiting import eventually

TOKEN = "live-e2e-token"
OUTLETS = ("Wire", "Daily", "Post")
MANAGER = discord.Permissions(manage_channels=True, view_channel=True, send_messages=True).value
WAIT = 90  # seconds for anything the bot does (a cold start loads the language model)


class Bot:
    """`newsbrief run` in the background, its output read as it comes."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, config: str, tmp_path, *, token: str | None = TOKEN) -> Bot:
        return cls(await start_run(config, tmp_path, token=token, stdin=asyncio.subprocess.PIPE))

    async def _read(self) -> None:
        async for line in self.process.stdout:
            self.lines.append(line.decode())

    @property
    def output(self) -> str:
        return "".join(self.lines)

    async def until(self, predicate, what: str) -> None:
        """Wait for `predicate`; on a timeout, fail with what the bot said."""
        try:
            await eventually(predicate, timeout=WAIT)
        except TimeoutError:
            raise AssertionError(f"{what}; newsbrief said:\n{self.output[-6000:]}") from None

    async def type(self, line: str) -> None:
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()

    async def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        await self._reader

    async def stop(self) -> int:
        """SIGTERM, as an operator stops it; the exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.process.wait(), 30)
        await self._reader
        return self.process.returncode


def write_config(tmp_path, fake: FakeDiscord | None = None, **live) -> str:
    discord_section = (
        f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
        if fake
        else ""
    )
    live_section = "".join(f"{key} = {value!r}\n" for key, value in live.items())
    path = tmp_path / "newsbrief.toml"
    path.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "live.db"}"
{discord_section}
[polling]
allow_private_hosts = true
parse_workers = 1
timeout = "5s"
interval_min = "1s"
interval_max = "2s"
check_every = "1s"
[live]
max_delay = "10m"
{live_section}
"""
    )
    return str(path)


async def seed(tmp_path, feed_server) -> list[str]:
    """Three outlets already followed (their first poll brought only FOOTBALL); their paths."""
    store = open_store(f"sqlite:///{tmp_path / 'live.db'}")
    ingest = loopback_ingest()
    paths = [f"/{name.lower()}.xml" for name in OUTLETS]
    try:
        apply_config(store, Settings())
        feeds = [
            store.add_feed(serve(feed_server, path, [FOOTBALL], title=name), name=name)
            for name, path in zip(OUTLETS, paths, strict=True)
        ]
        await ingest.cycle(store)
        for feed in feeds:  # due when the bot starts (it polls them every second or two)
            store.update_feed(feed.id, next_check_at=utcnow())
    finally:
        ingest.close()
        store.close()
    return paths


def publish(feed_server, path: str, *reports) -> None:
    serve(feed_server, path, [*reports, FOOTBALL], title=path.strip("/").split(".")[0])


def ledger(tmp_path) -> list[tuple[str, str, int]]:
    """(kind, status, edits) of every live message, oldest first."""
    store = open_store(f"sqlite:///{tmp_path / 'live.db'}", upgrade=False)
    try:
        with store.session() as session:
            rows = session.exec(select(LiveMessage).order_by(LiveMessage.id)).all()
            return [(row.kind, row.status, row.edits) for row in rows]
    finally:
        store.close()


def sources(message: dict) -> int:
    (embed,) = message["embeds"]
    return int(re.match(r"(\d+) sources?", embed["footer"]["text"]).group(1))


def channel_posts(fake: FakeDiscord, channel_id: int) -> list[dict]:
    """What the bot posted in the channel by itself (not replies to commands)."""
    return [m for m in fake.posts(channel_id) if m["type"] == 0]


async def command(fake, guild_id, channel_id, name, **options):
    interaction = await fake.interact(guild_id, channel_id, name, permissions=MANAGER, **options)
    return (await interaction.finished(30)).shown()


@pytest.fixture
async def fake():
    fake = await FakeDiscord(token=TOKEN).start()
    yield fake
    await fake.stop()


async def test_a_story_is_posted_once_and_grows_by_edits_across_kills(tmp_path, feed_server, fake):
    guild_id = fake.add_guild()
    channel_id = fake.add_channel(guild_id)
    role = fake.add_role(guild_id, "mexico-desk")
    other_role = fake.add_role(guild_id, "everyone-else")
    wire, daily, post = await seed(tmp_path, feed_server)
    config = write_config(tmp_path, fake)
    bot = await Bot.start(config, tmp_path)
    try:
        await fake.wait_for_gateway(timeout=WAIT)
        await eventually(lambda: fake.registered("subscribe"), timeout=WAIT)
        reply = await command(
            fake, guild_id, channel_id, "subscribe", topic="Mexico security", mode="live",
            mention=role,
        )  # fmt: skip
        assert "live stories on Mexico security" in reply, reply

        # The first outlet reports it: posted once; killed before the post is recorded.
        hold = fake.hold_next_post(channel_id)
        publish(feed_server, wire, SALVATIERRA[0])
        await asyncio.wait_for(hold.arrived.wait(), WAIT)
        await bot.kill()
        hold.release()
        assert ledger(tmp_path) == [("story", "pending", 0)]
        (first,) = channel_posts(fake, channel_id)
        assert first["pinged"] == [f"role:{role}"] and f"role:{other_role}" not in first["pinged"]
        assert sources(first) == 1 and SALVATIERRA[0].title in message_text(first)

        # Restarted: the post is found by its marker, not posted again; the second outlet
        # reports it: the message is edited.
        bot = await Bot.start(config, tmp_path)
        await bot.until(lambda: ledger(tmp_path) == [("story", "sent", 0)], "reconciled")
        publish(feed_server, daily, SALVATIERRA[1])
        await bot.until(lambda: sources(channel_posts(fake, channel_id)[-1]) == 2, "edited to 2")

        # The third outlet: killed right after Discord took the edit, before it is recorded.
        hold = fake.hold_next_edit(channel_id)
        publish(feed_server, post, SALVATIERRA[2])
        await asyncio.wait_for(hold.arrived.wait(), WAIT)
        await bot.kill()
        hold.release()
        assert ledger(tmp_path) == [("story", "sent", 1)]

        bot = await Bot.start(config, tmp_path)
        await bot.until(lambda: ledger(tmp_path) == [("story", "sent", 2)], "edit made again")
        assert await bot.stop() == 0, bot.output
        assert "SIGTERM: shutting down" in bot.output

        (story,) = channel_posts(fake, channel_id)  # one message, all along
        assert story["id"] == first["id"]
        assert [sources({"embeds": e["embeds"]}) for e in fake.edits_of(story["id"])] == [2, 3, 3]
        assert sources(story) == 3
        assert f"— {SALVATIERRA_MAYOR}" in message_text(story)  # the best new quote
        assert all("content" not in edit for edit in fake.edits_of(story["id"]))
        assert story["pinged"] == [f"role:{role}"]  # pinged once, by the post
        assert fake.rejections == []
    finally:
        if bot.process.returncode is None:
            await bot.kill()


async def test_quiet_hours_hold_then_the_cap_lists_the_rest(tmp_path, feed_server, fake):
    guild_id = fake.add_guild()
    channel_id = fake.add_channel(guild_id)
    role = fake.add_role(guild_id, "mexico-desk")
    wire, daily, _ = await seed(tmp_path, feed_server)
    config = write_config(tmp_path, fake, max_per_hour=2)
    now = utcnow()
    quiet = f"{now - timedelta(hours=1):%H:%M}-{now + timedelta(hours=1):%H:%M}"
    bot = await Bot.start(config, tmp_path)
    try:
        await fake.wait_for_gateway(timeout=WAIT)
        await eventually(lambda: fake.registered("subscribe"), timeout=WAIT)
        live = {"topic": "Mexico security", "mode": "live", "mention": role}
        reply = await command(fake, guild_id, channel_id, "subscribe", **live, quiet=quiet)
        assert f"Quiet hours {quiet} UTC" in reply

        # During quiet hours: three stories come in, nothing is posted.
        publish(feed_server, wire, *EVENTS[:3])
        polls = feed_server.hits(wire)
        await bot.until(lambda: feed_server.hits(wire) >= polls + 4, "polled")
        why = await command(
            fake, guild_id, channel_id, "why", url=feed_server.url(f"/news/{EVENTS[0].slug}.html")
        )
        assert "Mexico security: matches; held by quiet hours until" in why, why
        assert channel_posts(fake, channel_id) == [] and ledger(tmp_path) == []

        # Quiet hours off: two go out on their own (the cap), the third in a list.
        await command(fake, guild_id, channel_id, "subscribe", **live, quiet="off")
        await bot.until(lambda: len(channel_posts(fake, channel_id)) == 3, "posted and listed")
        assert [kind for kind, _, _ in ledger(tmp_path)] == ["story", "story", "more"]
        # A fourth story within the hour joins the same list, by an edit.
        publish(feed_server, daily, EVENTS[3])
        await bot.until(lambda: ledger(tmp_path)[-1] == ("more", "sent", 1), "listed by an edit")
        assert await bot.stop() == 0, bot.output

        posts = channel_posts(fake, channel_id)
        assert len(posts) == 3  # never more than the cap, plus one list
        stories, more = posts[:2], posts[2]
        assert all(p["pinged"] == [f"role:{role}"] for p in stories)
        assert more["pinged"] == [] and more["content"] == ""
        listed = message_text(more)
        assert "2 stories" in listed and EVENTS[3].title in listed
        shown = [message_text(p) for p in posts]
        for report in EVENTS[:4]:
            assert sum(report.title in text for text in shown) == 1, report.title
        assert fake.rejections == []
    finally:
        if bot.process.returncode is None:
            await bot.kill()


async def test_the_console_shows_live_stories_as_they_come(tmp_path, feed_server):
    wire, daily, _ = await seed(tmp_path, feed_server)
    bot = await Bot.start(write_config(tmp_path), tmp_path, token=None)
    try:
        await bot.type("/subscribe Mexico security live")
        await bot.until(lambda: "live stories on Mexico security" in bot.output, "subscribed")
        publish(feed_server, wire, SALVATIERRA[0])
        await bot.until(lambda: "Live · Mexico security · 1 source" in bot.output, "posted")
        publish(feed_server, daily, SALVATIERRA[1])
        update = "(update) Live · Mexico security · 2 sources"
        await bot.until(lambda: update in bot.output, "updated")
        bot.process.stdin.close()  # EOF ends the console
        assert await bot.stop() == 0, bot.output
        text = bot.output
        assert text.count(SALVATIERRA[0].title) == 2  # the post, then its update
        assert "Wire · Daily" in text.split(update, 1)[1]
    finally:
        if bot.process.returncode is None:
            await bot.kill()
