"""English quotes, speakers and key-quote choice on articles written for these tests."""

import re
from pathlib import Path

import pytest

from feeds.nlp import analyze_text
from tests.feeds.nlp.helpers import find, mention

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="module")
def sovereignty():
    text = (ARTICLES / "en_sovereignty.txt").read_text(encoding="utf-8")
    return text, analyze_text(text)


def test_the_issue_example_with_exact_offsets():
    text = (
        "Mexican President Claudia Sheinbaum rejected the offer on Thursday.\n\n"
        "“No, President Trump, our territory is inalienable, sovereignty is inalienable,”"
        " Sheinbaum stated.\n"
    )
    analysis = analyze_text(text)
    assert analysis.language == "en"
    (quote,) = analysis.quotes
    assert quote.text == (
        "No, President Trump, our territory is inalienable, sovereignty is inalienable"
    )
    assert (quote.start, quote.end) == (70, 147)
    assert (quote.speaker_start, quote.speaker_end) == (150, 159)  # "Sheinbaum"
    assert (quote.speaker, quote.speaker_kind, quote.rank) == ("Claudia Sheinbaum", "person", 1)


def test_quote_text_is_verbatim_at_its_offsets(sovereignty):
    """Each part of a quote (split around its attribution: joined by " … ") is in
    the text, in order, from its start offset to its end offset."""
    text, analysis = sovereignty
    for quote in analysis.quotes:
        span = text[quote.start : quote.end]
        parts = re.split(r"\n+| … ", quote.text)
        assert span.startswith(parts[0]) and span.endswith(parts[-1])
        cursor = 0
        for part in parts:
            cursor = span.index(part, cursor) + len(part)
    assert any(" … " in quote.text for quote in analysis.quotes)


def test_surname_resolves_to_the_fullest_name(sovereignty):
    text, analysis = sovereignty
    quote = find(analysis, "No, President Trump")
    assert mention(text, quote) == "Sheinbaum"
    assert text.index("“No, President Trump") + 1 == quote.start
    assert quote.speaker == "Claudia Sheinbaum"


def test_split_quote_is_joined_and_its_pronoun_resolved(sovereignty):
    text, analysis = sovereignty
    quote = find(analysis, "We will cooperate")
    assert quote.text == "We will cooperate … but we will never accept subordination of any kind."
    first, second = quote.text.split(" … ")
    assert text[quote.start :].startswith(first) and text[: quote.end].endswith(second)
    assert quote.start == text.index("We will cooperate")
    assert text[quote.end - 7 : quote.end] == "y kind."
    assert mention(text, quote) == "she"
    assert quote.speaker == "Claudia Sheinbaum"


def test_the_president_is_the_one_named_earlier(sovereignty):
    text, analysis = sovereignty
    quote = find(analysis, "Mexico will always defend")
    assert mention(text, quote) == "the president"
    assert (quote.speaker, quote.speaker_kind) == ("Claudia Sheinbaum", "person")


def test_organisations_speak(sovereignty):
    text, analysis = sovereignty
    white_house = find(analysis, "There is no plan")
    assert (white_house.speaker, white_house.speaker_kind) == ("the White House", "organization")
    assert "White House" in mention(text, white_house)
    pentagon = find(analysis, "reviewing every option")
    assert pentagon.speaker == "A spokesperson for the Pentagon"
    assert pentagon.speaker_kind == "organization"
    assert pentagon.rank == 0  # a fragment of a sentence, not a whole statement


def test_colon_introduction_and_multi_paragraph_quote(sovereignty):
    text, analysis = sovereignty
    arrested = find(analysis, "We have arrested")
    assert arrested.speaker == "Omar García Harfuch"
    assert "García Harfuch" in mention(text, arrested)
    long_quote = find(analysis, "The numbers speak for themselves.")
    assert long_quote.text.endswith(
        "We are not finished, and we will not stop until every family feels safe"
    )
    assert "\n\n" in long_quote.text and "“" not in long_quote.text
    assert mention(text, long_quote) == "he"
    assert long_quote.speaker == "Omar García Harfuch"


