"""Waiting for something another task or process does, without fixed sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def eventually(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Return once `predicate()` is true; asyncio.TimeoutError after `timeout` seconds."""

    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)
