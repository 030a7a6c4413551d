"""/subscribe, /unsubscribe and /subscriptions."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.interactions import answer, timezone_choices, topic_choices


class Subscriptions(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    @app_commands.command(
        name="subscribe",
        description="A daily briefing on a topic in this channel",
        extras={"spec": "subscribe"},
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.describe(
        topic="The topic (see /topic list)",
        time="Local time of day, HH:MM (default 08:00)",
        timezone="IANA time zone, e.g. Europe/Madrid",
    )
    @app_commands.autocomplete(topic=topic_choices, timezone=timezone_choices)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 1, 100],
        time: app_commands.Range[str, 4, 5] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        await answer(
            interaction,
            "subscribe",
            lambda ctx: self.bot.core.subscribe(ctx, topic, time, timezone),
        )

    @app_commands.command(
        name="unsubscribe",
        description="Stop a daily briefing in this channel",
        extras={"spec": "unsubscribe"},
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.describe(topic="The topic to stop")
    @app_commands.autocomplete(topic=topic_choices)
    async def unsubscribe(
        self, interaction: discord.Interaction, topic: app_commands.Range[str, 1, 100]
    ) -> None:
        await answer(interaction, "unsubscribe", lambda ctx: self.bot.core.unsubscribe(ctx, topic))

    @app_commands.command(
        name="subscriptions",
        description="This channel's daily briefings and their next post",
        extras={"spec": "subscriptions"},
    )
    @app_commands.guild_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "subscriptions", self.bot.core.subscriptions)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Subscriptions(bot))
