"""Same-story grouping: which articles from different outlets tell one event.

A story is one event — a happening at one place and time — with its updated
figures, and the reactions to it published within a day (README: "Same
story"). Pure part (this half of the module): an article's `Fingerprint` and
`pair_score`. Two articles are the same story when they share a canonical
URL, when their text is nearly identical (wire copy), or when their titles
and openings share enough meaning — words mapped to bilingual concepts
(feeds.briefs.concepts), weighted by rarity — within a time window, and
none of these rules of news grammar says otherwise:

- an event and its sequel (arrests over it, troops sent, a resignation, a
  funeral) are two stories; a statement joins the event it names only
  within REACTION_WINDOW (feeds.briefs.events reads the headlines);
- a shared place, kind of event, usual actors or figure is no evidence on
  its own: "six killed at a party in Culiacán" and "four police officers
  killed in an ambush near Culiacán" stay apart (`has_evidence`);
- counts that disagree ("six killed" / "four killed") lower the score,
  unless one article revises a toll; measures (kilos, pounds, %) never do;
- titles placing the event in different towns keep apart; and no story
  takes an article more than WINDOW after its first.

When both articles come with their text (not a feed's teaser), that score is
combined with what the texts say — the body's concepts, people and places,
the same quotation by the same speaker, whether they report different
happenings, a day apart — by the model of feeds.briefs.evidence, fitted on
the development articles; the result is on the same scale, so THRESHOLD and
the story-level blending apply to both.

Pipeline part: `assign_stories` gives every ungrouped article a story. It
finds candidates through `ArticleKey` rows (distinctive words and names per
article, and keys of its quotations, indexed with the article's time) rather
than comparing all pairs, so the cost per new article stays flat as the
store grows.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from feeds.briefs.concepts import concept_of, concepts
from feeds.briefs.events import (
    INCIDENT,
    SEQUELS,
    STATE_STEMS,
    STATEMENT,
    UNKNOWN,
    Headline,
    kinds_compatible,
    named_kinds,
    places,
    predicate_stems,
    read_headline,
)
from feeds.briefs.evidence import (
    QUOTE_KEY_PREFIX,
    Evidence,
    QuoteSig,
    body_bag,
    combine,
    quote_keys,
    quote_signatures,
    shared_quote,
)
from feeds.briefs.text import STOPWORDS, fold, stem, tokens
from feeds.store._stories import TOTAL_KEY
from feeds.timeutil import shift

if TYPE_CHECKING:
    from feeds.store import ArticleText, Store, StoryWriter

log = logging.getLogger(__name__)

# Articles further apart than this are never the same story (URL and wire
# copies excepted).
WINDOW = timedelta(hours=72)
# Similarity from which two articles are the same story.
THRESHOLD = 0.24
# Word 3-gram overlap from which two texts are copies of one another, and
# the similarity from which a pair is checked for it.
COPY_OVERLAP = 0.6
COPY_HINT = 0.15
OPENING_WORDS = 60
COPY_KEY_WORDS = 12
BODY_WORDS = 120

# Weights of a concept by where it appears.
TITLE_WEIGHT = 2.0
OPENING_WEIGHT = 1.0
NAME_BONUS = 0.0
NUMBER_BONUS = 1.0
# Similarity kept when both articles give figures and none agree.
NUMBER_CONFLICT = 0.6
# Similarity kept for an event and its sequel (arrests, troops sent, a funeral…) or a
# reaction published later than REACTION_WINDOW after it, and for articles that share
# no telling detail (see has_evidence).
SEQUEL_FACTOR = 0.3
NO_EVIDENCE_FACTOR = 0.3
# Similarity kept when the two name places, none of them the same: events happen
# somewhere, and outlets name the city or the state (both, usually, in the opening).
PLACE_CONFLICT = 0.25
REACTION_WINDOW = timedelta(hours=24)
RARITY_PRIOR = 200

_US = re.compile(r"\bU\.\s?S\.(?:\s?A\.)?|\bEE\.\s?UU\.?|\bEEUU\b", re.UNICODE)
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,.]\d{3})+|\d+)(?:[.,]\d+)?"
    r"(?:\s*(mil millones|millones|millón|millon|million|billion|mil|thousand)\b)?"
    r"(\s*(?:%|por ciento|percent|per cent|kilos?\b|kg\b|kilogram|pounds?\b|lbs?\b|libras"
    r"|tons?\b|tonnes?\b|toneladas|liters?\b|litres?\b|litros|gallons?|galones|meters?\b"
    r"|metres?\b|metros|km\b|kilómetros|kilometers|miles\b|millas|hectares|hectáreas"
    r"|dollars|dólares|pesos|usd\b|mdp\b|mdd\b|puntos|points|grados|degrees))?",
    re.IGNORECASE,
)
# Mexican Spanish writes 1,500 as "mil 500" and 2,300 as "2 mil 300".
_MIL_AND = re.compile(r"(?<![\w.,])(?:(\d{1,3})\s+)?mil\s+(\d{1,3})(?![\w.,])", re.IGNORECASE)
_SCALE = {"mil": 10**3, "thousand": 10**3, "millones": 10**6, "millón": 10**6, "millon": 10**6,
          "million": 10**6, "mil millones": 10**9, "billion": 10**9}  # fmt: skip
_WORD_SPAN = re.compile(r"[^\W_]+")
# The usual actors and settings of crime and policy news: never telling on their own.
_GENERIC = frozenset(
    concepts(
        [
            stem(word)
            for word in tokens(
                """
                mexico us state city town central north south west east government president
                authorities official officials prosecutor minister gunmen cartel drug
                trafficker criminal crime organized group member suspect suspects people person
                persons man men hombre hombres security violence figure night dawn weekend
                defense defensa ministry ministerio spokesman vocero
                """
            )
        ]
    )
)
# The words of each kind of event ("killed", "arrested"): they say what kind of thing
# happened, not which one.
_PREDICATE_CONCEPTS = {
    kind: frozenset(concept_of(word) for word in predicate_stems(kind))
    for kind in (INCIDENT, STATEMENT, *SEQUELS)
}
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”«»—–-]\s*$")


@dataclass
class Fingerprint:
    """What grouping compares: weighted concepts of title and opening, and text shingles."""

    article_id: int | None
    at: datetime | None
    bag: dict[str, float]  # concept -> weight
    title: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str] = frozenset()  # counts in the title ("6", "1500"), not measures
    headline: Headline = UNKNOWN  # the kind of news the title reports
    # Statements: the kinds of happening they react to (named in the title, else the opening).
    reacts_to: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # concepts that are places
    localities: frozenset[str] = frozenset()  # … that are states, cities, towns
    title_localities: frozenset[str] = frozenset()  # … named in the title
    title_states: frozenset[str] = frozenset()  # the title's localities that are states
    title_only_unknown: bool = False  # the title names only towns we do not know
    shingles: frozenset[tuple[str, str, str]] = field(repr=False, default=frozenset())
    url: str | None = None
    copy_key: str | None = None  # the opening's first words, hashed: finds wire copies
    # The body's weighted concepts (None: no text beyond a teaser) and the quotations.
    text: dict[str, float] | None = field(repr=False, default=None)
    quotes: tuple[QuoteSig, ...] = ()
    happening: str | None = None  # see _happening
    named: frozenset[str] = frozenset()  # every kind of happening title and opening name

    @property
    def weight(self) -> float:
        return sum(self.bag.values())

    def concepts(self) -> set[str]:
        """Every concept the article is counted under for rarity: title, opening, body."""
        return self.bag.keys() | (self.text.keys() if self.text else set())

    def keys(self, limit: int = 16) -> list[str]:
        """Index keys that find this article again: its copy key, title concepts, names,
        figures, and its quotations' keys."""
        telling = [c for c in self.bag if c in self.title or c in self.names or c.isdigit()]
        telling.sort(key=lambda c: (-self.bag[c], c))
        keys = ([self.copy_key] if self.copy_key else []) + [c[:80] for c in telling[:limit]]
        return list(dict.fromkeys(keys + quote_keys(self.quotes)))


