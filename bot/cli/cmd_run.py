"""`newsbrief run`, `demo` and `sync-commands`."""

from bot.cli._pending import pending

COMMANDS = [
    pending("run", "Run the bot: Discord with $DISCORD_TOKEN, else the console", "the bot"),
    pending("demo", "Try newsbrief on bundled sample feeds in the terminal", "the polling engine"),
    pending("sync-commands", "Register the slash commands with Discord now", "the bot"),
]