def test_nested_quote_and_inverted_attribution(sovereignty):
    text, analysis = sovereignty
    quote = find(analysis, "He told me")
    assert quote.text == "He told me, ‘Stay home tonight,’ and I did what he asked"
    assert (mention(text, quote), quote.speaker) == ("Maria Lopez", "Maria Lopez")


def test_a_stray_mark_does_not_swallow_text(sovereignty):
    _, analysis = sovereignty
    assert not any("calm" in q.text or "governor" in q.text for q in analysis.quotes)


def test_anonymous_lines_scare_quotes_and_titles(sovereignty):
    text, analysis = sovereignty
    anonymous = find(analysis, "tense but useful")
    assert anonymous.speaker is None and anonymous.rank == 0
    assert mention(text, anonymous) == "One official"  # the mention is still known
    assert not any(q.text in ("security theatre", "Meet the Press") for q in analysis.quotes)


def test_repeats_are_not_key_quotes(sovereignty):
    _, analysis = sovereignty
    first, repeat = [q for q in analysis.quotes if q.text.startswith("No, President Trump")]
    assert first.rank == 1 and repeat.rank == 0


def test_key_quotes_are_whole_statements_by_the_main_speaker(sovereignty):
    _, analysis = sovereignty
    best = analysis.key_quotes()
    assert len(best) == 2
    assert [q.speaker for q in best] == ["Claudia Sheinbaum", "Claudia Sheinbaum"]
    assert best[0].text.startswith("No, President Trump") and best[1].text.startswith("We will")
    ranks = sorted(q.rank for q in analysis.quotes if q.rank)
    assert ranks == list(range(1, len(ranks) + 1))
    # Scores are absolute: the main statement outscores the anonymous fragment.
    assert best[0].score > find(analysis, "tense but useful").score


def test_she_resolves_by_gender_and_proximity():
    text = (
        "Senator John Miller met Governor Ana Torres in Austin on Monday.\n\n"
        "“We agreed on a plan for the border crossings,” she said.\n\n"
        "“It will take years to finish the work,” he said."
    )
    analysis = analyze_text(text)
    assert [q.speaker for q in analysis.quotes] == ["Ana Torres", "John Miller"]


def test_text_without_quotes():
    analysis = analyze_text("Markets closed higher on Friday after a quiet week of trading.")
    assert analysis.quotes == [] and analysis.language == "en"
    assert analysis.lead == "Markets closed higher on Friday after a quiet week of trading."


def test_pronouns_prefer_the_main_clause_and_the_subject():
    text = (
        "Governor Tom Reyes, who campaigned for Senator Paul Vance last year, criticized "
        "the plan on Tuesday.\n\n"
        "“It is a disgrace and it will not pass this year,” he said.\n\n"
        "Mayor Linda Cho said her city would act. On Monday, Cho criticized officer Maria "
        "Diaz for the arrest.\n\n"
        "“We need answers from the department,” she said."
    )
    analysis = analyze_text(text)
    assert [q.speaker for q in analysis.quotes] == ["Tom Reyes", "Linda Cho"]


def test_a_long_article_with_a_late_quote():
    filler = "Officials met again on Monday to discuss the budget in detail.\n\n" * 20_000
    text = filler + "“We are done with the budget for this year,” Governor Ana Torres said."
    (quote,) = analyze_text(text).quotes
    assert text[quote.start : quote.end] == quote.text
    assert quote.speaker == "Ana Torres"


