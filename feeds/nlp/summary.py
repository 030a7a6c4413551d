"""The summary: the article's opening sentence or two, cleaned of page furniture.

On news, the cleaned lead beats extractive rankers (see DESIGN.md), and it
needs no model. A summary must add to the headline, so it is taken from the
first paragraph of prose: paragraphs that do not end as a sentence does
(the headline repeated at the top of the page text, a byline, a date, a
kicker), captions (a paragraph ending with its photo credit), furniture
lines ("Read more", "Post Comment", "Original Source: …") and, when the
title is given, anything that repeats it are skipped. Datelines ("MEXICO
CITY (Reuters) —") and photo credits inside prose are removed; the result
is at most 300 characters and is cut only between words.
"""

from __future__ import annotations

import re

from feeds.briefs.text import repeats_title
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
# A caption ends with its credit: "… on Tuesday. (AP Photo/Jane Doe)", "… Photo: Reuters".
_CAPTION_END = re.compile(
    r"(?:\((?:[^()]*\b(?:photo|foto|getty|file|archivo|credit|crédito)\b[^()]*)\)"
    r"|\b(?:Photo|Foto|Image|Imagen|Credit|Crédito)s?:\s*[^.]{1,60}"
    r"|\b[A-Z]{2,}/[A-Z][\w. -]{1,40})\.?\s*$",
    re.IGNORECASE,
)
# Prose ends as a sentence does: a full stop, a question or exclamation mark, an
# ellipsis, possibly followed by closing quotation marks or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[”\"’»)]*\s+(?=[¿¡“\"«(]?[A-ZÁÉÍÓÚÑ0-9])")
_MIN_LEAD = 40
_SHORT_LEAD = 150


def summarize(text: str, max_chars: int = MAX_CHARS, *, title: str = "") -> str:
    """One or two opening sentences of `text` that add to `title`, at most `max_chars` long.

    The first paragraph of prose of at least _MIN_LEAD characters gives them;
    failing that, a shorter one; failing that, the first paragraph that is
    neither furniture nor a repeat of the title (a page of captions and
    headlines still gets something).
    """
    short = other = ""
    for start, end in paragraphs(text):
        raw = " ".join(text[start:end].split())
        paragraph = clean_paragraph(raw, first=True)
        if not paragraph or _FURNITURE.match(paragraph):
            continue
        if title:
            paragraph = _after_title(paragraph, title)
            if not paragraph:
                continue
        if not is_prose(raw):
            other = other or paragraph
        elif len(paragraph) >= _MIN_LEAD:
            return _lead(paragraph, max_chars)
        else:
            short = short or paragraph
    chosen = short or other
    return _lead(chosen, max_chars) if chosen else ""


def is_prose(paragraph: str) -> bool:
    """Does the paragraph end as a sentence, and not with a photo credit (a caption)?"""
    paragraph = paragraph.rstrip()
    return bool(_SENTENCE_END.search(paragraph)) and not _CAPTION_END.search(paragraph)


def _after_title(paragraph: str, title: str) -> str:
    """The paragraph without its opening sentences that repeat the title ("" if all do)."""
    parts = sentences(paragraph)
    while parts and repeats_title(parts[0], title):
        parts.pop(0)
    return " ".join(parts)


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
