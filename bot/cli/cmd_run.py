"""`newsbrief run`, `demo` and `sync-commands`."""

from __future__ import annotations

import asyncio

import click

from bot.cli import CliState, pass_state
from bot.cli._pending import pending
from bot.core import capabilities as build
from feeds.errors import NewsbriefError


@click.command("run")
@click.option(
    "--shutdown-timeout",
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="On SIGINT/SIGTERM, how long running sends may finish before they are cut off "
    "(an interrupted send is settled on the next start, never posted twice).",
)
@pass_state
def run(state: CliState, shutdown_timeout: float) -> None:
    """Run the bot: Discord with $DISCORD_TOKEN, else the console chat in this terminal.

    One process runs the chat adapter and the scheduler (daily briefings, feed
    polling). Stop it with Ctrl-C or SIGTERM.
    """
    from bot import runner

    asyncio.run(runner.run(state.app, build.wired(), shutdown_timeout=shutdown_timeout))


@click.command("sync-commands")
@pass_state
def sync_commands(state: CliState) -> None:
    """Register the slash commands with Discord now (needs $DISCORD_TOKEN).

    `newsbrief run` already does this at start when the command set changed;
    use this after changing [discord] guild_ids or when Discord lost them.
    """
    settings = state.app.settings
    if settings.discord.token is None:
        raise NewsbriefError("sync-commands needs the bot token in $DISCORD_TOKEN")
    from bot.discord.sync import force_sync

    count = asyncio.run(force_sync(settings, state.app.store(), build.wired()))
    click.echo(f"registered {count} slash commands")


COMMANDS = [
    run,
    pending("demo", "Try newsbrief on bundled sample feeds in the terminal", "the polling engine"),
    sync_commands,
]
