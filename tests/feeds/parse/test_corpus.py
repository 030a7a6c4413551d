"""Optional: every real feed of ../shared/corpus/feeds (skipped when it is absent).

No crash, no hang (pytest-timeout), and the same entry count as feedparser's
own for the same bytes. Two deliberate differences are accounted for: JSON
Feeds (feedparser 6.0 does not read them; compared with the JSON's items) and
bodies whose DOCTYPE internal subset we strip (compared with feedparser on the
stripped bytes, since expanding those entities is the bug we avoid).
"""

import io
import json

import feedparser
import pytest

from feeds.errors import ParseError
from feeds.parse.feed import parse_feed, strip_doctype_subsets
from tests.conftest import SHARED

CORPUS = SHARED / "corpus" / "feeds"


def feedparser_count(body: bytes) -> int:
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        try:
            items = json.loads(body).get("items")
        except (ValueError, AttributeError):
            return 0
        return len([i for i in items if isinstance(i, dict)]) if isinstance(items, list) else 0
    try:
        stripped = strip_doctype_subsets(body)
    except ParseError:
        return 0
    return len(feedparser.parse(io.BytesIO(stripped)).entries)


def check_corpus(directory) -> tuple[int, int, list[str]]:
    """(files, files read as feeds, entry-count mismatches) for every file under `directory`."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.stat().st_size < 20e6)
    mismatches, parsed = [], 0
    for path in files:
        body = path.read_bytes()
        try:
            ours = len(parse_feed(body, f"https://corpus.example/{path.name}").entries)
        except ParseError:
            ours = 0
        else:
            parsed += 1
        theirs = feedparser_count(body)
        if ours != theirs:
            mismatches.append(f"{path.relative_to(directory)}: ours {ours}, feedparser {theirs}")
    return len(files), parsed, mismatches


@pytest.mark.corpus
@pytest.mark.timeout(1800)
def test_every_corpus_feed_parses_like_feedparser():
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    files, parsed, mismatches = check_corpus(CORPUS)
    assert files and parsed > files // 2
    assert mismatches == []


def test_the_corpus_check_itself(tmp_path):
    """The same check on a small corpus of our own, so it runs everywhere."""
    from tests.support.feedserver import entity_bomb, items, json_feed, rss

    (tmp_path / "a.xml").write_bytes(rss(items(3)))
    (tmp_path / "b.json").write_bytes(json_feed([{"id": "1"}, {"id": "2"}]))
    (tmp_path / "bomb.xml").write_bytes(entity_bomb())
    (tmp_path / "junk.txt").write_bytes(b"/etc/passwd")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "atom.xml").write_bytes(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b"<entry><id>1</id><title>x</title></entry></feed>"
    )
    assert check_corpus(tmp_path) == (5, 4, [])
