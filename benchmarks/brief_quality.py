"""Topic and same-story grouping quality on the labelled stubs.

    .venv/bin/python benchmarks/brief_quality.py

Prints, for the development set (tests/data/brief_stubs.jsonl, used to write
the presets and tune grouping) and the held-out set
(tests/data/brief_stubs_heldout.jsonl, written afterwards): each preset's
precision and recall, and grouping's pairwise precision and recall with the
pairs it got wrong. Grouping runs the real pipeline on a temporary SQLite store.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from feeds.store import open_store
from tests.support.brief_eval import (
    HELD_OUT,
    STUBS,
    grouping_scores,
    read_stubs,
    topic_scores,
)


def main() -> None:
    for label, path in (("development", STUBS), ("held-out", HELD_OUT)):
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
        for error in errors:
            print(f"    {error}")


if __name__ == "__main__":
    main()
