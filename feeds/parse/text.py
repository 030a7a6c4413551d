"""HTML and plain text to the stored form: plain text, paragraphs split by one blank line.

This form is a contract with the quotes and briefings code: `Article.summary`,
`content` and `full_text` hold it, and quote offsets point into it.
"""

from __future__ import annotations

import html
import re

import lxml.html
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
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n")
_LINE_BREAKS = re.compile(_LINE + r"\s*" + _LINE)


def normalize_plain(text: str) -> str:
    """Plain text: whitespace collapsed inside paragraphs; paragraphs kept."""
    if "\x00" in text:  # PostgreSQL refuses NUL in text
        text = text.replace("\x00", "")
    paragraphs = (" ".join(part.split()) for part in _BLANK_LINES.split(text))
    return PARAGRAPH_BREAK.join(p for p in paragraphs if p)


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment or page: scripts and tags gone, entities decoded."""
    if not markup:
        return ""
    if "<" not in markup:
        return normalize_plain(html.unescape(markup) if "&" in markup else markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalize_plain(html.unescape(_TAG.sub(" ", markup)))
    parts: list[str] = []
    _walk(root, parts)
    return _assemble("".join(parts))


def _walk(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is not None and tag.lower() not in _DROP:
        tag = tag.lower()
        block = tag in _BLOCK
        if block:
            parts.append(_PARA)
        elif tag == "br":
            parts.append(_LINE)
        elif tag in _CELL:
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        for child in element:
            _walk(child, parts)
        if block:
            parts.append(_PARA)
    if element.tail:
        parts.append(element.tail)


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
    """One line of text (titles, names): tags stripped, entities decoded, spaces collapsed."""
    if not markup:
        return ""
    if "<" in markup:
        markup = _TAG.sub(" ", markup)
    if "&" in markup:
        markup = html.unescape(markup)
    return " ".join(markup.replace("\x00", "").split())
