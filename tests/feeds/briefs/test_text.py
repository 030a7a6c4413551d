"""Folding, words, stems and first sentences."""

import pytest

from feeds.briefs.text import fold, shorten, stem, tokens


def test_fold_drops_accents_and_case_but_keeps_other_scripts():
    assert fold("Cártel ÑANDÚ Straße") == "cartel nandu straße"
    assert fold("ﬁnal") == "final"  # compatibility decomposition
    assert fold("Москва") == "москва"


def test_tokens_split_on_punctuation_like_the_index():
    assert tokens("¿Qué? U.S.-Mexico «cita» x_y 3,000") == [
        "que", "u", "s", "mexico", "cita", "x", "y", "3", "000",
    ]  # fmt: skip
    assert tokens("price €5 — naïve") == ["price", "5", "naive"]


@pytest.mark.parametrize(
    ("words", "common"),
    [
        (["cartel", "cartels", "cárteles", "carteles"], "cartel"),
        (["homicide", "homicides"], "homicid"),
        (["presidente", "presidentes", "president"], "president"),
        (["policy", "policies"], "polic"),
        (["troop", "troops"], "troop"),
        (["extradición", "extradiciones"], "extradicion"),
    ],
)
def test_plural_forms_share_a_stem(words, common):
    assert {stem(tokens(word)[0]) for word in words} == {common}


@pytest.mark.parametrize(
    "word",
    ["cartels", "crosses", "analyses", "status", "crisis", "days", "news", "us", "sheinbaum",
     "2024", "militares", "viruses", "policies", "presidentes"],
)  # fmt: skip
def test_stems_are_prefixes_and_stable(word):
    stemmed = stem(word)
    assert word.startswith(stemmed)  # so the full-text index can look stems up as prefixes
    assert stem(stemmed) == stemmed


def test_shorten():
    assert shorten("a  b   c", 10) == "a b c"
    assert shorten("alpha beta gamma delta", 12) == "alpha beta…"
