"""The fetcher: one shared aiohttp session, polite and bounded.

Conditional GET, manual redirects (at most 5, loops detected, every hop behind
the SSRF guard), http/https only, connect and total timeouts, a cap on the
decompressed body, a per-host concurrency limit and an honest User-Agent.
Every failure leaves as a `FetchError` with a typed `reason`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import aiohttp
from yarl import URL

from feeds import __version__
from feeds.errors import FeedError, FetchError
from feeds.net.guard import GuardedConnector, guarded

log = logging.getLogger(__name__)

USER_AGENT = f"newsbrief/{__version__} (news feed reader bot; aiohttp/{aiohttp.__version__})"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_KEPT_HEADERS = (
    "etag",
    "last-modified",
    "content-type",
    "cache-control",
    "expires",
    "date",
    "age",
    "retry-after",
)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    total_timeout: float = 30.0  # requests of one fetch, redirects included; not slot waits
    max_body_size: int = 5 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    per_host: int = 2
    connections: int = 100


@dataclass
class Response:
    """A successful exchange: 200 with a body, or 304 without."""

    url: str  # where the body came from, after redirects
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names, a few kept
    # The URL to store instead of the requested one: set when the chain began
    # with permanent redirects (301/308).
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> URL:
    """Parse a URL we are about to fetch; only absolute http(s) URLs with a host."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as error:
        raise FetchError(f"not a URL: {url!r}", reason="bad_url") from error
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched: {url!r}", reason="bad_url")
    if not parsed.host:
        raise FetchError(f"URL has no host: {url!r}", reason="bad_url")
    return parsed


def status_reason(status: int) -> str:
    if status in (401, 403, 404, 410, 429):
        return f"http_{status}"
    return "http_5xx" if status >= 500 else "http_4xx"


def parse_retry_after(value: str | None, now_epoch: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now_epoch)


class _Budget:
    """The total timeout of one fetch, spent only while a request runs.

    Waiting for a per-host slot (behind other feeds of the same host) is not
    the server being slow, so the clock stops between hops' requests.
    """

    def __init__(self, seconds: float):
        self.left = seconds

    @contextlib.asynccontextmanager
    async def running(self):
        started = time.monotonic()
        try:
            async with asyncio.timeout(max(self.left, 0.0)):
                yield
        finally:
            self.left -= time.monotonic() - started


class Fetcher:
    """Owns the shared session; use as an async context manager or call `close()`."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        user_agent: str = USER_AGENT,
        resolver: aiohttp.abc.AbstractResolver | None = None,
    ):
        self.limits = limits or FetchLimits()
        self.user_agent = user_agent
        self._resolver = resolver
        self._session: aiohttp.ClientSession | None = None
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.limits.per_host)
        )

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = GuardedConnector(
                limit=self.limits.connections,
                limit_per_host=0,  # our own per-host semaphores also cover redirect hops
                resolver=self._resolver,
                ttl_dns_cache=60,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # proxy variables must not route around the guard
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.user_agent},
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=self.limits.connect_timeout,
                    sock_read=self.limits.total_timeout,
                ),
                auto_decompress=True,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Fetcher:
        self._open()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        guard: bool = True,
        accept: str = FEED_ACCEPT,
    ) -> Response:
        """GET `url`, following redirects; FetchError (with a reason) on any failure."""
        headers = {"Accept": accept}
        if etag and etag.strip():  # an empty If-None-Match matches nothing useful
            headers["If-None-Match"] = etag.strip()
        if last_modified and last_modified.strip():
            headers["If-Modified-Since"] = last_modified.strip()
        try:
            with guarded(guard):
                return await self._follow(url, headers, _Budget(self.limits.total_timeout))
        except FeedError:
            raise
        except TimeoutError as error:
            raise FetchError(
                f"no complete answer within {self.limits.total_timeout:g}s", reason="timeout"
            ) from error
        except aiohttp.InvalidURL as error:
            raise FetchError(f"bad URL: {error}", reason="bad_url") from error
        except aiohttp.ClientResponseError as error:
            raise FetchError(
                f"malformed response: {error.message}", reason="bad_response"
            ) from error
        except aiohttp.ClientPayloadError as error:
            raise FetchError(f"broken body: {error}", reason="bad_response") from error
        except (aiohttp.ClientError, OSError) as error:
            raise FetchError(
                f"connection failed: {error or type(error).__name__}", reason="connection"
            ) from error

    async def _follow(self, url: str, headers: dict[str, str], budget: _Budget) -> Response:
        current = check_url(url)
        seen = {str(current)}
        moved_to: str | None = None
        still_permanent = True
        for _hop in range(self.limits.max_redirects + 1):
            response = await self._get(current, headers, budget)
            if isinstance(response, Response):
                response.moved_to = moved_to
                return response
            status, location = response
            target = check_url(str(current.join(URL(location))))
            if still_permanent and status in PERMANENT:
                moved_to = str(target)
            else:
                still_permanent = False
            if str(target) in seen:
                raise FetchError(f"redirect loop at {target}", reason="redirect_loop")
            seen.add(str(target))
            current = target
        raise FetchError(
            f"more than {self.limits.max_redirects} redirects", reason="too_many_redirects"
        )

    async def _get(
        self, url: URL, headers: dict[str, str], budget: _Budget
    ) -> Response | tuple[int, str]:
        """One hop: a Response, or (status, Location) for a redirect."""
        session = self._open()
        async with (
            self._hosts[url.host or ""],
            budget.running(),  # from the moment the request can start, not while queued
            session.get(url, headers=headers, allow_redirects=False) as answer,
        ):
            status = answer.status
            if status in REDIRECTS:
                location = answer.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location", reason="bad_response")
                return status, location
            kept = {name: answer.headers[name] for name in _KEPT_HEADERS if name in answer.headers}
            if status == 304:
                return Response(str(url), 304, b"", kept)
            if status >= 400 or status < 200:
                raise FetchError(
                    f"HTTP {status} {answer.reason or ''}".strip(),
                    reason=status_reason(status),
                    retry_after=parse_retry_after(kept.get("retry-after"), time.time()),
                )
            body = await self._read(answer)
            return Response(str(url), status, body, kept)

    async def _read(self, answer: aiohttp.ClientResponse) -> bytes:
        cap = self.limits.max_body_size
        length = answer.content_length
        if length is not None and length > cap and "Content-Encoding" not in answer.headers:
            raise FetchError(
                f"body of {length} bytes is over the {cap}-byte cap", reason="too_large"
            )
        if length is not None and length <= cap and "Content-Encoding" not in answer.headers:
            return await answer.read()
        chunks: list[bytes] = []
        size = 0
        async for chunk in answer.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise FetchError(
                    f"body is over the {cap}-byte cap (after decompression)", reason="too_large"
                )
            chunks.append(chunk)
        return b"".join(chunks)
