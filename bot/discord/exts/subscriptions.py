"""/subscribe, /unsubscribe and /subscriptions."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.commands import RoleMention
from bot.discord.interactions import answer, timezone_choices, topic_choices

MODES = [app_commands.Choice(name=mode, value=mode) for mode in ("daily", "live")]


class Subscriptions(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    @app_commands.command(
        name="subscribe",
        description="A daily briefing on a topic in this channel, or live stories as they come",
        extras={"spec": "subscribe"},
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.describe(
        topic="The topic (see /topic list)",
        time="Daily: local time of day, HH:MM (default 08:00)",
        timezone="IANA time zone, e.g. Europe/Madrid",
        mode="daily: one briefing a day; live: each new story, updated as outlets report it",
        mention="Live: a role to ping on each new story (nothing else is ever pinged)",
        quiet="Live: quiet hours, e.g. 23:00-07:00 (off for none)",
    )
    @app_commands.choices(mode=MODES)
    @app_commands.autocomplete(topic=topic_choices, timezone=timezone_choices)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 1, 100],
        time: app_commands.Range[str, 4, 5] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        mode: app_commands.Choice[str] | None = None,
        mention: discord.Role | None = None,
        quiet: app_commands.Range[str, 2, 12] | None = None,
    ) -> None:
        role = RoleMention(str(mention.id), mention.name) if mention else None
        await answer(
            interaction,
            "subscribe",
            lambda ctx: self.bot.core.subscribe(
                ctx,
                topic,
                time,
                timezone,
                mode=mode.value if mode else None,
                mention=role,
                quiet=quiet,
            ),
        )

    @app_commands.command(
        name="unsubscribe",
        description="Stop a daily briefing or live stories in this channel",
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
        description="This channel's daily briefings (next post) and live stories",
        extras={"spec": "subscriptions"},
    )
    @app_commands.guild_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "subscriptions", self.bot.core.subscriptions)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Subscriptions(bot))
