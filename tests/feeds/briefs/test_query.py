"""The topic query language: parsing, errors with positions, matching and explanations."""

import pytest

from feeds.briefs.query import (
    All,
    Any,
    Document,
    Not,
    QuerySyntaxError,
    Term,
    match,
    parse,
    render,
    snippet,
    to_fts5,
    to_tsquery,
)
from feeds.errors import InvalidInputError


def doc(title="", opening="", body=""):
    return Document.from_text(title, opening, body)


def matches(query: str, title="", opening="", body="") -> bool:
    return match(parse(query), doc(title, opening, body)).matched


# Parsing.


def test_words_are_anded_and_or_binds_looser():
    root = parse("a b OR c").root
    assert isinstance(root, Any)
    first, second = root.items
    assert isinstance(first, All) and [t.text for t in first.items] == ["a", "b"]
    assert isinstance(second, Term) and second.text == "c"


def test_parentheses_phrases_exclusions_and_prefixes():
    root = parse('(cártel OR narco*) "Guardia Nacional" -fútbol').root
    assert isinstance(root, All)
    group, phrase, exclusion = root.items
    assert isinstance(group, Any)
    assert group.items[0].words == ("cartel",)  # folded
    assert group.items[1].prefix and group.items[1].words == ("narco",)
    assert phrase.words == ("guardia", "nacional") and phrase.is_phrase
    assert isinstance(exclusion, Not) and exclusion.item.words == ("futbol",)


@pytest.mark.parametrize("operator", ["OR", "or", "|"])
def test_or_spellings(operator):
    assert isinstance(parse(f"cartel {operator} narco").root, Any)


def test_and_keyword_and_not_keyword():
    root = parse("cartel AND Sinaloa NOT football").root
    assert isinstance(root, All) and isinstance(root.items[-1], Not)
    assert not isinstance(parse("cartel not football").root.items[-1], Not)  # lowercase: a word


def test_hyphenated_and_dotted_words_become_phrases():
    assert parse("U.S.").root.words == ("u", "s")
    assert parse("Sinaloa-based").root.words == ("sinaloa", "based")


def test_smart_quotes_are_phrases():
    assert parse("“Guardia Nacional”").root.words == ("guardia", "nacional")


def test_render_round_trips():
    text = '(cártel OR narco*) "Guardia Nacional" -fútbol'
    assert render(parse(text).root) == text
    assert parse(render(parse("a (b OR c) -(d e)").root)) == parse("a (b OR c) -(d e)")


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ('cartel "Sinaloa', "unclosed quotation mark", 7),
        ("cartel OR", "OR needs a term after it", 7),
        ("OR cartel", "OR needs a term before it", 0),
        ("a OR OR b", "OR needs a term after it", 5),
        ("(cartel Sinaloa", "missing ')'", 0),
        ("cartel Sinaloa)", "unmatched ')'", 14),
        ("cartel () Sinaloa", "empty parentheses: put a term inside", 7),
        ("cartel (( ) Sinaloa)", "empty parentheses", 8),
        (")", "unmatched ')': no '(' before it", 0),
        (") cartel", "unmatched ')'", 0),
        ("(cartel)) Sinaloa", "unmatched ')'", 8),
        ("(", "missing ')' for this '(', and nothing inside it", 0),
        ("cartel -(", "missing ')' for this '(', and nothing inside it", 8),
        ("((cartel) Sinaloa", "missing ')' for this '('", 0),
        ("", "empty query", 0),
        ("| cartel", "| needs a term before it", 0),
        ("cartel |", "| needs a term after it", 7),
        ("cartel (OR narco)", "OR needs a term before it", 8),
        ("cartel NOT", "NOT must be followed by what to leave out", 7),
        ("cartel NOT OR narco", "NOT must be followed by what to leave out", 7),
        ("NOT NOT cartel", "NOT must be followed by what to leave out", 0),
        ("cartel -)", "an exclusion must be followed by what to leave out", 7),
        ("-football", "an exclusion needs something to look for", 0),
        ("cartel OR -football", "an exclusion needs something to look for", 10),
        ("cartel - football", "'-' must be followed by what to leave out", 7),
        ("cartel --football", "an exclusion must be followed by what to leave out", 7),
        ("cartel -(a -b)", "cannot exclude an exclusion", 11),
        ("   ", "empty query", 0),
        ("cartel AND", "AND needs a term after it", 7),
        ("AND cartel", "AND needs a term before it", 0),
        ("cartel & fentanyl", "no letters or digits in '&'", 7),
        ('cartel ""', "empty phrase", 7),
    ],
)
def test_syntax_errors_say_what_and_where(query, message, position):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    error = caught.value
    assert message in str(error)
    assert error.position == position
    assert f"(at column {position + 1})" in str(error)
    pointer = error.pointer().splitlines()
    assert pointer[0] == query and pointer[1].index("^") == position


