"""The Discord side of `newsbrief run`: log in, sync commands, connect, then run the Runtime."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import aiohttp
import discord

from bot.config import Settings
from bot.core.capabilities import Capabilities
from bot.discord.client import make_bot
from bot.discord.sync import sync_commands
from bot.discord.transport import DiscordTransport
from bot.runtime import Runtime
from feeds.errors import NewsbriefError
from feeds.store import Store
from feeds.timeutil import utcnow

log = logging.getLogger(__name__)


async def login(bot, token: str) -> None:
    """Log in over REST, with Discord's refusals as errors a user can act on."""
    try:
        await bot.login(token)
    except discord.LoginFailure as error:
        raise NewsbriefError(f"Discord refused the token in $DISCORD_TOKEN: {error}") from error
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        raise NewsbriefError(
            f"cannot reach Discord at {discord.http.Route.BASE}: {error}"
        ) from error


class DiscordService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        capabilities: Capabilities,
        token: str,
        *,
        guild_ready_timeout: float | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep=asyncio.sleep,
    ):
        self.settings, self.store, self.token = settings, store, token
        self.bot = make_bot(settings, None, capabilities, guild_ready_timeout=guild_ready_timeout)
        self.runtime = Runtime(
            settings, store, capabilities, DiscordTransport(self.bot), clock=clock, sleep=sleep
        )
        self.bot.core = self.runtime.core
        self._connection: asyncio.Task | None = None

    async def start(self) -> None:
        """Connected, commands registered, schedules armed."""
        await login(self.bot, self.token)
        if self.settings.discord.sync_commands:
            await sync_commands(self.bot, self.store, self.settings.discord.guild_ids)
        self._connection = asyncio.create_task(self.bot.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.bot.wait_until_ready())
        await asyncio.wait({ready, self._connection}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            error = self._connection.exception()
            raise NewsbriefError(f"could not connect to Discord: {error}") from error
        log.info("connected to Discord as %s", self.bot.user)
        await self.runtime.start()

    async def closed(self) -> None:
        """Returns when the gateway connection ends for good."""
        if self._connection is None:
            return
        try:
            await asyncio.shield(self._connection)
        except (discord.DiscordException, aiohttp.ClientError, OSError) as error:
            raise NewsbriefError(f"the Discord connection ended: {error}") from error

    async def stop(self, timeout: float = 10.0) -> None:
        await self.runtime.stop(timeout)
        await self.bot.close()
        if self._connection is not None:
            try:
                await self._connection
            except Exception:  # closing anyway; discord.py logged the cause
                log.debug("gateway task ended with an error", exc_info=True)
