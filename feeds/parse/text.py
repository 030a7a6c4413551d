"""HTML and plain text to the stored form: plain text, paragraphs split by one blank line.

This form is a contract with the quotes and briefings code: `Article.summary`,
`content` and `full_text` hold it, and quote offsets point into it.
"""

from __future__ import annotations

import functools
import html
import re
import threading

from lxml import etree

PARAGRAPH_BREAK = "\n\n"
_PARA = "\x00"  # paragraph boundary while walking the tree
_LINE = "\x01"  # <br>
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "table",
        "tr",
        "thead",
        "tbody",
        "tfoot",
        "figure",
        "figcaption",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "address",
        "hr",
        "center",
        "details",
        "summary",
        "form",
        "fieldset",
        "caption",
    ]
)
_DROP = frozenset(
    ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head"]
)
_CELL = frozenset({"td", "th"})
# What a tag adds to the text: block tags end a paragraph, <br> a line, cells a space.
_MARKS = {**dict.fromkeys(_BLOCK, _PARA), "br": _LINE, **dict.fromkeys(_CELL, " ")}
# A tag, a comment start or a declaration; "[^<>]" keeps a stray "<" from scanning ahead.
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>|<!--|<[!?][^<>]*>")
# The same, but only tags whose quoted values hold no "<" or ">": a tag it does not
# match leaves its "<" in the text, which sends the markup to the real parser.
_SIMPLE_TOKEN = re.compile(
    r"""<(/?)([A-Za-z][\w:.-]*)"""
    r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*\s*/?>"""
    r"""|<!--|<[!?][^<>]*>"""
)
_PARSERS = threading.local()
_BLANK_LINES = re.compile(r"\n\s*\n")
_LINE_BREAKS = re.compile(_LINE + r"\s*" + _LINE)

# Control characters: C0 (but tab, newline, carriage return), DEL and C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
# Terminal escape sequences, removed whole so no "[31m" is left behind: CSI
# (ESC [ or \x9b, parameters, final byte); OSC/DCS/APC/PM strings (a window
# title, a hyperlink) up to BEL or the string terminator, when terminated
# within 512 characters (an unterminated one loses only its introducer, not
# the text after it); any other ESC with the character after it.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,512}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[\x20-\x7e]?"
)
# Controls that Python's str.split() treats as whitespace become spaces, not nothing.
_SPACE_CONTROLS = {ord(c): " " for c in "\x0b\x0c\x1c\x1d\x1e\x1f\x85"}


def strip_controls(text: str) -> str:
    """`text` without control characters or terminal escape sequences.

    Tab, newline and carriage return stay; a hostile feed cannot move the
    cursor, recolour or retitle a terminal that shows its text. Controls that
    separate words (form feed, NEL, …) become spaces.
    """
    if not _CONTROL.search(text):
        return text
    text = _ESCAPE.sub("", text).translate(_SPACE_CONTROLS)
    return _CONTROL.sub("", text)


def normalize_plain(text: str) -> str:
    """Plain text: whitespace collapsed inside paragraphs; paragraphs kept; no controls.

    (PostgreSQL refuses NUL in text; terminals obey escape sequences.)
    """
    text = strip_controls(text)
    paragraphs = (" ".join(part.split()) for part in _BLANK_LINES.split(text))
    return PARAGRAPH_BREAK.join(p for p in paragraphs if p)


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment or page: scripts, comments and tags gone, entities decoded.

    Block tags end paragraphs, <br> ends a line, inline tags vanish without a
    space ("<i>The Pitt</i>'s"), script/style/… content is dropped. Simple
    markup takes one linear scan; anything the scan cannot be sure of (a "<"
    that opens no tag, a quoted attribute holding "<" or ">") goes to lxml's
    HTML parser, which reads it the way a browser would.
    """
    if not markup:
        return ""
    markup = strip_controls(markup)  # before the scan: _PARA and _LINE are controls
    if "<" not in markup:
        return normalize_plain(html.unescape(markup) if "&" in markup else markup)
    marked = _scan(markup)
    if marked is None:
        # When even lxml gives up (nesting deeper than it allows), the lenient scan
        # still keeps every word.
        marked = _parse(markup)
        if marked is None:
            marked = _scan(markup, strict=False)
    return _assemble(marked)


def _scan(markup: str, *, strict: bool = True) -> str | None:
    """The text with paragraph and line marks; None when `strict` and the markup is not simple."""
    out: list[str] = []
    position = 0
    tokens = _SIMPLE_TOKEN if strict else _TOKEN
    while match := tokens.search(markup, position):
        text = markup[position : match.start()]
        if strict and "<" in text:
            return None  # a "<" that opens no simple tag: a broken tag, "<" in an attribute
        out.append(text)
        position = match.end()
        name = match.group(2)
        if name is None:
            if match.group() == "<!--":
                end = markup.find("-->", position)
                position = len(markup) if end < 0 else end + 3
            continue
        name = name.lower()
        if name in _DROP:
            if not match.group(1):
                closing = _closing(name).search(markup, position)
                position = len(markup) if closing is None else closing.end()
        else:
            out.append(_MARKS.get(name, ""))
    rest = markup[position:]
    if strict and "<" in rest:
        return None
    out.append(rest)
    return html.unescape("".join(out))


def _parse(markup: str) -> str | None:
    """The same marked text as `_scan`, read from lxml's tree; None if lxml gave up."""
    parser = _html_parser()
    # Bytes: lxml refuses a str that carries an XML encoding declaration.
    root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    if any(error.level == etree.ErrorLevels.FATAL for error in parser.error_log):
        return None
    if root is None:
        return ""
    out: list[str] = []
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        name = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if name in _DROP:
                walk.skip_subtree()
                continue
            out.append(_MARKS.get(name, ""))
            out.append(element.text or "")
        else:
            if name in _BLOCK or name in _CELL:
                out.append(_MARKS[name])
            out.append(element.tail or "")
    return "".join(out)


def _html_parser() -> etree.HTMLParser:
    """This thread's parser (lxml parsers are not to be shared between threads)."""
    parser = getattr(_PARSERS, "html", None)
    if parser is None:
        # Comments and processing instructions are not text; huge_tree allows
        # nesting 2048 deep instead of 256.
        parser = etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
        )
        _PARSERS.html = parser
    return parser


@functools.cache
def _closing(name: str) -> re.Pattern:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def _assemble(text: str) -> str:
    text = _LINE_BREAKS.sub(_PARA, text)  # <br><br> separates paragraphs
    paragraphs = []
    for chunk in text.split(_PARA):
        lines = (" ".join(line.split()) for line in chunk.split(_LINE))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return PARAGRAPH_BREAK.join(paragraphs)


def inline_text(markup: str | None) -> str:
    """One line of text (titles, names): read like `html_to_text`, then spaces collapsed."""
    if not markup:
        return ""
    if "<" in markup:
        return " ".join(html_to_text(markup).split())
    if "&" in markup:
        markup = html.unescape(markup)
    return " ".join(strip_controls(markup).split())
