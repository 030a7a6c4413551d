"""A running bot (the real discord.py client) connected to the fake Discord."""

from __future__ import annotations

from dataclasses import dataclass, replace

import discord
import pytest

from bot.config import Settings
from bot.core.capabilities import Capabilities, wired
from bot.discord.client import point_at
from bot.discord.service import DiscordService
from feeds.store import Store
from tests.support.fake_discord import FakeDiscord

TOKEN = "fake-token"


@dataclass
class Harness:
    fake: FakeDiscord
    service: DiscordService
    store: Store
    guild_id: int
    channel_id: int

    @property
    def runtime(self):
        return self.service.runtime


def settings_for(fake: FakeDiscord, polling: dict | None = None, **discord_options) -> Settings:
    return Settings.model_validate(
        {
            "discord": {
                "api_base": fake.api_base,
                "gateway_url": fake.gateway_url,
                **discord_options,
            },
            "schedule": {"grace_period": "6h"},
            "polling": {"parse_workers": 1, **(polling or {})},
        }
    )


def real_capabilities(settings: Settings) -> Capabilities:
    """The real engines. No poll cycle: tests put their news in the database themselves
    (written directly, or by running the ingest cycle on served feeds)."""
    return replace(wired(settings), poll_cycle=None)


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


@pytest.fixture
async def fake():
    fake = await FakeDiscord(token=TOKEN).start()
    yield fake
    await fake.stop()
    point_at(None, None)


async def no_sleep(_seconds: float) -> None:
    return None


async def start_service(
    fake, store, *, capabilities=None, polling=None, **discord_options
) -> DiscordService:
    settings = settings_for(fake, polling, **discord_options)
    service = DiscordService(
        settings,
        store,
        capabilities or real_capabilities(settings),
        TOKEN,
        guild_ready_timeout=0.05,
        sleep=no_sleep,
    )
    await service.start()
    return service


async def stop_service(service: DiscordService) -> None:
    await service.stop(timeout=1)
    service.runtime.capabilities.close()


@pytest.fixture
async def harness(fake, sqlite_store):
    store = sqlite_store
    guild_id = fake.add_guild()
    channel_id = fake.add_channel(guild_id)
    service = await start_service(fake, store)
    yield Harness(fake, service, store, guild_id, channel_id)
    await stop_service(service)
    assert fake.rejections == [], "the bot sent payloads Discord would refuse"


MANAGER = discord.Permissions(manage_channels=True, view_channel=True, send_messages=True).value
