"""The fetcher against the loopback server: conditional GET, redirects, limits, failures."""

import asyncio
import time
import tracemalloc

import pytest

from feeds import __version__
from feeds.errors import FetchError
from feeds.net.fetch import Fetcher, FetchLimits, parse_retry_after, status_reason
from tests.support.feedserver import PUBLIC_HOST, gzip_bomb
from tests.support.waiting import eventually

LIMITS = FetchLimits(connect_timeout=2, total_timeout=2, max_body_size=5 * 1024 * 1024)


@pytest.fixture
async def fetcher():
    async with Fetcher(LIMITS) as fetcher:
        yield fetcher


async def fetch(fetcher, server, path, **kwargs):
    return await fetcher.fetch(server.url(path), guard=False, **kwargs)


async def reason_of(fetcher, server, path, **kwargs) -> str:
    with pytest.raises(FetchError) as caught:
        await fetch(fetcher, server, path, **kwargs)
    return caught.value.reason


async def test_conditional_get(fetcher, feed_server):
    first = await fetch(fetcher, feed_server, "/rss.xml")
    assert first.status == 200 and b"<rss" in first.body
    assert first.headers["etag"] == '"v1"'
    again = await fetch(
        fetcher, feed_server, "/rss.xml", etag='"v1"', last_modified=first.headers["last-modified"]
    )
    assert again.not_modified and again.body == b""
    sent = feed_server.requests["/rss.xml"][-1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"]


async def test_never_sends_an_empty_etag(fetcher, feed_server):
    await fetch(fetcher, feed_server, "/rss.xml", etag="  ", last_modified="")
    sent = feed_server.requests["/rss.xml"][-1]
    assert "If-None-Match" not in sent and "If-Modified-Since" not in sent


async def test_honest_user_agent(fetcher, feed_server):
    await fetch(fetcher, feed_server, "/rss.xml")
    agent = feed_server.requests["/rss.xml"][-1]["User-Agent"]
    assert agent.startswith(f"newsbrief/{__version__} ")


async def test_permanent_and_temporary_redirects(fetcher, feed_server):
    moved = await fetch(fetcher, feed_server, "/redirect/permanent")
    assert moved.moved_to == feed_server.url("/rss.xml") and moved.url == moved.moved_to
    temporary = await fetch(fetcher, feed_server, "/redirect/temporary")
    assert temporary.moved_to is None and temporary.url == feed_server.url("/rss.xml")
    mixed = await fetch(fetcher, feed_server, "/redirect/permanent-then-temporary")
    assert mixed.moved_to == feed_server.url("/redirect/temporary")


async def test_redirect_limits(fetcher, feed_server):
    assert (await fetch(fetcher, feed_server, "/redirect/chain-4")).status == 200  # 5 hops
    assert await reason_of(fetcher, feed_server, "/redirect/chain-5") == "too_many_redirects"
    assert await reason_of(fetcher, feed_server, "/redirect/loop-a") == "redirect_loop"
    assert await reason_of(fetcher, feed_server, "/redirect/to-file") == "bad_url"
    assert await reason_of(fetcher, feed_server, "/redirect/no-location") == "bad_response"


@pytest.mark.parametrize(
    ("code", "reason", "retry_after"),
    [
        (404, "http_404", None),
        (410, "http_410", None),
        (500, "http_5xx", None),
        (429, "http_429", 7200),
    ],
)
async def test_error_statuses(fetcher, feed_server, code, reason, retry_after):
    with pytest.raises(FetchError) as caught:
        await fetch(fetcher, feed_server, f"/status/{code}")
    assert (caught.value.reason, caught.value.retry_after) == (reason, retry_after)


async def test_retry_after_as_a_date(fetcher, feed_server):
    with pytest.raises(FetchError) as caught:
        await fetch(fetcher, feed_server, "/status/503")
    assert (
        caught.value.reason == "http_5xx" and 3 * 3600 - 60 < caught.value.retry_after <= 3 * 3600
    )


async def test_gzip_is_decompressed(fetcher, feed_server):
    response = await fetch(fetcher, feed_server, "/gzip")
    assert response.body.startswith(b"<?xml") and b"zipped-0" in response.body


@pytest.mark.parametrize("path", ["/bomb", "/huge", "/huge?length=1"])
async def test_oversized_bodies_stop_at_the_cap(fetcher, feed_server, path):
    gzip_bomb()  # built (and cached) by the server side before measuring the client
    tracemalloc.start()
    try:
        reason = await reason_of(fetcher, feed_server, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason == "too_large"
    assert peak < 3 * LIMITS.max_body_size  # 64 MiB bomb, 50 MB body: never held whole


async def test_slow_trickle_times_out(fetcher, feed_server):
    started = time.monotonic()
    assert await reason_of(fetcher, feed_server, "/trickle") == "timeout"
    assert time.monotonic() - started < 10  # the total timeout (2 s) covers a trickle


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed", "file:///etc/passwd", "not a url", "http://", "/relative"]
)
async def test_bad_urls(fetcher, url):
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url)
    assert caught.value.reason == "bad_url"


