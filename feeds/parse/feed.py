"""The parser: bytes of a feed to plain data (RSS 0.9x/1.0/2.0, Atom, JSON Feed).

CPU-bound and meant to run in a worker process. Safety rules from measured bugs:
feedparser only ever gets `io.BytesIO` (given a str or bytes it may `open()` a
local file the body names), and a DOCTYPE internal subset is stripped first
(feedparser expands the entities it declares: a 148 KB feed took 47 s and 3 GB).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from feedparser.namespaces.mediarss import Namespace as _MediaRss

from feeds.errors import ParseError
from feeds.parse.text import html_to_text, inline_text, normalize_plain, strip_controls
from feeds.timeutil import publication_date

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_SUBSET_TOKEN = re.compile(rb"[\"'\]]|<!--")
_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_WIDE_NO_BOM = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_XML_DECL_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_ALTERNATE = re.compile(rb"<link\b[^>]*>", re.I)
_ATTR = re.compile(rb"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_FEED_TYPES = (b"rss+xml", b"atom+xml", b"feed+json", b"rdf+xml")


def _keep_media_text_apart() -> None:
    """Media RSS titles and descriptions describe a photo or a video, not the entry.

    feedparser handles them as the entry's own <title>/<description>: a caption
    overwrites `summary_detail`, or becomes the entry's content when it follows
    the description. Kept under their own keys (`media_title`,
    `media_description`), they only stand in when the entry has no text of its
    own (a YouTube feed's only description is its media:description).
    """
    _MediaRss._start_media_title = lambda parser, attrs: parser.push("media_title", 1)
    _MediaRss._end_media_title = lambda parser: parser.pop("media_title")
    _MediaRss._start_media_description = lambda parser, attrs: parser.push("media_description", 1)
    _MediaRss._end_media_description = lambda parser: parser.pop("media_description")


_keep_media_text_apart()


@dataclass(slots=True)
class ParsedEntry:
    guid: str | None
    link: str | None
    title: str
    author: str | None
    summary: str  # plain text (see feeds.parse.text)
    content: str  # plain text; "" when the feed gives only a summary
    published: datetime | None
    updated: datetime | None


@dataclass(slots=True)
class ParsedFeed:
    kind: str  # feedparser's version ("rss20", "atom10", …) or "json1"
    title: str | None = None
    site_url: str | None = None
    language: str | None = None
    ttl: int | None = None  # seconds, from RSS <ttl>
    entries: list[ParsedEntry] = field(default_factory=list)
    warning: str | None = None  # what feedparser complained about, if it still read it


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body fetched from `url`; ParseError when it is not a feed."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return parse_json_feed(stripped, url)
    body, content_type = _to_utf8_if_wide(body, content_type)
    body = strip_doctype_subsets(body)
    # No content-location: given a base URI feedparser resolves every element
    # (+30% time); only entry and site links matter, and `_absolute` resolves them.
    headers = {"content-type": content_type} if content_type else {}
    # Sanitizing and resolving links inside HTML are wasted work: we keep plain text.
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not result.get("version") and not result.entries:
        raise ParseError(_not_a_feed_message(body, url, result))
    meta = result.feed
    return ParsedFeed(
        kind=result.get("version") or "unknown",
        title=inline_text(meta.get("title")) or None,
        site_url=_absolute(meta.get("link"), url),
        language=(meta.get("language") or "")[:16] or None,
        ttl=_ttl_seconds(meta.get("ttl")),
        entries=[_entry(entry, url) for entry in result.entries],
        warning=str(result.get("bozo_exception") or "") or None if result.get("bozo") else None,
    )


def _entry(entry, base: str) -> ParsedEntry:
    # dict.get, not entry.get: FeedParserDict's own lookup is slow and maps keys noisily.
    get = dict.get
    link = _absolute(get(entry, "link"), base)
    summary = _entry_text(entry, "summary")
    content = ""
    if get(entry, "content"):
        content = "\n\n".join(filter(None, (_text_of(part) for part in entry["content"])))
    if content == summary:
        content = ""
    if not summary and not content:
        summary = _plain(get(entry, "media_description"))
    # dict.get: FeedParserDict maps a missing published_parsed to updated_parsed, noisily.
    updated = _when(get(entry, "updated_parsed"))
    return ParsedEntry(
        guid=(get(entry, "id") or "").strip() or None,
        link=link,
        title=_entry_text(entry, "title", inline=True) or inline_text(get(entry, "media_title")),
        author=inline_text(get(entry, "author"))[:500] or None,
        summary=summary,
        content=content,
        published=_when(get(entry, "published_parsed")) or updated,
        updated=updated,
    )


def _entry_text(entry, key: str, *, inline: bool = False) -> str:
    """The entry's own `key` ("summary", "title") as feedparser resolved it.

    `<key>_detail` only lends its type when it holds the same value: feedparser
    can overwrite it from a nested element (an Atom <image><title>) while the
    entry-level value stays right. Without a type the value is read as HTML.
    """
    value = dict.get(entry, key)
    if not value:
        return ""
    detail = dict.get(entry, key + "_detail")
    if not detail or detail.get("value") != value:
        detail = {"value": value, "type": "text/html"}
    return _text_of(detail, inline=inline)


def _text_of(detail, *, inline: bool = False) -> str:
    if not detail:
        return ""
    value = detail.get("value") or ""
    kind = detail.get("type") or "text/html"
    if "html" in kind:
        return inline_text(value) if inline else html_to_text(value)
    return " ".join(strip_controls(value).split()) if inline else normalize_plain(value)


def _plain(value: str | None) -> str:
    return html_to_text(value) if value else ""


def _when(parsed) -> datetime | None:
    if not parsed:
        return None
    try:
        return publication_date(datetime(*parsed[:6], tzinfo=UTC))
    except (TypeError, ValueError):
        return None


def _absolute(link: str | None, base: str) -> str | None:
    link = (link or "").strip()
    if not link:
        return None
    if link.startswith(("https://", "http://")) and " " not in link:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return None


def _ttl_seconds(value) -> int | None:
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes * 60 if minutes > 0 else None


# JSON Feed (https://jsonfeed.org/version/1.1); feedparser 6.0 does not read it.


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ParseError(f"{url}: JSON that does not parse: {error}") from error
    if (
        not isinstance(data, dict)
        or "jsonfeed.org" not in str(data.get("version", ""))
        or not isinstance(data.get("items", []), list)
    ):
        raise ParseError(f"{url}: JSON, but not a JSON Feed (no jsonfeed.org version)")
    base = _string(data.get("feed_url")) or url
    home = _absolute(_string(data.get("home_page_url")), base)
    entries = [_json_entry(item, home or base) for item in data.get("items") or []]
    return ParsedFeed(
        kind="json1",
        title=inline_text(_string(data.get("title"))) or None,
        site_url=home,
        language=(_string(data.get("language")) or "")[:16] or None,
        entries=[entry for entry in entries if entry is not None],
    )


def _json_entry(item, base: str) -> ParsedEntry | None:
    if not isinstance(item, dict):
        return None
    link = _absolute(_string(item.get("url")) or _string(item.get("external_url")), base)
    content_html, content_text = (
        _string(item.get("content_html")),
        _string(item.get("content_text")),
    )
    content = html_to_text(content_html) if content_html else normalize_plain(content_text or "")
    summary = normalize_plain(_string(item.get("summary")) or "")
    if not summary:
        summary, content = content, ""
    authors = item.get("authors") or (
        [item["author"]] if isinstance(item.get("author"), dict) else []
    )
    names = [_string(a.get("name")) for a in authors if isinstance(a, dict)]
    return ParsedEntry(
        guid=(str(item["id"]).strip() if item.get("id") not in (None, "") else None),
        link=link,
        title=inline_text(_string(item.get("title"))),
        author=", ".join(n for n in names if n)[:500] or None,
        summary=summary,
        content=content,
        published=_iso_date(item.get("date_published")),
        updated=_iso_date(item.get("date_modified")),
    )


def _string(value) -> str | None:
    return value if isinstance(value, str) else None


def _iso_date(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return publication_date(when)


# Hostile and odd bytes.


def strip_doctype_subsets(body: bytes) -> bytes:
    """Remove every DOCTYPE internal subset (`[ … ]`), keeping `<!DOCTYPE name …>`.

    The subset is scanned with its quoted strings and comments respected, so a
    `]>` inside an entity value does not end it early. An unterminated subset
    is refused.
    """
    position = 0
    while match := _DOCTYPE.search(body, position):
        start = match.end()
        bracket = _subset_start(body, start)
        if bracket is None:
            position = start
            continue
        end = _subset_end(body, bracket + 1)
        if end is None:
            raise ParseError("unterminated DOCTYPE internal subset")
        body = body[:bracket] + body[end:]
        position = bracket
    return body


def _subset_start(body: bytes, start: int) -> int | None:
    """Index of the `[` opening an internal subset, if the declaration has one."""
    quote = None
    for index in range(start, len(body)):
        char = body[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in b"\"'":
            quote = char
        elif char == ord("["):
            return index
        elif char == ord(">"):
            return None
    return None


def _subset_end(body: bytes, index: int) -> int | None:
    """Index just after the `]` closing a subset that starts at `index`."""
    while match := _SUBSET_TOKEN.search(body, index):
        token = match.group()
        if token == b"]":
            return match.end()
        closing = b"-->" if token == b"<!--" else token
        end = body.find(closing, match.end())
        if end < 0:
            return None
        index = end + len(closing)
    return None


def _to_utf8_if_wide(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """UTF-16/32 bodies become UTF-8, so that byte-level checks see the markup."""
    head = body[:4]
    encoding = next((name for bom, name in _WIDE_BOMS if head.startswith(bom)), None)
    skip = 0
    if encoding:
        skip = next(len(bom) for bom, name in _WIDE_BOMS if name == encoding)
    else:
        encoding = next((name for start, name in _WIDE_NO_BOM if head == start), None)
    if encoding is None:
        return body, content_type
    try:
        text = body[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        raise ParseError(f"body is not valid {encoding}: {error}") from error
    utf8 = _XML_DECL_ENCODING.sub(rb"\1\2utf-8\2", text.encode("utf-8"), count=1)
    media = (content_type or "application/xml").split(";", 1)[0].strip()
    return utf8, f"{media}; charset=utf-8"


def _not_a_feed_message(body: bytes, url: str, result) -> str:
    if _HTML_START.match(body[:4096]) or b"<html" in body[:2048].lower():
        alternates = discover_feeds(body, url)
        hint = f"; it links to feed(s): {', '.join(alternates[:3])}" if alternates else ""
        return f"{url} is an HTML page, not a feed{hint}"
    problem = result.get("bozo_exception")
    return f"{url} is not a feed" + (f" ({problem})" if problem else "")


def discover_feeds(page: bytes, url: str) -> list[str]:
    """Feed URLs an HTML page advertises with <link rel="alternate" type="…">."""
    found = []
    for tag in _ALTERNATE.findall(page[:262144]):
        attrs = {
            m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(tag)
        }
        if b"alternate" not in attrs.get(b"rel", b"").lower():
            continue
        if any(kind in attrs.get(b"type", b"").lower() for kind in _FEED_TYPES) and attrs.get(
            b"href"
        ):
            link = _absolute(attrs[b"href"].decode("utf-8", "replace"), url)
            if link and link not in found:
                found.append(link)
    return found