@pytest.mark.parametrize(
    ("sentence", "mention_words", "speaker"),
    [
        # The verb whose comma opens the quote, not an outer verb the parse hangs it from.
        (
            "The report concludes with a clip of Governor Sam Ortiz saying during a town "
            "hall in March, “Nobody in this state will lose their coverage.”",
            "Governor Sam Ortiz",
            "Sam Ortiz",
        ),
        # A sentence-final participle belongs to the main clause, not to a relative clause.
        (
            "Governor Ellen Voss was defensive when pressed about not paying a contractor "
            "who said he was cheated after he built a bridge for the state, saying, "
            "“Maybe he did not do the work we asked for.”",
            "Governor Ellen Voss",
            "Ellen Voss",
        ),
        # No verb of saying: the subject of the clause that characterises someone.
        (
            "Senator Joe Park has gone after the governor as a “career politician who "
            "never built anything.”",
            "Senator Joe Park",
            "Joe Park",
        ),
        # ... but indirect speech nested in another report keeps the outer speaker.
        (
            "Park said the governor was “absolutely right” when she said on Monday that "
            "under the old plan, “the roads were left to crumble.”",
            "Park",
            "Park",
        ),
    ],
)
def test_which_clause_speaks(sentence, mention_words, speaker):
    quote = analyze_text(sentence).quotes[-1]
    assert (mention(sentence, quote), quote.speaker) == (mention_words, speaker)


@pytest.mark.parametrize(
    ("sentence", "speaker", "kind"),
    [
        ('"We will win this fight," said Sen. Maria Cantwell, D-Wash.', "Maria Cantwell", "person"),
        ('Jane Roe wrote on Twitter: "The whole process is rigged!"', "Jane Roe", "person"),
        (
            '"We are reviewing the report," a White House spokesman said.',
            "a White House spokesman",
            "organization",
        ),
        (
            '"This is unacceptable to us," according to a statement from the governor\'s office.',
            "a statement from the governor's office",
            "organization",
        ),
        ('Asked about it, Jones replied: "Absolutely not, never, no way."', "Jones", "person"),
        (
            '"We apologize to every customer," the airline said in a statement.',
            "the airline",
            "organization",
        ),
    ],
)
def test_attribution_patterns(sentence, speaker, kind):
    (quote,) = analyze_text(sentence).quotes
    assert (quote.speaker, quote.speaker_kind) == (speaker, kind)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A title the article puts before the name is not part of it.
        (
            "“We have forty miles of old pipe in this district,” said Councilwoman Gloria "
            "Ruiz. “It cannot wait,” Ruiz said.",
            ["Gloria Ruiz", "Gloria Ruiz"],
        ),
        # What follows a name says it is a person's: a relative "who", an age.
        (
            "Owen Pratt, who has run the store for 31 years, points at the stripe on the "
            "wall. “Twice in ten years is enough for anyone,” he said.",
            ["Owen Pratt"],
        ),
        (
            "Among the crowd was Joan Whitby, 74, from the east side. “It is the only warm "
            "place some of us have,” she said.",
            ["Joan Whitby"],
        ),
        # So does a descriptor before it, listed or formed like "economist".
        (
            "State hydrologist Priya Natarajan has studied the river for a decade. “There "
            "is no fix that makes everybody whole,” she said.",
            ["Priya Natarajan"],
        ),
        # A surname the tagger takes for a common noun is still the name.
        (
            "Megan Hester works at the institute downtown. “Nobody wants to bus their kids "
            "across town,” said Hester.",
            ["Megan Hester"],
        ),
    ],
)
def test_who_is_a_person(text, speakers):
    assert [q.speaker for q in analyze_text(text).quotes] == speakers


def test_british_single_marks_and_a_spokesperson_referred_back_to():
    text = (
        "The council leader, Sarah Pennington, defended the closures. ‘Nobody went into "
        "local government to close libraries,’ she said.\n\n"
        "A spokesperson for the council said mobile libraries would visit every area. "
        "‘We are committed to keeping books within reach,’ the spokesperson said.\n"
    )
    first, second = analyze_text(text).quotes
    assert (first.text, first.speaker) == (
        "Nobody went into local government to close libraries",
        "Sarah Pennington",
    )
    assert mention(text, second) == "the spokesperson"
    assert (second.speaker, second.speaker_kind) == (
        "A spokesperson for the council",
        "organization",
    )


