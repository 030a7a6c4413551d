"""Evidence from the articles' texts: quotations, bodies, and how they are combined."""

import json
from datetime import timedelta

import pytest

from feeds.briefs.evidence import (
    _WEIGHTS,
    FEATURES,
    MIN_BODY_WORDS,
    Evidence,
    QuoteSig,
    body_bag,
    combine,
    is_recalled,
    quote_keys,
    quote_signatures,
    shared_quote,
)
from feeds.briefs.grouping import THRESHOLD, Rarity, fingerprint, judge_pair, pair_score
from feeds.store import QuoteInContext
from feeds.timeutil import utcnow

NOW = utcnow()
QUOTE = "No, President Trump, our territory is inalienable, sovereignty is inalienable"


def signature(text: str, speaker: str | None = "Claudia Sheinbaum", before: str = "", after=""):
    (found,) = quote_signatures([QuoteInContext(text, speaker, before, after)])
    return found


def test_most_of_a_quotation_by_the_same_speaker_is_shared():
    full = (signature(QUOTE),)
    assert shared_quote(full, (signature(QUOTE, "Sheinbaum"),)) == 1.0  # surname only
    shorter = "our territory is inalienable, sovereignty is inalienable"
    assert shared_quote(full, (signature(shorter, None),)) == 1.0
    assert shared_quote(full, (signature(QUOTE, "Marcelo Ebrard"),)) == 0.5  # misattributed
    other = (signature("We will never accept foreign soldiers on our soil"),)
    assert shared_quote(full, other) == 0.0


def test_short_quotations_say_nothing():
    assert quote_signatures([QuoteInContext("no way", "X", "", "")]) == ()


@pytest.mark.parametrize(
    ("before", "after", "recalled"),
    [
        ("After the attack, Governor Libia García had called it ", " and ordered a search.", True),
        ("Un rescatista había dicho que la corriente estaba ", ".", True),
        ("Ramírez Bedolla repeated that the killing was ", " and said more.", True),
        ("«Marcelo era una voz de paz», repitieron los manifestantes, citando ", "", True),
        ("The minister said on Monday that ", ", adding that talks would go on.", False),
        ("Last week she had called it a crime. Today she said ", ".", False),  # another sentence
    ],
)
def test_a_quotation_told_again_from_an_earlier_report(before, after, recalled):
    assert is_recalled(before, after) is recalled


def test_a_recalled_quotation_is_no_evidence():
    fresh = (signature(QUOTE),)
    again = (signature(QUOTE, before="On Monday Sheinbaum had said that "),)
    assert again[0].recalled and shared_quote(fresh, again) == 0.0


def test_quotations_give_retrieval_keys_that_survive_a_shorter_quote():
    keys = quote_keys((signature(QUOTE),))
    assert len(keys) == 2 and all(k.startswith("~") for k in keys)
    shorter = signature("our territory is inalienable, sovereignty is inalienable", None)
    assert set(keys) & set(quote_keys((shorter,)))  # bottom-k: the rarest hashes survive
    assert quote_keys((QuoteSig(frozenset({"b", "a", "c"})),)) == quote_keys(
        (QuoteSig(frozenset({"c", "a", "b"})),)
    )


BODY = (
    "CELAYA, Mexico — Gunmen stormed a bar in the Guanajuato city of Celaya late Monday and "
    "opened fire on customers, killing seven people and wounding four, state prosecutors said."
    "\n\nGovernor Libia Dennise García said the owner had reported extortion threats to police "
    "last week, and that 2027 would bring a new security plan for the state."
)


def test_a_body_is_the_articles_text_only_beyond_a_teaser():
    assert body_bag(BODY.replace("\n\n", " ")) is None  # one paragraph: a feed's teaser
    assert body_bag("Short.\n\nText.") is None
    assert len(BODY.split()) >= MIN_BODY_WORDS
    bag = body_bag(BODY)
    assert bag["garcia"] == 2.0 and bag["guanaj"] == 2.0  # names count double
    assert bag["7"] == 2.0 and "2027" not in bag  # figures too (words or digits), not years
    assert bag["owner"] == 1.0


