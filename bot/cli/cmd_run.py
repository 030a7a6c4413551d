"""`newsbrief run`, `demo` and `sync-commands`."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

import click

from bot.app import poll_options
from bot.cli import CliState, pass_state
from bot.core import capabilities as build
from feeds.errors import NewsbriefError
from feeds.timeutil import utcnow


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

    asyncio.run(
        runner.run(state.app, build.wired(state.app.settings), shutdown_timeout=shutdown_timeout)
    )


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

    count = asyncio.run(force_sync(settings, state.app.store(), build.wired(settings)))
    click.echo(f"registered {count} slash commands")


DEMO_DIR = Path(".newsbrief-demo")


@click.command("demo")
@pass_state
def demo(state: CliState) -> None:
    """Try newsbrief on bundled sample feeds, in the terminal.

    Serves four sample outlets (RSS, Atom, JSON Feed; English and Spanish) on
    127.0.0.1, polls them once with full text into a fresh database in
    ./.newsbrief-demo/, and prints what was stored.
    """
    from bot.cli.cmd_feeds import TerminalProgress, log_progress
    from bot.demo.server import start_demo_server
    from feeds.polling.engine import Poller
    from feeds.store import open_store

    DEMO_DIR.mkdir(exist_ok=True)
    database = DEMO_DIR / "demo.db"
    for stale in DEMO_DIR.glob("demo.db*"):  # the sample server's port changes every run
        stale.unlink()
    store = open_store(f"sqlite:///{database}")
    options = poll_options(state.app.settings.polling, allow_private_hosts=True, full_text=True)
    progress = TerminalProgress() if sys.stderr.isatty() else log_progress

    async def run():
        server = await start_demo_server()
        try:
            for name, url in server.feeds:
                store.add_feed(url, name=name, origin="config")
            click.echo(f"Serving 4 sample outlets at {server.base_url}; polling them once…")
            async with Poller(store, options) as poller:
                report = await poller.poll_due(progress=progress)
            if isinstance(progress, TerminalProgress):
                progress.clear()
            return report
        finally:
            await server.stop()

    try:
        report = asyncio.run(run())
        click.echo(report.summary())
        _show_stored(store)
        click.echo(f"\nDatabase: {database} (rebuilt on every `newsbrief demo`)")
    finally:
        store.close()


def _show_stored(store) -> None:
    from bot.cli.cmd_feeds import short_duration

    now = utcnow()
    for health in store.feed_health():
        feed = health.feed
        articles = store.list_articles(feed_id=feed.id)
        statuses = Counter(a.full_text_status or "pending" for a in articles)
        full = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        click.echo(
            f"\n{click.style(feed.name or feed.title or feed.url, bold=True)} "
            f"({feed.language or '?'}) — {health.articles} articles; full text: {full}"
        )
        if feed.last_error:
            click.echo(f"  failed: {feed.last_error}")
        for article in articles:
            age = short_duration(now - article.published_at) if article.published_at else "?"
            size = f"{len(article.full_text):,} chars" if article.full_text else "teaser only"
            click.echo(f"  {age:>6} ago  {article.title}  [{size}]")
    sample = next((a for a in store.list_articles() if a.full_text), None)
    if sample is not None:
        opening = "\n\n".join(sample.body_text().split("\n\n")[:2])
        click.echo(
            "\nThe newest article's full text begins:\n\n"
            + click.wrap_text(opening, preserve_paragraphs=True)
        )


COMMANDS = [
    run,
    demo,
    sync_commands,
]
