"""Speakers on our own annotated articles in styles PolNeAR's dev set has little of
(tests/feeds/nlp/styles/, see tests/support/quote_eval.py).

The figures, with every error, are printed by benchmarks/quote_styles.py.
"""

import pytest

from tests.support.quote_eval import DEV, HELD_OUT, read_article, read_folder, score_folder


@pytest.mark.parametrize("folder", [DEV, HELD_OUT], ids=["dev", "heldout"])
def test_the_annotated_sets_are_varied_and_consistent(folder):
    articles = read_folder(folder)
    assert len(articles) >= 10
    assert sum(len(a.expected) for a in articles) >= 70
    for article in articles:
        for want in article.expected:
            # Every annotated quote and mention is in the article's text.
            assert want.prefix in article.text, (article.name, want.prefix)
            assert want.mention is None or want.mention in article.text, (article.name, want)


def test_the_reader_splits_text_and_expectations(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "“We will win,” said Ann Lee.\n=== expected\nWe will win | Ann Lee | Ann Lee\n"
        "We lost | the agency | the agency | org\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.text == "“We will win,” said Ann Lee.\n"
    assert [(w.prefix, w.mention, w.speaker, w.organization) for w in article.expected] == [
        ("We will win", "Ann Lee", "Ann Lee", False),
        ("We lost", "the agency", "the agency", True),
    ]


def test_speakers_on_the_development_styles():
    scores = score_folder(DEV)
    assert scores.found >= 0.9 * scores.expected, scores.errors
    assert scores.extra <= 2, scores.errors
    assert scores.mention_ok >= 0.95 * scores.found, scores.errors
    assert scores.speaker_ok >= 0.95 * scores.found, scores.errors


def test_speakers_on_the_held_out_styles():
    scores = score_folder(HELD_OUT)
    assert scores.found >= 0.85 * scores.expected, scores.errors
    assert scores.mention_ok >= 0.9 * scores.found, scores.errors
    assert scores.speaker_ok >= 0.85 * scores.found, scores.errors
