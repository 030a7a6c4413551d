"""A chat transport in memory, for delivery and scheduling tests without a platform."""

from __future__ import annotations

from bot.delivery import MessageGone
from bot.discord.render import render_briefing
from bot.discord.render_live import DiscordMessage, render_live
from tests.support.fake_discord import message_text


def _embeds(payload) -> list[dict]:
    return payload.embeds if isinstance(payload, DiscordMessage) else payload


class MemoryTransport:
    """A channel in memory: posts are kept; failures are scripted per send."""

    platform = "discord"

    def __init__(self):
        self.posted: list[tuple[str, str, list[dict]]] = []  # (channel, id, embeds)
        self.failures: list[Exception] = []  # raised by the next sends, in order
        self.crash_after_send = False
        self._carries: dict[int, tuple[int, ...]] = {}
        self.story_ids: list[int] = []  # in the order they were posted
        self.edits: list[tuple[str, str, DiscordMessage]] = []  # (channel, id, payload)
        self.edit_failures: list[Exception] = []  # raised by the next edits, in order
        self.crash_after_edit = False
        self.deleted: set[str] = set()  # message ids deleted in the channel

    def render_briefing(self, subject, *, batch):
        parts = render_briefing(subject, batch=batch)
        for part in parts:
            self._carries[id(part.payload)] = part.story_ids
        return parts

    def render_notice(self, title, text, *, marker_text):
        return [{"title": title, "description": text, "footer": {"text": marker_text}}]

    def render_live(self, view, *, marker_text):
        return render_live(view, marker_text=marker_text)

    async def edit(self, channel_id, message_id, payload):
        if self.edit_failures:
            raise self.edit_failures.pop(0)
        if message_id in self.deleted:
            raise MessageGone("the message was deleted (404 Unknown Message)")
        self.edits.append((channel_id, message_id, payload))
        for index, (channel, mid, posted) in enumerate(self.posted):
            if mid == message_id:  # a message posted before this transport is only edited
                self.posted[index] = (channel, mid, DiscordMessage(payload.embeds, posted.content))
        if self.crash_after_edit:
            raise KeyboardInterrupt("killed right after the edit")

    def shown(self, message_id) -> DiscordMessage:
        """What a posted message shows now."""
        return next(payload for _, mid, payload in self.posted if mid == message_id)

    async def send(self, channel_id, payload):
        if self.failures:
            raise self.failures.pop(0)
        message_id = str(len(self.posted) + 1)
        self.posted.append((channel_id, message_id, payload))
        self.story_ids += self._carries.get(id(payload), ())
        if self.crash_after_send:
            raise KeyboardInterrupt("killed right after the send")
        return message_id

    async def recent_texts(self, channel_id):
        return [
            (mid, message_text({"embeds": _embeds(payload)}))
            for channel, mid, payload in reversed(self.posted)
            if channel == channel_id and mid not in self.deleted
        ]

    def stories_posted(self) -> list[int]:
        return list(self.story_ids)
