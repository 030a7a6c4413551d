"""Evidence from the whole article: body text, the people and places it names, its quotations.

Headlines are rewritten by every outlet ("Mexican President Rejects Trump's
Offer…" / "Sheinbaum turns down U.S. troops…"), so when both articles come
with their text, grouping weighs what the text says as well:

- `body`: how much of the top of the two bodies' weighted concepts they
  share — words mapped to bilingual concepts as for titles, the names of
  people, places and bodies counting double, figures too (they read the same
  in any language), all weighted by rarity;
- `quote`: the same quotation (most of its words) by the same speaker in
  both, the strongest sign of one story: outlets quote the same press
  conference. A quotation a sequel tells again from an earlier report — its
  attribution in the past perfect ("had called it a cowardly crime", "había
  dicho") or saying so ("repeated", "citando") — is left out;
- the headline score, with its rules of news grammar applied (an event and
  its sequel, no telling detail, different places); whether titles or leads
  report different kinds of happening (a rescue, an arrest); and whether
  they appeared more than a day apart without either revising a figure
  (after a day only an update of the event's figures belongs to it: README,
  "Same story").

`combine` turns them into one score on the scale of the headline score, so
that the threshold and the story-level blending of feeds.briefs.grouping
apply unchanged: log(score / THRESHOLD) = logit / scale, where logit is a
logistic regression over the headline score and these features. Its
weights (evidence_weights.json) are fitted by benchmarks/train_grouping.py
on the development articles only; an article without text (a teaser) is judged
by its headline and opening alone, as before.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from feeds.briefs.concepts import concepts
from feeds.briefs.text import STOPWORDS, fold, stem, tokens

if TYPE_CHECKING:
    from feeds.store import QuoteInContext

# A body counts as the article's text when it has two paragraphs or more and this many
# words: a feed's teaser is one paragraph.
MIN_BODY_WORDS = 40
BODY_WORDS = 150  # the top of the story, where outlets give the same facts
NAME_WEIGHT = 2.0
FIGURE_WEIGHT = 2.0
# Quotations shorter than this (in words that carry meaning) say too little to match.
MIN_QUOTE_WORDS = 3
QUOTES_PER_ARTICLE = 6
# Quotations that share less than this share of the shorter one's words are different.
MIN_QUOTE_OVERLAP = 0.5
# Same words, different speakers named: one attribution is wrong, or it is a repeat.
OTHER_SPEAKER = 0.5
QUOTE_KEYS = 2  # retrieval keys per quotation (bottom-k of its words' hashes)
QUOTE_KEY_PREFIX = "~"  # never starts a word's key
KEYED_QUOTES = 2
FLOOR = 0.01  # headline scores below this count as this (log of 0)
# After a day only an update of the event's figures is the same story (README).
LATE_HOURS = 24

_CAPITALISED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü'’-]+")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_WEIGHTS = Path(__file__).with_name("evidence_weights.json")
FEATURES = ("headline", "body", "quote", "other_happening", "late")


# A quotation told again from an earlier report: its attribution is in the past
# perfect ("had said", "había dicho") or says so ("repeated", "citando").
_RECALLED = re.compile(
    r"\bhad\s+(?:\w+\s+)?(?:said|told|called|described|warned|promised|written|declared"
    r"|insisted|stated|vowed|added|urged|denounced)\b"
    r"|\bhab[ií]an?\s+(?:\w+\s+)?(?:dicho|señalado|declarado|asegurado|calificado|advertido"
    r"|afirmado|prometido|escrito|expresado|sostenido|denunciado|pedido)\b"
    r"|\brepeat(?:ed|ing|s)?\b|\brepiti(?:ó|o|eron)\b|\bquoting\b|\bcitando\b",
    re.IGNORECASE,
)
_SENTENCE_EDGE = re.compile(r"[.!?]\s")


@dataclass(frozen=True)
class QuoteSig:
    """A quotation as grouping compares it: its words and its speaker's name, folded, and
    whether its attribution tells it again from an earlier report."""

    words: frozenset[str]
    speaker: frozenset[str] = frozenset()
    recalled: bool = False

    def retrieval_keys(self) -> list[str]:
        """Retrieval keys: the words with the smallest hashes (a bottom-k MinHash), so
        two quotations sharing most words most likely share a key."""
        hashed = sorted((_hash(word), word) for word in self.words)
        return [QUOTE_KEY_PREFIX + digest for digest, _ in hashed[:QUOTE_KEYS]]


def _hash(word: str) -> str:
    return hashlib.blake2b(word.encode(), digest_size=6).hexdigest()


def quote_signatures(quotes: Iterable[QuoteInContext]) -> tuple[QuoteSig, ...]:
    """Signatures of an article's quotations, best first."""
    found = []
    for quote in quotes:
        words = _content_words(quote.text)
        if len(words) >= MIN_QUOTE_WORDS:
            speaker = _content_words(quote.speaker or "")
            found.append(QuoteSig(words, speaker, recalled=is_recalled(quote.before, quote.after)))
        if len(found) == QUOTES_PER_ARTICLE:
            break
    return tuple(found)


