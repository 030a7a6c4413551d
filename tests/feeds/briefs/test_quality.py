"""Quality targets on the labelled stubs (tests/data/brief_stubs.jsonl, our own writing).

The same figures are printed, with the held-out set, by benchmarks/brief_quality.py.
"""

from collections import Counter

from feeds.briefs.presets import PRESETS
from feeds.store import Store
from tests.support.brief_eval import (
    HELD_OUT,
    HELD_OUT_2,
    grouping_scores,
    read_stubs,
    topic_scores,
)


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