def _prepare(text: str) -> str:
    return _US.sub(" US ", text)


@dataclass(frozen=True)
class Figures:
    """The numbers of a text as plain integers ("3,000", "3 mil", "mil 500" → 3000, 1500).

    counts: how many people or things (killed, arrested, migrants) — two
    reports of one event agree on them. measures: quantities with a unit
    (kilos, pounds, %, dollars), which outlets convert and round, so a
    disagreement between them says nothing.
    """

    counts: frozenset[str] = frozenset()
    measures: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        return self.counts | self.measures


def _numbers(text: str) -> Figures:
    counts, measures = set(), set()
    for match in _MIL_AND.finditer(text):
        counts.add(str(int(match.group(1) or 1) * 1000 + int(match.group(2))))
    text = _MIL_AND.sub(" ", text)
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,.]", "", match.group(1))
        scale = _SCALE.get((match.group(2) or "").lower(), 1)
        is_year = scale == 1 and len(digits) == 4 and digits[:2] in ("19", "20")
        if is_year or not digits.strip("0"):
            continue  # years say little about which event
        measured = match.group(3) or text[max(0, match.start() - 1) : match.start()] == "$"
        (measures if measured else counts).add(str(int(digits) * scale))
    return Figures(frozenset(counts), frozenset(measures))