def test_syntax_errors_are_invalid_input():
    with pytest.raises(InvalidInputError):
        parse('"')


def test_overlong_queries_are_refused():
    with pytest.raises(QuerySyntaxError, match="too long"):
        parse("a " * 3000)
    with pytest.raises(QuerySyntaxError, match="too many terms"):
        parse(" OR ".join(f"w{i}" for i in range(400)))


# Matching.


def test_accents_and_case_are_ignored():
    assert matches("cártel", title="CARTEL leaders arrested")
    assert matches("cartel", title="Detienen a líderes del Cártel")
    assert matches("México", opening="Mexico's president")


def test_plurals_match_in_english_and_spanish():
    assert matches("cartel", title="Two cartels clash")
    assert matches("cartel", title="Choque entre cárteles")
    assert matches("homicidios", body="el homicidio de un periodista")
    assert matches("presidente", title="El presidente y los presidentes")


def test_prefix_matches_word_starts_only():
    assert matches("narco*", title="Narcotraficantes detenidos")
    assert matches("narco*", title="Anti-narcotic drive")  # "anti-narcotic" is two words
    assert not matches("narco*", title="Antinarcotic drive")


def test_phrases_need_adjacent_words_in_order():
    assert matches('"Guardia Nacional"', opening="Elementos de la Guardia Nacional llegaron")
    assert not matches('"Guardia Nacional"', opening="La Nacional guardia")
    assert not matches('"Guardia Nacional"', title="Guardia", opening="Nacional")
    assert matches('"drug cartel"', title="Drug cartels fight")


def test_and_or_and_exclusions():
    query = "(cartel OR narco*) Sinaloa -football"
    assert matches(query, title="Sinaloa cartel feud")
    assert not matches(query, title="Sinaloa farmers")
    assert not matches(query, title="Sinaloa cartel", body="... a football match ...")


def test_title_counts_more_than_opening_more_than_body():
    query = parse("cartel")
    in_title = match(query, doc(title="Cartel", body="cartel")).score
    in_opening = match(query, doc(opening="cartel")).score
    in_body = match(query, doc(body="cartel")).score
    assert in_title > in_opening > in_body > 0


def test_more_matching_terms_score_higher():
    query = parse("cartel OR fentanyl OR Sinaloa")
    one = match(query, doc(title="cartel news")).score
    three = match(query, doc(title="cartel news", opening="fentanyl in Sinaloa")).score
    assert three > one


# Explanations.


def test_explanation_of_a_match_lists_terms_and_fields():
    result = match(parse("cartel (Sinaloa OR Jalisco)"), doc("Cartel war", "In Sinaloa today"))
    assert result.matched
    assert [(h.term, h.field) for h in result.hits] == [("cartel", "title"), ("Sinaloa", "opening")]
    assert result.describe() == "matches (score 5.0): cartel (title), Sinaloa (opening)"


def test_explanation_of_an_exclusion():
    result = match(parse("cartel -football"), doc("Cartel", body="football"))
    assert not result.matched
    assert [(h.term, h.field) for h in result.excluded_by] == [("football", "body")]
    assert "excluded by football (body)" in result.describe()


def test_explanation_of_what_is_missing():
    result = match(parse("cartel (Sinaloa OR Jalisco)"), doc("Cartel news"))
    assert not result.matched
    assert "found cartel (title)" in result.describe()
    assert "one of Sinaloa, Jalisco" in result.describe()
    many = parse("(" + " OR ".join(f"w{i}" for i in range(20)) + ") x")
    assert "(+14 more)" in match(many, doc("x")).describe()


def test_fast_rejection_skips_the_explanation():
    result = match(parse("cartel"), doc("football"), explain=False)
    assert not result.matched and result.missing == ()


def test_snippet_shows_where_a_term_is():
    text = "A long introduction about many things. Then the Guardia Nacional arrived at dawn."
    found = snippet(text, parse('"Guardia Nacional"').root, width=30)
    assert "Guardia Nacional" in found and found.startswith("…")
    assert snippet(text, parse("cartel").root) is None


# Full-text compilation (a superset: exclusions dropped, words as prefixes).


def test_fts5_and_tsquery_compilation():
    query = parse('(cártel OR narco*) "Guardia Nacional" -fútbol us')
    assert to_fts5(query) == (
        '(("cartel"*) OR ("narco"*)) AND ("guardia"* + "nacional"*) AND ("us")'
    )
    assert to_tsquery(query) == (
        "(('cartel':*) | ('narco':*)) & ('guardia':* <-> 'nacional':*) & ('us')"
    )
