"""What both languages share about speakers: the attribution record and the
rule that a quote without its own cue continues the speaker before it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from feeds.nlp.names import NameIndex
from feeds.nlp.scan import Quoted, paragraphs


@dataclass(frozen=True)
class Attribution:
    """Who a quote is attributed to: the mention's offsets, the resolved name
    and its kind. `how` records the rule that found it (for ranking)."""

    start: int | None = None
    end: int | None = None
    speaker: str | None = None
    kind: str | None = None  # "person", "organization" or None
    how: str = "none"
    cue: str | None = None

    @property
    def found(self) -> bool:
        return self.start is not None


def resolve_continuations(
    text: str,
    quotes: list[Quoted],
    found: list[Attribution],
    fallbacks: list[Attribution | None] | None = None,
    names: NameIndex | None = None,
) -> list[Attribution]:
    """Give quotes without a cue the speaker of their neighbour:

    - the nearest attributed quote before them in the same paragraph
      ("…,” she said. “…”), or `fallbacks[i]` (a speaker found in the text
      before the quote, e.g. "Smith said. “…”") when that is nearer;
    - else the next attributed quote in the paragraph ("“…” “…,” she said.");
    - else, for a paragraph that opens with a quotation, the last quote of the
      paragraph before it, when that paragraph also quoted someone;
    - else, for a paragraph that is nothing but a quotation, the person the
      paragraph before it named last (the narrator introduced the speaker).
    """
    fallbacks = fallbacks or [None] * len(quotes)
    starts = [start for start, _ in paragraphs(text)]
    para = [max(0, bisect.bisect_right(starts, q.open_at) - 1) for q in quotes]
    last_para = [max(0, bisect.bisect_right(starts, q.end) - 1) for q in quotes]
    result = list(found)
    for i in range(len(quotes)):
        if result[i].found:
            continue
        before = next(
            (j for j in range(i - 1, -1, -1) if para[j] == para[i] and result[j].found), None
        )
        fallback = fallbacks[i]
        if fallback is not None and (before is None or fallback.start > quotes[before].end):
            result[i] = fallback
            continue
        after = next(
            (j for j in range(i + 1, len(quotes)) if para[j] == para[i] and found[j].found), None
        )
        source = before if before is not None else after
        if source is None and quotes[i].open_at == starts[para[i]] and i > 0:
            previous = i - 1
            if last_para[previous] == para[i] - 1 and result[previous].found:
                source = previous
        if source is not None:
            result[i] = replace(result[source], how="continuation")
        elif names is not None and _whole_paragraph(text, quotes[i], starts, para[i]):
            result[i] = _last_named(names, starts, para[i]) or result[i]
    return result


def _whole_paragraph(text: str, quote: Quoted, starts: list[int], number: int) -> bool:
    if quote.open_at != starts[number] or quote.close_at is None or number == 0:
        return False
    rest = text[quote.close_at + 1 : text.find("\n", quote.close_at) % (len(text) + 1)]
    return not rest.strip()


def _last_named(names: NameIndex, starts: list[int], number: int) -> Attribution | None:
    person = names.antecedent(starts[number], None)
    if person is None or person.start < starts[number - 1]:
        return None
    full = names.full_name(person.text) or person.text
    return Attribution(person.start, person.end, full, "person", how="previous-paragraph")
