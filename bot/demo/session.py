"""`newsbrief demo`: the sample outlets, one ingest cycle, a briefing, then the console chat.

Everything runs for real on a throwaway SQLite database: the sample server on
127.0.0.1, polling with full text, quotes and speakers, story grouping, the
briefing engine, and the console adapter with its scheduler (the same command
core as Discord). The console keeps polling the sample server until the user
leaves (/quit, Ctrl-D, Ctrl-C; EOF when stdin is a pipe).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot.app import apply_config, poll_options
from bot.config import Settings
from bot.console.chat import ConsoleChat
from bot.core import capabilities as build
from bot.demo.server import start_demo_server
from bot.runner import install_stop_signals, run_console
from feeds.pipeline import Ingest
from feeds.polling.engine import Progress
from feeds.schedule import zone
from feeds.store import Store, open_store
from feeds.timeutil import utcnow

TOPIC = "Mexico security"


def fresh_store(directory: Path) -> tuple[Store, Path]:
    """A new demo database (the sample server's port changes every run, so never reused)."""
    directory.mkdir(exist_ok=True)
    for stale in directory.glob("demo.db*"):
        stale.unlink()
    database = directory / "demo.db"
    return open_store(f"sqlite:///{database}"), database


async def run_demo(
    settings: Settings,
    directory: Path,
    *,
    stdin: TextIO,
    stdout: TextIO,
    progress: Progress | None = None,
) -> None:
    store, database = fresh_store(directory)
    # The user's topics and the presets, but not the user's feeds: only the sample outlets.
    apply_config(store, settings.model_copy(update={"feeds": []}))
    server = await start_demo_server()
    ingest = Ingest(poll_options(settings.polling, allow_private_hosts=True, full_text=True))
    capabilities = build.wired(settings, ingest=ingest)
    try:
        for name, url in server.feeds:
            feed = store.add_feed(url, name=name, origin="config")
            # As if followed for a while: a first poll is normally a silent baseline, but
            # here its stories should be able to appear in a scheduled briefing.
            store.update_feed(feed.id, baseline_at=utcnow())
        say(
            stdout,
            f"Serving {len(server.feeds)} sample outlets (invented news) at {server.base_url}",
        )
        say(stdout, "Polling them: full text, quotes and speakers, same-story grouping…")
        report = await ingest.cycle(store, progress=progress)
        if hasattr(progress, "clear"):  # a progress line on the terminal
            progress.clear()
        say(stdout, report.summary())
        say(stdout, f"Database: {database} (rebuilt on every `newsbrief demo`)\n")

        async def opening(chat: ConsoleChat) -> None:
            say(stdout, f"> /brief {TOPIC}")
            await chat.handle(f"/brief {TOPIC}")
            say(stdout, "\n" + try_next(settings.schedule.timezone) + "\n")

        stop = asyncio.Event()
        install_stop_signals(stop)
        await run_console(
            settings,
            store,
            capabilities,
            stop=stop,
            stdin=stdin,
            stdout=stdout,
            shutdown_timeout=5,
            opening=opening,
        )
    finally:
        await asyncio.to_thread(capabilities.close)
        await server.stop()
        store.close()


def try_next(timezone: str) -> str:
    """What to type next, with a daily time one to two minutes from now (so it fires soon)."""
    soon = (utcnow() + timedelta(minutes=2)).astimezone(zone(timezone))
    return (
        "Try: /brief fentanyl --since 3d · /topic list · /why <a link above> · "
        f"/subscribe {TOPIC} {soon:%H:%M} {timezone} (a daily briefing: the first one "
        "appears here in a minute or two)"
    )


def say(out: TextIO, text: str) -> None:
    out.write(text + "\n")
    out.flush()
