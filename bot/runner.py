"""`newsbrief run`: one process with the chat adapter and the scheduler, stopped by a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.app import App
from bot.config import Settings
from bot.console.chat import ConsoleChat, ConsoleTransport
from bot.core.capabilities import Capabilities
from bot.runtime import Runtime
from feeds.store import Store

log = logging.getLogger(__name__)


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _on_signal, stop, signum)


def _on_signal(stop: asyncio.Event, signum: int) -> None:
    log.info("%s: shutting down", signal.Signals(signum).name)
    stop.set()


async def until_stopped(stop: asyncio.Event, work) -> bool:
    """Await `work` unless `stop` is set first (then cancel it); True if the work finished."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return False
    task.result()  # raises what the work raised
    return True


async def run(
    app: App,
    capabilities: Capabilities,
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    shutdown_timeout: float = 10.0,
) -> None:
    """Run until SIGINT/SIGTERM (or, on the console, EOF), then shut down cleanly."""
    stop = asyncio.Event()
    install_stop_signals(stop)
    store = app.store()
    token = app.settings.discord.token
    if token is not None:
        from bot.discord.service import DiscordService  # discord.py only when needed

        service = DiscordService(app.settings, store, capabilities, token.get_secret_value())
        try:
            # A signal may come while still connecting (Discord unreachable: discord.py retries).
            if await until_stopped(stop, service.start()):
                await until_stopped(stop, service.closed())
        finally:
            await service.stop(shutdown_timeout)
        return
    log.info("DISCORD_TOKEN is not set: running the console adapter")
    stdout.write("No DISCORD_TOKEN set: newsbrief runs in this terminal (the console adapter).\n")
    await run_console(
        app.settings,
        store,
        capabilities,
        stop=stop,
        stdin=stdin,
        stdout=stdout,
        shutdown_timeout=shutdown_timeout,
    )


async def run_console(
    settings: Settings,
    store: Store,
    capabilities: Capabilities,
    *,
    stop: asyncio.Event,
    stdin: TextIO,
    stdout: TextIO,
    shutdown_timeout: float = 10.0,
    opening: Callable[[ConsoleChat], Awaitable[None]] | None = None,
) -> None:
    """The console chat and the scheduler until EOF, /quit or `stop`; `opening` runs first."""
    transport = ConsoleTransport(stdout)
    runtime = Runtime(settings, store, capabilities, transport)
    chat = ConsoleChat(runtime.core, transport, stdin)
    if opening is not None:
        await opening(chat)
    await runtime.start()
    try:
        await chat.run(stop)
    finally:
        await runtime.stop(shutdown_timeout)
