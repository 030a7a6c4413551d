"""A running bot (the real discord.py client) connected to the fake Discord."""

from __future__ import annotations

from dataclasses import dataclass

import discord
import pytest

from bot.config import Settings
from bot.core.capabilities import Capabilities
from bot.discord.client import point_at
from bot.discord.service import DiscordService
from feeds.store import Store
from tests.support.fake_discord import FakeDiscord
from tests.support.newsroom import compose_stored

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


def settings_for(fake: FakeDiscord, **discord_options) -> Settings:
    return Settings.model_validate(
        {
            "discord": {
                "api_base": fake.api_base,
                "gateway_url": fake.gateway_url,
                **discord_options,
            },
            "schedule": {"grace_period": "6h"},
        }
    )


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


async def start_service(fake, store, *, capabilities=None, **discord_options) -> DiscordService:
    service = DiscordService(
        settings_for(fake, **discord_options),
        store,
        capabilities or Capabilities(compose=compose_stored),
        TOKEN,
        guild_ready_timeout=0.05,
        sleep=no_sleep,
    )
    await service.start()
    return service


@pytest.fixture
async def harness(fake, sqlite_store):
    store = sqlite_store
    guild_id = fake.add_guild()
    channel_id = fake.add_channel(guild_id)
    service = await start_service(fake, store)
    yield Harness(fake, service, store, guild_id, channel_id)
    await service.stop(timeout=1)
    assert fake.rejections == [], "the bot sent payloads Discord would refuse"


MANAGER = discord.Permissions(manage_channels=True, view_channel=True, send_messages=True).value
