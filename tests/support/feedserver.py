"""A loopback aiohttp server that serves feeds, article pages and every hostile case.

Start it with `FeedServer().start()` inside a running event loop (the
`feed_server` fixture does). Content is mutable (`server.set(path, body)`),
every request's headers are recorded, and the server listens on 127.0.0.1 and
127.0.0.2 so tests can treat the second address as "the public internet" (or
as a second host). Requests for /held/… wait until `server.release` is set,
and are counted per host while they wait (`in_flight`, `peak_in_flight`);
/slow/SECONDS/… answers after SECONDS.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

PUBLIC_HOST = "127.0.0.2"  # tests patch the guard so that this one counts as public
_BOMB: bytes | None = None


def rss(items: list[dict], *, title: str = "Test Wire", extra: str = "", version="2.0") -> bytes:
    body = "".join(
        "<item>"
        + (f"<title>{i['title']}</title>" if "title" in i else "")
        + (f"<link>{i['link']}</link>" if "link" in i else "")
        + (f"<guid>{i['guid']}</guid>" if "guid" in i else "")
        + (f"<pubDate>{format_datetime(i['date'])}</pubDate>" if "date" in i else "")
        + (f"<description><![CDATA[{i['summary']}]]></description>" if "summary" in i else "")
        + "</item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="{version}"><channel>'
        f"<title>{title}</title><link>https://wire.example/</link>"
        f"<description>news</description>{extra}{body}</channel></rss>"
    ).encode()


def items(count: int, *, prefix: str = "story", teaser: bool = True, start: int = 0) -> list[dict]:
    now = datetime.now(UTC)
    text = "<p>Officials said on Thursday the plan would go ahead.</p>"
    if not teaser:
        text = "".join(
            f"<p>Paragraph {n}: “We will not stop,” the minister said, according to a "
            "statement read to reporters in the capital on Thursday evening.</p>"
            for n in range(8)
        )
    return [
        {
            "title": f"{prefix.title()} number {n}",
            "link": f"/articles/{prefix}-{n}.html?utm_source=rss",
            "guid": f"{prefix}-{n}",
            "date": now - timedelta(hours=n),
            "summary": text,
        }
        for n in range(start, start + count)
    ]


def article_page(slug: str) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of {slug}: “This is a direct quotation number {n},” said "
        "Interior Minister Rosa Icela Rodríguez at a news conference in Mexico City, "
        "adding that the federal forces would remain in the region for months.</p>"
        for n in range(6)
    )
    return (
        "<!DOCTYPE html><html><head><title>Story</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Story {slug}</h1>{paragraphs}</article>"
        "<footer>© Test Wire. All rights reserved. Subscribe to our newsletter.</footer>"
        "</body></html>"
    ).encode()


def entity_bomb() -> bytes:
    entity = "x" * 50_000
    uses = "&big;" * 20_000
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "' + entity + '">]>'
        '<rss version="2.0"><channel><title>Bomb</title><item><title>t</title>'
        f"<description>{uses}</description></item></channel></rss>"
    ).encode()


def gzip_bomb() -> bytes:
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(b"<" + b" " * (64 * 1024 * 1024), compresslevel=9)
    return _BOMB


@dataclass
class Served:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict | None = None


class FeedServer:
    def __init__(self) -> None:
        self.content: dict[str, Served] = {}
        self.requests: defaultdict[str, list[dict]] = defaultdict(list)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.release = asyncio.Event()  # lets /held/… requests answer
        self.in_flight: defaultdict[str, int] = defaultdict(int)  # by host, /held/… only
        self.peak_in_flight: defaultdict[str, int] = defaultdict(int)

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def set(self, path: str, body: bytes, **kwargs) -> None:
        self.content[path] = Served(body, **kwargs)

    def hits(self, path: str) -> int:
        return len(self.requests[path])

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        await web.TCPSite(self._runner, PUBLIC_HOST, self.port).start()
        self._defaults()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _defaults(self) -> None:
        self.set(
            "/rss.xml", rss(items(5)), etag='"v1"', last_modified="Thu, 26 Nov 2026 10:00:00 GMT"
        )
        self.set("/full.xml", rss(items(3, prefix="full", teaser=False)), etag='"f1"')

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.requests[path].append(dict(request.headers))
        special = {
            "redirect": self._redirect,
            "status": self._status,
            "gzip": self._gzip,
            "bomb": self._bomb,
            "huge": self._huge,
            "trickle": self._trickle,
            "json": self._json,
            "held": self._held,
            "slow": self._slow,
        }.get(path.strip("/").split("/")[0])
        if path in self.content:
            return self._serve(request, self.content[path])
        if path.startswith("/articles/"):
            slug = path.rsplit("/", 1)[1].removesuffix(".html")
            return web.Response(body=article_page(slug), content_type="text/html")
        if special is not None:
            return await special(request)
        return web.Response(status=404, text="not here")

    def _serve(self, request: web.Request, served: Served) -> web.Response:
        headers = dict(served.headers or {})
        if served.etag:
            headers["ETag"] = served.etag
            if request.headers.get("If-None-Match") == served.etag:
                return web.Response(status=304, headers=headers)
        if served.last_modified:
            headers["Last-Modified"] = served.last_modified
            if not served.etag and request.headers.get("If-Modified-Since") == served.last_modified:
                return web.Response(status=304, headers=headers)
        headers["Content-Type"] = served.content_type
        return web.Response(body=served.body, headers=headers)

    # Special paths: /redirect/…, /status/N, /gzip, /bomb, /huge, /trickle.

    async def _redirect(self, request: web.Request) -> web.Response:
        kind = request.match_info["tail"].split("/", 1)[1]
        targets = {
            "permanent": (301, "/rss.xml"),
            "temporary": (302, "/rss.xml"),
            "permanent-then-temporary": (308, "/redirect/temporary"),
            "loop-a": (302, "/redirect/loop-b"),
            "loop-b": (302, "/redirect/loop-a"),
            "to-local": (302, self.url("/rss.xml")),
            "to-file": (302, "file:///etc/passwd"),
            "no-location": (302, None),
        }
        if kind.startswith("chain-"):
            left = int(kind.removeprefix("chain-"))
            status, target = 302, "/rss.xml" if left == 0 else f"/redirect/chain-{left - 1}"
        else:
            status, target = targets[kind]
        headers = {"Location": target} if target else {}
        return web.Response(status=status, headers=headers)

    async def _status(self, request: web.Request) -> web.Response:
        code = int(request.path.rsplit("/", 1)[1])
        headers = {}
        if code == 429:
            headers["Retry-After"] = "7200"
        if code == 503:
            later = datetime.now(UTC) + timedelta(hours=3)
            headers["Retry-After"] = format_datetime(later, usegmt=True)
        return web.Response(status=code, headers=headers, text=f"status {code}")

    async def _gzip(self, request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(rss(items(4, prefix="zipped"))),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    async def _bomb(self, request: web.Request) -> web.Response:
        return web.Response(
            body=gzip_bomb(),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """50 MB, with a Content-Length (?length=1) or streamed without one."""
        size = 50 * 1024 * 1024
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        if request.query.get("length"):
            response.content_length = size
        await response.prepare(request)
        chunk = b"<" + b" " * (1024 * 1024 - 1)
        try:
            for _ in range(size // len(chunk)):
                await response.write(chunk)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    async def _trickle(self, request: web.Request) -> web.StreamResponse:
        """One byte every 0.2 s for at most 30 s: never a whole feed in time."""
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        try:
            for _ in range(150):
                await response.write(b" ")
                await asyncio.sleep(0.2)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    async def _slow(self, request: web.Request) -> web.Response:
        """/slow/SECONDS/…: a full feed, after SECONDS."""
        await asyncio.sleep(float(request.path.split("/")[2]))
        slug = request.path.strip("/").replace("/", "-").replace(".", "-")
        return web.Response(
            body=rss(items(2, prefix=slug, teaser=False)), content_type="application/rss+xml"
        )

    async def _json(self, request: web.Request) -> web.Response:
        return web.json_response({"hello": "world"})

    async def _held(self, request: web.Request) -> web.Response:
        """A full feed, sent once `release` is set; counts the requests waiting per host."""
        host = request.url.host or ""
        self.in_flight[host] += 1
        self.peak_in_flight[host] = max(self.peak_in_flight[host], self.in_flight[host])
        try:
            await self.release.wait()
        finally:
            self.in_flight[host] -= 1
        slug = request.path.strip("/").replace("/", "-").replace(".", "-")
        return web.Response(
            body=rss(items(2, prefix=slug, teaser=False)), content_type="application/rss+xml"
        )


def json_feed(entries: list[dict]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON Wire",
            "home_page_url": "https://json.example/",
            "items": entries,
        }
    ).encode()