@pytest.mark.parametrize(
    ("text", "mention_words", "speaker"),
    [
        # A given name tells the gender the pronoun must agree with.
        (
            "Regional director Anna Smith met Governor Tom Jones on Monday. “We will not "
            "accept this plan at all,” she said.",
            "she",
            "Anna Smith",
        ),
        # A person named in a fronted subordinate clause is not the main subject.
        (
            "General Norman Hale retired last year. While he served under President Barack "
            "Obama, Hale grew frustrated. “We were not allowed to do our jobs,” he said.",
            "he",
            "Norman Hale",
        ),
        # An appositive role without an article still marks a person.
        (
            "The debate was judged by Jo-Renee Formicola, political science professor at "
            "Seton Hall. “He tried to lower expectations all week,” she said.",
            "she",
            "Jo-Renee Formicola",
        ),
        # An inverted cue at the start of a sentence is not part of the name.
        (
            "Ellis works for a think tank in Washington. Said Ellis: “I do not see a plan "
            "here at all.”",
            "Ellis",
            "Ellis",
        ),
        # A colon after a small clause: the subject of the verb.
        (
            "Jones has made his position clear: “We will not accept this plan at all.”",
            "Jones",
            "Jones",
        ),
        # A document speaks for whoever issued it.
        (
            "The council issued a statement calling the vote “a clear violation of the rules.”",
            "The council",
            "The council",
        ),
    ],
)
def test_pronouns_roles_and_introductions(text, mention_words, speaker):
    (quote,) = analyze_text(text).quotes
    assert (mention(text, quote), quote.speaker) == (mention_words, speaker)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The subject, not a possessive or an object after a preposition.
        (
            "Mayor Dan Ortiz dismissed the report as the work of Mr. Kemp's lobbyists. "
            "“I have known Walter for years,” he said.",
            "Dan Ortiz",
        ),
        (
            "Ray Fuller said the old rules had worked. Though the change went smoothly, he "
            "said, a new fight would bring pressure from allies of Joe Biden and Pete "
            "Sanders. “This time is different,” he said.",
            "Ray Fuller",
        ),
        # A given name makes a person of a name nothing else describes.
        (
            "Mark Smith has known Governor Paul Jones since college. “He is the most "
            "stubborn man I have ever met,” he said.",
            "Mark Smith",
        ),
        # Bodies are not people: "the National Review", "Commission on ...".
        (
            "Carl Dean at the National Review agreed with the mayor. “The plan will fail "
            "within a year,” he wrote.",
            "Carl Dean",
        ),
        (
            "The Commission on Presidential Debates announced a review. Paul Hart said the "
            "microphones had failed. “It was a technical problem,” he said.",
            "Paul Hart",
        ),
    ],
)
def test_which_person_a_pronoun_means(text, speaker):
    (quote,) = analyze_text(text).quotes
    assert quote.speaker == speaker


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("“That is a record of nearly thirteen thousand claims,” FactWatch says.", "organization"),
        ("“The alliance will respond to any attack,” NATO said in a statement.", "organization"),
        ("“The alliance will respond to any attack,” McCain said in a statement.", "person"),
    ],
)
def test_one_word_speakers_spelt_like_bodies(sentence, kind):
    (quote,) = analyze_text(sentence).quotes
    assert quote.speaker_kind == kind


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # A given name alone tells a gender too.
        (
            "Rosa Delgado opened the bakery in 2009. Her husband, Ernesto, died in 2015. "
            "“He would have been out there with us every morning,” she said.",
            ["Rosa Delgado"],
        ),
        # A surname a man and a woman share: their given names decide.
        (
            "Beth Harlan came with her sister. “I liked what she said about hospitals,” "
            "Harlan said. Her husband, Tom Harlan, was less sure. He voted Republican twice. "
            "“She talks a good game,” he said.",
            ["Beth Harlan", "Tom Harlan"],
        ),
        # A capitalised job before a full name is a title, not part of it.
        (
            "Librarian Carol Emmett spoke to the board. “That is what a library is for,” "
            "Emmett said.",
            ["Carol Emmett"],
        ),
    ],
)
def test_given_names_families_and_job_titles(text, speakers):
    assert [q.speaker for q in analyze_text(text).quotes] == speakers
