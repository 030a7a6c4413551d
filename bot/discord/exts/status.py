"""/status, /why and /help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.interactions import answer


class Status(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    @app_commands.command(
        name="status",
        description="Failing feeds, the last poll and the next briefing here",
        extras={"spec": "status"},
    )
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "status", self.bot.core.status)

    @app_commands.command(
        name="why",
        description="Whether an article was posted here, and when",
        extras={"spec": "why"},
    )
    @app_commands.guild_only()
    @app_commands.describe(url="The article's link")
    async def why(
        self, interaction: discord.Interaction, url: app_commands.Range[str, 8, 2048]
    ) -> None:
        await answer(interaction, "why", lambda ctx: self.bot.core.why(ctx, url))

    @app_commands.command(name="help", description="What newsbrief can do", extras={"spec": "help"})
    async def help(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "help", self.bot.core.help)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Status(bot))
