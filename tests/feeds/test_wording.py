"""Counts and excerpts as people read them."""

import pytest

from feeds.wording import excerpt, plural


@pytest.mark.parametrize(
    ("count", "one", "many", "expected"),
    [
        (1, "article", None, "1 article"),
        (0, "article", None, "0 articles"),
        (5, "article", None, "5 articles"),
        (1, "entry", "entries", "1 entry"),
        (2, "entry", "entries", "2 entries"),
    ],
)
def test_plural(count, one, many, expected):
    assert plural(count, one, many) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("cartel  OR\n fentanyl", 40, "cartel OR fentanyl"),  # short: whole, on one line
        ('(CJNG OR "Jalisco New Generation" OR Sinaloa)', 30, '(CJNG OR "Jalisco New…'),
        ("one two three", 8, "one two…"),  # room for the ellipsis
        ("one two three", 7, "one…"),
        ("supercalifragilistic", 6, "super…"),  # one long word: cut inside it
        ("cartel, fentanyl, border", 18, "cartel, fentanyl…"),
    ],
)
def test_excerpt_cuts_at_a_word(text, limit, expected):
    cut = excerpt(text, limit)
    assert cut == expected and len(cut) <= limit
