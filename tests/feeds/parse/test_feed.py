"""The feed parser on every format and on hostile or odd bytes (fixtures are our own writing)."""

import json
import tracemalloc
from datetime import UTC, datetime

import pytest

from feeds.errors import ParseError
from feeds.parse.feed import discover_feeds, parse_feed, strip_doctype_subsets

URL = "https://wire.example/news/feed.xml"

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Wire &amp; Co</title><link>https://wire.example/</link><language>en-us</language><ttl>90</ttl>
<item><title>Sheinbaum rejects U.S. troops</title><link>/world/sheinbaum-troops</link>
<guid isPermaLink="false">wire-1</guid><pubDate>Thu, 26 Nov 2026 15:30:00 -0600</pubDate>
<author>desk@wire.example (Ana Torres)</author>
<description>&lt;p&gt;MEXICO CITY &#8212; President Claudia Sheinbaum said no.&lt;/p&gt;
&lt;p&gt;Second.&lt;/p&gt;</description>
</item>
<item><title>Second story</title><link>https://wire.example/b</link><guid>wire-2</guid></item>
</channel></rss>"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF Wire</title><link>https://rdf.example/</link>
<description>d</description></channel>
<item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link>
<description>First item.</description><dc:date>2026-11-26T10:00:00Z</dc:date></item>
<item rdf:about="https://rdf.example/2"><title>Two</title><link>https://rdf.example/2</link></item>
</rdf:RDF>"""

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Wire</title><link>https://old.example/</link>
<description>d</description><language>en</language>
<item><title>Old one</title><link>https://old.example/1</link>
<description>Old text.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/news/">
<title type="html">Atom &lt;b&gt;Wire&lt;/b&gt;</title><id>urn:atom</id>
<updated>2026-11-26T12:00:00Z</updated><link rel="alternate" href="/"/>
<entry><title>Fentanyl lab seized in Sinaloa</title><link rel="alternate" href="sinaloa-lab"/>
<id>urn:atom:1</id><updated>2026-11-26T12:00:00Z</updated><published>2026-11-26T11:00:00Z</published>
<author><name>Luis Herrera</name></author>
<summary>Soldiers found the lab.</summary>
<content type="html">&lt;p&gt;Soldiers found the lab on Tuesday.&lt;/p&gt;
&lt;p&gt;&#8220;It was the largest,&#8221; the navy said.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss20():
    feed = parse_feed(RSS20, URL)
    assert (feed.kind, feed.title, feed.language, feed.ttl) == ("rss20", "Wire & Co", "en-us", 5400)
    first, second = feed.entries
    assert first.guid == "wire-1" and first.title == "Sheinbaum rejects U.S. troops"
    assert first.link == "https://wire.example/world/sheinbaum-troops"  # relative link resolved
    assert first.summary == "MEXICO CITY — President Claudia Sheinbaum said no.\n\nSecond."
    assert first.published == datetime(2026, 11, 26, 21, 30, tzinfo=UTC)
    assert first.author and "Ana Torres" in first.author
    assert second.published is None and second.summary == ""


def test_rss10_and_rss091():
    rdf = parse_feed(RSS10, URL)
    assert rdf.kind == "rss10" and [e.title for e in rdf.entries] == ["One", "Two"]
    assert rdf.entries[0].published == datetime(2026, 11, 26, 10, tzinfo=UTC)
    old = parse_feed(RSS091, URL)
    assert old.kind.startswith("rss09") and old.entries[0].summary == "Old text."


def test_atom_with_xml_base_and_html_content():
    feed = parse_feed(ATOM, URL)
    assert feed.kind == "atom10" and feed.title == "Atom Wire"
    (entry,) = feed.entries
    assert entry.link == "https://atom.example/news/sinaloa-lab"
    assert entry.summary == "Soldiers found the lab."
    assert (
        entry.content
        == "Soldiers found the lab on Tuesday.\n\n“It was the largest,” the navy said."
    )
    assert entry.published == datetime(2026, 11, 26, 11, tzinfo=UTC)
    assert entry.author == "Luis Herrera"


def test_json_feed():
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON Wire",
            "home_page_url": "https://json.example/",
            "language": "es-MX",
            "items": [
                {
                    "id": 17,
                    "url": "/nota/17",
                    "title": "Extraditan a operador",
                    "content_html": "<p>Uno.</p><p>«Dos», dijo.</p>",
                    "summary": "Uno.",
                    "date_published": "2026-11-26T09:00:00-06:00",
                    "authors": [{"name": "María Gómez"}],
                },
                {"id": "b", "content_text": "Solo texto.\n\nDos párrafos."},
                "junk",
            ],
        }
    ).encode()
    feed = parse_feed(body, URL)
    assert (feed.kind, feed.title, feed.language) == ("json1", "JSON Wire", "es-MX")
    first, second = feed.entries
    assert first.guid == "17" and first.link == "https://json.example/nota/17"
    assert (first.summary, first.content) == ("Uno.", "Uno.\n\n«Dos», dijo.")
    assert first.published == datetime(2026, 11, 26, 15, tzinfo=UTC)
    assert first.author == "María Gómez"
    assert second.summary == "Solo texto.\n\nDos párrafos." and second.link is None


def test_escape_sequences_never_reach_the_stored_text():
    # A hostile feed tries to recolour, clear and retitle the terminal of whoever reads it.
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Evil\x1b]0;owned\x07 Wire</title>"
        "<item><title>Cartel \x1b[31mleader\x1b[0m held</title><link>https://e.example/1</link>"
        "<description>&lt;p&gt;Cleared\x9b2J screen.&lt;/p&gt;</description>"
        "<author>Ana\x1b[8m Torres</author></item></channel></rss>"
    ).encode()
    feed = parse_feed(rss, URL)
    (entry,) = feed.entries
    assert feed.title == "Evil Wire"
    assert entry.title == "Cartel leader held"
    # feedparser itself reads a C1 byte in HTML as Windows-1252 ("›"): harmless either way.
    assert entry.summary in ("Cleared screen.", "Cleared›2J screen.")
    assert entry.author == "Ana Torres"
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J\u009b1mSON",
            "items": [
                {
                    "id": 1,
                    "title": "Title\u001b[2K",
                    "content_text": "Text\u001b[1A up.\n\nTwo.",
                    "summary": "Sum\u009b31mmary",
                }
            ],
        }
    ).encode()
    (item,) = parse_feed(body, URL).entries
    assert (item.title, item.summary, item.content) == ("Title", "Summary", "Text up.\n\nTwo.")


def test_json_that_is_not_a_json_feed():
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_feed(b'{"hello": "world"}', URL)
    with pytest.raises(ParseError):
        parse_feed(b"{not json", URL)


def test_wrong_charset_in_the_header():
    latin1 = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel>'
        "<title>Diario</title>"
        "<item><title>Seguridad en México</title><guid>1</guid></item></channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(latin1, URL, "application/rss+xml; charset=utf-8")
    assert feed.entries[0].title == "Seguridad en México"


def test_missing_encoding_falls_back():
    cp1252 = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Diario</title>'
        "<item><title>“Seguridad” en México</title><guid>1</guid></item></channel></rss>"
    ).encode("cp1252")
    feed = parse_feed(cp1252, URL)
    assert len(feed.entries) == 1 and "Seguridad" in feed.entries[0].title


def test_utf16_feed():
    body = RSS20.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    feed = parse_feed(body, URL, "application/rss+xml; charset=utf-16")
    assert [e.guid for e in feed.entries] == ["wire-1", "wire-2"]


def test_entity_expansion_bomb_is_defused():
    entity = "x" * 50_000
    body = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "' + entity + '">]>'
        '<rss version="2.0"><channel><title>Bomb</title><item><title>t</title><guid>1</guid>'
        "<description>" + "&big;" * 20_000 + "</description></item></channel></rss>"
    ).encode()
    tracemalloc.start()
    try:
        feed = parse_feed(body, URL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024  # expanded, it would be 1 GB
    assert all(len(e.summary) < 200_000 for e in feed.entries)
    assert "x" * 1000 not in "".join(e.summary for e in feed.entries)


def test_entity_bomb_in_utf16_is_defused_too():
    body = (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY big "'
        + "y" * 50_000
        + '">]><rss version="2.0"><channel><title>B</title><item><guid>1</guid><description>'
        + "&big;" * 20_000
        + "</description></item></channel></rss>"
    ).encode("utf-16")
    feed = parse_feed(body, URL)
    assert "y" * 1000 not in "".join(e.summary for e in feed.entries)


def test_doctype_subset_stripping():
    assert strip_doctype_subsets(b'<!DOCTYPE rss [<!ENTITY a "]>x"> <!-- ]> --> ]><rss/>') == (
        b"<!DOCTYPE rss ><rss/>"
    )
    assert (
        strip_doctype_subsets(b"<!doctype rss [<!ENTITY a 'b'>]><rss/>") == b"<!doctype rss ><rss/>"
    )
    unchanged = b'<!DOCTYPE rss PUBLIC "-//X//[not a subset]" "x.dtd"><rss/>'
    assert strip_doctype_subsets(unchanged) == unchanged
    with pytest.raises(ParseError, match="unterminated"):
        strip_doctype_subsets(b'<!DOCTYPE rss [<!ENTITY a "never closed>')


def test_a_body_naming_a_local_file_is_not_opened(tmp_path):
    # If feedparser were handed this path as bytes/str, it would read the file as the feed.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS20)
    with pytest.raises(ParseError):
        parse_feed(str(secret).encode(), URL)
    with pytest.raises(ParseError):
        parse_feed(b"file://" + str(secret).encode(), URL)


def test_html_instead_of_a_feed_names_its_feeds():
    page = (
        b"<!DOCTYPE html><html><head><title>Wire</title>"
        b'<link rel="alternate" type="application/rss+xml" href="/rss/mexico.xml">'
        b"<link rel='stylesheet' href='/s.css'></head><body><p>Hello</p></body></html>"
    )
    with pytest.raises(ParseError, match=r"HTML page, not a feed.*https://wire.example/rss/mexico"):
        parse_feed(page, URL)
    assert discover_feeds(page, URL) == ["https://wire.example/rss/mexico.xml"]


@pytest.mark.parametrize("body", [b"", b"   ", b"plain words, no markup", b"\x00\x01\x02garbage"])
def test_junk_is_not_a_feed(body):
    with pytest.raises(ParseError):
        parse_feed(body, URL)


def test_empty_but_valid_feed():
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', URL)
    assert feed.kind == "rss20" and feed.entries == []


# Dates that are no publication dates: unknown, so the article counts from when it is first seen.

PLACEHOLDER_DATES = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Static site</title><link>https://static.example/</link>
<item><title>About us</title><link>https://static.example/about/</link>
<pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate></item>
<item><title>Epoch</title><link>https://static.example/epoch/</link>
<pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate></item>
<item><title>From the future</title><link>https://static.example/future/</link>
<pubDate>Fri, 31 Dec 2100 23:00:00 +0000</pubDate></item>
<item><title>Placeholder published, real update</title><link>https://static.example/upd/</link>
<pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate>
<atom:updated xmlns:atom="http://www.w3.org/2005/Atom">2026-11-20T08:00:00Z</atom:updated></item>
<item><title>Real</title><link>https://static.example/real/</link>
<pubDate>Fri, 20 Nov 2026 08:00:00 +0000</pubDate></item>
</channel></rss>"""


