"""The SSRF guard: which addresses a fetch may connect to, checked at connect time.

Looking at the URL is not enough (a public name can resolve to 127.0.0.1, a
redirect can point anywhere), so the check runs inside the connector after DNS
and on every redirect hop. aiohttp does not call a custom resolver for IP
literals, so the filter sits in `TCPConnector._resolve_host`, which sees names
and literals alike, and pooled connections are checked again by their peer
address before reuse.

Whether a request is guarded is per request (a chat feed and an operator's
feed share one session): the fetcher sets `guarded()` around its request.
"""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp

from feeds.errors import BlockedAddressError

# 100.64.0.0/10 (CGNAT) is "shared", neither private nor global, in ipaddress.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_GUARDED: contextvars.ContextVar[bool] = contextvars.ContextVar("newsbrief_guarded", default=True)


def is_public_address(address: str) -> bool:
    """True when `address` (an IPv4/IPv6 literal) is a public unicast address.

    Refused: loopback, private, link-local, CGNAT, multicast, reserved,
    unspecified, and the same inside IPv4-mapped / 6to4 / Teredo IPv6.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    if ip.version == 4 and ip in _CGNAT:
        return False
    refused = (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or getattr(ip, "is_site_local", False)  # IPv6 fec0::/10
    )
    return ip.is_global and not refused


@contextmanager
def guarded(on: bool) -> Iterator[None]:
    """Requests made inside this block (in this task) are guarded, or not."""
    token = _GUARDED.set(on)
    try:
        yield
    finally:
        _GUARDED.reset(token)


def is_guarded() -> bool:
    return _GUARDED.get()


class GuardedConnector(aiohttp.TCPConnector):
    """A TCPConnector that refuses non-public addresses for guarded requests."""

    async def _resolve_host(self, host, port, traces=None):
        results = await super()._resolve_host(host, port, traces=traces)
        if not is_guarded():
            return results
        allowed = [r for r in results if is_public_address(r["host"])]
        if not allowed:
            raise BlockedAddressError(
                f"{host} resolves only to addresses that are not public "
                f"({', '.join(sorted({r['host'] for r in results}))})"
            )
        return allowed

    async def connect(self, req, traces, timeout):
        connection = await super().connect(req, traces, timeout)
        if is_guarded():
            # A pooled connection may have been opened by an unguarded request.
            transport = connection.transport
            peer = transport.get_extra_info("peername") if transport else None
            if peer and not is_public_address(str(peer[0])):
                connection.close()
                raise BlockedAddressError(f"{req.url.host} is connected to {peer[0]}")
        return connection
