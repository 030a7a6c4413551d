"""Which quotes are key quotes, and how good each one is.

`score` is an absolute quality in [0, 1], comparable across articles (a
briefing picks a story's best quotes from all its articles by it): whole
statements of a useful length, by named people the article is about, score
high. `rank` orders an article's quotes that are fit to be key quotes (1 =
best); fragments, scare quotes, anonymous lines and repeats get rank 0.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from feeds.nlp.speakers import Attribution

MIN_KEY_WORDS = 6
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    text: str
    start: int
    attribution: Attribution


def score_quote(candidate: Candidate, *, position: float, centrality: float) -> float:
    """Quality in [0, 1]; `position` is 0 at the top of the article and 1 at the
    bottom, `centrality` the speaker's share of the article's person mentions
    relative to its most-mentioned person (1 = the main figure)."""
    attribution = candidate.attribution
    if attribution.speaker is None:
        return 0.0
    words = _word_count(candidate.text)
    length = _length_value(words)
    whole = 1.0 if _first_letter(candidate.text).isupper() else 0.55
    if candidate.text.rstrip()[-1:] in ".!?…":
        whole = min(1.0, whole + 0.1)
    speaker = 1.0 if attribution.kind == "person" else 0.75
    if attribution.kind == "person" and len(attribution.speaker.split()) < 2:
        speaker = 0.85
    how = 0.9 if attribution.how == "continuation" else 1.0
    value = (
        0.35 * length + 0.25 * whole + 0.2 * centrality + 0.1 * (1 - position) + 0.1 * how
    ) * speaker
    return round(max(0.0, min(1.0, value)), 4)


def _word_count(text: str) -> int:
    """Words, not counting the " … " that joins the parts of a split quote."""
    return sum(1 for token in text.split() if token != "…")


def _length_value(words: int) -> float:
    if words < MIN_KEY_WORDS:
        return 0.2
    if words < 10:
        return 0.6
    if words <= 45:
        return 1.0
    if words <= 80:
        return 0.75
    return 0.5


def _first_letter(text: str) -> str:
    return next((c for c in text if c.isalnum()), "")


def is_key_candidate(candidate: Candidate) -> bool:
    """A whole, attributed statement: not a fragment, not anonymous."""
    words = _word_count(candidate.text)
    if candidate.attribution.speaker is None or words < MIN_KEY_WORDS:
        return False
    starts_whole = _first_letter(candidate.text).isupper()
    return starts_whole or words >= 10


def rank_quotes(candidates: list[Candidate], text_length: int) -> list[tuple[int, float]]:
    """(rank, score) for each candidate, in the given order."""
    mentions = Counter(c.attribution.speaker for c in candidates if c.attribution.speaker)
    top = max(mentions.values(), default=1)
    scores = [
        score_quote(
            c,
            position=c.start / max(1, text_length),
            centrality=mentions.get(c.attribution.speaker, 0) / top,
        )
        for c in candidates
    ]
    seen: list[set[str]] = []
    eligible = []
    for i, candidate in enumerate(candidates):
        words = set(_WORD.findall(candidate.text.casefold()))
        repeat = any(len(words & other) >= 0.8 * len(words) for other in seen)
        seen.append(words)
        if is_key_candidate(candidate) and not repeat:
            eligible.append(i)
    ranks = [0] * len(candidates)
    for rank, i in enumerate(sorted(eligible, key=lambda i: -scores[i]), start=1):
        ranks[i] = rank
    return list(zip(ranks, scores, strict=True))