def _names(text: str, *, title_case: bool) -> set[str]:
    """Stems of capitalised words that do not start a sentence (names of people and places).

    In a Title Case headline every word is capitalised, so only words in
    capitals (CJNG, FGR) count there.
    """
    found = set()
    for match in _WORD_SPAN.finditer(text):
        word = match.group()
        if not word[0].isupper():
            continue
        if word.isupper() and len(word) > 1:
            found.add(stem(fold(word)))
            continue
        if title_case:
            continue
        before = text[: match.start()]
        if not before.strip() or _SENTENCE_BREAK.search(before):
            continue
        folded = stem(fold(word))
        if folded not in STOPWORDS:
            found.add(folded)
    return found


def _is_title_case(title: str) -> bool:
    words = [w for w in _WORD_SPAN.findall(title) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _concepts(text: str) -> list[str]:
    words = [stem(w) for w in tokens(text) if len(w) > 1 and not w.isdigit()]
    return [c for c in concepts(words) if c not in STOPWORDS]


def _shingles(text: str) -> frozenset[tuple[str, str, str]]:
    words = tokens(text[: BODY_WORDS * 10])[:BODY_WORDS]
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def fingerprint(
    title: str,
    opening: str,
    body: str = "",
    *,
    article_id: int | None = None,
    at: datetime | None = None,
    url: str | None = None,
    quotes: tuple[QuoteSig, ...] = (),
) -> Fingerprint:
    """Analyse an article's title, opening (lead or summary), start of body and quotations
    (see feeds.briefs.evidence.quote_signatures)."""
    title, opening = _prepare(title), _prepare(opening or body[:600])
    opening = " ".join(opening.split()[:OPENING_WORDS])
    title_concepts = set(_concepts(title))
    bag: dict[str, float] = {}
    for concept in _concepts(opening):
        bag[concept] = OPENING_WEIGHT
    for concept in title_concepts:
        bag[concept] = TITLE_WEIGHT
    names_stems = _names(title, title_case=_is_title_case(title)) | _names(
        opening, title_case=False
    )
    names = frozenset(concepts(sorted(names_stems))) & bag.keys()
    for concept in names:
        bag[concept] += NAME_BONUS
    figures = _numbers(title)
    headline = read_headline(title)
    named = places(f"{title}. {opening}")
    title_places = places(title)
    title_counts = figures.counts | {c for c in title_concepts if c.isdigit()}
    for number in title_counts | figures.measures | _numbers(opening).all:
        bag[number] = bag.get(number, OPENING_WEIGHT) + NUMBER_BONUS
    return Fingerprint(
        article_id=article_id,
        at=at,
        bag=bag,
        title=frozenset(title_concepts),
        names=names,
        numbers=frozenset(title_counts),
        headline=headline,
        reacts_to=headline.mentions or named_kinds(opening)
        if headline.kind == STATEMENT
        else frozenset(),
        places=frozenset(concepts(sorted(named.localities | named.countries))),
        localities=_localities(named) | _localities_of(named.enclosing),
        title_localities=_localities(title_places),
        title_states=_localities(title_places) & _localities_of(STATE_STEMS),
        title_only_unknown=title_places.only_unknown,
        shingles=_shingles(f"{opening} {body}" if body else opening),
        url=url,
        copy_key=_copy_key(opening),
        text=body_bag(body),
        quotes=quotes,
        happening=_happening(headline, opening),
        named=headline.mentions | named_kinds(opening),
    )


def _happening(headline: Headline, opening: str) -> str | None:
    """The kind of happening the article reports: its title's, else its lead's first
    sentence's (a title such as "130 migrants found in a trailer" names none)."""
    if headline.kind not in (None, STATEMENT):
        return headline.kind
    first = re.split(r"(?<=[.!?])\s", opening, maxsplit=1)[0] if opening else ""
    kind = read_headline(first).kind if first else None
    return kind if kind != STATEMENT else None


def _localities(named) -> frozenset[str]:
    return _localities_of(named.localities)


def _localities_of(stems) -> frozenset[str]:
    return frozenset(concepts(sorted(stems))) - _GENERIC - STOPWORDS


def _copy_key(opening: str) -> str | None:
    words = tokens(opening)[:COPY_KEY_WORDS]
    if len(words) < COPY_KEY_WORDS:
        return None
    return "#" + hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


def is_copy(a: Fingerprint, b: Fingerprint) -> bool:
    """Nearly identical text: the same wire story under two mastheads."""
    if len(a.shingles) < 8 or len(b.shingles) < 8:
        return False
    shared = len(a.shingles & b.shingles)
    return shared / min(len(a.shingles), len(b.shingles)) >= COPY_OVERLAP


class Rarity:
    """How telling a concept is: 1 for one never seen, towards 0 for one in every article.

    Built from document counts (how many grouped articles contain each
    concept, in the title, the opening or the top of the body — so that an
    outlet's boilerplate is as common as it is) and the number of grouped
    articles.
    """

    def __init__(self, counts: dict[str, int] | None = None, total: int = 0):
        self.counts = counts if counts is not None else {}
        self.total = total

    def __call__(self, concept: str) -> float:
        df = self.counts.get(concept, 0)
        weight = self._by_count.get(df)
        return self._weigh(df) if weight is None else weight

    def _weigh(self, df: int) -> float:
        # As if there were always at least RARITY_PRIOR articles: in a new
        # store a story's own first articles must not make its words "common".
        top = math.log(max(self.total, RARITY_PRIOR) + 1)
        weight = (top - math.log(df + 0.5)) / (top - math.log(0.5))
        self._by_count[df] = weight
        return weight

    def shared_weight(self, a: dict[str, float], b: dict[str, float]) -> float:
        """Σ min(a[c], b[c]) × rarity(c) over the concepts in both (iterates `a`)."""
        counts, by_count = self.counts, self._by_count
        total = 0.0
        for concept, weight in a.items():
            other = b.get(concept)
            if other is not None:
                df = counts.get(concept, 0)
                rarity = by_count.get(df)
                rarity = self._weigh(df) if rarity is None else rarity
                total += (weight if weight < other else other) * rarity
        return total

    def weighted(self, bag: dict[str, float], concepts) -> float:
        """Σ bag[c] × rarity(c) over `concepts` (grouping's inner loop, so written flat)."""
        counts, by_count = self.counts, self._by_count
        total = 0.0
        for concept in concepts:
            df = counts.get(concept, 0)
            weight = by_count.get(df)
            total += bag[concept] * (self._weigh(df) if weight is None else weight)
        return total

    def mass(self, fingerprint: Fingerprint) -> float:
        """The fingerprint's total weight (memoised until the counts change)."""
        return self.bag_mass(fingerprint.bag)

    def bag_mass(self, bag: dict[str, float]) -> float:
        """A bag's total weight (memoised by identity until the counts change)."""
        key = id(bag)
        mass = self._masses.get(key)
        if mass is None:
            mass = self._masses[key] = self.weighted(bag, bag)
        return mass

    @property
    def total(self) -> int:
        return self._total

    @total.setter
    def total(self, value: int) -> None:
        self._total, self._by_count, self._masses = value, {}, {}

    def add(self, fingerprint: Fingerprint) -> None:
        self.total += 1
        for concept in fingerprint.concepts():
            self.counts[concept] = self.counts.get(concept, 0) + 1

    def forget_masses(self) -> None:
        self._masses = {}


def similarity(a: Fingerprint, b: Fingerprint, rarity: Rarity | None = None) -> float:
    """0..1: how much of the two articles' weighted concepts they share (weighted Dice)."""
    if not a.bag or not b.bag:
        return 0.0
    weigh = rarity or (lambda concept: 1.0)
    shared = sum(min(a.bag[c], b.bag[c]) * weigh(c) for c in a.bag.keys() & b.bag.keys())
    total = _mass(a, weigh) + _mass(b, weigh)
    score = 2 * shared / total if total else 0.0
    if _counts_conflict(a, b):
        score *= NUMBER_CONFLICT  # "six killed" here, "four killed" there: two events
    return score


def _counts_conflict(a: Fingerprint, b: Fingerprint) -> bool:
    """Both titles give counts and none agree, and neither revises a figure ("toll rises")."""
    if a.headline.update or b.headline.update:
        return False
    return bool(a.numbers and b.numbers and not a.numbers & b.numbers)


def _mass(fingerprint: Fingerprint, weigh) -> float:
    if isinstance(weigh, Rarity):
        return weigh.mass(fingerprint)
    return sum(weight * weigh(concept) for concept, weight in fingerprint.bag.items())


def within_window(a: Fingerprint, b: Fingerprint, window: timedelta = WINDOW) -> bool:
    if a.at is None or b.at is None:
        return True
    return abs(a.at - b.at) <= window


@dataclass(frozen=True)
class Decision:
    story: int | None  # the story to join, or None for a new one
    score: float = 0.0
    reason: str = "new story"


def pair_score(a: Fingerprint, b: Fingerprint, rarity: Rarity | None = None) -> tuple[float, str]:
    """How strongly two articles are the same story, and why."""
    score, reason, evidence = judge_pair(a, b, rarity)
    if evidence is None:
        return score, reason
    return combine(evidence, THRESHOLD), evidence.reason


def judge_pair(
    a: Fingerprint, b: Fingerprint, rarity: Rarity | None = None
) -> tuple[float, str, Evidence | None]:
    """The headline score and its reason, and the evidence of the two texts when both
    have one (what `pair_score` combines; benchmarks/train_grouping.py fits on it)."""
    if a.url and a.url == b.url:
        return 1.0, "same URL", None
    if not within_window(a, b):  # even copies: a daily bulletin is not one story
        return 0.0, "too far apart in time", None
    score = similarity(a, b, rarity)
    # Copies share most concepts too: comparing their texts is only worth it then.
    if (score >= COPY_HINT or a.copy_key == b.copy_key) and is_copy(a, b):
        return 1.0, "copy of the same text", None
    score *= _time_factor(a, b)
    verdict = _headline_verdict(a, b)
    score *= verdict.factor
    if a.text is None or b.text is None:
        return score, verdict.reason, None
    evidence = Evidence(
        headline=score,
        body=text_similarity(a.text, b.text, rarity),
        quote=shared_quote(a.quotes, b.quotes),
        other_happening=_other_happening(a, b),
        hours=_hours_apart(a, b),
        update=a.headline.update or b.headline.update,
    )
    return score, verdict.reason, evidence


SEQUEL_REASON = "an event and a sequel or late reaction"
NO_EVIDENCE_REASON = "only a place, a kind of event or a figure in common"
ELSEWHERE_REASON = "in different places"


@dataclass(frozen=True)
class _Verdict:
    factor: float
    reason: str


def _headline_verdict(a: Fingerprint, b: Fingerprint) -> _Verdict:
    """What the rules of news grammar say of the two headlines (see the module doc)."""
    if not _related_news(a, b):
        return _Verdict(SEQUEL_FACTOR, SEQUEL_REASON)
    if not has_evidence(a, b):
        return _Verdict(NO_EVIDENCE_FACTOR, NO_EVIDENCE_REASON)
    if _elsewhere(a, b):
        return _Verdict(PLACE_CONFLICT, ELSEWHERE_REASON)
    return _Verdict(1.0, "similar title and opening")


def _other_happening(a: Fingerprint, b: Fingerprint) -> bool:
    """Do the two report different happenings? Both known and different, or one reports a
    sequel (an arrest, a vigil) that the other's title and opening never name."""
    if a.happening and b.happening and a.happening != b.happening:
        return True
    return any(
        one.happening in SEQUELS and one.happening not in other.named
        for one, other in ((a, b), (b, a))
    )


def text_similarity(a: dict[str, float], b: dict[str, float], rarity: Rarity | None) -> float:
    """0..1: the weighted share of two bags of concepts (see feeds.briefs.evidence)."""
    rarity = rarity if isinstance(rarity, Rarity) else Rarity()
    total = rarity.bag_mass(a) + rarity.bag_mass(b)
    if not total:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return 2 * rarity.shared_weight(a, b) / total


def _hours_apart(a: Fingerprint, b: Fingerprint) -> float:
    if a.at is None or b.at is None:
        return 0.0
    return abs(a.at - b.at).total_seconds() / 3600


def _elsewhere(a: Fingerprint, b: Fingerprint) -> bool:
    """Both titles say where, and neither place appears anywhere in the other article.

    Checked title against the whole other article because one outlet names the
    town and another the state ("Badiraguato" / "Sinaloa"), and openings name
    places that are not where the event happened (a cartel's home state).
    """
    if not (a.title_localities and b.title_localities):
        return False
    if a.title_localities & b.localities or b.title_localities & a.localities:
        return False
    # A town we do not know may lie in the state the other title names ("Cosalá" / "Sinaloa").
    return not (
        (a.title_only_unknown and b.title_states) or (b.title_only_unknown and a.title_states)
    )


def _related_news(a: Fingerprint, b: Fingerprint) -> bool:
    """Could the two headlines report one story? (See feeds.briefs.events.)

    Different happenings (an attack, then arrests over it) are two stories. A
    statement is the story of what it reacts to only within REACTION_WINDOW
    and when it names that kind of happening ("condemns the killing").
    """
    compatible = kinds_compatible(a.headline, b.headline)
    if compatible is not None:
        return compatible
    if a.at is not None and b.at is not None and abs(a.at - b.at) > REACTION_WINDOW:
        return False
    statement, other = (a, b) if a.headline.kind == STATEMENT else (b, a)
    return other.headline.kind in statement.reacts_to


def has_evidence(a: Fingerprint, b: Fingerprint) -> bool:
    """Do the two share something that singles out an event?

    A place, the kind of event (killed, arrested), the usual actors (gunmen,
    authorities) or a figure alone do not: two shootings in Celaya on one day
    share all of them. A shared participant, object or name does, and so does
    the same figure in the same place.
    """
    shared = a.bag.keys() & b.bag.keys()
    places = shared & (a.places | b.places)
    numbers = {concept for concept in shared if concept.isdigit()}
    kinds = {INCIDENT, a.headline.kind, b.headline.kind} - {None}
    specific = shared - places - numbers - _GENERIC
    specific = specific.difference(*(_PREDICATE_CONCEPTS[kind] for kind in kinds))
    return bool(specific) or bool(places and numbers)


def _time_factor(a: Fingerprint, b: Fingerprint) -> float:
    """1 within a day, then down to 0.7 at the edge of the window: later news is often new news."""
    if a.at is None or b.at is None:
        return 1.0
    hours = abs(a.at - b.at).total_seconds() / 3600
    return 1.0 if hours <= 24 else 1.0 - 0.3 * min(1.0, (hours - 24) / 48)


def choose_story(
    current: Fingerprint,
    stories: dict[int, list[Fingerprint]],
    rarity: Rarity | None = None,
    *,
    threshold: float = THRESHOLD,
) -> Decision:
    """Pick the story `current` belongs to among candidate stories (their known articles).

    A story's score blends its best-matching article with the average over
    its articles, so one loose link cannot chain unrelated events together;
    and a story takes no article from more than WINDOW after its first, so
    a recurring headline ("Peso gains…") does not grow into one story a month long.
    """
    best = Decision(None)
    for story, members in stories.items():
        if _opened_before(members, current, WINDOW):
            continue
        scored = [pair_score(current, member, rarity) for member in members]
        if not scored:
            continue
        top, reason = max(scored)
        average = sum(value for value, _ in scored) / len(scored)
        score = top if top >= 1.0 else (top + average) / 2
        if score >= threshold and score > best.score:
            best = Decision(story, score, reason)
    return best


def _opened_before(members: list[Fingerprint], current: Fingerprint, window: timedelta) -> bool:
    times = [member.at for member in members if member.at is not None]
    return bool(times) and current.at is not None and current.at - min(times) > window


def cluster(prints: list[Fingerprint], *, threshold: float = THRESHOLD) -> list[int]:
    """Group fingerprints in memory, in the order given: a story number per fingerprint.

    The same decisions as `assign_stories` makes with the database; used by
    the evaluation and the tests.
    """
    labels: list[int] = []
    stories: dict[int, list[Fingerprint]] = {}
    rarity = Rarity()
    for index, current in enumerate(prints):
        decision = choose_story(current, stories, rarity, threshold=threshold)
        label = index if decision.story is None else decision.story
        stories.setdefault(label, []).append(current)
        labels.append(label)
        rarity.add(current)
    return labels


# The pipeline: group what is stored.

BATCH = 200  # articles per transaction
RETRIEVAL_KEYS = 8  # the rarest of an article's keys are looked up…
MIN_RETRIEVAL_KEYS = 3
COMMON_KEY_SHARE = 0.01  # …but not keys in more than 1% of articles, beyond the first three
RETRIEVAL_WINDOW = timedelta(hours=48)
CANDIDATE_STORIES = 4
MEMBERS_PER_STORY = 5


def assign_stories(
    store: Store,
    *,
    limit: int | None = None,
    threshold: float = THRESHOLD,
    window: timedelta = WINDOW,
) -> int:
    """Give every article without a story one (joining an existing story or a new one).

    Run after polling and quote analysis; safe to run again (it only sees
    ungrouped articles) and from several processes (an article is claimed
    once). Returns how many articles were grouped.
    """
    grouped = 0
    earlier: dict[int, tuple[tuple, Fingerprint]] = {}
    while limit is None or grouped < limit:
        size = BATCH if limit is None else min(BATCH, limit - grouped)
        with store.story_writer() as writer:
            batch = writer.pending(size)
            grouper = _Grouper(writer, threshold, window, earlier)
            grouper.load_quotes(batch)
            for article in sorted(batch, key=lambda a: (a.at, a.id)):
                grouped += grouper.place(article)
            grouper.finish()
        earlier = grouper.prints  # the next batch compares with many of the same articles
        if len(batch) < size:
            break
    if grouped:
        log.info("grouped %d articles into stories", grouped)
    return grouped


def fingerprint_article(article: ArticleText, quotes: tuple[QuoteSig, ...] = ()) -> Fingerprint:
    """The fingerprint of a stored article (its quotations read from Quote rows)."""
    return fingerprint(
        article.title,
        article.opening,
        article.body,
        article_id=article.id,
        at=article.at,
        url=article.url,
        quotes=quotes,
    )


class _StoredRarity(Rarity):
    """Rarity read from ConceptCount, fetched as needed; this batch's articles counted locally."""

    def __init__(self, writer: StoryWriter):
        super().__init__()
        self.writer = writer
        self.loaded: set[str] = set()
        self.added: dict[str, int] = {}
        self.total = writer.concept_counts([TOTAL_KEY]).get(TOTAL_KEY, 0)

    def load(self, concepts) -> None:
        missing = {c for c in concepts if c not in self.loaded}
        if missing:
            for concept, count in self.writer.concept_counts(missing).items():
                self.counts[concept] = self.counts.get(concept, 0) + count
            self.loaded |= missing
            self.forget_masses()

    def add(self, fingerprint: Fingerprint) -> None:
        super().add(fingerprint)
        for concept in (TOTAL_KEY, *fingerprint.concepts()):
            self.added[concept] = self.added.get(concept, 0) + 1


def _what_is_printed(article: ArticleText) -> tuple:
    """What a fingerprint is made of (not the article's story, which grouping changes)."""
    return (article.title, article.opening, article.body, article.at, article.url)


class _Grouper:
    def __init__(
        self,
        writer: StoryWriter,
        threshold: float,
        window: timedelta,
        earlier: dict[int, tuple[tuple, Fingerprint]] | None = None,
    ):
        self.writer, self.threshold, self.window = writer, threshold, window
        self.rarity = _StoredRarity(writer)
        # Fingerprints of this batch, and of the previous one (reused while the text is the same).
        self.prints: dict[int, tuple[tuple, Fingerprint]] = {}
        self.earlier = earlier or {}
        self.quotes: dict[int, tuple[QuoteSig, ...]] = {}
        self.loaded: set[int] = set()  # fingerprints whose concepts' counts are loaded
        self.spans: dict[int, tuple[datetime, datetime]] = {}

    def load_quotes(self, articles: list[ArticleText]) -> None:
        """Read the quotations of the articles not fingerprinted yet (one query)."""
        wanted = [a.id for a in articles if self._known(a) is None and a.id not in self.quotes]
        found = self.writer.quotes_of(wanted)
        for article_id in wanted:
            self.quotes[article_id] = quote_signatures(found.get(article_id, ()))

    def _known(self, article: ArticleText) -> Fingerprint | None:
        for cache in (self.prints, self.earlier):
            entry = cache.get(article.id)
            if entry is not None and entry[0] == _what_is_printed(article):
                self.prints[article.id] = entry
                return entry[1]
        return None

    def fingerprint(self, article: ArticleText) -> Fingerprint:
        cached = self._known(article)
        if cached is None:
            cached = fingerprint_article(article, self.quotes.pop(article.id, ()))
            self.prints[article.id] = (_what_is_printed(article), cached)
        return cached

    def load_counts(self, prints: list[Fingerprint], extra: list[str] = ()) -> None:
        """Make sure the counts of every concept of these fingerprints are read."""
        fresh = [p for p in prints if id(p) not in self.loaded]
        if fresh or extra:
            self.rarity.load({c for p in fresh for c in p.concepts()} | set(extra))
            self.loaded.update(id(p) for p in fresh)

    def place(self, article: ArticleText) -> bool:
        current = self.fingerprint(article)
        keys = current.keys()
        self.load_counts([current], keys)
        decision = self.decide(article, current, keys)
        story = self.writer.attach(article, decision.story, keys)
        if story is None:
            return False
        self.rarity.add(current)
        first, last = self.spans.get(story, (article.at, article.at))
        self.spans[story] = (min(first, article.at), max(last, article.at))
        log.debug(
            "article %d -> story %d (%s, %.2f)", article.id, story, decision.reason, decision.score
        )
        return True

    def decide(self, article: ArticleText, current: Fingerprint, keys: list[str]) -> Decision:
        if article.url:
            story = self.writer.story_with_url(article.url, article.id)
            if story is not None:
                return Decision(story, 1.0, "same URL")
        # shift, not +/-: a window around a date near year 1 or 9999 must not overflow.
        since, until = shift(article.at, -self.window), shift(article.at, self.window)
        nearby = min(self.window, RETRIEVAL_WINDOW)
        candidates = self.writer.candidate_stories(
            self.retrieval_keys(keys),
            shift(article.at, -nearby),
            shift(article.at, nearby),
            CANDIDATE_STORIES,
            opened=since,
        )
        members = self.writer.story_members(candidates, since, until, MEMBERS_PER_STORY)
        self.load_quotes([member for found in members.values() for member in found])
        stories = {
            story: [self.fingerprint(member) for member in found]
            for story, found in members.items()
            if found
        }
        self.load_counts([p for prints in stories.values() for p in prints])
        return choose_story(current, stories, self.rarity, threshold=self.threshold)

    def retrieval_keys(self, keys: list[str]) -> list[str]:
        """The rarest keys: a few always, more only while they stay uncommon; and the
        quotations' keys (rare by construction)."""
        counts = self.rarity.counts
        common = max(COMMON_KEY_SHARE * self.rarity.total, 50)
        quoted = [key for key in keys if key.startswith(QUOTE_KEY_PREFIX)]
        chosen: list[str] = []
        for key in sorted(set(keys) - set(quoted), key=lambda k: (counts.get(k, 0), k)):
            if len(chosen) >= RETRIEVAL_KEYS or (
                len(chosen) >= MIN_RETRIEVAL_KEYS and counts.get(key, 0) > common
            ):
                break
            chosen.append(key)
        return chosen + quoted

    def finish(self) -> None:
        self.writer.finish(self.rarity.added, self.spans)
