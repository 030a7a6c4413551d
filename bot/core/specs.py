"""The chat commands, described once for every platform.

Adapters (Discord cogs, the console) implement parsing and transport; which
commands exist, who may use them and what they need comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.capabilities import Capabilities


@dataclass(frozen=True)
class CommandSpec:
    name: str  # "brief", or "topic create" for a subcommand
    usage: str
    summary: str
    needs: tuple[str, ...] = ()  # capabilities (see bot.core.capabilities)
    manage: bool = False  # needs Manage Channels
    slow: bool = False  # may take seconds: acknowledge (defer) first


SPECS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "brief",
        "/brief [query] [since]",
        "A briefing now, on a topic or any words (since e.g. 24h, 3d)",
        needs=("compose",),
        slow=True,
    ),
    CommandSpec(
        "subscribe",
        "/subscribe topic [time] [timezone] [mode] [mention] [quiet]",
        "A daily briefing on a topic here (default 08:00), or mode:live: each new story "
        "as it comes, updated as outlets report it",
        needs=("compose",),
        manage=True,
    ),
    CommandSpec(
        "unsubscribe",
        "/unsubscribe topic",
        "Stop a daily briefing or live stories here",
        manage=True,
    ),
    CommandSpec(
        "subscriptions", "/subscriptions", "This channel's briefings (next post) and live stories"
    ),
    CommandSpec(
        "topic create",
        "/topic create name query",
        "Save a topic for this server",
        needs=("check_query",),
        manage=True,
    ),
    CommandSpec("topic list", "/topic list", "The topics you can subscribe to"),
    CommandSpec(
        "topic preview",
        "/topic preview name",
        "What a topic would bring today",
        needs=("compose",),
        slow=True,
    ),
    CommandSpec("topic delete", "/topic delete name", "Delete this server's topic", manage=True),
    CommandSpec(
        "feed add",
        "/feed add url",
        "Follow a feed here (a new one is checked first; a disabled one is turned back on)",
        needs=("add_feed",),
        manage=True,
        slow=True,
    ),
    CommandSpec("feed list", "/feed list", "The feeds followed here and their health"),
    CommandSpec(
        "feed remove",
        "/feed remove feed",
        "Stop following a feed here (deleted when no server follows it)",
        manage=True,
    ),
    CommandSpec("status", "/status", "Failing feeds, last poll, next briefing here"),
    CommandSpec(
        "why",
        "/why url",
        "Whether an article was posted here and when, or why not",
        needs=("explain",),
    ),
    CommandSpec("help", "/help", "This list"),
)

BY_NAME = {spec.name: spec for spec in SPECS}


def available(capabilities: Capabilities) -> list[CommandSpec]:
    """The commands this build can really answer."""
    return [spec for spec in SPECS if all(capabilities.has(need) for need in spec.needs)]
