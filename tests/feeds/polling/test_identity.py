"""Entry keys, canonical URLs, change hashes and the teaser rule."""

from datetime import UTC, datetime

import pytest

from feeds.polling.identity import (
    MAX_KEY,
    canonical_url,
    choose_key_mode,
    content_hash,
    entry_key,
    is_teaser,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.Example.COM:443/World/Story?utm_source=rss&utm_medium=feed&id=7#top",
            "https://www.example.com/World/Story?id=7",
        ),
        ("http://example.com:8080/a?b=1&fbclid=XYZ&gclid=1", "http://example.com:8080/a?b=1"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?mc_cid=1&mc_eid=2&_ga=3", "https://example.com/a"),
        ("https://example.com/a?q=x%20y&page=2&utm_x", "https://example.com/a?q=x%20y&page=2"),
        ("https://example.com/a?utm%5Fsource=x&&b", "https://example.com/a?b"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        (None, None),
        ("", None),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_key_mode_falls_back_and_never_returns():
    links = ["https://a/1", "https://a/2"]
    assert choose_key_mode(["g1", "g2"], links, "guid") == "guid"
    assert choose_key_mode(["same", "same"], links, "guid") == "link"
    assert choose_key_mode(["g1", None], links, "guid") == "link"
    assert choose_key_mode(["same", "same"], ["https://a/1", "https://a/1"], "guid") == "hash"
    # Once degraded, good guids do not bring a feed back (that would duplicate entries).
    assert choose_key_mode(["g1", "g2"], links, "link") == "link"
    assert choose_key_mode(["g1", "g2"], links, "hash") == "hash"
    assert choose_key_mode([], [], "guid") == "guid"


def test_entry_key_chain():
    when = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert entry_key("guid", "urn:1", "https://a/1", "T", when) == "g:urn:1"
    assert entry_key("guid", None, "https://a/1", "T", when) == "l:https://a/1"
    assert entry_key("link", "urn:1", "https://a/1", "T", when) == "l:https://a/1"
    hashed = entry_key("hash", "urn:1", "https://a/1", "T", when)
    assert hashed.startswith("h:") and hashed == entry_key("guid", None, None, "T", when)
    assert hashed != entry_key("hash", None, None, "T", None)


def test_long_keys_are_bounded_and_stable():
    key = entry_key("guid", "x" * 5000, None, "", None)
    assert len(key) <= MAX_KEY and key == entry_key("guid", "x" * 5000, None, "", None)
    assert key != entry_key("guid", "x" * 4999, None, "", None)


def test_content_hash_sees_changes():
    assert content_hash(["a", "b"]) == content_hash(["a", "b"])
    assert content_hash(["a", "b"]) != content_hash(["a", "b!"])
    assert content_hash(["ab", ""]) != content_hash(["a", "b"])
    assert content_hash([None, "x"]) == content_hash(["", "x"])


def test_teaser_rule():
    assert is_teaser("Two lines about it.", None)
    assert is_teaser("", "")
    long_text = "\n\n".join(["A paragraph of reporting with a quotation in it, said someone."] * 12)
    assert not is_teaser("short", long_text)
    assert is_teaser("x" * 700, None)  # one long paragraph, still a teaser
    assert not is_teaser("x" * 2000, None)


def test_an_entry_with_nothing_but_text_is_known_by_its_text():
    assert entry_key("guid", None, None, "", None, "abc123") == "c:abc123"
    assert entry_key("hash", "urn:1", "https://a/1", "", None, "abc123") == "c:abc123"
    # A title or a date still names the entry (its text may be edited).
    when = datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert entry_key("hash", None, None, "T", None, "abc") == entry_key(
        "hash", None, None, "T", None
    )
    assert entry_key("hash", None, None, "", when, "abc").startswith("h:")