async def test_connection_refused(fetcher, unused_tcp_port):
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(f"http://127.0.0.1:{unused_tcp_port}/feed", guard=False)
    assert caught.value.reason == "connection"


async def test_per_host_limit(feed_server):
    hosts = ("127.0.0.1", PUBLIC_HOST)  # one server, two host names
    full = {host: 3 for host in hosts}
    async with Fetcher(FetchLimits(per_host=3, total_timeout=30)) as fetcher:
        urls = [feed_server.url(f"/held/{n}.xml", host=host) for n in range(5) for host in hosts]
        fetches = asyncio.gather(*(fetcher.fetch(url, guard=False) for url in urls))
        try:
            await eventually(lambda: all(feed_server.in_flight[host] >= 3 for host in hosts))
            await asyncio.sleep(0.3)  # time enough for a fourth request to either host
            assert dict(feed_server.in_flight) == full
        finally:
            feed_server.release.set()
        responses = await asyncio.wait_for(fetches, 30)
    assert [response.status for response in responses] == [200] * 10
    assert dict(feed_server.peak_in_flight) == full


async def test_waiting_for_a_host_slot_does_not_count_against_the_timeout(feed_server):
    # 20 feeds of one host answering in 0.3 s, two at a time: the last starts after
    # 2.7 s of waiting, and each request still takes well under the 1 s timeout.
    async with Fetcher(FetchLimits(per_host=2, total_timeout=1)) as fetcher:
        started = time.monotonic()
        responses = await asyncio.gather(
            *(fetcher.fetch(feed_server.url(f"/slow/0.3/{n}.xml"), guard=False) for n in range(20))
        )
        elapsed = time.monotonic() - started
    assert [response.status for response in responses] == [200] * 20
    assert elapsed >= 10 * 0.3  # two at a time, so the slots really were waited for


async def test_a_slow_answer_still_times_out_after_its_wait(feed_server):
    async with Fetcher(FetchLimits(per_host=1, total_timeout=1)) as fetcher:
        quick = [
            fetcher.fetch(feed_server.url(f"/slow/0.4/{n}.xml"), guard=False) for n in range(3)
        ]
        slow = fetcher.fetch(feed_server.url("/slow/5/late.xml"), guard=False)
        results = await asyncio.gather(*quick, slow, return_exceptions=True)
    assert [r.status for r in results[:3]] == [200] * 3
    assert isinstance(results[3], FetchError) and results[3].reason == "timeout"


def test_status_reasons_and_retry_after_parsing():
    assert [status_reason(c) for c in (401, 403, 404, 410, 418, 429, 500, 503)] == [
        "http_401",
        "http_403",
        "http_404",
        "http_410",
        "http_4xx",
        "http_429",
        "http_5xx",
        "http_5xx",
    ]
    assert parse_retry_after("120", 0) == 120
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40) == 60
    assert parse_retry_after("soon", 0) is None and parse_retry_after(None, 0) is None
