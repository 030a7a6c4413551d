"""One article's text in, its language, summary and ranked quotes out.

`analyze_text` is a pure function of the text (safe to run in a worker
process); `analyze_texts` does the same for many texts and batches the
English ones through spaCy, which is where the time goes. Only paragraphs
that hold a quotation (or introduce one with a colon) are parsed; the rest
of the text is blanked to spaces so that character offsets stay those of the
original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from feeds.nlp import spanish
from feeds.nlp.english import EnglishAttributor
from feeds.nlp.language import detect_language
from feeds.nlp.lexicon import wordset
from feeds.nlp.model import english
from feeds.nlp.names import NameIndex
from feeds.nlp.rank import Candidate, rank_quotes
from feeds.nlp.scan import Quoted, find_quotes, house_marks, paragraphs
from feeds.nlp.speakers import Attribution
from feeds.nlp.summary import summarize

MIN_QUOTE_WORDS = 3
BATCH_SIZE = 32
_TITLE_WORD = re.compile(r"^[\W\d]*[A-ZÁÉÍÓÚÑ0-9]")
_SMALL_WORDS = wordset("a an and as at by for in of on or the to with de del la el y en")


@dataclass(frozen=True)
class QuoteResult:
    """A direct quotation: offsets of the quoted words (without the marks) and
    of the speaker mention, both into the analysed text.

    `text` is the quoted words verbatim. A quote over several paragraphs leaves
    out the marks that reopen each paragraph; the parts of a quote split around
    its attribution are joined by " … " (its offsets then span the attribution
    too).
    `speaker_kind` is "person", "organization" or None; `rank` 1 is the best
    key quote, 0 not a key quote; `score` (0-1) compares across articles.
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_kind: str | None
    rank: int
    score: float


@dataclass(frozen=True)
class Analysis:
    language: str
    lead: str
    quotes: list[QuoteResult]

    def key_quotes(self, limit: int = 2) -> list[QuoteResult]:
        """The best quotes for a briefing, best first."""
        ranked = sorted((q for q in self.quotes if q.rank >= 1), key=lambda q: q.rank)
        return ranked[:limit]


def analyze_text(text: str, language: str | None = None) -> Analysis:
    """Analyse one article's plain text (see `analyze_texts`)."""
    return next(analyze_texts([text], [language]))


def analyze_texts(
    texts: Iterable[str], languages: Iterable[str | None] | None = None
) -> Iterator[Analysis]:
    """Analyse many texts, in order; `languages` may force "en"/"es" per text
    (None detects it). English texts go through spaCy in batches."""
    texts = iter(texts)
    languages = iter(languages) if languages is not None else None
    while True:
        chunk = []
        for text in texts:
            hint = next(languages, None) if languages is not None else None
            chunk.append(_prepare(text, hint))
            if len(chunk) == BATCH_SIZE:
                break
        if not chunk:
            return
        yield from _finish_chunk(chunk)


@dataclass
class _Prepared:
    text: str
    language: str
    quotes: list[Quoted]  # every quoted passage, reported or not
    reported: list[bool]  # which of them are quotations worth reporting
    focus: str | None  # English text to parse, or None


def _prepare(text: str, hint: str | None) -> _Prepared:
    language = hint if hint in ("en", "es") else detect_language(text)
    quotes = find_quotes(text)
    reported = [is_quotation(q.text(text)) for q in quotes]
    wanted = [q for q, keep in zip(quotes, reported, strict=True) if keep]
    # The parse and the rules read the marks in one house style (same offsets).
    focus = focus_text(house_marks(text), wanted) if language == "en" and wanted else None
    return _Prepared(text, language, quotes, reported, focus)


def _finish_chunk(chunk: list[_Prepared]) -> Iterator[Analysis]:
    wanted = [item.focus for item in chunk if item.focus is not None]
    docs = iter(english().pipe(wanted, batch_size=BATCH_SIZE)) if wanted else iter(())
    for item in chunk:
        doc = next(docs) if item.focus is not None else None
        yield _analysis(item, doc)


