"""The console renderer: a briefing as terminal text that says where each quote came from."""

import io
from dataclasses import replace
from datetime import timedelta

from bot.console.chat import ConsoleTransport
from bot.console.render import render_briefing
from feeds.briefs import KeyQuote
from tests.support.briefings import NOW, briefing, story


def test_quotes_name_their_speaker_and_outlet():
    troops = story(
        7,
        "Sheinbaum rejects U.S. military help against cartels",
        quotes=(("Our territory is inalienable.", "Claudia Sheinbaum"),),
        sources=("Reuters", "El Universal"),
    )
    elsewhere = KeyQuote(
        "No aceptaremos tropas.", None, "https://universal.example/t", "El Universal"
    )
    troops = replace(troops, quotes=(*troops.quotes, elsewhere))
    lines = render_briefing(briefing(troops)).splitlines()
    # The first quote is from the lead article, whose link closes the story.
    assert "   > “Our territory is inalienable.” — Claudia Sheinbaum · Reuters" in lines
    said = lines.index("   > “No aceptaremos tropas.” — unattributed · El Universal")
    assert lines[said + 1] == "   > https://universal.example/t"
    assert lines[-1] == "   https://news.example/7"  # no delivery marker on a terminal
    assert all(len(line) <= 78 for line in lines)


def test_no_control_character_or_escape_sequence_reaches_the_terminal():
    hostile = story(
        3,
        "Cartel \x1b[31mleader\x1b[0m held\x1b[2J",
        summary="Screen\x9b2J wiped\x1b]0;owned\x07.",
        quotes=(("Go\x07 home\x1b[8m", "\x9b1mAna Torres"),),
        sources=("Wire\x1b",),
    )
    text = render_briefing(briefing(hostile, title="Evil\x1b[5m"))
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text)
    assert text.startswith("Evil — ")
    assert "1. Cartel leader held" in text and "   Screen wiped." in text
    assert "   > “Go home” — Ana Torres · Wire" in text


async def test_the_console_writes_no_escape_sequence():
    out = io.StringIO()
    await ConsoleTransport(out).send("console", "! Feed \x1b]0;owned\x07failing\x1b[2J\nline two")
    assert out.getvalue() == "\n! Feed failing\nline two\n"


def test_the_header_shows_the_year_for_a_long_window():
    assert render_briefing(briefing()).startswith("Mexico security — Thursday 26 Nov\n")
    long = replace(briefing(), since=NOW - timedelta(days=400))
    lines = render_briefing(long).splitlines()
    assert lines[:2] == [
        "Mexico security — Thursday 26 Nov 2026",
        "No new stories since Wed 22 Oct 2025 09:00.",
    ]
