"""Feed bodies to article rows (what the worker processes do): repeats, empty entries, keys."""

from feeds.polling.work import prepare_feed

URL = "https://wire.example/rss.xml"


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    ).encode()


def item(n: int, *, title: str | None = None) -> str:
    return (
        f"<title>{title or f'Story {n}'}</title><link>https://wire.example/{n}</link>"
        f"<guid>urn:wire:{n}</guid><pubDate>Thu, 26 Nov 2026 1{n % 10}:00:00 +0000</pubDate>"
        f"<description>Text of story {n}.</description>"
    )


def test_an_item_repeated_exactly_is_one_item_and_guids_stay_trusted():
    body = rss(*(item(n) for n in range(10)), item(4), item(7), item(7))
    prepared = prepare_feed(body, URL, None, "guid")
    assert prepared.key_mode == "guid"
    assert [row["entry_key"] for row in prepared.rows] == [f"g:urn:wire:{n}" for n in range(10)]
    assert prepared.dropped == {"repeated": 3}


def test_a_guid_repeated_on_another_item_still_means_guids_are_unreliable():
    other = item(3, title="Another story").replace("wire.example/3", "wire.example/other")
    prepared = prepare_feed(rss(*(item(n) for n in range(5)), other), URL, None, "guid")
    assert prepared.key_mode == "link" and len(prepared.rows) == 6


def test_items_with_only_text_are_told_apart_by_their_text():
    # No guid, link, title or date: three items that differ only by author stay three.
    body = rss(
        *(
            f"<description>Market report.</description><author>{who}@wire.example</author>"
            for who in ("ana", "luis", "maria")
        ),
        "<description>Market report.</description><author>ana@wire.example</author>",
    )
    prepared = prepare_feed(body, URL, None, "guid")
    assert prepared.key_mode == "hash"
    keys = [row["entry_key"] for row in prepared.rows]
    assert len(keys) == 3 and all(key.startswith("c:") for key in keys)
    assert [row["author"] for row in prepared.rows] == [
        "ana@wire.example",
        "luis@wire.example",
        "maria@wire.example",
    ]
    assert prepared.dropped == {"repeated": 1}


def test_entries_with_nothing_to_show_are_not_articles():
    body = rss(
        item(1),
        "",
        "<guid>urn:wire:empty</guid><pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate>",
        "<category>News</category><description>   </description>",
    )
    prepared = prepare_feed(body, URL, None, "guid")
    assert [row["title"] for row in prepared.rows] == ["Story 1"]
    assert prepared.dropped == {"empty": 3}
    assert prepared.key_mode == "guid"  # the empty ones do not count against the guids


def test_entries_keyed_by_title_and_date_keep_that_key():
    body = rss(
        "<title>Only a title</title>", "<title>Dated</title><pubDate>Thu, 26 Nov 2026</pubDate>"
    )
    prepared = prepare_feed(body, URL, None, "guid")
    assert prepared.key_mode == "hash"
    assert all(row["entry_key"].startswith("h:") for row in prepared.rows)
