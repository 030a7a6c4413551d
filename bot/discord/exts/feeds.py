"""/feed add|list|remove."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.interactions import answer


@app_commands.guild_only()
@app_commands.default_permissions(manage_channels=True)
class Feeds(commands.GroupCog, group_name="feed", group_description="The feeds newsbrief follows"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        super().__init__()

    @app_commands.command(name="add", description="Follow a feed here", extras={"spec": "feed add"})
    @app_commands.describe(url="The feed's address (http or https)")
    async def add(
        self, interaction: discord.Interaction, url: app_commands.Range[str, 8, 2048]
    ) -> None:
        await answer(interaction, "feed add", lambda ctx: self.bot.core.feed_add(ctx, url))

    @app_commands.command(
        name="list",
        description="The feeds followed here and their health",
        extras={"spec": "feed list"},
    )
    async def list(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "feed list", self.bot.core.feed_list)

    @app_commands.command(
        name="remove",
        description="Stop following a feed here",
        extras={"spec": "feed remove"},
    )
    @app_commands.describe(feed="The feed's number (from /feed list) or address")
    async def remove(
        self, interaction: discord.Interaction, feed: app_commands.Range[str, 1, 2048]
    ) -> None:
        await answer(interaction, "feed remove", lambda ctx: self.bot.core.feed_remove(ctx, feed))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Feeds(bot))
