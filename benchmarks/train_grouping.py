"""Fit the weights that combine the evidence of two articles' texts (feeds/briefs/evidence.py).

    .venv/bin/python benchmarks/train_grouping.py          # fit, print, write the weights
    .venv/bin/python benchmarks/train_grouping.py --dry-run

Trains on the development articles only (tests/data/story_articles.jsonl),
stored and analysed by the real pipeline in a store with history (the
development stubs, grouped first, as in tests/support/story_articles.py), so
that rarity weighs names as a store that follows the news does: every pair of articles within the
grouping window whose texts both count (a teaser does not) is one example,
labelled same story or not. The model is a logistic regression over the
features of `Evidence` (the headline score relative to the threshold as a
log, body similarity, shared quotation, the headline rules' verdicts, time
past a day), fitted by Newton's method with an L2 penalty and the two
classes weighted equally. It writes feeds/briefs/evidence_weights.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from feeds.briefs.evidence import _WEIGHTS, FEATURES, Weights, quote_signatures
from feeds.briefs.grouping import THRESHOLD, Rarity, fingerprint_article, judge_pair
from feeds.models import ConceptCount
from feeds.store import open_store
from feeds.store._stories import GROUPING_BODY_CHARS, TOTAL_KEY
from tests.support.story_articles import ARTICLES, load_articles, load_history, read_articles

PENALTIES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)  # L2 on the coefficients, chosen by
FOLDS = 5  # cross-validation over groups of related stories


def examples(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features and labels of every comparable pair of the set's articles."""
    items = read_articles(path)
    with tempfile.TemporaryDirectory() as directory:
        store = open_store(f"sqlite:///{directory}/train.db")
        try:
            load_history(store)
            with store.session() as session:
                counts = dict(
                    session.execute(sa.select(ConceptCount.key, ConceptCount.count)).all()
                )
            by_id = load_articles(store, items)
            texts = store.article_texts(by_id)
            with store.story_writer() as writer:
                quotes = writer.quotes_of(list(by_id))
        finally:
            store.close()
    prints = {}
    total = counts.pop(TOTAL_KEY, 0)
    rarity = Rarity(counts, total)  # as grouping sees them: the history, then each article
    for text in sorted(texts, key=lambda t: (t.at, t.id)):
        text = text.__class__(**{**text.__dict__, "body": text.body[:GROUPING_BODY_CHARS]})
        prints[text.id] = fingerprint_article(text, quote_signatures(quotes.get(text.id, ())))
        rarity.add(prints[text.id])
    rows, labels, names, groups = [], [], [], []
    ids = sorted(prints)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            _, _, evidence = judge_pair(prints[a], prints[b], rarity)
            if evidence is None:
                continue
            values = evidence.features()
            values[0] -= np.log(THRESHOLD)
            rows.append(values)
            labels.append(by_id[a]["story"] == by_id[b]["story"])
            names.append(f"{by_id[a]['id']}/{by_id[b]['id']}")
            groups.append((_group(by_id[a]), _group(by_id[b])))
    return np.array(rows), np.array(labels, dtype=float), names, groups


def _group(item: dict) -> str:
    """A story with its hard negatives: what one fold of the cross-validation holds out."""
    return item.get("near") or item["story"]


def cross_validate(x, y, groups, l2: float) -> float:
    """Mean log-loss on pairs inside held-out groups, FOLDS folds."""
    names = sorted({g for pair in groups for g in pair})
    fold_of = {name: index % FOLDS for index, name in enumerate(names)}
    losses = []
    for fold in range(FOLDS):
        held = np.array([fold_of[a] == fold and fold_of[b] == fold for a, b in groups])
        train = np.array([fold_of[a] != fold and fold_of[b] != fold for a, b in groups])
        beta = fit(x[train], y[train], l2)
        z = beta[0] + x[held] @ beta[1:]
        p = np.clip(1 / (1 + np.exp(-z)), 1e-9, 1 - 1e-9)
        losses.append(-(y[held] * np.log(p) + (1 - y[held]) * np.log(1 - p)).sum())
    return float(sum(losses) / len(y))


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method; [bias, *coefficients]."""
    design = np.hstack([np.ones((len(x), 1)), x])
    weight = np.ones(len(y))
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    beta = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (weight * (p - y)) + penalty * beta
        hessian = (design * (weight * p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    options = parser.parse_args()
    x, y, names, groups = examples(ARTICLES)
    print(f"{len(y)} pairs ({int(y.sum())} same story) from {ARTICLES.name}")
    losses = {l2: cross_validate(x, y, groups, l2) for l2 in PENALTIES}
    print(
        "  cross-validated log-loss by L2: " + ", ".join(f"{k}: {v:.4f}" for k, v in losses.items())
    )
    l2 = min(losses, key=losses.get)
    beta = fit(x, y, l2)
    print(f"  bias {beta[0]:+.3f}")
    for name, value in zip(FEATURES, beta[1:], strict=True):
        print(f"  {name:<12} {value:+.3f}")
    weights = Weights(float(beta[0]), dict(zip(FEATURES, map(float, beta[1:]), strict=True)))
    logits = np.array([weights.bias + np.dot(beta[1:], row) for row in x])
    wrong = [(n, lab, z) for n, lab, z in zip(names, y, logits, strict=True) if (z >= 0) != lab]
    print(f"  training pairs on the wrong side: {len(wrong)}")
    for name, label, logit in wrong:
        row = x[names.index(name)]
        shown = " ".join(f"{v:.2f}" for v in row)
        print(f"    {name}: {'same' if label else 'different'} story, logit {logit:+.2f} [{shown}]")
    if options.dry_run:
        return
    document = {
        "about": (
            "Fitted by benchmarks/train_grouping.py on tests/data/story_articles.jsonl "
            f"({len(y)} pairs, {int(y.sum())} same story; L2 {l2}, chosen by {FOLDS}-fold "
            "cross-validation over groups of related stories). Do not edit by hand."
        ),
        "bias": round(weights.bias, 4),
        "coefficients": {name: round(value, 4) for name, value in weights.coefficients.items()},
    }
    _WEIGHTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {_WEIGHTS}")


if __name__ == "__main__":
    main()
