"""Entry identity, canonical URLs and change detection: pure functions.

An entry is known by its guid, else its link, else a hash of title and date,
else (none of those) a hash of its text. Some feeds give blank or repeated
guids (or links); such a feed falls back, for good, to the next mode
(`Feed.key_mode`), like FreshRSS does. Exact repeats of one item are one item,
removed before that decision (see polling.work).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import unquote, urlsplit, urlunsplit

MODES = ("guid", "link", "hash")
MAX_KEY = 512
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "at_", "ga_", "hsa_")
_TRACKING_NAMES = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ocid",
        "cmpid",
        "ncid",
        "icid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "spm",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "wt_mc",
        "wt.mc_id",
        "ref_src",
        "s_cid",
        "smid",
        "sr_share",
    }
)


def canonical_url(url: str | None) -> str | None:
    """The URL that identifies an article across feeds: tracking params and fragment gone.

    Scheme and host are lower-cased, default ports dropped, utm_* and other
    tracking parameters removed; the rest of the query keeps its order.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip() or None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not scheme or not host:
        return url.strip() or None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    query = parts.query
    if query:  # split by hand: the kept parameters keep their exact encoding
        query = "&".join(p for p in query.split("&") if p and not _tracking(p.split("=", 1)[0]))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _tracking(name: str) -> bool:
    name = unquote(name).lower()
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def choose_key_mode(guids: Sequence[str | None], links: Sequence[str | None], current: str) -> str:
    """The identity a feed can be trusted with, given one poll's entries.

    Never returns a mode before `current` (switching back and forth would
    duplicate entries). Blank or repeated guids move the feed to "link";
    blank or repeated links then to "hash".
    """
    start = MODES.index(current) if current in MODES else 0
    if start == 0 and _unique_and_present(guids):
        return "guid"
    if start <= 1 and _unique_and_present(links):
        return "link"
    return "hash"


def _unique_and_present(values: Sequence[str | None]) -> bool:
    present = [v for v in values if v]
    return len(present) == len(values) and len(set(present)) == len(present)


def entry_key(
    mode: str,
    guid: str | None,
    link: str | None,
    title: str,
    published: datetime | None,
    text_hash: str = "",
) -> str:
    """The stable key of one entry under the feed's mode (with the per-entry fallback).

    `text_hash` (the entry's content_hash) names an entry that has no guid,
    link, title or date: items that differ only in their text stay apart.
    """
    if mode == "guid" and guid:
        return _bounded("g:" + guid)
    if mode in ("guid", "link") and link:
        return _bounded("l:" + link)
    if title or published or not text_hash:
        stamp = published.isoformat() if published else ""
        return "h:" + _digest(f"{title}\x1f{stamp}")
    return "c:" + text_hash


def _bounded(key: str) -> str:
    return key if len(key) <= MAX_KEY else key[:2] + "sha256:" + _digest(key)


def content_hash(parts: Iterable[str | None]) -> str:
    """A hash of what a reader sees; a new value means the entry changed."""
    return _digest("\x1f".join(part or "" for part in parts))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# Full text: fetch the article page when the feed gives only a teaser.

TEASER_CHARS = 600  # fewer characters than this is a teaser…
TEASER_PARAGRAPHS = 2  # …and so is anything with fewer paragraphs than this, unless long


def is_teaser(summary: str | None, content: str | None) -> bool:
    """True when the feed's text is too short to hold an article's quotes."""
    text = max((summary or "", content or ""), key=len)
    if len(text) < TEASER_CHARS:
        return True
    return text.count("\n\n") + 1 < TEASER_PARAGRAPHS and len(text) < 3 * TEASER_CHARS
