"""What runs in the worker processes: parse a feed and turn it into article rows.

Everything CPU-bound for one feed happens here (parsing, HTML to text,
identity, hashes), so the event loop only moves bytes and rows.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from feeds.parse.article import extract_article_text
from feeds.parse.feed import ParsedEntry, ParsedFeed, parse_feed
from feeds.polling.identity import (
    canonical_url,
    choose_key_mode,
    content_hash,
    entry_key,
    is_teaser,
)

MAX_URL = 2048
_WEB = ("http://", "https://")


@dataclass
class PreparedFeed:
    kind: str
    title: str | None
    site_url: str | None
    language: str | None
    ttl: int | None
    warning: str | None
    key_mode: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # Article column values
    teasers: set[str] = field(default_factory=set)  # entry keys that need the article page
    dropped: Counter = field(default_factory=Counter)  # entries not stored, by reason

    @property
    def dates(self) -> list[datetime | None]:
        return [row["published_at"] or row["updated_at"] for row in self.rows]


def prepare_feed(body: bytes, url: str, content_type: str | None, key_mode: str) -> PreparedFeed:
    """Parse `body` and build its article rows (ParseError when it is not a feed)."""
    return prepare_parsed(parse_feed(body, url, content_type), key_mode)


def prepare_parsed(parsed: ParsedFeed, key_mode: str) -> PreparedFeed:
    entries, dropped = worth_storing(parsed.entries)
    mode = choose_key_mode([e.guid for e in entries], [e.link for e in entries], key_mode)
    prepared = PreparedFeed(
        kind=parsed.kind,
        title=(parsed.title or "")[:500] or None,
        site_url=_url(parsed.site_url),
        language=parsed.language,
        ttl=parsed.ttl,
        warning=parsed.warning,
        key_mode=mode,
        dropped=dropped,
    )
    seen: set[str] = set()
    for entry in entries:
        link = _url(entry.link)
        text_hash = content_hash((entry.title, link, entry.summary, entry.content, entry.author))
        key = entry_key(mode, entry.guid, entry.link, entry.title, entry.published, text_hash)
        if key in seen:  # two items under one key (same guid, other text): the first wins
            prepared.dropped["same_key"] += 1
            continue
        seen.add(key)
        prepared.rows.append(
            {
                "entry_key": key,
                "url": link,
                "canonical_url": _url(canonical_url(link)),
                "title": entry.title[:1000],
                "author": entry.author,
                "summary": entry.summary or None,
                "content": entry.content or None,
                "published_at": entry.published,
                "updated_at": entry.updated,
                "content_hash": text_hash,
            }
        )
        if link and is_teaser(entry.summary, entry.content):
            prepared.teasers.add(key)
    return prepared


def worth_storing(entries: list[ParsedEntry]) -> tuple[list[ParsedEntry], Counter]:
    """The entries to store, and how many were left out ("empty", "repeated").

    An entry with no title, link or text shows nothing: it is no article. An
    item repeated exactly (same guid, link, title and date; the same text when
    it has none of those) is one item; left in, its repeated guid would make
    the feed's guids look unreliable.
    """
    kept, seen, dropped = [], set(), Counter()
    for entry in entries:
        # feedparser makes a guid such as "urn:x" the link: only a web address is one.
        link = entry.link if entry.link and entry.link.startswith(_WEB) else None
        if not (entry.title or link or entry.summary or entry.content):
            dropped["empty"] += 1
            continue
        signature: tuple = (entry.guid, entry.link, entry.title, entry.published)
        if not any(signature):  # nothing names it: it is the same item if its text is
            signature = (entry.summary, entry.content, entry.author)
        if signature in seen:
            dropped["repeated"] += 1
            continue
        seen.add(signature)
        kept.append(entry)
    return kept, dropped


def _url(url: str | None) -> str | None:
    return url if url and len(url) <= MAX_URL else None


def extract_full_text(page: bytes, url: str) -> str:
    """Main text of an article page (runs in a worker: trafilatura is CPU-bound)."""
    return extract_article_text(page, url)


def warm_up() -> int:
    """Called once per worker at start so imports do not land on the first feed."""
    return os.getpid()


def exit_with(owner: Connection) -> None:
    """Worker initializer: end this worker as soon as the pool's owner dies, even by SIGKILL.

    `owner` is the read end of a pipe whose only write end the owner holds: it
    reads EOF when the owner is gone. (A forkserver worker's parent is the
    fork server, which stays up as long as its workers do, and they would wait
    for work forever, holding the bot's stdout and database files.)
    """

    def watch() -> None:
        try:
            owner.recv()  # nothing is ever sent
        except (EOFError, OSError):
            os._exit(0)

    threading.Thread(target=watch, name="newsbrief-owner-watch", daemon=True).start()
