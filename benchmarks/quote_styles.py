"""Speaker accuracy on our own annotated articles, in styles the PolNeAR dev set
has little of (wire copy, long features, interviews, alternating speakers,
spokespeople, British single quotes, archive ''…'' marks).

    .venv/bin/python benchmarks/quote_styles.py

Prints, for the development set (tests/feeds/nlp/styles/dev, used while
writing the rules) and the held-out set (tests/feeds/nlp/styles/heldout,
written before the rules and run once at the end): quotes found, extra quotes,
speaker_acc (the mention overlaps the annotated one, as the PolNeAR scorer
counts it) and name_acc (the resolved name is the annotated one), then every
error.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from tests.support.quote_eval import DEV, HELD_OUT, score_folder


def main() -> None:
    for label, folder in (("development", DEV), ("held-out", HELD_OUT)):
        scores = score_folder(folder)
        print(f"{label} ({folder.name}/): {scores.summary()}")
        for error in scores.errors:
            print(f"    {error}")


if __name__ == "__main__":
    main()
