"""`newsbrief feeds …` and `newsbrief poll`."""

from bot.cli._pending import pending

COMMANDS = [
    pending("feeds", "Add, list and remove feeds", "the polling engine"),
    pending("poll", "Poll the feeds that are due", "the polling engine"),
]
