"""The real `newsbrief` entry point as a subprocess, from async tests (the loop keeps serving)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


async def spawn(*args: str, cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(NEWSBRIEF),
        *args,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def newsbrief(*args: str, cwd: Path, timeout: float = 120) -> tuple[int, str, str]:
    """Run a command to the end: (exit code, stdout, stderr)."""
    process = await spawn(*args, cwd=cwd)
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    return process.returncode, out.decode(), err.decode()
