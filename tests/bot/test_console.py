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

from bot.app import apply_config
from bot.config import Settings
from bot.console.chat import (
    ConsoleChat,
    ConsoleTransport,
    SubscribeArgs,
    parse_command,
    split_subscription,
)
from bot.core.capabilities import wired
from bot.runtime import Runtime
from feeds.delivery import markers_in, notice_marker
from feeds.errors import NewsbriefError
from feeds.timeutil import utcnow
from tests.support.briefings import briefing, story
from tests.support.cli import unwrap
from tests.support.newsdesk import (
    FOOTBALL,
    REPORTS,
    TROOPS,
    TROOPS_QUOTE,
    TROOPS_SPEAKER,
    loopback_ingest,
    serve,
)
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
        (["Mexico security"], SubscribeArgs("Mexico security")),
        (["Mexico", "security", "07:30"], SubscribeArgs("Mexico security", "07:30")),
        (
            ["Mexico security", "08:00", "Europe/Madrid"],
            SubscribeArgs("Mexico security", "08:00", "Europe/Madrid"),
        ),
        (["Mexico", "security", "UTC"], SubscribeArgs("Mexico security", zone="UTC")),
        (["Mexico", "security", "live"], SubscribeArgs("Mexico security", mode="live")),
        (
            ["Mexico", "security", "live", "23:00-07:00", "America/Mexico_City"],
            SubscribeArgs(
                "Mexico security", zone="America/Mexico_City", mode="live", quiet="23:00-07:00"
            ),
        ),
        (
            ["Mexico", "security", "quiet:off", "LIVE"],
            SubscribeArgs("Mexico security", mode="live", quiet="off"),
        ),
        (["Live", "music", "off"], SubscribeArgs("Live music off")),  # a bare "off" is a word
        (
            ["Mexico", "security", "daily", "9:15"],
            SubscribeArgs("Mexico security", "9:15", mode="daily"),
        ),
    ],
)
def test_split_subscription(args, expected):
    assert split_subscription(args) == expected


def test_console_output_shows_no_delivery_marker():
    transport = ConsoleTransport(io.StringIO())
    (part,) = transport.render_briefing(briefing(story(1, "Cartel news")), batch="0123456789ab")
    assert "Mexico security" in part.payload and markers_in(part.payload) == set()
    notice = transport.render_notice("Feed disabled: Wire", "Gone.", marker_text=notice_marker(7))
    assert notice == "! Feed disabled: Wire\nGone."


def test_unbalanced_quotes_are_a_user_error():
    with pytest.raises(NewsbriefError, match="Cannot read that line"):
        parse_command('/subscribe "Mexico security')


async def test_commands_and_a_scheduled_briefing_through_a_pipe(sqlite_store, feed_server):
    """The console on the real pipeline: the runtime's own poll cycle ingests served news."""
    store = sqlite_store
    settings = Settings()
    apply_config(store, settings)
    feed = store.add_feed(serve(feed_server, "/wire.xml", REPORTS), origin="config")
    store.update_feed(feed.id, baseline_at=utcnow())  # followed before: its news is new
    out = io.StringIO()
    transport = ConsoleTransport(out)
    capabilities = wired(settings, ingest=loopback_ingest())
    runtime = Runtime(settings, store, capabilities, transport)
    read_fd, write_fd = os.pipe()
    stdin, typing = os.fdopen(read_fd), os.fdopen(write_fd, "w")
    chat = ConsoleChat(runtime.core, transport, stdin)
    await runtime.start()
    session = asyncio.create_task(chat.run())
    soon = (utcnow() + timedelta(minutes=2)).strftime("%H:%M")
    troops_url = feed_server.url(f"/news/{TROOPS.slug}.html")
    try:
        typing.write(f"/subscribe Mexico security {soon} UTC\n/subscriptions\n")
        typing.flush()
        await eventually(lambda: "Daily briefings in this channel" in out.getvalue())
        ((subscription, _),) = store.list_subscriptions(platform="console")
        runtime.briefings.run_now(subscription.id)  # the briefing waits for the first poll
        await eventually(lambda: "Mexico security — " in out.getvalue(), timeout=60)
        typing.write(f"/nonsense\n/brief Mexico security --since 2d\n/why {troops_url}\n")
        typing.close()  # EOF ends the session
        await asyncio.wait_for(session, 30)
    finally:
        await runtime.stop(timeout=5)
        capabilities.close()
    text = out.getvalue()
    assert f"daily briefing on Mexico security at {soon} UTC" in text
    assert f"- Mexico security: {soon} UTC | Next:" in text
    quoted = f"“{TROOPS_QUOTE}” — {TROOPS_SPEAKER}"
    assert unwrap(text).count(quoted) == 2  # posted, then /brief
    assert markers_in(text) == set()  # the delivery marker is for Discord's history
    assert FOOTBALL.title not in text
    assert "Unknown command '/nonsense'; /help lists them." in text
    troops = store.article_by_url(troops_url)
    delivery = store.delivery_of(platform="console", channel_id="console", story_id=troops.story_id)
    assert delivery.status == "sent"
    assert f"{TROOPS.title}: posted here " in text


def run_cli(args: list[str], tmp_path: Path, stdin: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(
        [str(NEWSBRIEF), *args],
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
        "/subscriptions\n/brief Mexico security\n/status\n/quit\n/status\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "No DISCORD_TOKEN set: newsbrief runs in this terminal (the console adapter)."
    )
    assert "/quit (or Ctrl-D) leaves" in out
    assert "/brief [query] [since] - A briefing now" in out  # every command is wired
    assert "/why url - Whether an article was posted here and when, or why not" in out
    assert "- Mexico security (built in): cartel" in out
    assert "daily briefing on Mexico security at 07:00 America/Mexico_City" in out
    assert "- Mexico security: 07:00 America/Mexico_City | Next:" in out
    assert "No new stories since " in out  # an empty database says so
    assert out.count("Next briefing here: Mexico security") == 1  # nothing after /quit
    assert "running the console adapter" in result.stderr
