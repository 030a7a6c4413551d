"""The Discord renderer: briefings fit Discord's limits; article text cannot format or ping."""

import random
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.discord import limits
from bot.discord.render import (
    escape,
    render_briefing,
    render_notice,
    safe_url,
    split_text,
    truncate,
)
from feeds.delivery import markers_in
from tests.support.briefings import HOSTILE, briefing, random_briefing, story
from tests.support.fake_discord import message_text, validate_message


def test_a_story_with_quote_speaker_and_sources():
    parts = render_briefing(
        briefing(
            story(
                7,
                "Sheinbaum rejects U.S. military help against cartels",
                summary="Mexico's president turned down an offer of U.S. troops.",
                quotes=(("Our territory is inalienable.", "Claudia Sheinbaum"),),
                sources=("Reuters", "El Universal", "WSJ"),
            )
        )
    )
    assert len(parts) == 1 and parts[0].story_ids == (7,)
    header, embed = parts[0].payload
    assert header["title"] == "Mexico security — Thursday 26 Nov"
    assert header["description"] == "1 story from 3 sources"
    assert embed["title"] == "1. Sheinbaum rejects U.S. military help against cartels  (3 sources)"
    assert embed["url"] == "https://news.example/7"
    assert "> “Our territory is inalienable.”\n> — Claudia Sheinbaum" in embed["description"]
    assert "[Reuters](https://news.example/7?src=0) · [El Universal]" in embed["description"]


def test_an_empty_briefing_says_so():
    (part,) = render_briefing(briefing())
    assert part.story_ids == ()
    assert "No new stories since Wed 25 Nov 08:00" in part.payload[0]["description"]


def test_the_header_shows_the_year_for_a_long_window():
    long = replace(briefing(), since=briefing().until - timedelta(days=400))
    ((header,),) = [part.payload for part in render_briefing(long)]
    assert header["title"] == "Mexico security — Thursday 26 Nov 2026"
    assert "No new stories since Wed 22 Oct 2025 09:00" in header["description"]


@pytest.mark.parametrize("seed", range(60))
def test_random_hostile_briefings_always_fit(seed):
    rng = random.Random(seed)
    subject = random_briefing(rng)
    parts = render_briefing(subject, batch="0123456789ab")
    carried = [sid for part in parts for sid in part.story_ids]
    assert carried == [s.story_id for s in subject.stories]  # every story once, in order
    for part in parts:
        assert validate_message({"embeds": part.payload}) == {}, part.payload
        assert len(part.payload) <= limits.EMBEDS
        assert sum(map(limits.embed_size, part.payload)) <= limits.TOTAL
        assert f"ref 0123456789ab.{part.number}" in markers_in(
            message_text({"embeds": part.payload})
        )


def test_a_long_briefing_is_split_across_messages():
    long = briefing(
        *(story(n, f"Story {n} " + "word " * 60, summary="s " * 3000) for n in range(1, 26))
    )
    parts = render_briefing(long, batch="0123456789ab")
    assert len(parts) > 2
    assert [p.number for p in parts] == list(range(1, len(parts) + 1))
    footers = [p.payload[-1]["footer"]["text"] for p in parts]
    assert footers[0] == f"newsbrief · 1/{len(parts)} · ref 0123456789ab.1"
    for part in parts:
        assert validate_message({"embeds": part.payload}) == {}


@pytest.mark.parametrize("hostile", HOSTILE)
def test_escaped_text_neither_formats_nor_pings(hostile):
    text = escape(f"{hostile} tail")
    assert "@everyone" not in text and "@here" not in text
    assert not re.search(r"<[@#&t/:]", text)
    assert not re.search(r"(?<!\\)(\*\*|__|~~|\|\||`)", text)
    assert not re.match(r"(>|#|-|\d+\.)", text)
    assert "](" not in text.replace("\\](", "")


def test_escaping_keeps_the_words_readable():
    assert escape("U.S.-Mexico talks: 3 dead") == "U.S.-Mexico talks: 3 dead"
    assert escape("line\n\nbreaks   collapse") == "line breaks collapse"


def test_truncate_never_leaves_a_dangling_escape_and_counts_like_discord():
    text = escape("@everyone " * 100)
    cut = truncate(text, 50)
    assert limits.length(cut) <= 50 and cut.endswith("…")
    assert not cut[:-1].endswith(("\\", "@", "<"))
    emoji = truncate("😀" * 40, 11)
    assert limits.length(emoji) <= 11


def test_only_http_links():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://a.example/x y)z") == "https://a.example/x%20y%29z"
    assert safe_url("https://a.example/" + "x" * 3000) is None


def test_split_text_keeps_everything_within_2000():
    text = "\n".join(f"- line {n} @everyone " + "x" * 150 for n in range(40)) + "\n" + "q" * 4500
    chunks = split_text(text)
    assert all(0 < limits.length(c) <= limits.CONTENT for c in chunks)
    assert "".join(chunks).count("q") == 4500
    assert all("@everyone" not in c for c in chunks)


def test_notice_fits_and_carries_its_marker():
    (embed,) = render_notice(
        "Feed disabled: @everyone", "x" * 9000, marker_text="ref 00000000000a.0"
    )
    assert validate_message({"embeds": [embed]}) == {}
    assert "@everyone" not in embed["title"]
    assert embed["footer"]["text"].endswith("ref 00000000000a.0")
