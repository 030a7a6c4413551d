"""Topic and same-story grouping quality on the labelled stubs.

    .venv/bin/python benchmarks/brief_quality.py

Prints, for the development set (tests/data/brief_stubs.jsonl, used to write
the presets and tune grouping) and the two held-out sets
(tests/data/brief_stubs_heldout.jsonl and brief_stubs_heldout2.jsonl, each
written before a round of changes): each preset's precision and recall, and
grouping's pairwise precision and recall. Grouping runs the real pipeline on
a temporary SQLite store. The pairs grouping got wrong are listed for the
development set only, unless --errors: looking at held-out mistakes turns
them into development data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from feeds.store import open_store
from tests.support.brief_eval import (
    HELD_OUT,
    HELD_OUT_2,
    STUBS,
    grouping_scores,
    read_stubs,
    topic_scores,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list held-out mistakes too")
    options = parser.parse_args()
    sets = (("development", STUBS), ("held-out 1", HELD_OUT), ("held-out 2", HELD_OUT_2))
    for label, path in sets:
        stubs = read_stubs(path)
        languages = sorted({stub["lang"] for stub in stubs})
        print(f"{label} set: {len(stubs)} stubs ({', '.join(languages)}) from {path.name}")
        for name, scores in topic_scores(stubs).items():
            print(f"  topic {name!r:<20} {scores}")
        with tempfile.TemporaryDirectory() as directory:
            store = open_store(f"sqlite:///{directory}/quality.db")
            try:
                scores, errors = grouping_scores(store, stubs)
            finally:
                store.close()
        print(f"  grouping (pairwise)        {scores}")
        if path == STUBS or options.errors:
            for error in errors:
                print(f"    {error}")


if __name__ == "__main__":
    main()
