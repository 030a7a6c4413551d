"""The discord.py client: endpoints, intents, sharding, extensions, and the one error handler."""

from __future__ import annotations

import logging

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.core.capabilities import Capabilities
from bot.core.commands import ChatCore
from bot.core.specs import available

log = logging.getLogger(__name__)

# One extension (cog) per feature; each is a thin adapter over bot.core.
EXTENSIONS = (
    "bot.discord.exts.briefs",
    "bot.discord.exts.subscriptions",
    "bot.discord.exts.topics",
    "bot.discord.exts.feeds",
    "bot.discord.exts.status",
)
# How long discord.py waits for GUILD_CREATEs after READY (tests lower it).
GUILD_READY_TIMEOUT = 2.0

_DEFAULT_BASE = discord.http.Route.BASE
_DEFAULT_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def point_at(api_base: str | None, gateway_url: str | None) -> None:
    """Send discord.py's REST calls and gateway connection elsewhere (a proxy, a fake).

    Both are class attributes in discord.py, so this is process-wide; None
    restores Discord's own.
    """
    discord.http.Route.BASE = (api_base or _DEFAULT_BASE).rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
        yarl.URL(gateway_url) if gateway_url else _DEFAULT_GATEWAY
    )


class NewsbriefBotMixin:
    """What every newsbrief bot has, whatever its sharding."""

    core: ChatCore
    capabilities: Capabilities

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        prune_unavailable(self.tree, self.capabilities)
        from bot.discord.interactions import on_tree_error

        self.tree.on_error = on_tree_error


class NewsbriefBot(NewsbriefBotMixin, commands.Bot):
    pass


class NewsbriefShardedBot(NewsbriefBotMixin, commands.AutoShardedBot):
    pass


def make_bot(
    settings: Settings,
    core: ChatCore,
    capabilities: Capabilities,
    *,
    guild_ready_timeout: float | None = None,
) -> commands.Bot:
    """A bot that only needs the guilds intent and can never ping anyone."""
    point_at(settings.discord.api_base, settings.discord.gateway_url)
    # newsbrief never joins voice: do not warn about voice libraries at every start.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    options = dict(
        command_prefix=commands.when_mentioned,
        help_command=None,
        intents=discord.Intents(guilds=True),
        allowed_mentions=discord.AllowedMentions.none(),
        max_messages=None,
        chunk_guilds_at_startup=False,
        guild_ready_timeout=GUILD_READY_TIMEOUT
        if guild_ready_timeout is None
        else guild_ready_timeout,
    )
    shards = settings.discord.shards
    if shards == "auto":
        bot = NewsbriefShardedBot(shard_count=None, **options)
    elif shards > 1:
        bot = NewsbriefShardedBot(shard_count=shards, **options)
    else:
        bot = NewsbriefBot(**options)
    bot.core, bot.capabilities = core, capabilities
    return bot


def prune_unavailable(tree: app_commands.CommandTree, capabilities: Capabilities) -> list[str]:
    """Remove the commands whose capability this build lacks; returns their names."""
    wanted = {spec.name for spec in available(capabilities)}
    removed = []
    for command in list(tree.walk_commands()):
        spec = command.extras.get("spec")
        if isinstance(command, app_commands.Command) and spec and spec not in wanted:
            parent = command.parent
            (parent or tree).remove_command(command.name)
            removed.append(spec)
    for group in list(tree.get_commands()):
        if isinstance(group, app_commands.Group) and not group.commands:
            tree.remove_command(group.name)
    if removed:
        log.info("commands left out of this build: %s", ", ".join(sorted(removed)))
    return removed
