"""The console adapter, driven through its stdin like a person at a terminal."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console.chat import ConsoleChat, ConsoleTransport, parse_command, split_schedule
from bot.core.capabilities import Capabilities
from bot.runtime import Runtime
from feeds.errors import NewsbriefError
from feeds.timeutil import utcnow
from tests.conftest import REPO
from tests.support.newsroom import Said, add_feed, add_story, compose_stored
from tests.support.waiting import eventually

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/brief Mexico security", ("brief", ["Mexico", "security"])),
        (
            '/topic create "Border news" border -football',
            ("topic create", ["Border news", "border", "-football"]),
        ),
        ("subscriptions", ("subscriptions", [])),
        ("/FEED list", ("feed list", [])),
        ("", ("", [])),
    ],
)
def test_parse_command(line, expected):
    assert parse_command(line) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Mexico security"], ("Mexico security", None, None)),
        (["Mexico", "security", "07:30"], ("Mexico security", "07:30", None)),
        (
            ["Mexico security", "08:00", "Europe/Madrid"],
            ("Mexico security", "08:00", "Europe/Madrid"),
        ),
        (["Mexico", "security", "UTC"], ("Mexico security", None, "UTC")),
    ],
)
def test_split_schedule(args, expected):
    assert split_schedule(args) == expected


def test_unbalanced_quotes_are_a_user_error():
    with pytest.raises(NewsbriefError, match="Cannot read that line"):
        parse_command('/subscribe "Mexico security')


async def test_commands_and_a_scheduled_briefing_through_a_pipe(sqlite_store):
    store = sqlite_store
    store.add_topic("Mexico security", "cartel")
    add_story(
        store,
        add_feed(store),
        "Sheinbaum rejects U.S. troops",
        summary="The president said no.",
        quotes=(Said("Our territory is inalienable.", "Claudia Sheinbaum"),),
        seen_at=utcnow() - timedelta(hours=1),
    )
    out = io.StringIO()
    transport = ConsoleTransport(out)
    runtime = Runtime(Settings(), store, Capabilities(compose=compose_stored), transport)
    read_fd, write_fd = os.pipe()
    stdin, typing = os.fdopen(read_fd), os.fdopen(write_fd, "w")
    chat = ConsoleChat(runtime.core, transport, stdin)
    await runtime.start()
    session = asyncio.create_task(chat.run())
    try:
        typing.write("/subscribe Mexico security 08:00 Europe/Madrid\n/subscriptions\n")
        typing.flush()
        await eventually(lambda: "Daily briefings in this channel" in out.getvalue())
        ((subscription, _),) = store.list_subscriptions(platform="console")
        runtime.briefings.run_now(subscription.id)
        await eventually(lambda: "Sheinbaum rejects U.S. troops" in out.getvalue())
        typing.write("/nonsense\n/brief Mexico security --since 2d\n")
        typing.close()  # EOF ends the session
        await asyncio.wait_for(session, 10)
    finally:
        await runtime.stop(timeout=1)
    text = out.getvalue()
    assert "daily briefing on Mexico security at 08:00 Europe/Madrid" in text
    assert "- Mexico security: 08:00 Europe/Madrid | Next:" in text
    assert (
        text.count("> “Our territory is inalienable.” — Claudia Sheinbaum") == 2
    )  # posted, then /brief
    assert "Unknown command '/nonsense'; /help lists them." in text
    assert store.delivery_of(platform="console", channel_id="console", story_id=1).status == "sent"


def run_cli(
    args: list[str], tmp_path: Path, stdin: str, *, stub_compose: bool
) -> subprocess.CompletedProcess:
    command = (
        [sys.executable, "-m", "tests.support.run_newsbrief"] if stub_compose else [str(NEWSBRIEF)]
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*command, *args],
        input=stdin,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_newsbrief_run_without_a_token_is_the_console(tmp_path):
    (tmp_path / "newsbrief.toml").write_text(
        '[[topics]]\nname = "Mexico security"\nquery = "cartel"\n'
    )
    result = run_cli(
        ["run"],
        tmp_path,
        "/help\n/topic list\n/subscribe Mexico security 07:00 America/Mexico_City\n"
        "/subscriptions\n/brief Mexico security\n/status\n",
        stub_compose=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "No DISCORD_TOKEN set: newsbrief runs in this terminal (the console adapter)."
    )
    assert "/subscriptions - This channel's briefings" in out
    assert "/brief" not in out.split("Commands:")[1].split("\n- Mexico")[0]  # not offered …
    assert "/brief is not available in this build." in out  # … and says so when typed
    assert "/subscribe is not available in this build." in out
    assert "- Mexico security (built in): cartel" in out
    assert "This channel has no daily briefings." in out
    assert "Next briefing here: none scheduled" in out
    assert "running the console adapter" in result.stderr


def test_the_console_shows_a_briefing_with_quotes(tmp_path):
    from feeds.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'newsbrief.db'}")
    add_story(
        store,
        add_feed(store),
        "Guardia Nacional deployed to Sinaloa",
        quotes=(Said("We will restore order.", "Omar García Harfuch"),),
    )
    store.close()
    (tmp_path / "newsbrief.toml").write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "newsbrief.db"}"\n'
        '[[topics]]\nname = "Mexico security"\nquery = "cartel"\n'
    )
    result = run_cli(
        ["run"],
        tmp_path,
        '/subscribe "Mexico security" 08:00 Europe/Madrid\n/brief Mexico security\n',
        stub_compose=True,
    )
    assert result.returncode == 0, result.stderr
    assert "daily briefing on Mexico security at 08:00 Europe/Madrid" in result.stdout
    assert "1. Guardia Nacional deployed to Sinaloa" in result.stdout
    assert "> “We will restore order.” — Omar García Harfuch" in result.stdout
