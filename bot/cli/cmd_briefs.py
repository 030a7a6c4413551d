"""`newsbrief brief` and `newsbrief topics …`."""

from bot.cli._pending import pending

COMMANDS = [
    pending("brief", "Print a briefing on a topic or query", "briefings"),
    pending("topics", "List, show and test topics", "briefings"),
]
