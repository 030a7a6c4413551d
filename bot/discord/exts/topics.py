"""/topic create|list|preview|delete."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.interactions import answer, topic_choices


@app_commands.guild_only()
@app_commands.default_permissions(manage_channels=True)
class Topics(commands.GroupCog, group_name="topic", group_description="Saved topics"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="create", description="Save a topic", extras={"spec": "topic create"}
    )
    @app_commands.describe(name="Its name", query='Words, "phrases", OR, -exclusions')
    async def create(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 100],
        query: app_commands.Range[str, 1, 500],
    ) -> None:
        await answer(
            interaction, "topic create", lambda ctx: self.bot.core.topic_create(ctx, name, query)
        )

    @app_commands.command(name="list", description="The topics", extras={"spec": "topic list"})
    async def list(self, interaction: discord.Interaction) -> None:
        await answer(interaction, "topic list", self.bot.core.topic_list)

    @app_commands.command(
        name="preview", description="What a topic brings today", extras={"spec": "topic preview"}
    )
    @app_commands.autocomplete(name=topic_choices)
    async def preview(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]
    ) -> None:
        await answer(
            interaction, "topic preview", lambda ctx: self.bot.core.topic_preview(ctx, name)
        )

    @app_commands.command(
        name="delete", description="Delete this server's topic", extras={"spec": "topic delete"}
    )
    @app_commands.autocomplete(name=topic_choices)
    async def delete(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]
    ) -> None:
        await answer(interaction, "topic delete", lambda ctx: self.bot.core.topic_delete(ctx, name))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Topics(bot))
