"""Finding quoted passages by their marks, before any attribution."""

import pytest

from feeds.nlp.scan import find_dash_speech, find_quotes, house_marks, mark_role


def quoted(text: str) -> list[str]:
    return [q.text(text) for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win this fight,” she said.", ["We will win this fight"]),
        ('"We will win this fight," she said.', ["We will win this fight"]),
        ("She said: “We will win this fight.”", ["We will win this fight."]),
        # Mixed glyphs, as real feeds have them.
        (
            'He called them "previous misinterpreted statements.”',
            ["previous misinterpreted statements."],
        ),
        ("«No vamos a ceder», dijo.", ["No vamos a ceder"]),
        ("„Wir schaffen das“, sagte sie.", ["Wir schaffen das"]),
    ],
)
def test_double_and_angle_marks(text, expected):
    assert quoted(text) == expected


def test_offsets_point_at_the_words_without_marks_or_trailing_comma():
    text = "Intro. “No, President Trump, our territory is inalienable,” Sheinbaum stated."
    (quote,) = find_quotes(text)
    assert text[quote.start : quote.end] == "No, President Trump, our territory is inalienable"
    assert text[quote.open_at] == "“" and text[quote.close_at] == "”"


def test_a_quote_split_around_its_attribution_gives_both_parts():
    text = "“We will cooperate,” she said, “but we will never accept subordination.”"
    assert quoted(text) == ["We will cooperate", "but we will never accept subordination."]


def test_a_quote_over_several_paragraphs_is_one_quote():
    text = (
        "He told reporters: “The numbers speak for themselves.\n\n"
        "“Homicides are down for the first time.\n\n"
        "“We are not finished,” he added. Then he left."
    )
    (quote,) = find_quotes(text)
    assert len(quote.pieces) == 3
    assert quote.text(text) == (
        "The numbers speak for themselves.\n\n"
        "Homicides are down for the first time.\n\n"
        "We are not finished"
    )
    assert text[quote.end : quote.close_at + 1] == ",”"


def test_stray_marks_do_not_derail_the_rest_of_the_article():
    text = (
        "Officials described the mood as “calm. Schools reopened on Monday.\n\n"
        "A stray ” closing mark here, and another “ opening one there.\n\n"
        "“He told me to stay home,” said Maria Lopez.\n\n"
        'Straight ones too: 5\'10" tall, and "a quote that works," she said.'
    )
    assert quoted(text) == ["He told me to stay home", "a quote that works"]


def test_an_opener_in_mid_phrase_does_not_swallow_the_next_paragraph():
    # A real long quote opens a sentence; 'as “calm.' is a stray mark.
    text = "It was described as “calm. The end.\n\n“We are safe,” she said."
    assert quoted(text) == ["We are safe"]


def test_nested_single_quotes_stay_inside():
    text = "“He told me, ‘Stay home tonight,’ and I did,” said Maria Lopez."
    assert quoted(text) == ["He told me, ‘Stay home tonight,’ and I did"]


def test_nested_double_quotes_inside_angle_quotes():
    text = "«Nos dijeron “quédense en casa” y eso hicimos», contó una vecina."
    assert quoted(text) == ["Nos dijeron “quédense en casa” y eso hicimos"]


def test_a_closing_mark_after_a_nested_quote_and_a_space():
    text = "\"I've been insulted by the term 'outreach,' \" he told the group."
    assert quoted(text) == ["I've been insulted by the term 'outreach,'"]


def test_a_quote_wrapped_over_a_single_line_break():
    text = 'He said "this line\nwraps here" and left.'
    (quote,) = find_quotes(text)
    assert quote.text(text) == "this line\nwraps here"


@pytest.mark.parametrize(
    ("text", "at", "role"),
    [
        ("a “word", 2, "open"),
        ("word” a", 4, "close"),
        ('a "word', 2, "open"),
        ('word" a', 4, "close"),
        ("a ” b", 2, "stray"),
        ('say "so"', 4, "open"),
    ],
)
def test_mark_roles(text, at, role):
    assert mark_role(text, at) == role


def test_spanish_dialogue_dashes():
    text = (
        "—No vamos a ceder —advirtió el canciller—. Seguiremos adelante.\n"
        "—Es todo —dijo.\n"
        "— una lista\n"
        "Texto normal — con un inciso — sin diálogo."
    )
    lines = find_dash_speech(text)
    assert [[text[a:b] for a, b in line.speech] for line in lines] == [
        ["No vamos a ceder", "Seguiremos adelante."],
        ["Es todo"],
    ]
    assert [[text[a:b] for a, b in line.asides] for line in lines] == [
        ["advirtió el canciller"],
        ["dijo."],
    ]


def test_a_text_quoting_in_single_marks():
    text = (
        "‘Nobody went into local government to close libraries,’ she said. ‘But the "
        "council’s money is not there.’\n\n"
        "He said: ‘My mother told me, “Read everything,” and I don’t regret it.’\n\n"
        "The students’ union called it ‘a sad day for the town’."
    )
    assert quoted(text) == [
        "Nobody went into local government to close libraries",
        "But the council’s money is not there.",
        "My mother told me, “Read everything,” and I don’t regret it.",
        "a sad day for the town",
    ]
    assert house_marks(text).count("’") == 3  # the apostrophes stay apostrophes
    assert len(house_marks(text)) == len(text)


def test_single_marks_in_a_headline_over_double_marks_are_left_alone():
    text = (
        "Senator says plan is ‘dead on arrival’ in the House\n\n"
        "“The plan is dead on arrival,” the senator said. “Nobody will vote for it.”\n\n"
        "Asked about it, the speaker said: “We will see next week.”"
    )
    assert house_marks(text) == text
    assert quoted(text)[0] == "The plan is dead on arrival"


def test_typewriter_pairs_are_not_quotation_marks():
    # Archive copy (''…'') is not what a web page shows; the PolNeAR scorer's
    # gold leaves such quotes out too.
    text = "''This is not the text we wanted,'' said Maria Fonseca."
    assert quoted(text) == []
