"""The ingest cycle over loopback: served feeds → poll → quotes → stories, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from feeds.briefs.presets import PRESETS
from feeds.models import TopicMatch
from feeds.pipeline import STEPS, Ingest, Step
from feeds.polling.engine import PollingService
from feeds.store import ArticleText, open_store
from feeds.timeutil import utcnow
from tests.support import newsdesk
from tests.support.articles import add_article, add_feed
from tests.support.feedserver import items, rss


@pytest.fixture
def ingest():
    ingest = newsdesk.loopback_ingest()
    yield ingest
    ingest.close()


async def test_a_cycle_polls_analyses_groups_and_matches(store, feed_server, ingest):
    security = next(p for p in PRESETS if p.name == "Mexico security")
    topic = store.add_topic(security.name, security.query, origin="preset")
    store.add_feed(
        newsdesk.serve(feed_server, "/wire.xml", newsdesk.REPORTS, title="Test Wire"),
        origin="config",
    )
    report = await ingest.cycle(store)

    assert (len(report.poll.new_article_ids), report.analysed, report.grouped) == (3, 3, 3)
    assert report.failures == {}
    line = report.summary()
    assert line.startswith("1 feed polled: 3 new articles, 0 changed, 0 not modified, 0 failed")
    assert "; full text: 3 ok; 3 analysed, 3 grouped, 3 matched (" in line
    troops = next(a for a in store.list_articles() if a.title == newsdesk.TROOPS.title)
    assert troops.story_id is not None and troops.language == "en" and troops.lead
    quotes = {q.text: q.speaker for q in store.article_quotes(troops.id)}
    assert quotes[newsdesk.TROOPS_QUOTE] == newsdesk.TROOPS_SPEAKER
    with store.session() as session:  # matched at ingest: briefings read this index
        matched = session.exec(select(TopicMatch.article_id).where(TopicMatch.topic_id == topic.id))
        assert troops.id in set(matched)

    again = await ingest.cycle(store, feed_ids=[troops.feed_id])
    assert again.poll.count("not_modified", "unchanged") == 1
    assert again.counts == {}  # nothing new: analysis and grouping are skipped
    assert "analysed" not in again.summary()


async def test_a_failing_step_is_recorded_and_the_next_still_runs(sqlite_url, feed_server):
    async def broken(context) -> int:
        raise RuntimeError("model missing")

    _, group, _ = STEPS
    ingest = Ingest(newsdesk.LOOPBACK, steps=(Step("analysed", broken), group))
    store = open_store(sqlite_url)
    try:
        store.add_feed(newsdesk.serve(feed_server, "/wire.xml", newsdesk.REPORTS), origin="config")
        report = await ingest.cycle(store)
        assert report.failures == {"analysed": "model missing"}
        assert report.grouped == 3
        assert "; 3 grouped, analysed FAILED (model missing) (" in report.summary()
        assert all(a.story_id and a.analyzed_hash is None for a in store.list_articles())
    finally:
        ingest.close()
        store.close()


async def test_the_summary_is_logged_unless_the_caller_shows_it(store, feed_server, ingest, caplog):
    feed = store.add_feed(newsdesk.serve(feed_server, "/wire.xml", newsdesk.REPORTS))
    caplog.set_level("INFO", logger="feeds.pipeline")
    await ingest.cycle(store, feed_ids=[feed.id], log_summary=False)
    assert not [r for r in caplog.records if r.getMessage().startswith("ingest cycle:")]
    await ingest.cycle(store, feed_ids=[feed.id])
    assert [r for r in caplog.records if r.getMessage().startswith("ingest cycle:")]


async def test_placeholder_dates_are_unknown_and_every_article_is_grouped(
    store, feed_server, ingest
):
    # A static site's undated pages say "Mon, 01 Jan 0001"; others say 1970 or next year.
    entries = items(4, prefix="static")
    placeholders = [datetime(1, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)]
    placeholders.append(utcnow() + timedelta(days=400))
    for entry, date in zip(entries, placeholders, strict=False):
        entry["date"] = date
    feed_server.set("/static.xml", rss(entries))
    store.add_feed(feed_server.url("/static.xml"), origin="config")

    report = await ingest.cycle(store)

    assert report.failures == {}
    assert report.grouped == 4 and report.analysed == 4
    stored = sorted(store.list_articles(), key=lambda a: a.title)
    assert [a.published_at is None for a in stored] == [True, True, True, False]
    assert all(a.story_id is not None for a in stored)
    assert all(ArticleText.from_article(a).at == a.first_seen_at for a in stored[:3])


async def test_articles_stored_with_placeholder_dates_before_the_fix_are_grouped(store, ingest):
    feed = add_feed(store, "Static site")
    first_seen = utcnow() - timedelta(hours=1)
    for n, published in enumerate(
        (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC))
    ):
        add_article(
            store,
            feed,
            f"Undated page {n} about the harbour works",
            "The harbour works go on.",
            at=first_seen,
            published_at=published,
        )
    report = await ingest.cycle(store)  # the first cycle groups what was left ungrouped
    assert report.failures == {} and report.grouped == 2
    for article in store.list_articles():
        assert ArticleText.from_article(article).at == article.first_seen_at


async def test_the_parsers_are_released_before_the_steps_and_started_again(
    store, feed_server, ingest
):
    store.add_feed(newsdesk.serve(feed_server, "/wire.xml", newsdesk.REPORTS))
    report = await ingest.cycle(store)
    assert report.grouped == 3 and ingest.polling._pool is None  # memory back before analysis
    second = store.add_feed(newsdesk.serve(feed_server, "/more.xml", newsdesk.EVENTS[:2]))
    again = await ingest.cycle(store, feed_ids=[second.id])
    assert len(again.poll.new_article_ids) == 2 and again.failures == {}


async def test_parsers_in_use_are_not_released(store, feed_server):
    service = PollingService(newsdesk.LOOPBACK)
    feed = store.add_feed(newsdesk.serve(feed_server, "/wire.xml", newsdesk.REPORTS))
    try:
        async with service.poller(store) as poller:
            service.release_workers()  # a cycle ending while a chat /feed add still parses
            report = await poller.poll_feeds([feed.id])
        assert report.count("updated") == 1
    finally:
        service.close()
