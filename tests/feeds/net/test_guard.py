"""The SSRF guard: addresses refused after DNS, for literals, on every hop and on reuse."""

import pytest

from feeds.errors import BlockedAddressError
from feeds.net.fetch import Fetcher, FetchLimits
from feeds.net.guard import is_public_address


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # CGNAT
        ("100.127.255.254", False),
        ("169.254.169.254", False),  # link-local: cloud metadata
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:10.0.0.1", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("not an address", False),
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public


@pytest.fixture
async def fetcher():
    async with Fetcher(FetchLimits(total_timeout=5)) as fetcher:
        yield fetcher


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "[::1]"])
async def test_loopback_is_refused_by_name_and_literal(fetcher, feed_server, host):
    with pytest.raises(BlockedAddressError) as caught:
        await fetcher.fetch(f"http://{host}:{feed_server.port}/rss.xml", guard=True)
    assert caught.value.reason == "ssrf_blocked"
    assert feed_server.hits("/rss.xml") == 0  # refused before connecting


async def test_unguarded_requests_reach_loopback(fetcher, feed_server):
    response = await fetcher.fetch(feed_server.url("/rss.xml"), guard=False)
    assert response.status == 200


async def test_a_redirect_to_loopback_is_refused_on_its_hop(fetcher, feed_server, public_loopback):
    public = feed_server.url("/redirect/to-local", host="127.0.0.2")
    with pytest.raises(BlockedAddressError):
        await fetcher.fetch(public, guard=True)
    assert feed_server.hits("/redirect/to-local") == 1 and feed_server.hits("/rss.xml") == 0
    # The same chain is fine where private hosts are allowed.
    assert (await fetcher.fetch(public, guard=False)).status == 200


async def test_a_pooled_connection_is_checked_again(fetcher, feed_server):
    await fetcher.fetch(feed_server.url("/rss.xml"), guard=False)  # leaves a keep-alive connection
    with pytest.raises(BlockedAddressError):
        await fetcher.fetch(feed_server.url("/rss.xml"), guard=True)
    assert feed_server.hits("/rss.xml") == 1


async def test_proxy_variables_are_ignored(fetcher, feed_server, monkeypatch):
    # A proxy would let a guarded request escape to wherever the proxy connects.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    response = await fetcher.fetch(feed_server.url("/rss.xml"), guard=False)
    assert response.status == 200
