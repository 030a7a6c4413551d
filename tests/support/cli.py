"""The real `newsbrief` entry point as a subprocess, from async tests (the loop keeps serving)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


async def spawn(
    *args: str, cwd: Path, stdin: int | None = None, env: dict | None = None
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(NEWSBRIEF),
        *args,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), **(env or {})},
        stdin=stdin,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def start_run(
    config: str, cwd: Path, *, token: str | None = None, stdin: int = asyncio.subprocess.DEVNULL
) -> asyncio.subprocess.Process:
    """`newsbrief --config CONFIG run` in the background (with DISCORD_TOKEN when a token is
    given), its stdout and stderr in one pipe."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    if token:
        env["DISCORD_TOKEN"] = token
    return await asyncio.create_subprocess_exec(
        str(NEWSBRIEF),
        "--config",
        config,
        "run",
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def newsbrief(
    *args: str, cwd: Path, timeout: float = 120, input: str | None = None
) -> tuple[int, str, str]:
    """Run a command to the end, `input` (or nothing) on its stdin: (exit code, stdout, stderr)."""
    process = await spawn(*args, cwd=cwd, stdin=asyncio.subprocess.PIPE)
    data = input.encode() if input is not None else b""
    out, err = await asyncio.wait_for(process.communicate(data), timeout)
    return process.returncode, out.decode(), err.decode()


def unwrap(text: str) -> str:
    """Terminal text as one line: wrapped lines joined, block-quote marks dropped."""
    return " ".join(line.strip().removeprefix("> ") for line in text.splitlines())
