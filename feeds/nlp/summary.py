"""The summary: the article's opening sentence or two, cleaned of page furniture.

On news, the cleaned lead beats extractive rankers (see DESIGN.md), and it
needs no model. Datelines ("MEXICO CITY (Reuters) —"), bylines, photo
credits and furniture lines ("Read more", "Post Comment", "Original Source:
…") are removed first; the result is at most 300 characters and is cut only
between words.
"""

from __future__ import annotations

import re

from feeds.nlp.lexicon import wordset
from feeds.nlp.scan import find_quotes, paragraphs

MAX_CHARS = 300
_ELLIPSIS = "…"

# Whole lines that are page furniture, not prose.
_FURNITURE = re.compile(
    r"""^(?:
        (?:post|add|leave|view|show)\s+(?:a\s+)?comments?|comments?|
        read\s+(?:more|the\s+rest|the\s+full\s+story|also|next)\b.*|
        original\s+source\b.*|source:.*|
        (?:click|tap)\s+here\b.*|(?:sign\s+up|subscribe)\b.*|advertisement|
        share\s+(?:this|on)\b.*|follow\s+(?:us|\S+\s+\S+\s+on)\b.*|
        (?:photo|image|video|foto|imagen|credit|crédito)s?\s*(?:caption)?\s*[:/].*|
        (?:updated|published|posted|last\s+updated|actualizado|publicado)\b.*|
        (?:by|por)\s+[\w.'’-]+(?:\s+[\w.'’-]+){0,4}(?:\s*(?:,|and|y)\s+[\w.'’-]+(?:\s+[\w.'’-]+){0,3})*|
        (?:abstract|full\s+text|letters|related|más\s+información|lee\s+también|te\s+puede\s+interesar)\.?|
        copyright\b.*|©.*|all\s+rights\s+reserved.*|
        \[.*\]|\(.*(?:photo|getty|reuters|ap|afp|efe|foto).*\)
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A dateline opening the first paragraph: "WASHINGTON (Reuters) - ", "MEXICO
# CITY, Nov 27 (AP) — ", "CIUDAD DE MÉXICO.- ", "Madrid, 27 nov (EFE).- ".
_AGENCY = r"(?:\s*\([\w .&/-]{1,30}\))?"  # "(Reuters)", "(AP)"
_PLACE = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ.'’ -]{1,40}"
_DATELINE = re.compile(
    rf"""^(?:
        [A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ.'’ -]{{1,40}}(?:,\s*[\w. ]{{1,30}})?{_AGENCY}
        |{_PLACE},\s*\d{{1,2}}\s+\w{{3,10}}\.?(?:\s+\d{{4}})?{_AGENCY}
        |{_PLACE},\s*\w{{3,10}}\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?{_AGENCY}
    )\s*(?:\.?\s*[-—–]+|:)\s+""",
    re.VERBOSE,
)
# Photo credits inside a paragraph: "(AP Photo/Jane Doe)", "Photo: Reuters".
_CREDIT = re.compile(
    r"\s*\((?:[^()]*\b(?:photo|foto|getty|file|archivo|credit)\b[^()]*)\)|"
    r"\s*(?:Photo|Foto|Image|Credit)s?:\s*[^.]*?(?=\s+[A-Z]|$)",
    re.IGNORECASE,
)
_ABBREVIATIONS = wordset("""
mr mrs ms dr prof sen rep gov gen col lt sgt capt adm st jr sr sra srta no vs etc inc
corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n d.c e.u a.m p.m
""")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[”\"’»)]*\s+(?=[¿¡“\"«(]?[A-ZÁÉÍÓÚÑ0-9])")
_MIN_LEAD = 40
_SHORT_LEAD = 150


def summarize(text: str, max_chars: int = MAX_CHARS) -> str:
    """One or two opening sentences of `text`, at most `max_chars` long."""
    short = ""
    for start, end in paragraphs(text):
        paragraph = clean_paragraph(text[start:end], first=True)
        if not paragraph or _FURNITURE.match(paragraph):
            continue
        if len(paragraph) >= _MIN_LEAD:
            return _lead(paragraph, max_chars)
        short = short or paragraph
    return _lead(short, max_chars) if short else ""


def clean_paragraph(paragraph: str, *, first: bool = False) -> str:
    paragraph = " ".join(paragraph.split())
    if _FURNITURE.match(paragraph):
        return ""
    if first:
        paragraph = _DATELINE.sub("", paragraph, count=1)
    return _CREDIT.sub("", paragraph).strip()


def sentences(paragraph: str) -> list[str]:
    """Split at sentence ends, never inside a quotation or after an abbreviation."""
    quoted = [(q.open_at, q.close_at or q.end) for q in find_quotes(paragraph)]
    parts, start = [], 0
    for match in _SENTENCE_BREAK.finditer(paragraph):
        at = match.start()
        if any(a < at < b for a, b in quoted):
            continue
        word = paragraph[start:at].rsplit(None, 1)[-1].rstrip(".").casefold() if at > start else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        parts.append(paragraph[start : match.end()].strip())
        start = match.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def _lead(paragraph: str, max_chars: int) -> str:
    """The first sentence, and the second too when the first is short and both fit."""
    first, *rest = sentences(paragraph)
    if len(first) > max_chars:
        return cut_at_word(first, max_chars)
    if rest and len(first) < _SHORT_LEAD and len(first) + 1 + len(rest[0]) <= max_chars:
        return f"{first} {rest[0]}"
    return first


def cut_at_word(text: str, max_chars: int) -> str:
    """`text` shortened to at most `max_chars` at a word boundary, with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - len(_ELLIPSIS) + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[: max_chars - len(_ELLIPSIS)]
    return cut.rstrip(" ,;:—–-") + _ELLIPSIS
