"""Terminal text, Markdown and JSON renderings of a Briefing."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from feeds.briefs.model import Briefing, KeyQuote, Source, StoryBrief
from feeds.briefs.render import (
    SCHEMA_VERSION,
    empty_message,
    escape_markdown,
    header,
    render,
    render_json,
    render_markdown,
    render_text,
    show_year,
    to_dict,
)

UNTIL = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)  # a Thursday
SINCE = UNTIL - timedelta(hours=24)

TROOPS = StoryBrief(
    story_id=7,
    headline="Sheinbaum rejects U.S. military help against cartels",
    summary=(
        "Mexico's president turned down an offer of U.S. troops, saying cooperation will stay "
        "limited to sharing information."
    ),
    url="https://wire.example/troops",
    first_seen_at=datetime(2026, 11, 26, 8, 15, tzinfo=UTC),
    sources=(
        Source("Wire", "https://wire.example/troops"),
        Source("Diario", "https://diario.example/tropas"),
        Source("Herald", None),
    ),
    quotes=(
        KeyQuote(
            "No, President Trump, our territory is inalienable, sovereignty is inalienable.",
            "Claudia Sheinbaum",
            "https://wire.example/troops",
            "Wire",
        ),
    ),
    score=4.2,
    last_seen_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
    article_count=4,
    matched=("Sheinbaum", "cartel"),
)
PARTY = StoryBrief(
    story_id=9,
    headline="Six killed at a *party* in Culiacán",
    summary="",
    url="https://diario.example/fiesta_(1)",
    first_seen_at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
    sources=(Source("Diario", "https://diario.example/fiesta_(1)"),),
    quotes=(KeyQuote("Fue una noche de terror.", None, None, "Diario"),),
    score=1.5,
)


def briefing(*stories, **changes) -> Briefing:
    values = dict(
        title="Mexico security",
        query="cartel",
        since=SINCE,
        until=UNTIL,
        stories=stories,
        total_stories=len(stories),
        generated_at=UNTIL,
        notes=("1 more matching story not shown",),
    )
    values.update(changes)
    return Briefing(**values)


def test_header_counts_stories_and_distinct_sources():
    assert header(briefing(TROOPS, PARTY)) == (
        "Mexico security — Thursday 26 Nov · 2 stories from 3 sources"
    )
    assert header(briefing(PARTY)) == "Mexico security — Thursday 26 Nov · 1 story from 1 source"
    week = briefing(TROOPS, since=UNTIL - timedelta(days=3))
    assert header(week) == "Mexico security — Mon 23 Nov – Thu 26 Nov · 1 story from 3 sources"


def test_header_and_times_use_the_briefing_time_zone():
    late = briefing(
        TROOPS,
        since=datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
        until=datetime(2026, 11, 27, 3, 0, tzinfo=UTC),
        timezone="America/Mexico_City",
    )
    assert "Thursday 26 Nov" in header(late)  # still Thursday evening in Mexico City
    assert "first seen Thu 26 Nov 02:15 CST" in render_text(late)


def test_the_year_shows_for_a_long_window_or_another_year():
    assert not show_year(briefing(TROOPS))
    assert not show_year(briefing(since=UNTIL - timedelta(days=300)))
    year_long = briefing(TROOPS, since=UNTIL - timedelta(days=400))
    assert show_year(year_long)
    assert header(year_long) == (
        "Mexico security — Wed 22 Oct 2025 – Thu 26 Nov 2026 · 1 story from 3 sources"
    )
    assert "first seen Thu 26 Nov 2026 08:15 UTC" in render_text(year_long)
    assert "first seen Thu 26 Nov 2026 08:15 UTC" in render_markdown(year_long)
    # Looked at in 2027, last year's briefing says which year it was.
    later = datetime(2027, 2, 1, tzinfo=UTC)
    assert show_year(briefing(TROOPS), now=later)
    assert header(briefing(TROOPS), now=later).startswith(
        "Mexico security — Thursday 26 Nov 2026 ·"
    )
    last_year = briefing(generated_at=later)
    assert empty_message(last_year) == (
        "No new stories on Mexico security since Wed 25 Nov 2026 14:00 UTC."
    )
    # A window reaching back over New Year, seen in the new year.
    new_year = datetime(2027, 1, 3, 12, tzinfo=UTC)
    over = briefing(
        TROOPS, since=new_year - timedelta(days=7), until=new_year, generated_at=new_year
    )
    assert header(over).startswith("Mexico security — Sun 27 Dec 2026 – Sun 3 Jan 2027 ·")


def test_empty_message():
    assert (
        empty_message(briefing()) == "No new stories on Mexico security since Wed 25 Nov 14:00 UTC."
    )
    search = briefing(title="culiacán", kind="search")
    assert empty_message(search) == "No new stories matching culiacán since Wed 25 Nov 14:00 UTC."
    assert render_text(briefing()).splitlines()[0] == empty_message(briefing())


def test_text():
    text = render_text(briefing(TROOPS, PARTY))
    lines = text.splitlines()
    assert lines[0] == "Mexico security — Thursday 26 Nov · 2 stories from 3 sources"
    assert lines[1] == "1. Sheinbaum rejects U.S. military help against cartels  (3 sources)"
    assert lines[2].startswith("   Mexico's president turned down")
    assert "   > “No, President Trump, our territory is inalienable, sovereignty is" in lines
    assert "   > inalienable.” — Claudia Sheinbaum · Wire" in lines  # who said it, and where
    assert "   Wire · Diario · Herald — first seen Thu 26 Nov 08:15 UTC" in lines
    assert "   https://wire.example/troops" in lines
    assert "2. Six killed at a *party* in Culiacán  (1 source)" in lines
    assert "   > “Fue una noche de terror.” · Diario" in lines  # no speaker, no dash
    assert lines[-1] == "(1 more matching story not shown)"
    assert all(len(line) <= 78 for line in lines)
    assert render_text(briefing(TROOPS), width=40).splitlines()[1] == (
        "1. Sheinbaum rejects U.S. military help"
    )


def test_text_links_a_quote_from_another_outlet():
    quoted = KeyQuote(
        "No aceptaremos tropas.", "Claudia Sheinbaum", "https://diario.example/t", "Diario"
    )
    story = StoryBrief(**{**TROOPS.__dict__, "quotes": (*TROOPS.quotes, quoted)})
    lines = render_text(briefing(story)).splitlines()
    said = lines.index("   > “No aceptaremos tropas.” — Claudia Sheinbaum · Diario")
    assert lines[said + 1] == "   > https://diario.example/t"
    # The quote from the lead article needs no link of its own: the story's closes it.
    assert lines.count("   > https://wire.example/troops") == 0


def test_text_removes_control_characters_and_escape_sequences():
    hostile = StoryBrief(
        story_id=1,
        headline="Cartel \x1b[31mleader\x1b[0m held",
        summary="Screen\x9b2J wiped\x1b]0;owned\x07.",
        url="https://wire.example/\x1b[1mx",
        first_seen_at=UNTIL,
        sources=(Source("Wire\x1b", None),),
        quotes=(KeyQuote("Go\x07 home\x1b[8m", "\x07Ana Torres", "https://e.example/q\x9b", "E"),),
    )
    text = render_text(briefing(hostile, title="Evil\x1b[2J", notes=("note\x1b",)))
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text)
    assert "1. Cartel leader held  (1 source)" in text
    assert "   Screen wiped." in text and "“Go home” — Ana Torres · E" in text
    assert "   https://wire.example/x" in text and "   > https://e.example/q" in text
    assert text.startswith("Evil — ") and "Wire — first seen" in text and "(note)" in text


def test_markdown():
    markdown = render_markdown(briefing(TROOPS, PARTY))
    assert markdown.startswith("## Mexico security — Thursday 26 Nov · 2 stories from 3 sources\n")
    assert (
        "1. **[Sheinbaum rejects U.S. military help against cartels]"
        "(https://wire.example/troops)** (3 sources)" in markdown
    )
    assert (
        "   > “No, President Trump, our territory is inalienable, sovereignty is inalienable.” — "
        "**Claudia Sheinbaum** ([Wire](https://wire.example/troops))" in markdown
    )
    assert "[Diario](https://diario.example/tropas) · Herald — first seen" in markdown
    # Markdown in the text is escaped; link targets with parentheses are bracketed.
    assert (
        "**[Six killed at a \\*party\\* in Culiacán](<https://diario.example/fiesta_(1)>)**"
        in markdown
    )
    assert markdown.rstrip().endswith("*1 more matching story not shown*")
    assert escape_markdown("a_b [c] `d` <e> | #") == "a\\_b \\[c\\] \\`d\\` \\<e\\> \\| \\#"


def test_json_is_versioned_and_complete():
    data = json.loads(render_json(briefing(TROOPS, PARTY)))
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["kind"] == "topic" and data["empty"] is False
    assert (data["since"], data["until"]) == ("2026-11-25T14:00:00Z", "2026-11-26T14:00:00Z")
    assert (data["story_count"], data["source_count"], data["total_stories"]) == (2, 3, 2)
    assert data["message"] == header(briefing(TROOPS, PARTY))
    story = data["stories"][0]
    assert set(story) == {
        "id", "headline", "summary", "url", "first_seen_at", "last_seen_at", "article_count",
        "source_count", "score", "matched", "sources", "quotes",
    }  # fmt: skip
    assert story["quotes"] == [
        {
            "text": TROOPS.quotes[0].text,
            "speaker": "Claudia Sheinbaum",
            "url": "https://wire.example/troops",
            "source": "Wire",
        }
    ]
    assert story["sources"][2] == {"name": "Herald", "url": None}
    assert data["stories"][1]["last_seen_at"] is None
    assert to_dict(briefing())["message"].startswith("No new stories")


def test_json_keeps_non_ascii_text():
    assert "Culiacán" in render_json(briefing(PARTY))


def test_render_dispatch():
    assert render(briefing(TROOPS), "text") == render_text(briefing(TROOPS))
    assert render(briefing(TROOPS), "markdown") == render_markdown(briefing(TROOPS))
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render(briefing(TROOPS), "html")
