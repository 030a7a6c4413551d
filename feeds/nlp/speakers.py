"""What both languages share about speakers: the attribution record and the
rule that a quote without its own cue continues the speaker before it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

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
) -> list[Attribution]:
    """Give quotes without a cue the speaker of their neighbour:

    - the nearest attributed quote before them in the same paragraph
      ("…,” she said. “…”), or `fallbacks[i]` (a speaker found in the text
      before the quote, e.g. "Smith said. “…”") when that is nearer;
    - else the next attributed quote in the paragraph ("“…” “…,” she said.");
    - else, for a paragraph that opens with a quotation, the last quote of the
      paragraph before it, when that paragraph also quoted someone.
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
    return result
