"""The polling pipeline end to end: loopback server → worker processes → SQLite / PostgreSQL."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from feeds.errors import ParseError
from feeds.models import Article
from feeds.polling.engine import Poller, PollOptions, PollReport
from feeds.store import Store
from feeds.timeutil import utcnow
from tests.support.feedserver import PUBLIC_HOST, entity_bomb, items, json_feed, rss
from tests.support.waiting import eventually

OPTIONS = PollOptions(allow_private_hosts=True, timeout=2, connect_timeout=2, max_failures=3)


@pytest.fixture
async def poller(store, parse_pool):
    async with Poller(store, OPTIONS, pool=parse_pool) as poller:
        yield poller


async def poll(poller: Poller, *feed_ids: int) -> PollReport:
    return await poller.poll_feeds(feed_ids)


def articles(store: Store, feed_id: int) -> dict[str, object]:
    return {a.entry_key: a for a in store.list_articles(feed_id=feed_id)}


async def test_first_poll_is_a_silent_baseline_with_full_text(store, poller, feed_server):
    feed = store.add_feed(feed_server.url("/rss.xml"))
    report = await poll(poller, feed.id)
    (result,) = report.results
    assert (result.status, result.baseline, len(result.new_ids)) == ("updated", True, 5)
    assert report.new_article_ids == result.new_ids
    stored = articles(store, feed.id)
    assert len(stored) == 5 and not any(a.announce for a in stored.values())
    article = stored["g:story-0"]
    assert article.url == feed_server.url("/articles/story-0.html?utm_source=rss")
    assert article.canonical_url == feed_server.url("/articles/story-0.html")
    assert article.summary == "Officials said on Thursday the plan would go ahead."
    # The teaser led to the article page: plain text, paragraphs split by a blank line.
    assert article.full_text_status == "ok" and report.full_text == {"ok": 5}
    assert "“This is a direct quotation number 2,” said Interior Minister" in article.full_text
    assert "\n\n" in article.full_text and "<p>" not in article.full_text
    assert "Subscribe to our newsletter" not in article.full_text  # page furniture dropped
    again = store.get_feed(feed.id)
    assert again.baseline_at is not None and again.title == "Test Wire"
    assert (again.etag, again.error_count, again.last_success_at is not None) == ('"v1"', 0, True)
    assert again.next_check_at > utcnow() + timedelta(minutes=4)


async def test_full_feeds_need_no_page(store, poller, feed_server):
    feed = store.add_feed(feed_server.url("/full.xml"))
    report = await poll(poller, feed.id)
    assert report.full_text == {}
    assert {a.full_text_status for a in articles(store, feed.id).values()} == {"not_needed"}
    assert feed_server.hits("/articles/full-0.html") == 0


async def test_second_poll_is_a_304(store, poller, feed_server):
    feed = store.add_feed(feed_server.url("/rss.xml"))
    await poll(poller, feed.id)
    report = await poll(poller, feed.id)
    assert report.results[0].status == "not_modified" and report.new_article_ids == []
    assert feed_server.requests["/rss.xml"][-1]["If-None-Match"] == '"v1"'
    assert "not modified" in report.summary()


async def test_same_body_without_validators_skips_parsing(store, poller, feed_server):
    feed_server.set("/plain.xml", rss(items(2)))  # no ETag, no Last-Modified
    feed = store.add_feed(feed_server.url("/plain.xml"))
    await poll(poller, feed.id)
    report = await poll(poller, feed.id)
    assert report.results[0].status == "unchanged"


async def test_new_and_changed_entries_after_the_baseline(store, poller, feed_server):
    feed = store.add_feed(feed_server.url("/rss.xml"))
    await poll(poller, feed.id)
    before = articles(store, feed.id)
    changed = items(5)
    changed[1]["title"] = "Story number 1, updated"
    feed_server.set("/rss.xml", rss(items(1, prefix="fresh") + changed), etag='"v2"')
    report = await poll(poller, feed.id)
    (result,) = report.results
    after = articles(store, feed.id)
    assert len(after) == 6  # updated in place, not duplicated
    assert result.new_ids == [after["g:fresh-0"].id]
    assert result.changed_ids == [before["g:story-1"].id]
    assert after["g:fresh-0"].announce is True and result.baseline is False
    assert after["g:story-1"].title == "Story number 1, updated"
    assert after["g:fresh-0"].full_text_status == "ok"
    assert store.get_feed(feed.id).etag == '"v2"'


async def test_formats_and_charsets(store, poller, feed_server):
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Atom</title><id>urn:a</id><updated>2026-11-26T00:00:00Z</updated>"
        b'<entry><title>Uno</title><id>urn:a:1</id><link href="/a/1"/>'
        b"<updated>2026-11-26T00:00:00Z</updated><summary>Texto</summary></entry></feed>"
    )
    latin1 = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Diario'
        "</title><item><title>Violencia en Sinaloa: días difíciles</title><guid>d1</guid>"
        "</item></channel></rss>"
    ).encode("latin-1")
    feed_server.set("/atom.xml", atom, content_type="application/atom+xml")
    feed_server.set("/feed.json", json_feed([{"id": "j1", "url": "/j/1", "content_text": "Hola"}]))
    feed_server.set("/latin1.xml", latin1, content_type="application/rss+xml; charset=utf-8")
    ids = [
        store.add_feed(feed_server.url(p)).id for p in ("/atom.xml", "/feed.json", "/latin1.xml")
    ]
    report = await poll(poller, *ids)
    assert [r.status for r in report.results] == ["updated"] * 3
    assert [a.url for a in articles(store, ids[0]).values()] == [feed_server.url("/a/1")]
    assert list(articles(store, ids[1])) == ["g:j1"]
    (diario,) = articles(store, ids[2]).values()
    assert diario.title == "Violencia en Sinaloa: días difíciles"


async def test_repeated_guids_fall_back_to_links(store, poller, feed_server):
    entries = items(3)
    for entry in entries:
        entry["guid"] = "same-guid"
    feed_server.set("/dupes.xml", rss(entries))
    feed = store.add_feed(feed_server.url("/dupes.xml"))
    await poll(poller, feed.id)
    assert store.get_feed(feed.id).key_mode == "link"
    assert len(articles(store, feed.id)) == 3
    assert all(key.startswith("l:") for key in articles(store, feed.id))


# Every hostile or failing case ends as a recorded outcome, in one cycle.

HOSTILE = {
    "/status/404": "http_404",
    "/status/500": "http_5xx",
    "/status/429": "http_429",
    "/redirect/loop-a": "redirect_loop",
    "/redirect/chain-6": "too_many_redirects",
    "/bomb": "too_large",
    "/huge": "too_large",
    "/trickle": "timeout",
    "/page.html": "not_a_feed",
    "/local-path": "not_a_feed",
    "/json": "not_a_feed",
}


async def test_one_cycle_records_every_failure_and_still_reads_good_feeds(
    store, poller, feed_server
):
    feed_server.set(
        "/page.html", b"<html><body><p>Hello</p></body></html>", content_type="text/html"
    )
    feed_server.set("/local-path", b"/etc/passwd", content_type="application/rss+xml")
    feed_server.set("/entities.xml", entity_bomb())
    good = store.add_feed(feed_server.url("/rss.xml"))
    zipped = store.add_feed(feed_server.url("/gzip"))
    bombed = store.add_feed(feed_server.url("/entities.xml"))
    bad = {path: store.add_feed(feed_server.url(path)).id for path in HOSTILE}
    report = await poller.poll_due()
    by_id = {r.feed_id: r for r in report.results}
    assert len(report.results) == len(HOSTILE) + 3
    assert by_id[good.id].status == "updated" and len(by_id[good.id].new_ids) == 5
    assert by_id[zipped.id].status == "updated" and len(by_id[zipped.id].new_ids) == 4
    # The entity bomb is defused, not expanded: read as an ordinary (odd) feed.
    assert by_id[bombed.id].status == "updated"
    assert all("x" * 1000 not in (a.summary or "") for a in store.list_articles(feed_id=bombed.id))
    for path, reason in HOSTILE.items():
        result, feed = by_id[bad[path]], store.get_feed(bad[path])
        assert (result.status, result.reason) == ("failed", reason), path
        assert (feed.error_count, feed.last_error_reason, feed.disabled_reason) == (1, reason, None)
        assert feed.last_error and feed.last_success_at is None
    assert "/etc/passwd" not in "".join(a.summary or "" for a in store.list_articles())
    assert f"{len(HOSTILE)} failed" in report.summary()


async def test_backoff_then_disable_then_recovery(store, poller, feed_server):
    feed = store.add_feed(feed_server.url("/status/500"))
    waits = []
    for _ in range(OPTIONS.max_failures):
        before = utcnow()
        await poll(poller, feed.id)
        waits.append((store.get_feed(feed.id).next_check_at - before).total_seconds())
    assert 290 < waits[0] < 310 and 590 < waits[1] < 610  # 5 min, then 10 min
    disabled = store.get_feed(feed.id)
    assert (disabled.error_count, disabled.disabled_reason) == (3, "http_5xx")
    assert disabled.disabled_at is not None
    assert store.due_feeds(utcnow() + timedelta(days=30)) == []  # disabled feeds rest
    # The operator fixes it and polls it by hand: a success clears the errors.
    store.update_feed(feed.id, url=feed_server.url("/rss.xml"))
    await poll(poller, feed.id)
    healed = store.get_feed(feed.id)
    assert (healed.error_count, healed.disabled_reason, healed.last_error_reason) == (0, None, None)


async def test_gone_disables_at_once_and_retry_after_is_respected(store, poller, feed_server):
    gone = store.add_feed(feed_server.url("/status/410"))
    limited = store.add_feed(feed_server.url("/status/429"))
    await poll(poller, gone.id, limited.id)
    assert store.get_feed(gone.id).disabled_reason == "http_410"
    wait = store.get_feed(limited.id).next_check_at - utcnow()
    assert timedelta(seconds=7100) < wait <= timedelta(seconds=7200)


async def test_cache_headers_and_ttl_set_the_next_poll(store, poller, feed_server):
    feed_server.set("/cached.xml", rss(items(2)), headers={"Cache-Control": "max-age=7200"})
    feed_server.set("/ttl.xml", rss(items(2), extra="<ttl>240</ttl>"))
    cached = store.add_feed(feed_server.url("/cached.xml"))
    ttl = store.add_feed(feed_server.url("/ttl.xml"))
    await poll(poller, cached.id, ttl.id)
    assert store.get_feed(cached.id).interval_seconds == 7200
    assert store.get_feed(ttl.id).interval_seconds == 14400


async def test_permanent_redirect_updates_the_feed_url(store, poller, feed_server):
    feed = store.add_feed(feed_server.url("/redirect/permanent"))
    await poll(poller, feed.id)
    assert store.get_feed(feed.id).url == feed_server.url("/rss.xml")
    temporary = store.add_feed(feed_server.url("/redirect/temporary"))
    await poll(poller, temporary.id)
    assert store.get_feed(temporary.id).url == feed_server.url("/redirect/temporary")


async def test_full_text_failures_are_recorded_not_fatal(store, poller, feed_server):
    entries = items(2)
    entries[0]["link"] = "/status/404"
    entries[1]["link"] = "/redirect/to-file"
    feed_server.set("/broken-links.xml", rss(entries))
    feed = store.add_feed(feed_server.url("/broken-links.xml"))
    report = await poll(poller, feed.id)
    assert report.results[0].status == "updated"
    statuses = {a.entry_key: a.full_text_status for a in articles(store, feed.id).values()}
    assert statuses == {"g:story-0": "http_404", "g:story-1": "bad_url"}
    assert report.full_text == {"http_404": 1, "bad_url": 1}


async def test_old_baseline_entries_get_no_page_fetch(store, parse_pool, feed_server):
    entries = items(3)
    entries[2]["date"] = utcnow() - timedelta(days=30)
    feed_server.set("/old.xml", rss(entries))
    feed = store.add_feed(feed_server.url("/old.xml"))
    options = PollOptions(allow_private_hosts=True, full_text_per_feed=1)
    async with Poller(store, options, pool=parse_pool) as poller:
        report = await poll(poller, feed.id)
    assert report.full_text == {"ok": 1}  # newest first, capped at one page per feed
    assert feed_server.hits("/articles/story-0.html") == 1
    assert feed_server.hits("/articles/story-2.html") == 0


async def test_chat_feeds_are_always_guarded(store, poller, feed_server):
    chat = store.add_feed(feed_server.url("/rss.xml"), origin="chat")
    operator = store.add_feed(feed_server.url("/full.xml"), origin="config")
    report = await poll(poller, chat.id, operator.id)
    by_id = {r.feed_id: r for r in report.results}
    assert (by_id[chat.id].status, by_id[chat.id].reason) == ("failed", "ssrf_blocked")
    assert by_id[operator.id].status == "updated"  # allow_private_hosts covers config feeds


async def test_operator_feeds_are_guarded_unless_allowed(store, parse_pool, feed_server):
    feed = store.add_feed(feed_server.url("/rss.xml"), origin="config")
    async with Poller(store, PollOptions(), pool=parse_pool) as poller:
        report = await poll(poller, feed.id)
    assert report.results[0].reason == "ssrf_blocked"
    assert store.get_feed(feed.id).last_error_reason == "ssrf_blocked"


async def test_a_public_feed_redirecting_to_loopback_is_blocked(
    store, parse_pool, feed_server, public_loopback
):
    feed = store.add_feed(feed_server.url("/redirect/to-local", host="127.0.0.2"))
    async with Poller(store, PollOptions(), pool=parse_pool) as poller:
        report = await poll(poller, feed.id)
    assert report.results[0].reason == "ssrf_blocked"
    assert feed_server.hits("/rss.xml") == 0


async def test_check_url_validates_without_storing(store, poller, feed_server):
    response, prepared = await poller.check_url(feed_server.url("/rss.xml"), guard=False)
    assert response.status == 200 and prepared.title == "Test Wire" and len(prepared.rows) == 5
    feed_server.set("/page.html", b"<html><body>hi</body></html>", content_type="text/html")
    with pytest.raises(ParseError, match="HTML page"):
        await poller.check_url(feed_server.url("/page.html"), guard=False)
    assert store.list_articles() == [] and store.list_feeds() == []


async def test_per_host_limit_is_kept_while_hosts_proceed_in_parallel(
    store, parse_pool, feed_server
):
    options = PollOptions(allow_private_hosts=True, per_host=2, timeout=30, full_text=False)
    hosts = ("127.0.0.1", PUBLIC_HOST)  # one server, two host names
    ids = [
        store.add_feed(feed_server.url(f"/held/{n}.xml", host=host)).id
        for n in range(5)
        for host in hosts
    ]
    full = {host: 2 for host in hosts}
    async with Poller(store, options, pool=parse_pool) as poller:
        polling = asyncio.create_task(poller.poll_feeds(ids))
        try:
            # The server holds every answer: both hosts get their requests at the same time...
            await eventually(lambda: all(feed_server.in_flight[host] >= 2 for host in hosts))
            await asyncio.sleep(0.3)  # ...and no third one, though six more are waiting.
            assert dict(feed_server.in_flight) == full
        finally:
            feed_server.release.set()
        report = await asyncio.wait_for(polling, 60)
    assert [result.status for result in report.results] == ["updated"] * 10
    assert dict(feed_server.peak_in_flight) == full  # never more, over the whole poll
    assert sum(feed_server.hits(f"/held/{n}.xml") for n in range(5)) == 10


async def test_progress_is_reported_per_feed(store, poller, feed_server):
    ids = [store.add_feed(feed_server.url(p)).id for p in ("/rss.xml", "/status/404")]
    seen = []
    await poller.poll_feeds(ids, progress=lambda result, done, total: seen.append((done, total)))
    assert sorted(seen) == [(1, 2), (2, 2)]


async def test_a_dead_worker_process_is_replaced(store, feed_server):
    import os

    feed = store.add_feed(feed_server.url("/rss.xml"))
    async with Poller(store, PollOptions(allow_private_hosts=True, parse_workers=1)) as poller:
        with pytest.raises(ParseError) as caught:
            await poller._in_pool(os._exit, 1)  # what an out-of-memory kill looks like
        assert caught.value.reason == "parser_crashed"
        report = await poll(poller, feed.id)
    assert report.results[0].status == "updated" and len(report.new_article_ids) == 5


async def test_the_service_adds_chat_feeds_behind_the_guard(store, feed_server, public_loopback):
    from feeds.errors import AlreadyExistsError, InvalidInputError
    from feeds.polling.engine import PollingService

    # Even an operator who allows private hosts does not let chat reach them.
    service = PollingService(PollOptions(allow_private_hosts=True, parse_workers=1))
    try:
        with pytest.raises(InvalidInputError, match="cannot follow"):
            await service.add_feed(store, feed_server.url("/rss.xml"))  # 127.0.0.1
        feed_server.set("/page.html", b"<html><body>hi</body></html>", content_type="text/html")
        with pytest.raises(InvalidInputError, match="HTML page"):
            await service.add_feed(store, feed_server.url("/page.html", host="127.0.0.2"))
        assert store.list_feeds() == []
        public = feed_server.url("/redirect/permanent", host="127.0.0.2")
        feed = await service.add_feed(store, public, follower="g1", followed_by="u1")
        assert (feed.origin, feed.title) == ("chat", "Test Wire")
        assert feed.url == feed_server.url("/rss.xml", host="127.0.0.2")  # moved for good
        assert [f.id for f in store.followed_feeds("g1")] == [feed.id]
        with pytest.raises(AlreadyExistsError, match="already following"):
            await service.add_feed(store, feed.url)
        with pytest.raises(AlreadyExistsError, match=r"moved to .* known: add that address"):
            await service.add_feed(store, public)  # where it moves to is known
        assert store.follower_counts() == {feed.id: 1}
        first = await service.poll_cycle(store)
        assert len(first.new_article_ids) == 5 and first.results[0].status == "updated"
        again = await service.poll_cycle(store)  # same workers, nothing due yet
        assert again.results == []
    finally:
        service.close()


async def test_a_feed_that_starts_repeating_guids_is_re_keyed_not_duplicated(
    store, poller, feed_server
):
    feed_server.set("/flaky.xml", rss(items(4)))
    feed = store.add_feed(feed_server.url("/flaky.xml"))
    await poll(poller, feed.id)
    broken = items(4)
    for entry in broken:
        entry["guid"] = "same"
    feed_server.set("/flaky.xml", rss(broken))
    report = await poll(poller, feed.id)
    assert store.get_feed(feed.id).key_mode == "link"
    assert report.new_article_ids == [] and len(articles(store, feed.id)) == 4
    assert all(key.startswith("l:") for key in articles(store, feed.id))
    fresh = items(1, prefix="fresh") + broken
    fresh[0]["guid"] = "same"
    feed_server.set("/flaky.xml", rss(fresh))
    report = await poll(poller, feed.id)
    assert len(report.new_article_ids) == 1 and len(articles(store, feed.id)) == 5


async def test_an_exactly_repeated_item_leaves_guids_trusted_so_an_edit_is_no_new_article(
    store, poller, feed_server
):
    entries = items(11)
    feed_server.set("/repeats.xml", rss([*entries, entries[5]]))  # item 5 twice, identical
    feed = store.add_feed(feed_server.url("/repeats.xml"))
    await poll(poller, feed.id)
    assert store.get_feed(feed.id).key_mode == "guid" and len(articles(store, feed.id)) == 11

    entries[2]["title"] = "Story number 2, updated with the minister's reply"
    feed_server.set("/repeats.xml", rss([*entries, entries[5]]))
    report = await poll(poller, feed.id)
    assert (report.new_article_ids, len(report.changed_article_ids)) == ([], 1)
    assert len(articles(store, feed.id)) == 11
    assert articles(store, feed.id)["g:story-2"].title.endswith("the minister's reply")


TEXT_ONLY = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bare</title>
<item><description>Market report.</description><author>ana@bare.example</author></item>
<item><description>Market report.</description><author>luis@bare.example</author></item>
<item><description>Market report.</description><author>maria@bare.example</author></item>
<item></item><item><category>nothing</category></item>
</channel></rss>"""


