"""Quality targets on the labelled sets (tests/data, our own writing).

The same figures are printed, with the held-out sets, by benchmarks/brief_quality.py;
no test scores a held-out set (that would print its figures on every run).
"""

from collections import Counter

import pytest

from feeds.briefs.compose import summarize
from feeds.briefs.presets import PRESETS
from feeds.briefs.text import repeats_title
from feeds.store import Store
from tests.support.brief_eval import (
    HELD_OUT,
    HELD_OUT_2,
    grouping_scores,
    read_stubs,
    topic_scores,
)
from tests.support.story_articles import (
    ARTICLES,
    ARTICLES_HELD_OUT,
    article_grouping_scores,
    read_articles,
)
from tests.support.summaries import REAL_FEEDS, demo_texts, real_feed_texts


def test_the_labelled_set_is_big_bilingual_and_has_near_misses():
    stubs = read_stubs()
    assert len(stubs) >= 150
    assert len({stub["id"] for stub in stubs}) == len(stubs)
    languages = Counter(stub["lang"] for stub in stubs)
    assert languages["en"] >= 60 and languages["es"] >= 60
    assert sum(not stub["topics"] for stub in stubs) >= 50  # near misses and other news
    stories = Counter(stub["story"] for stub in stubs)
    assert sum(count > 1 for count in stories.values()) >= 30  # multi-outlet stories
    assert {p.name for p in PRESETS} >= {t for stub in stubs for t in stub["topics"]}
    assert len(read_stubs(HELD_OUT)) >= 30
    second = read_stubs(HELD_OUT_2)
    assert len(second) >= 80 and {s["lang"] for s in second} == {"en", "es"}
    assert not {s["id"] for s in second} & {s["id"] for s in stubs}


def test_presets_reach_the_topic_targets():
    for name, scores in topic_scores(read_stubs()).items():
        assert scores.precision >= 0.9 and scores.recall >= 0.9, (name, str(scores))


def test_grouping_reaches_the_pairwise_targets(store: Store):
    scores, errors = grouping_scores(store, read_stubs())
    assert scores.precision >= 0.9, errors
    assert scores.recall >= 0.85, errors


def test_the_article_sets_are_whole_articles_across_outlets_with_hard_negatives():
    for path, pairs, negatives in ((ARTICLES, 25, 25), (ARTICLES_HELD_OUT, 40, 40)):
        items = read_articles(path)
        assert len({item["id"] for item in items}) == len(items)
        stories = {}
        for item in items:
            assert item["title"] and item["teaser"] and len(item["paragraphs"]) >= 2
            stories.setdefault(item["story"], []).append(item)
        quoting = [i for i in items if any(m in p for p in i["paragraphs"] for m in '“«"')]
        assert len(quoting) >= 0.95 * len(items)  # bodies with quotations, as news has
        told = [members for members in stories.values() if len(members) > 1]
        assert len(told) >= pairs
        for members in told:
            assert len({m["source"] for m in members}) == len(members)  # across outlets
            assert {m["delivery"] for m in members} == {"page", "feed"}  # teaser + full text
            assert len({m["title"] for m in members}) == len(members)  # rewritten headlines
        assert sum(len({m["lang"] for m in members}) == 2 for members in told) >= 10
        hard = [item for item in items if "near" in item]
        assert len(hard) >= negatives and all(item["near"] in stories for item in hard)
        assert {item["relation"] for item in hard} == {
            "same-place-day", "sequel", "same-actors", "place-only"
        }  # fmt: skip
    held_out = {item["id"] for item in read_articles(ARTICLES_HELD_OUT)}
    assert not held_out & {item["id"] for item in read_articles(ARTICLES)}


def test_grouping_whole_articles_reaches_the_targets_on_the_development_set(store: Store):
    scores, errors, by_id = article_grouping_scores(store, read_articles(ARTICLES))
    assert scores.precision >= 0.95 and scores.recall >= 0.9, errors
    texts = store.article_texts(by_id)
    repeats = [t.title for t in texts if not summarize(t) or repeats_title(summarize(t), t.title)]
    assert repeats == []  # every story gets a summary that adds to its headline


@pytest.mark.corpus
@pytest.mark.skipif(not REAL_FEEDS.is_dir(), reason="../shared corpus absent")
def test_no_summary_repeats_its_headline_on_real_feeds_or_the_demo():
    texts = real_feed_texts(REAL_FEEDS, lambda line: None)
    assert len(texts) > 5000
    for text in texts + demo_texts():
        assert not repeats_title(summarize(text), text.title), (text.title, summarize(text))
