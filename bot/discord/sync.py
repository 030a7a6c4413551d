"""Slash command registration, only when the command set changed (200 creates/day/guild)."""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from feeds.store import Store

log = logging.getLogger(__name__)


def command_set_hash(tree: app_commands.CommandTree, guild_ids: list[int]) -> str:
    """A digest of exactly what would be registered (names, options, permissions, guilds)."""
    commands = sorted((c.to_dict(tree) for c in tree.get_commands()), key=lambda c: c["name"])
    text = json.dumps({"commands": commands, "guilds": sorted(guild_ids)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def state_key(application_id: int | None) -> str:
    return f"discord.commands_hash.{application_id}"


async def sync_commands(
    client: discord.Client, store: Store, guild_ids: list[int], *, force: bool = False
) -> bool:
    """Register the commands if they changed since the last sync (or `force`); True if synced."""
    tree = client.tree
    digest = command_set_hash(tree, guild_ids)
    key = state_key(client.application_id)
    if not force and store.get_state(key) == digest:
        log.info("slash commands unchanged; not syncing")
        return False
    synced = await tree.sync()
    for guild_id in guild_ids:
        guild = discord.Object(guild_id)
        tree.copy_global_to(guild=guild)
        await tree.sync(guild=guild)
        tree.clear_commands(guild=guild)
    store.set_state(key, digest)
    log.info("synced %d slash commands (and to %d guilds)", len(synced), len(guild_ids))
    return True


async def force_sync(settings, store: Store, capabilities) -> int:
    """Log in (no gateway), register the commands, log out; returns how many."""
    from bot.discord.client import make_bot
    from bot.discord.service import login

    bot = make_bot(settings, None, capabilities)
    async with bot:
        await login(bot, settings.discord.token.get_secret_value())
        await sync_commands(bot, store, settings.discord.guild_ids, force=True)
        return len(bot.tree.get_commands())
