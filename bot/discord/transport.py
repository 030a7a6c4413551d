"""Posting into Discord channels for the Deliverer, with discord.py errors mapped to ours."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.delivery import ChannelGone, MessageGone, SendFailed
from bot.discord import render
from bot.discord.render_live import DiscordMessage, render_live
from feeds.briefs import Briefing
from feeds.delivery import Part
from feeds.live import LiveView

log = logging.getLogger(__name__)

# How far back a restart looks for the markers of interrupted sends.
HISTORY_LIMIT = 100
UNKNOWN_MESSAGE = 10008  # Discord's error code for a deleted (or never posted) message


class DiscordTransport:
    platform = "discord"

    def __init__(self, client: discord.Client):
        self.client = client

    def render_briefing(self, briefing: Briefing, *, batch: str) -> list[Part]:
        return render.render_briefing(briefing, batch=batch)

    def render_notice(self, title: str, text: str, *, marker_text: str) -> list[dict]:
        return render.render_notice(title, text, marker_text=marker_text)

    def render_live(self, view: LiveView, *, marker_text: str) -> DiscordMessage:
        return render_live(view, marker_text=marker_text)

    async def send(self, channel_id: str, payload: list[dict] | DiscordMessage) -> str:
        """Post embeds (a briefing's part, a notice) or a message; only the message's own
        roles may be pinged, nothing else ever is."""
        message = payload if isinstance(payload, DiscordMessage) else DiscordMessage(payload)
        channel = self.client.get_partial_messageable(int(channel_id))
        with translate_errors(channel_id):
            sent = await channel.send(
                content=message.content,
                embeds=[discord.Embed.from_dict(embed) for embed in message.embeds],
                allowed_mentions=allowed_mentions(message.role_ids),
            )
        return str(sent.id)

    async def edit(self, channel_id: str, message_id: str, payload: DiscordMessage) -> None:
        """Replace the embeds of one of our messages (its content, and so its mention,
        stays as posted; an edit pings nobody). MessageGone when it was deleted."""
        channel = self.client.get_partial_messageable(int(channel_id))
        with translate_errors(channel_id):
            await channel.get_partial_message(int(message_id)).edit(
                embeds=[discord.Embed.from_dict(embed) for embed in payload.embeds],
                allowed_mentions=discord.AllowedMentions.none(),
            )

    async def recent_texts(self, channel_id: str) -> list[tuple[str, str]]:
        channel = self.client.get_partial_messageable(int(channel_id))
        me = self.client.user.id if self.client.user else None
        found = []
        with translate_errors(channel_id):
            async for message in channel.history(limit=HISTORY_LIMIT):
                if message.author.id == me:
                    found.append((str(message.id), message_text(message)))
        return found


def allowed_mentions(role_ids: tuple[str, ...]) -> discord.AllowedMentions:
    """Nobody, or exactly these roles: never @everyone, users or other roles."""
    if not role_ids:
        return discord.AllowedMentions.none()
    roles = [discord.Object(int(role_id)) for role_id in role_ids]
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)


def message_text(message: discord.Message) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
    return "\n".join(parts)


class translate_errors:
    """discord.py and network errors as ChannelGone (403/404) or SendFailed (the rest)."""

    def __init__(self, channel_id: str):
        self.channel_id = channel_id

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            return False
        if isinstance(error, discord.Forbidden):
            raise ChannelGone(f"no permission to post (403 {error.text})") from error
        if isinstance(error, discord.NotFound) and error.code == UNKNOWN_MESSAGE:
            raise MessageGone(f"the message was deleted (404 {error.text})") from error
        if isinstance(error, discord.NotFound):
            raise ChannelGone(f"the channel is gone (404 {error.text})") from error
        if isinstance(error, discord.RateLimited):
            raise SendFailed(f"rate limited for {error.retry_after:.0f}s") from error
        if isinstance(error, discord.HTTPException):
            # discord.py already retried 429s and 5xx; a 400 is a bug we will not fix by retrying.
            retry = error.status >= 500 or error.status == 429
            raise SendFailed(f"{error.status} {error.text}", retry=retry) from error
        if isinstance(error, aiohttp.ClientError | asyncio.TimeoutError | OSError):
            raise SendFailed(f"network: {error!r}") from error
        return False
