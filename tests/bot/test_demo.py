"""The demo: its sample outlets, its server, and `newsbrief demo` end to end."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.demo.server import start_demo_server
from bot.demo.stories import OUTLETS, STORIES
from feeds.net.fetch import Fetcher
from feeds.parse.feed import parse_feed
from feeds.polling.identity import is_teaser
from feeds.polling.work import extract_full_text
from feeds.store import open_store
from tests.support.cli import newsbrief, unwrap


def test_sample_outlets_are_as_promised():
    assert Counter(o.language for o in OUTLETS) == {"en": 3, "es": 1}
    assert {o.kind for o in OUTLETS} == {"rss", "atom", "json"}
    per_outlet = Counter(s.outlet for s in STORIES)
    assert set(per_outlet) == {o.slug for o in OUTLETS}
    assert all(6 <= n <= 8 for n in per_outlet.values())
    assert len({(s.outlet, s.slug) for s in STORIES}) == len(STORIES)
    assert any(s.hours_ago < 24 for s in STORIES if s.outlet == "diario-pacifico")


def test_every_article_quotes_named_people():
    quote = re.compile(r"[“«][^”»]{10,}[”»]")
    for story in STORIES:
        body = " ".join(story.paragraphs)
        assert len(quote.findall(body)) >= 2, story.slug
        assert is_teaser(story.teaser, None), story.slug
    sheinbaum = next(s for s in STORIES if s.slug == "sheinbaum-rejects-us-troops")
    body = "\n".join(sheinbaum.paragraphs)
    assert "Mexican President Claudia Sheinbaum" in sheinbaum.paragraphs[0]
    assert (
        "“No, President Trump, our territory is inalienable, sovereignty is inalienable,” "
        "Sheinbaum stated" in body
    )
    spanish = [s for s in STORIES if s.outlet == "diario-pacifico"]
    assert all("«" in " ".join(s.paragraphs) for s in spanish)
    assert any(re.search(r"», (dijo|afirmó)", " ".join(s.paragraphs)) for s in spanish)


def test_shared_events_are_told_by_several_outlets():
    outlets_per_quote = {}
    for story in STORIES:
        for text in re.findall(r"[“«]([^”»]{20,})[”»]", " ".join(story.paragraphs)):
            outlets_per_quote.setdefault(text, set()).add(story.outlet)
    assert max(len(o) for o in outlets_per_quote.values()) >= 2


async def test_the_server_serves_recent_feeds_and_pages():
    server = await start_demo_server()
    try:
        async with Fetcher() as fetcher:
            for name, url in server.feeds:
                response = await fetcher.fetch(url, guard=False)
                feed = parse_feed(response.body, response.url, response.headers["content-type"])
                assert feed.title == name and 6 <= len(feed.entries) <= 8
                newest = max(e.published for e in feed.entries)
                assert datetime.now(UTC) - newest < timedelta(hours=6)
                page = await fetcher.fetch(feed.entries[0].link, guard=False)
                text = extract_full_text(page.body, page.url)
                assert text.count("\n\n") >= 2 and ("“" in text or "«" in text)
                assert "All rights reserved" not in text
    finally:
        await server.stop()


async def test_newsbrief_demo(tmp_path):
    """The quick start: ingest the sample outlets, show a briefing, answer piped commands."""
    code, out, err = await newsbrief(
        "demo", cwd=tmp_path, input="/brief fentanyl --since 3d\n/topic list\n"
    )
    assert code == 0, err
    assert (
        "4 feeds polled: 24 new articles, 0 changed, 0 not modified, 0 failed; "
        "full text: 24 ok; 24 analysed, 24 grouped, 24 matched (" in out
    )
    opening = out.split("> /brief Mexico security\n", 1)[1]
    assert opening.startswith("Mexico security — ")
    flat = unwrap(opening)
    said = "“No, President Trump, our territory is inalienable, sovereignty is inalienable”"
    assert f"{said} — Claudia Sheinbaum" in flat
    assert "Northern Wire · The Continental Post · Diario del Pacífico" in flat  # one story
    for near_miss in ("Cruz Azul", "Dorados de Sinaloa", "school board", "Caribbean coast"):
        assert near_miss not in flat
    assert "/quit (or Ctrl-D) leaves" in out and "Try: /brief fentanyl" in out
    assert "fentanyl — " in out and "“fentanyl” is not a saved topic" in out  # piped commands
    assert "- Mexico security (built in): " in out
    store = open_store(f"sqlite:///{tmp_path}/.newsbrief-demo/demo.db")
    try:
        articles = store.list_articles()
        assert len(articles) == 24 and all(a.full_text and a.story_id for a in articles)
        assert all(a.announce for a in articles)  # the demo's feeds count as followed before
        assert all("utm_" not in (a.canonical_url or "") for a in articles)
        assert sum(bool(store.article_quotes(a.id)) for a in articles) == 24
    finally:
        store.close()
