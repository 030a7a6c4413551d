"""Find quoted passages in plain text, character by character.

No language model is involved: quotation marks are classified by what flanks
them (an opener follows a space and precedes a word; a closer does the
reverse), then paired within a paragraph. A mark that cannot be paired is
dropped on its own without derailing the rest of the article, and a
paragraph boundary always resets the scan, except for the newspaper
convention of a quotation running over several paragraphs (each one opens
with a mark, only the last one closes). Double marks (“…”, "…", „…“) and
angle marks («…») are separate families, so each can nest inside the other;
single marks are content (nested quotes). Spanish dialogue lines that start
with a dash are found by `find_dash_speech`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_GLYPHS = "“„‟«"
CLOSE_GLYPHS = "”»"
DOUBLE = '"“”„‟'
ANGLE = "«»"
MARKS = DOUBLE + ANGLE
# What may sit right before an opening mark, or right after a closing one.
_BEFORE_OPEN = set(" \t\n([{—–-/:;,…¿¡") | set(MARKS) | set("‘'")
_AFTER_CLOSE = set(" \t\n)]}—–-/:;,.!?…") | set(MARKS) | set("’'")
_PARAGRAPH = re.compile(r"[^\n]+")
# Trailing punctuation that belongs to the sentence around a quote, not to it.
_TRAILING = ",;: \t"
DASHES = "—–―"


@dataclass(frozen=True)
class Quoted:
    """A quoted passage: `pieces` are the (start, end) ranges of its words, one
    per paragraph, without the marks. `open_at`/`close_at` are the marks."""

    pieces: tuple[tuple[int, int], ...]
    open_at: int
    close_at: int | None  # None when a dash line ends without a closing dash
    style: str  # "double", "angle" or "dash"

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def text(self, source: str) -> str:
        """The quoted words verbatim, without the marks that reopen each paragraph."""
        parts = [source[self.pieces[0][0] : self.pieces[0][1]]]
        for (_, end), (start, stop) in zip(self.pieces, self.pieces[1:], strict=False):
            gap = source[end:start]
            parts.append("\n" * max(1, gap.count("\n")))
            parts.append(source[start:stop])
        return "".join(parts)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line block; every line break ends a paragraph."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def find_quotes(text: str) -> list[Quoted]:
    """Every paired double or angle quotation in `text`, in order (after
    `house_marks`, so `''…''` and a text quoting in single marks count too)."""
    text = house_marks(text)
    found = sorted([*_scan_family(text, DOUBLE), *_scan_family(text, ANGLE)], key=lambda q: q.start)
    # A quote inside a quote of the other family is part of it, not one of its own.
    return [q for q in found if not any(o is not q and o.start <= q.open_at < o.end for o in found)]


_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–-]))[‘'](?=\w)", re.MULTILINE)
# Double openers, including the typewriter pairs of some archives (``…'' and
# ''…''), which are left alone: they are not what a reader of a web page sees.
_DOUBLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–-]))(?:[\"“„]|''|``)(?=\w)", re.MULTILINE)
_SWAP = str.maketrans({"‘": "“", "’": "”", "“": "‘", "”": "’", "'": '"', '"': "'"})


def house_marks(text: str) -> str:
    """`text` with its quotation marks in one house style, character for character
    (offsets do not move): a text that quotes in single marks (British style:
    ‘…,’ she said) has its single and double marks swapped, so that nested
    quotes stay nested. Apostrophes inside words stay; a headline in single
    marks over a text in double ones is not enough to swap."""
    singles = len(_SINGLE_OPEN.findall(text))
    if singles >= 2 and singles > 2 * len(_DOUBLE_OPEN.findall(text)):
        text = "".join(
            ch.translate(_SWAP) if ch in "‘’'\"“”" and not _inside_word(text, i) else ch
            for i, ch in enumerate(text)
        )
    return text


def _inside_word(text: str, at: int) -> bool:
    """An apostrophe between two letters or digits: don’t, O’Neill, Labour’s."""
    return 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum()


def _scan_family(text: str, family: str) -> list[Quoted]:
    paras = paragraphs(text)
    found: list[Quoted] = []
    pending: list[tuple[int, int]] = []  # finished pieces of a quote running over paragraphs
    opened: int | None = None  # index of the current opening mark
    first_open: int | None = None
    for number, (p_start, p_end) in enumerate(paras):
        for at in range(p_start, p_end):
            if text[at] not in family:
                continue
            role = mark_role(text, at)
            if opened is None:
                if role in ("open", "either"):
                    opened, first_open = at, at if not pending else first_open
                continue
            if role in ("close", "either") and at > opened + 1:
                pieces = (*pending, (opened + 1, at))
                found.append(_make(text, pieces, first_open, at, family))
                opened, pending = None, []
            elif role == "open":
                # A second opener: the first one was stray. Start again here.
                opened, first_open, pending = at, at, []
        if opened is None:
            continue
        follows = _continues(text, paras, number, family, opened)
        if follows == "reopened":
            pending.append((opened + 1, p_end))
            opened = None  # the next paragraph's opening mark re-opens it
        elif follows == "wrapped":
            pending.append((opened + 1, p_end))
            opened = paras[number + 1][0] - 1  # same quote, next line
        else:
            opened, pending = None, []  # unbalanced: forget it, keep scanning
    return found


def _continues(
    text: str, paras: list[tuple[int, int]], number: int, family: str, opened: int
) -> str:
    """How a quote left open at the end of paragraph `number` goes on:
    "reopened" when the next paragraph starts with an opening mark (the
    convention for long quotes, which open a sentence: at the paragraph start
    or after ":", "," or a full stop, not in mid-phrase like 'as “calm.'),
    "wrapped" when only one line break separates them and the next line's
    first mark closes, else "" (the mark was stray)."""
    if number + 1 >= len(paras):
        return ""
    start, end = paras[number + 1]
    if text[start] in family and mark_role(text, start) in ("open", "either"):
        before = text[paras[number][0] : opened].rstrip()
        return "reopened" if not before or before[-1] in ":,.!?;—–-" else ""
    if text.count("\n", paras[number][1], start) == 1:
        first = next((i for i in range(start, end) if text[i] in family), None)
        if first is not None and mark_role(text, first) == "close":
            return "wrapped"
    return ""


def _make(text: str, pieces, open_at: int, close_at: int, family: str) -> Quoted:
    *body, (a, b) = pieces
    while b > a and text[b - 1] in _TRAILING:
        b -= 1
    cleaned = []
    for start, end in (*body, (a, b)):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        cleaned.append((start, end))
    return Quoted(tuple(cleaned), open_at, close_at, "angle" if family == ANGLE else "double")


def mark_role(text: str, at: int) -> str:
    """ "open", "close", "either" or "stray" for the quotation mark at `at`."""
    before = text[at - 1] if at > 0 else "\n"
    after = text[at + 1] if at + 1 < len(text) else "\n"
    can_open = (before in _BEFORE_OPEN or before.isspace()) and not after.isspace()
    # A space may separate a closing mark from a nested quote's own closer: 'x,' ".
    glued = not before.isspace() or (at > 1 and text[at - 2] in "’'")
    can_close = (after in _AFTER_CLOSE or after.isspace()) and glued
    glyph = text[at]
    if can_open and can_close:
        if glyph in OPEN_GLYPHS:
            return "open"
        if glyph in CLOSE_GLYPHS:
            return "close"
        return "either"
    if can_open:
        return "open"
    if can_close:
        return "close"
    if not before.isspace() and not after.isspace():
        # Glued on both sides (word"word): trust the glyph when it has a direction.
        if glyph in OPEN_GLYPHS:
            return "open"
        if glyph in CLOSE_GLYPHS:
            return "close"
    return "stray"


_DASH_LINE = re.compile(rf"[{DASHES}](?=\S)")
# A narrator's aside inside a dialogue line: " —dijo ella—" or " —dijo ella." to the
# end; after "!", "?" or "…" the space may be missing ("—¡Basta!—gritó").
_ASIDE = re.compile(rf"(?:\s|(?<=[!?…]))[{DASHES}](?=\w)")


@dataclass(frozen=True)
class DashLine:
    """A spoken line introduced by a dash, and the narrator's asides in it."""

    speech: list[tuple[int, int]]
    asides: list[tuple[int, int]]


def find_dash_speech(text: str) -> list[DashLine]:
    """Spanish dialogue: paragraphs that open with a dash; the speech runs to the
    next " —" (the narrator's aside), which runs to the next dash or the end."""
    lines = []
    for p_start, p_end in paragraphs(text):
        lead = len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
        start = p_start + lead
        if not _DASH_LINE.match(text, start):
            continue
        speech, asides = [], []
        cursor, speaking = start + 1, True
        while cursor < p_end:
            if speaking:
                aside = _ASIDE.search(text, cursor, p_end)
                stop = aside.start() if aside else p_end
                speech.append((cursor, stop))
                cursor, speaking = (aside.end() if aside else p_end), False
            else:
                close = next((i for i in range(cursor, p_end) if text[i] in DASHES), p_end)
                asides.append((cursor, close))
                cursor, speaking = close + 1, True
                # After the closing dash comes punctuation, then more speech.
                while cursor < p_end and text[cursor] in ".,;: ":
                    cursor += 1
        speech = [_trim(text, a, b) for a, b in speech]
        lines.append(DashLine([s for s in speech if s[1] > s[0]], asides))
    return lines


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAILING + "\n":
        end -= 1
    return start, end