def is_recalled(before: str, after: str) -> bool:
    """Is the quotation's attribution (its sentence around it) one of an earlier statement?"""
    before = _SENTENCE_EDGE.split(before)[-1]
    after = _SENTENCE_EDGE.split(after, maxsplit=1)[0]
    return bool(_RECALLED.search(before) or _RECALLED.search(after))


def _content_words(text: str) -> frozenset[str]:
    return frozenset(s for s in (stem(w) for w in tokens(text) if len(w) > 2) if s not in STOPWORDS)


def quote_keys(quotes: tuple[QuoteSig, ...]) -> list[str]:
    return [key for quote in quotes[:KEYED_QUOTES] for key in quote.retrieval_keys()]


def shared_quote(a: tuple[QuoteSig, ...], b: tuple[QuoteSig, ...]) -> float:
    """0..1: the best overlap of a quotation of one article with one of the other (the
    share of the shorter one's words), halved when they name different speakers."""
    best = 0.0
    for one in a:
        for other in b:
            if one.recalled or other.recalled:
                continue  # a sequel telling what was said before is no proof
            overlap = len(one.words & other.words) / min(len(one.words), len(other.words))
            if overlap < MIN_QUOTE_OVERLAP:
                continue
            if one.speaker and other.speaker and not one.speaker & other.speaker:
                overlap *= OTHER_SPEAKER
            best = max(best, overlap)
    return best


def body_bag(body: str) -> dict[str, float] | None:
    """The body's concepts with their weights — names of people, places and bodies, and
    figures, count double: they read the same in any language — or None when the body is
    too short to be the article's text (a teaser)."""
    words = body.split()
    if len(words) < MIN_BODY_WORDS or "\n\n" not in body.strip():
        return None
    text = " ".join(words[:BODY_WORDS])
    bag: dict[str, float] = {}
    for concept in concepts([stem(w) for w in tokens(text) if len(w) > 1]):
        if concept in STOPWORDS:
            continue
        if concept.isdigit():
            if not _YEAR.match(concept):
                bag[concept] = FIGURE_WEIGHT
            continue
        bag.setdefault(concept, 1.0)
    for name in _names(text):
        if name in bag:
            bag[name] = NAME_WEIGHT
    return bag


def _names(text: str) -> set[str]:
    """Concepts of capitalised words not starting a sentence: people, places, bodies."""
    found = set()
    for match in _CAPITALISED.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        if match.start() == 0 or before.rstrip().endswith((".", "!", "?", "“", '"', "«", "—")):
            continue
        found.add(stem(fold(match.group())))
    return set(concepts(sorted(found)))


@dataclass(frozen=True)
class Evidence:
    """What the two texts say, next to the headline verdicts (see the module doc)."""

    headline: float  # the headline score, its rules (sequels, no detail, places) applied
    body: float
    quote: float
    other_happening: bool  # title or lead report different kinds of happening
    hours: float
    update: bool = False  # a headline revises a figure ("toll rises to 14")

    def features(self) -> list[float]:
        return [
            math.log(max(self.headline, FLOOR)),
            self.body,
            self.quote,
            float(self.other_happening),
            float(self.hours > LATE_HOURS and not self.update),
        ]

    @property
    def reason(self) -> str:
        if self.quote >= 0.8:
            return "the same quotation in both"
        return "similar text" if self.body >= 0.2 else "similar title and opening"


@dataclass(frozen=True)
class Weights:
    bias: float
    coefficients: dict[str, float]

    @classmethod
    def load(cls, path: Path = _WEIGHTS) -> Weights:
        data = json.loads(path.read_text(encoding="utf-8"))
        # A feature the file predates weighs nothing until the weights are fitted again.
        coefficients = data["coefficients"]
        return cls(data["bias"], {name: coefficients.get(name, 0.0) for name in FEATURES})

    def logit(self, evidence: Evidence, threshold: float) -> float:
        values = evidence.features()
        values[0] -= math.log(threshold)  # the headline score relative to the threshold
        return self.bias + sum(
            self.coefficients[name] * value for name, value in zip(FEATURES, values, strict=True)
        )


WEIGHTS = Weights.load()


def combine(evidence: Evidence, threshold: float, weights: Weights = WEIGHTS) -> float:
    """The pair's score on the headline scale: at least `threshold` when the model gives
    the two even odds or better of being one story; below 1 (certainty: URL, copy)."""
    scale = weights.coefficients["headline"]
    exponent = weights.logit(evidence, threshold) / scale
    return min(0.99, threshold * math.exp(min(exponent, 10.0)))
