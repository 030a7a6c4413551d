"""/brief."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.interactions import answer, topic_choices


class Briefs(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    @app_commands.command(
        name="brief",
        description="A briefing now, on a topic or any words",
        extras={"spec": "brief"},
    )
    @app_commands.guild_only()
    @app_commands.describe(
        query="A topic name or some words (default: this channel's topic)",
        since="How far back, e.g. 24h or 3d",
    )
    @app_commands.autocomplete(query=topic_choices)
    async def brief(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 200] | None = None,
        since: app_commands.Range[str, 2, 10] | None = None,
    ) -> None:
        await answer(interaction, "brief", lambda ctx: self.bot.core.brief(ctx, query, since))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Briefs(bot))
