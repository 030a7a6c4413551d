"""A chat transport in memory, for delivery and scheduling tests without a platform."""

from __future__ import annotations

from bot.discord.render import render_briefing
from tests.support.fake_discord import message_text


class MemoryTransport:
    """A channel in memory: posts are kept; failures are scripted per send."""

    platform = "discord"

    def __init__(self):
        self.posted: list[tuple[str, str, list[dict]]] = []  # (channel, id, embeds)
        self.failures: list[Exception] = []  # raised by the next sends, in order
        self.crash_after_send = False
        self._carries: dict[int, tuple[int, ...]] = {}
        self.story_ids: list[int] = []  # in the order they were posted

    def render_briefing(self, subject, *, batch):
        parts = render_briefing(subject, batch=batch)
        for part in parts:
            self._carries[id(part.payload)] = part.story_ids
        return parts

    def render_notice(self, title, text, *, marker_text):
        return [{"title": title, "description": text, "footer": {"text": marker_text}}]

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
            (mid, message_text({"embeds": payload}))
            for channel, mid, payload in reversed(self.posted)
            if channel == channel_id
        ]

    def stories_posted(self) -> list[int]:
        return list(self.story_ids)
