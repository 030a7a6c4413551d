"""Topic, same-story grouping and summary quality on our labelled sets.

    .venv/bin/python benchmarks/brief_quality.py              # development sets
    .venv/bin/python benchmarks/brief_quality.py --held-out   # … and the held-out sets

Development (used to write the presets and tune grouping): the stubs of
tests/data/brief_stubs.jsonl and the whole articles of story_articles.jsonl.
Held-out (each written and committed before a round of changes, printed
only with --held-out, totals only): the stubs of
brief_stubs_heldout.jsonl and brief_stubs_heldout2.jsonl, and the whole
articles of story_articles_heldout.jsonl (stored as polling would and
analysed by the real pipeline, see tests/support/story_articles.py). For
each: each preset's precision and recall, and grouping's pairwise precision
and recall (the real pipeline on a temporary SQLite store).

Summaries: how many of the summaries a briefing would show repeat their
headline (equal or near-equal) or are empty, on the demo's articles, the
article sets, and the real feeds of ../shared/corpus/feeds/real-200 (skipped
when absent). The pairs grouping got wrong are listed for development sets
only, unless --errors: looking at held-out mistakes turns them into
development data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from feeds.briefs.compose import summarize
from feeds.briefs.text import repeats_title
from feeds.store import Store, open_store
from tests.support.brief_eval import (
    HELD_OUT,
    HELD_OUT_2,
    STUBS,
    Scores,
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


@contextmanager
def scratch_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as directory:
        store = open_store(f"sqlite:///{directory}/quality.db")
        try:
            yield store
        finally:
            store.close()


def report_stubs(label: str, path: Path, *, errors: bool) -> None:
    stubs = read_stubs(path)
    languages = sorted({stub["lang"] for stub in stubs})
    print(f"{label} set: {len(stubs)} stubs ({', '.join(languages)}) from {path.name}")
    for name, scores in topic_scores(stubs).items():
        print(f"  topic {name!r:<20} {scores}")
    with scratch_store() as store:
        scores, mistakes = grouping_scores(store, stubs)
    _print_grouping(scores, mistakes if errors else [])


def report_articles(label: str, path: Path, *, errors: bool) -> None:
    items = read_articles(path)
    pairs = sum(1 for item in items if item["id"].endswith("b"))
    negatives = sum(1 for item in items if "near" in item)
    print(
        f"{label} set: {len(items)} whole articles ({pairs} same-story pairs, "
        f"{negatives} hard negatives) from {path.name}"
    )
    with scratch_store() as store:
        scores, mistakes, by_id = article_grouping_scores(store, items)
        texts = store.article_texts(by_id)
    _print_grouping(scores, mistakes if errors else [])
    print(f"  summaries                  {_count_summaries(texts)}")


def _print_grouping(scores: Scores, mistakes: list[str]) -> None:
    print(f"  grouping (pairwise)        {scores}")
    for mistake in mistakes:
        print(f"    {mistake}")


def _count_summaries(texts) -> str:
    total = repeated = empty = 0
    for text in texts:
        summary = summarize(text)
        total += 1
        empty += not summary
        repeated += repeats_title(summary, text.title)
    return f"{repeated} of {total} repeat their headline, {empty} empty"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held-out", action="store_true", help="also score the held-out sets")
    parser.add_argument("--errors", action="store_true", help="list held-out mistakes too")
    options = parser.parse_args()
    report_stubs("development", STUBS, errors=True)
    report_articles("development articles", ARTICLES, errors=True)
    if options.held_out:
        report_stubs("held-out 1", HELD_OUT, errors=options.errors)
        report_stubs("held-out 2", HELD_OUT_2, errors=options.errors)
        report_articles("held-out articles", ARTICLES_HELD_OUT, errors=options.errors)
    print(f"demo: summaries             {_count_summaries(demo_texts())}")
    if REAL_FEEDS.is_dir():
        texts = real_feed_texts(REAL_FEEDS, print)
        print(f"real-200 feeds: summaries   {_count_summaries(texts)}")
    else:
        print(f"real-200 feeds: skipped ({REAL_FEEDS} not found)")


if __name__ == "__main__":
    main()
