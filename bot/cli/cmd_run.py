"""`newsbrief run`, `demo` and `sync-commands`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from bot.cli import CliState, pass_state
from bot.core import capabilities as build
from bot.log import configure_logging
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

    settings = state.app.settings
    if chat_shares_terminal(settings.discord.token is not None, sys.stdin.isatty()):
        # Routine INFO lines would break into the conversation: warnings only, unless -v.
        configure_logging("WARNING", verbosity=state.verbosity, quiet=state.quiet)
    capabilities = build.wired(settings)
    try:
        asyncio.run(runner.run(state.app, capabilities, shutdown_timeout=shutdown_timeout))
    finally:
        capabilities.close()  # the ingest's worker processes


def chat_shares_terminal(has_token: bool, interactive: bool) -> bool:
    """Whether the console chat talks to a person in the terminal the logs go to."""
    return not has_token and interactive


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

    capabilities = build.wired(settings)
    try:
        count = asyncio.run(force_sync(settings, state.app.store(), capabilities))
    finally:
        capabilities.close()
    click.echo(f"registered {count} slash commands")


DEMO_DIR = Path(".newsbrief-demo")


@click.command("demo")
@pass_state
def demo(state: CliState) -> None:
    """Try newsbrief on bundled sample feeds, in this terminal.

    Serves four sample outlets (invented news in English and Spanish; RSS,
    Atom, JSON Feed) on 127.0.0.1, polls them with full text, finds the
    quotes and speakers, groups the stories, and shows a "Mexico security"
    briefing. Then the console chat runs on that database: type /help for
    the commands, /quit or Ctrl-D to leave. With a pipe as stdin, the piped
    commands are answered and the demo ends at EOF. The database
    (./.newsbrief-demo/demo.db) is rebuilt on every run.
    """
    from bot.cli.cmd_feeds import TerminalProgress, log_progress
    from bot.demo.session import run_demo

    settings = state.app.settings
    # For people, not for logs: only warnings, unless -v.
    configure_logging("WARNING", verbosity=state.verbosity, quiet=state.quiet)
    progress = TerminalProgress() if sys.stderr.isatty() else log_progress
    asyncio.run(run_demo(settings, DEMO_DIR, stdin=sys.stdin, stdout=sys.stdout, progress=progress))


COMMANDS = [
    run,
    demo,
    sync_commands,
]