def test_placeholder_and_future_dates_are_unknown():
    feed = parse_feed(PLACEHOLDER_DATES, URL)
    published = {e.title: e.published for e in feed.entries}
    assert published == {
        "About us": None,
        "Epoch": None,
        "From the future": None,
        "Placeholder published, real update": datetime(2026, 11, 20, 8, tzinfo=UTC),
        "Real": datetime(2026, 11, 20, 8, tzinfo=UTC),
    }


def test_json_feed_dates_near_year_one_do_not_overflow():
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                # In UTC this is in year 0, which datetime cannot hold.
                {"id": "a", "title": "A", "date_published": "0001-01-01T00:00:00+01:00"},
                {"id": "b", "title": "B", "date_published": "9999-12-31T23:00:00-05:00"},
                {"id": "c", "title": "C", "date_modified": "0001-01-01T00:00:00"},
            ],
        }
    ).encode()
    entries = parse_feed(body, URL).entries
    assert [(e.published, e.updated) for e in entries] == [(None, None)] * 3


# Summary and title are the entry's own, never a photo's caption or a nested element's title.

MEDIA = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Photo desk</title>
<item><title>Harbour reopens</title><link>https://photo.example/1</link>
<description>The harbour reopened on Monday after repairs.</description>
<media:content url="https://photo.example/1.jpg" medium="image">
<media:title>Cranes at dawn</media:title>
<media:description>Cranes stand idle at the harbour entrance.</media:description></media:content>
<content:encoded><![CDATA[<p>The harbour reopened on Monday.</p><p>Ships queued.</p>]]>
</content:encoded></item>
<item><title>Bridge closed</title><link>https://photo.example/2</link>
<description>The bridge closed for inspection.</description>
<media:content url="https://photo.example/2.jpg"><media:description>A closed bridge, seen from
the river.</media:description></media:content></item>
<item><link>https://video.example/watch/3</link><title>Tour of the lab</title>
<media:group><media:title>Tour of the lab</media:title>
<media:description>A walk through the new laboratory.</media:description></media:group></item>
<item><link>https://video.example/watch/4</link>
<media:group><media:title>Only a media title</media:title></media:group></item>
</channel></rss>"""


def test_media_captions_are_neither_summary_nor_content():
    first, second, video, untitled = parse_feed(MEDIA, URL).entries
    assert first.title == "Harbour reopens"
    assert first.summary == "The harbour reopened on Monday after repairs."
    assert first.content == "The harbour reopened on Monday.\n\nShips queued."
    assert (second.summary, second.content) == ("The bridge closed for inspection.", "")
    # A video's media:description is its only text, and it stands in.
    assert (video.title, video.summary) == ("Tour of the lab", "A walk through the new laboratory.")
    assert untitled.title == "Only a media title"


ATOM_NESTED_TITLES = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Nested</title>
<entry><id>urn:1</id><title>Entry title</title><image><title>Image title</title></image></entry>
<entry><id>urn:2</id><image><title>Image title</title></image><title>Entry title</title></entry>
</feed>"""


def test_a_nested_title_does_not_replace_the_entry_title():
    assert [e.title for e in parse_feed(ATOM_NESTED_TITLES, URL).entries] == ["Entry title"] * 2
