"""Summaries: the cleaned opening sentence or two, never more than 300 characters."""

import pytest

from feeds.nlp.language import detect_language
from feeds.nlp.summary import MAX_CHARS, cut_at_word, is_prose, sentences, summarize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "WASHINGTON (Reuters) - The Senate passed the bill on Friday. It goes to the House.",
            "The Senate passed the bill on Friday. It goes to the House.",
        ),
        (
            "MEXICO CITY — Mexico's president rejected the offer of troops on Thursday.",
            "Mexico's president rejected the offer of troops on Thursday.",
        ),
        (
            "Mexico City, Nov. 27 (AP) — Rain flooded parts of the capital overnight.",
            "Rain flooded parts of the capital overnight.",
        ),
        (
            "CIUDAD DE MÉXICO.- La presidenta rechazó la ayuda militar ofrecida el jueves.",
            "La presidenta rechazó la ayuda militar ofrecida el jueves.",
        ),
        (
            "Madrid, 27 nov (EFE).- El Gobierno aprobó hoy la ley de vivienda tras un debate.",
            "El Gobierno aprobó hoy la ley de vivienda tras un debate.",
        ),
    ],
)
def test_datelines_are_removed(text, expected):
    assert summarize(text) == expected


def test_bylines_furniture_and_photo_credits_are_removed():
    text = (
        "By JANE DOE and JOHN ROE\n\n"
        "Updated 3:45 p.m. ET\n\n"
        "Photo: Reuters\n\n"
        "Post Comment\n\n"
        "Original Source: Example Wire\n\n"
        "The city council approved the new budget on Tuesday after a long night of debate "
        "(AP Photo/Jane Doe). Critics said the cuts went too far.\n\n"
        "Read more"
    )
    assert summarize(text) == (
        "The city council approved the new budget on Tuesday after a long night of debate. "
        "Critics said the cuts went too far."
    )


def test_second_sentence_only_when_the_first_is_short_and_both_fit():
    short = "Rates rose. The central bank surprised markets with a half-point move on Wednesday."
    assert summarize(short) == short
    long_first = "A" + " very" * 30 + " long opening sentence. A second sentence follows here."
    assert summarize(long_first) == "A" + " very" * 30 + " long opening sentence."


def test_never_longer_than_300_and_never_cut_mid_word():
    words = " ".join(f"word{i}" for i in range(200))
    summary = summarize(words)
    assert len(summary) <= MAX_CHARS
    assert summary.endswith("…")
    assert summary[:-1].split()[-1] in words.split()
    assert cut_at_word("short text", 300) == "short text"


def test_sentences_respect_abbreviations_and_quotes():
    paragraph = (
        "Sen. John Smith of the U.S. Senate spoke. "
        "He said: “We will win. They will lose.” Then he left."
    )
    assert sentences(paragraph) == [
        "Sen. John Smith of the U.S. Senate spoke.",
        "He said: “We will win. They will lose.”",
        "Then he left.",
    ]


def test_nothing_to_summarize():
    assert summarize("") == ""
    assert summarize("Read more\n\nPost Comment") == ""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The president said the economy would grow faster than expected this year.", "en"),
        ("El presidente dijo que la economía crecerá más de lo esperado este año.", "es"),
        ("«No vamos a ceder», dijo el canciller.", "es"),
        ("José Martínez said the plan would fail.", "en"),
    ],
)
def test_language(text, language):
    assert detect_language(text) == language


def test_language_default_when_nothing_tells():
    assert detect_language("", default="es") == "es"
    assert detect_language("OK", default="en") == "en"


PAGE_TEXT = (
    "Mexican President Rejects Trump's Offer for U.S. Military Aid Against Drug Cartels\n\n"
    "By Laura Jiménez and Tom Lee\n\n"
    "Nov. 25, 2026 10:14 AM GMT\n\n"
    "Claudia Sheinbaum speaks at the National Palace on Tuesday. (AP Photo/Eduardo Verdugo)\n\n"
    "MEXICO CITY (AP) — Mexican President Claudia Sheinbaum on Tuesday rejected an offer of "
    "U.S. troops to fight the cartels. She offered intelligence instead.\n\n"
    "“No, President Trump, our territory is inalienable,” she said."
)


def test_the_headline_byline_date_and_caption_atop_a_page_are_skipped():
    expected = (
        "Mexican President Claudia Sheinbaum on Tuesday rejected an offer of U.S. troops to "
        "fight the cartels. She offered intelligence instead."
    )
    assert summarize(PAGE_TEXT) == expected  # none of them ends as a sentence does
    title = "Mexican President Rejects Trump's Offer for U.S. Military Aid Against Drug Cartels"
    assert summarize(PAGE_TEXT, title=title) == expected


@pytest.mark.parametrize(
    "caption",
    [
        "Marines guard the tunnel in Tijuana on Monday. Photo: Pacific Herald",
        "Peritos trabajan en el lugar del ataque. Foto: Crónica Norte",
        "Forensic workers outside the bar on Tuesday. (Northern Wire photo)",
        "Soldiers patrol a road near Badiraguato. REUTERS/Jane Doe",
    ],
)
def test_a_caption_is_not_the_summary(caption):
    text = f"{caption}\n\nThe Navy said on Monday it had found a tunnel under a tyre shop."
    assert summarize(text) == "The Navy said on Monday it had found a tunnel under a tyre shop."
    assert not is_prose(caption) and is_prose("The Navy found a tunnel (AP Photo). It was long.")


def test_a_title_ending_with_a_full_stop_is_skipped_when_the_title_is_given():
    title = "Sheinbaum says no to U.S. troops on Mexican soil."
    text = f"{title}\n\nThe president turned down the offer at her morning news conference."
    assert summarize(text) == title  # it looks like prose
    assert summarize(text, title=title) == (
        "The president turned down the offer at her morning news conference."
    )
    # A first sentence that repeats the headline inside the first paragraph goes too.
    merged = f"{title} The president turned down the offer at her morning news conference."
    assert summarize(merged, title=title).startswith("The president turned down")


def test_a_page_of_headlines_still_gives_something_and_never_only_the_title():
    assert summarize("Breaking: storm hits the coast\n\nLive updates") == (
        "Breaking: storm hits the coast"
    )
    assert summarize("Storm hits the coast", title="Storm hits the coast") == ""