def evidence(**changes) -> Evidence:
    values = dict(headline=0.1, body=0.3, quote=0.0, other_happening=False, hours=2.0)
    return Evidence(**{**values, **changes})


def test_combined_score_grows_with_each_sign_of_one_story_and_stays_below_certainty():
    base = combine(evidence(), THRESHOLD)
    assert combine(evidence(quote=1.0), THRESHOLD) > base
    assert combine(evidence(body=0.6), THRESHOLD) > base
    assert combine(evidence(headline=0.3), THRESHOLD) > base
    assert combine(evidence(other_happening=True), THRESHOLD) < base
    assert combine(evidence(hours=30), THRESHOLD) < base
    assert combine(evidence(hours=30, update=True), THRESHOLD) == base  # a revised toll
    assert combine(evidence(headline=1.0, body=1.0, quote=1.0), THRESHOLD) < 1.0


def test_the_weights_are_fitted_for_every_feature():
    data = json.loads(_WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["coefficients"]) == set(FEATURES)
    assert "train_grouping.py" in data["about"]
    assert data["coefficients"]["quote"] > 0 and data["coefficients"]["body"] > 0
    assert data["coefficients"]["late"] < 0 and data["coefficients"]["other_happening"] < 0


# The case: two outlets, headlines that share almost no words, one quotation.
REJECTS = (
    "Mexican President Rejects Trump's Offer for U.S. Military Aid Against Drug Cartels",
    "Mexican President Claudia Sheinbaum on Monday rejected an offer from President Donald "
    "Trump to send U.S. troops to help fight drug cartels in Mexico.",
    "MEXICO CITY — Mexican President Claudia Sheinbaum on Monday rejected an offer from "
    "President Donald Trump to send U.S. troops to help fight drug cartels in Mexico.\n\n"
    f"“{QUOTE},” Sheinbaum said at her morning news conference, adding that Mexico was willing "
    "to share intelligence.\n\nTrump made the offer during a phone call on Friday.",
)
TURNS_DOWN = (
    "Sheinbaum turns down U.S. troops for cartel fight, offers intelligence sharing instead",
    "Mexico will not accept U.S. soldiers on its soil to fight the cartels, President Claudia "
    "Sheinbaum said on Monday, offering instead to expand the exchange of intelligence.",
    "Mexico will not accept U.S. soldiers on its soil to fight the cartels, President Claudia "
    "Sheinbaum said on Monday, offering instead to expand the exchange of intelligence with "
    f"Washington.\n\n“{QUOTE},” she told reporters at the National Palace.\n\nThe White House "
    "did not respond to a request for comment.",
)


# Everyday words of a store that follows Mexico security (counts among 400 articles).
DESK = Rarity(
    {"us": 150, "cartel": 120, "mexico": 200, "president": 100, "sheinb": 90, "claudia": 80,
     "trump": 60, "troop": 50, "drug": 80, "fight": 40, "offer": 30, "said": 300},
    total=400,
)  # fmt: skip


def test_rewritten_headlines_with_the_same_quotation_are_one_story():
    titles = fingerprint(REJECTS[0], ""), fingerprint(TURNS_DOWN[0], "")
    assert pair_score(*titles, DESK)[0] < THRESHOLD  # the titles alone keep them apart
    quote = (signature(QUOTE),)
    a = fingerprint(*REJECTS, at=NOW, quotes=quote)
    b = fingerprint(*TURNS_DOWN, at=NOW + timedelta(hours=1), quotes=quote)
    found = judge_pair(a, b, DESK)[2]
    assert found is not None and found.quote == 1.0
    score, reason = pair_score(a, b, DESK)
    assert score >= THRESHOLD and reason == "the same quotation in both"
    unquoted = pair_score(fingerprint(*REJECTS, at=NOW), b, DESK)[0]
    assert unquoted < score
    teaser_only = fingerprint(REJECTS[0], REJECTS[1], REJECTS[1], at=NOW)
    assert judge_pair(teaser_only, b)[2] is None  # no text: judged by headline and opening
