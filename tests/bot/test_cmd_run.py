"""`newsbrief sync-commands` and `run` against the fake Discord, as subprocesses."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.support.fake_discord import FakeDiscord

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")
TOKEN = "cli-token"


async def newsbrief(tmp_path, *args: str, token: str | None = TOKEN) -> tuple[int, str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    if token:
        env["DISCORD_TOKEN"] = token
    process = await asyncio.create_subprocess_exec(
        str(NEWSBRIEF),
        *args,
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


def config(tmp_path, fake: FakeDiscord, extra: str = "") -> None:
    (tmp_path / "newsbrief.toml").write_text(
        f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n{extra}'
    )


async def test_sync_commands_needs_a_token(tmp_path):
    code, _, err = await newsbrief(tmp_path, "sync-commands", token=None)
    assert code == 1 and "needs the bot token in $DISCORD_TOKEN" in err


async def test_sync_commands_registers_even_when_unchanged(tmp_path):
    fake = await FakeDiscord(token=TOKEN).start()
    try:
        guild_id = fake.add_guild()
        config(tmp_path, fake, f"guild_ids = [{guild_id}]\n")
        for _ in range(2):
            code, out, err = await newsbrief(tmp_path, "sync-commands")
            assert code == 0, err
            assert out.startswith("registered ") and "slash commands" in out
        assert fake.command_syncs == ["global", str(guild_id)] * 2
        assert fake.gateways == []  # REST only: no gateway session spent
        assert {c["name"] for c in fake.guilds[guild_id].commands} == {
            c["name"] for c in fake.global_commands
        }
    finally:
        await fake.stop()


async def test_a_bad_token_is_a_clear_error(tmp_path):
    fake = await FakeDiscord(token=TOKEN).start()
    try:
        config(tmp_path, fake)
        code, _, err = await newsbrief(tmp_path, "run", token="wrong")
        assert code == 1
        assert "Improper token" in err and "Traceback" not in err
    finally:
        await fake.stop()


def test_the_console_chat_in_a_terminal_is_not_interleaved_with_info_logs(tmp_path):
    (tmp_path / "newsbrief.toml").write_text(f'[database]\nurl = "sqlite:///{tmp_path}/nb.db"\n')
    assert "INFO" not in _console_in_a_terminal(tmp_path)
    assert " INFO " in _console_in_a_terminal(tmp_path, "-v")  # -v brings them back


def _console_in_a_terminal(tmp_path, *options: str) -> str:
    """`newsbrief run` with a pseudo-terminal as stdin/stdout/stderr: what it wrote until /quit."""
    import pty
    import subprocess

    controller, terminal = pty.openpty()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env |= {k: v for k, v in os.environ.items() if k == "PYTHONPATH"}
    process = subprocess.Popen(
        [str(NEWSBRIEF), *options, "run"],
        cwd=tmp_path,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    os.write(controller, b"/quit\n")
    output = b""
    try:
        while chunk := os.read(controller, 4096):
            output += chunk
    except OSError:  # EIO: the process closed the terminal
        pass
    finally:
        os.close(controller)
    assert process.wait(60) == 0, output
    return output.decode(errors="replace")
