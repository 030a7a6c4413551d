"""From an interaction to the command core and back: context, replies, and the one error handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from bot.core.commands import ChatContext, Reply, suggest_timezones
from bot.core.specs import BY_NAME
from bot.discord.render import render_briefing, split_text
from feeds.errors import NewsbriefError

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
Handler = Callable[[ChatContext], Awaitable[Reply]]


def chat_context(interaction: discord.Interaction) -> ChatContext:
    return ChatContext(
        platform="discord",
        channel_id=str(interaction.channel_id),
        user_id=str(interaction.user.id),
        guild_id=str(interaction.guild_id) if interaction.guild_id else None,
        # Resolved by Discord for this member in this channel, overwrites included.
        can_manage=interaction.permissions.manage_channels,
    )


async def answer(interaction: discord.Interaction, command: str, handler: Handler) -> None:
    """Run a core handler for an interaction: defer first when the command is slow."""
    if BY_NAME[command].slow:
        await interaction.response.defer(thinking=True)
        interaction.extras["deferred_publicly"] = True
    reply = await handler(chat_context(interaction))
    await send_reply(interaction, reply)


def reply_messages(reply: Reply) -> list[dict]:
    """A reply as send() keyword arguments, one dict per message, all within limits."""
    messages = [{"content": chunk} for chunk in split_text(reply.text)] if reply.text else []
    if reply.briefing is not None:
        for part in render_briefing(reply.briefing):
            embeds = [discord.Embed.from_dict(embed) for embed in part.payload]
            messages.append({"embeds": embeds})
    return messages


async def send_reply(interaction: discord.Interaction, reply: Reply) -> None:
    for message in reply_messages(reply):
        if not interaction.response.is_done():
            await interaction.response.send_message(
                **message, ephemeral=reply.private, allowed_mentions=NO_PINGS
            )
        else:
            await interaction.followup.send(
                **message, ephemeral=reply.private, allowed_mentions=NO_PINGS
            )


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """An error only the user sees, whatever state the interaction is in."""
    if interaction.response.is_done() and interaction.extras.get("deferred_publicly"):
        # A public "thinking…" cannot turn private: remove it, then follow up privately.
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.debug("could not delete the deferred response", exc_info=True)
    await send_reply(interaction, Reply(text, private=True))


async def on_tree_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """The one error handler of every slash command."""
    cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(cause, NewsbriefError):
        message = str(cause)
    elif isinstance(cause, app_commands.MissingPermissions):
        message = "You need the Manage Channels permission for that."
    elif isinstance(cause, app_commands.NoPrivateMessage):
        message = "This command works in a server channel."
    elif isinstance(cause, app_commands.TransformerError):
        message = f"That value does not work here: {cause.value!r}."
    elif isinstance(cause, app_commands.CheckFailure):
        message = "You cannot use this command here."
    else:
        log.error("/%s failed", _name(interaction), exc_info=cause)
        message = "Something went wrong on our side; it has been logged."
    try:
        await send_private(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the user that /%s failed: %s", _name(interaction), message)


def _name(interaction: discord.Interaction) -> str:
    return interaction.command.qualified_name if interaction.command else "?"


async def topic_choices(
    interaction: discord.Interaction, typed: str
) -> list[app_commands.Choice[str]]:
    core = interaction.client.core
    names = core.suggest_topics(chat_context(interaction), typed)
    return [app_commands.Choice(name=n[:100], value=n) for n in names]


async def timezone_choices(
    interaction: discord.Interaction, typed: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in suggest_timezones(typed)]