async def test_items_known_by_their_text_alone_stay_apart_and_empty_ones_are_not_stored(
    store, poller, feed_server
):
    feed_server.set("/bare.xml", TEXT_ONLY)
    feed = store.add_feed(feed_server.url("/bare.xml"))
    report = await poll(poller, feed.id)
    stored = articles(store, feed.id)
    assert len(report.new_article_ids) == 3 and len(stored) == 3
    assert sorted(a.author for a in stored.values()) == [
        "ana@bare.example",
        "luis@bare.example",
        "maria@bare.example",
    ]
    feed_server.set("/bare.xml", TEXT_ONLY.replace(b"<item></item>", b""))  # a new body
    again = await poll(poller, feed.id)
    assert again.results[0].status == "updated" and again.new_article_ids == []


async def test_feeds_waiting_for_their_host_do_not_time_out(store, parse_pool, feed_server):
    # 20 feeds of one host answering in 0.3 s, two at a time, 1 s timeout: the last ones
    # wait 2.7 s for a slot, which is not the server being slow.
    options = PollOptions(allow_private_hosts=True, per_host=2, timeout=1, full_text=False)
    ids = [store.add_feed(feed_server.url(f"/slow/0.3/{n}.xml")).id for n in range(20)]
    async with Poller(store, options, pool=parse_pool) as poller:
        report = await poller.poll_feeds(ids)
    assert [r.reason for r in report.failed] == []
    assert report.count("updated") == 20


async def test_rekeying_reads_placeholder_dates_stored_before_as_unknown(
    store, poller, feed_server
):
    undated = [{"title": f"Static page {n}", "guid": f"page-{n}"} for n in range(3)]
    feed_server.set("/static.xml", rss(undated))
    feed = store.add_feed(feed_server.url("/static.xml"))
    await poll(poller, feed.id)
    with store.session() as session:  # as an older version stored Hugo's undated pages
        session.execute(
            sa.update(Article)
            .where(Article.feed_id == feed.id)
            .values(published_at=datetime(1, 1, 1, tzinfo=UTC))
        )
    for entry in undated:  # the guids go: identity falls to title + date, stored rows re-keyed
        del entry["guid"]
    feed_server.set("/static.xml", rss(undated))
    report = await poll(poller, feed.id)
    assert store.get_feed(feed.id).key_mode == "hash"
    assert report.new_article_ids == [] and len(articles(store, feed.id)) == 3