def _analysis(item: _Prepared, doc) -> Analysis:
    text = item.text
    quotes, reported = item.quotes, item.reported
    if item.language == "es":
        quotes, reported, attributions = spanish.attribute(text, quotes, reported)
    elif doc is not None:
        names = NameIndex.build(house_marks(text), [(q.open_at, q.end) for q in quotes])
        attributions = EnglishAttributor(doc, quotes, names, reported).attribute()
    else:
        attributions = [Attribution() for _ in quotes]
    found = join_split_quotes(text, quotes, attributions, reported)
    return Analysis(item.language, summarize(text), _results(text, found))


@dataclass(frozen=True)
class _Found:
    text: str
    start: int
    end: int
    attribution: Attribution


# Between the two parts of a quote split around its attribution: a short
# clause ending with a comma ('“We will cooperate,” she said, “but ...”').
_SPLIT_BETWEEN = re.compile(r"\s*,?\s*[^.!?;:\n“”\"«»]{1,80},\s*")


# Joins the parts of a split quote, as newspapers mark left-out words: each part
# stays verbatim and nothing is made up (not even the comma before "she said").
ELISION = " … "


def join_split_quotes(
    text: str,
    quotes: Sequence[Quoted],
    attributions: Sequence[Attribution],
    reported: Sequence[bool],
) -> list[_Found]:
    """The reported quotes, with a quote split around its attribution joined into
    one: its parts verbatim in order, joined by ELISION in place of the
    attribution; offsets span both parts."""
    found: list[_Found] = []
    previous: tuple[Quoted, _Found] | None = None
    for quote, attribution, keep in zip(quotes, attributions, reported, strict=True):
        current = _Found(quote.text(text), quote.start, quote.end, attribution)
        if previous is not None and _continues_split(text, previous[0], quote):
            first = previous[1]
            current = _Found(
                f"{first.text}{ELISION}{current.text}",
                first.start,
                current.end,
                first.attribution if first.attribution.found else attribution,
            )
            keep = True
            if found and found[-1] is first:
                found.pop()
        if keep:
            found.append(current)
        previous = (quote, current)
    return found


def _continues_split(text: str, first: Quoted, second: Quoted) -> bool:
    if first.close_at is None or len(first.pieces) > 1 or len(second.pieces) > 1:
        return False
    if "," not in text[first.end : first.close_at]:
        return False  # the first part ends a sentence: '“We won.” she said. “Again.”'
    if _SPLIT_BETWEEN.fullmatch(text, first.close_at + 1, second.open_at) is None:
        return False
    # One attribution, not a second statement: '“…,” Trump said, adding later, “…”'.
    between = text[first.close_at + 1 : second.open_at].split()
    return len(between) <= 8 and not any(w.endswith("ing,") or w.endswith("ing") for w in between)


def _results(text: str, found: Sequence[_Found]) -> list[QuoteResult]:
    candidates = [Candidate(f.text, f.start, f.attribution) for f in found]
    results = []
    for f, (rank, score) in zip(found, rank_quotes(candidates, len(text)), strict=True):
        a = f.attribution
        results.append(
            QuoteResult(f.text, f.start, f.end, a.speaker, a.start, a.end, a.kind, rank, score)
        )
    return results


def is_quotation(words: str) -> bool:
    """Quoted words worth reporting: three words or more, and not a title in
    title case ("Face the Nation", "Contract with America")."""
    tokens = words.split()
    if len(tokens) < MIN_QUOTE_WORDS:
        return False
    if len(tokens) <= 7 and words.rstrip()[-1:] not in "!?":
        content = [t for t in tokens if t.casefold() not in _SMALL_WORDS]
        if content and all(_TITLE_WORD.match(t) for t in content):
            return False
    return True


def focus_text(text: str, quotes: Sequence[Quoted]) -> str:
    """`text` with every paragraph that neither holds a quote nor introduces one
    blanked to spaces (same length, same offsets)."""
    paras = paragraphs(text)
    keep = [False] * len(paras)
    starts = [start for start, _ in paras]
    for quote in quotes:
        last = quote.close_at if quote.close_at is not None else quote.end
        for i, (start, end) in enumerate(paras):
            if start <= last and quote.open_at < end:
                keep[i] = True
                if i > 0 and text[paras[i - 1][0] : paras[i - 1][1]].rstrip().endswith(":"):
                    keep[i - 1] = True
    del starts
    pieces, cursor = [], 0
    for (start, end), kept in zip(paras, keep, strict=True):
        pieces.append(text[cursor:start])
        pieces.append(text[start:end] if kept else " " * (end - start))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
