"""A loopback web server for the demo: four outlets' feeds and their article pages.

    server = await start_demo_server()      # 127.0.0.1, a free port
    server.feeds                            # [(outlet name, feed URL), …]
    await server.stop()

Dates are filled in at request time from each story's `hours_ago`, so the
sample news is always recent. The console chat reuses this server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from aiohttp import web

from bot.demo.stories import OUTLETS, STORIES, Outlet, Story

FEED_FILES = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


@dataclass
class DemoServer:
    base_url: str
    runner: web.AppRunner

    @property
    def feeds(self) -> list[tuple[str, str]]:
        """(outlet name, feed URL) for every outlet."""
        return [(o.name, feed_url(self.base_url, o)) for o in OUTLETS]

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_demo_server(host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    """Serve the demo outlets on a loopback address; returns once it accepts connections."""
    app = web.Application()
    app.router.add_get("/", _index)
    app.router.add_get("/{outlet}/{name}", _outlet_file)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = site._server.sockets[0].getsockname()
    return DemoServer(f"http://{host}:{bound[1]}", runner)


def feed_url(base: str, outlet: Outlet) -> str:
    return f"{base}/{outlet.slug}/{FEED_FILES[outlet.kind]}"


def stories_of(outlet: Outlet) -> list[Story]:
    return sorted((s for s in STORIES if s.outlet == outlet.slug), key=lambda s: s.hours_ago)


def published(story: Story, now: datetime) -> datetime:
    return (now - timedelta(hours=story.hours_ago)).replace(microsecond=0)


def article_url(base: str, story: Story) -> str:
    # Tracking parameters, as real feeds add them; newsbrief strips them for the canonical URL.
    return f"{base}/{story.outlet}/{story.slug}.html?utm_source=rss&utm_medium=feed"


async def _index(request: web.Request) -> web.Response:
    base = _base(request)
    links = "".join(
        f'<li><a href="{escape(feed_url(base, o))}">{escape(o.name)}</a></li>' for o in OUTLETS
    )
    return web.Response(
        text=f"<html><body><h1>newsbrief demo outlets</h1><ul>{links}</ul></body></html>",
        content_type="text/html",
    )


async def _outlet_file(request: web.Request) -> web.Response:
    outlet = next((o for o in OUTLETS if o.slug == request.match_info["outlet"]), None)
    name = request.match_info["name"]
    if outlet is None:
        raise web.HTTPNotFound()
    now, base = datetime.now(UTC), _base(request)
    if name == FEED_FILES[outlet.kind]:
        render = {"rss": render_rss, "atom": render_atom, "json": render_json}[outlet.kind]
        body, content_type = render(outlet, base, now)
        return web.Response(body=body, content_type=content_type, charset="utf-8")
    story = next((s for s in stories_of(outlet) if f"{s.slug}.html" == name), None)
    if story is None:
        raise web.HTTPNotFound()
    return web.Response(text=render_page(outlet, story, base, now), content_type="text/html")


def _base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def render_rss(outlet: Outlet, base: str, now: datetime) -> tuple[bytes, str]:
    items = "".join(
        "<item>"
        f"<title>{escape(s.title)}</title>"
        f"<link>{escape(article_url(base, s))}</link>"
        f'<guid isPermaLink="false">{outlet.slug}-{s.slug}</guid>'
        f"<pubDate>{format_datetime(published(s, now))}</pubDate>"
        f"<dc:creator>{escape(s.author)}</dc:creator><category>{escape(s.section)}</category>"
        f"<description>{escape(f'<p>{escape(s.teaser)}</p>')}</description>"
        "</item>"
        for s in stories_of(outlet)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{base}/{outlet.slug}/</link>"
        f"<description>{escape(outlet.tagline)}</description>"
        f"<language>{outlet.language}</language><ttl>15</ttl>"
        f"<lastBuildDate>{format_datetime(now)}</lastBuildDate>{items}</channel></rss>"
    )
    return body.encode("utf-8"), "application/rss+xml"


def render_atom(outlet: Outlet, base: str, now: datetime) -> tuple[bytes, str]:
    entries = "".join(
        "<entry>"
        f"<title>{escape(s.title)}</title>"
        # A relative link under xml:base, as some Atom feeds do.
        f'<link rel="alternate" type="text/html" href="{escape(s.slug)}.html?utm_source=rss"/>'
        f"<id>tag:{outlet.slug}.example,2026:{s.slug}</id>"
        f"<published>{published(s, now).isoformat()}</published>"
        f"<updated>{published(s, now).isoformat()}</updated>"
        f"<author><name>{escape(s.author)}</name></author>"
        f'<category term="{escape(s.section)}"/>'
        f'<summary type="html">{escape(f"<p>{escape(s.teaser)}</p>")}</summary>'
        "</entry>"
        for s in stories_of(outlet)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/{outlet.slug}/" '
        f'xml:lang="{outlet.language}">'
        f"<title>{escape(outlet.name)}</title><subtitle>{escape(outlet.tagline)}</subtitle>"
        f"<id>tag:{outlet.slug}.example,2026:feed</id><updated>{now.isoformat()}</updated>"
        f'<link rel="alternate" href="{base}/{outlet.slug}/"/>'
        f'<link rel="self" href="{base}/{outlet.slug}/atom.xml"/>{entries}</feed>'
    )
    return body.encode("utf-8"), "application/atom+xml"


def render_json(outlet: Outlet, base: str, now: datetime) -> tuple[bytes, str]:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "description": outlet.tagline,
        "home_page_url": f"{base}/{outlet.slug}/",
        "feed_url": f"{base}/{outlet.slug}/feed.json",
        "language": outlet.language,
        "items": [
            {
                "id": f"{outlet.slug}/{s.slug}",
                "url": article_url(base, s),
                "title": s.title,
                "summary": s.teaser,
                "content_html": f"<p>{escape(s.teaser)}</p>",
                "date_published": published(s, now).isoformat(),
                "authors": [{"name": s.author}],
                "tags": [s.section],
            }
            for s in stories_of(outlet)
        ],
    }
    return json.dumps(feed, ensure_ascii=False).encode("utf-8"), "application/feed+json"


def render_page(outlet: Outlet, story: Story, base: str, now: datetime) -> str:
    """An article page with the usual furniture around the story."""
    others = [s for s in stories_of(outlet) if s.slug != story.slug][:3]
    related = "".join(
        f'<li><a href="{base}/{outlet.slug}/{s.slug}.html">{escape(s.title)}</a></li>'
        for s in others
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    when = published(story, now)
    subscribe = "Suscríbase" if outlet.language == "es" else "Subscribe to our newsletter"
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}"><head><meta charset="utf-8">
<title>{escape(story.title)} | {escape(outlet.name)}</title>
<meta name="description" content="{escape(story.teaser)}">
<meta property="og:title" content="{escape(story.title)}">
<link rel="alternate" type="application/rss+xml" href="{feed_url(base, outlet)}">
<script>window.analytics = {{"page": "{escape(story.slug)}"}};</script>
</head><body>
<header><a class="logo" href="{base}/{outlet.slug}/">{escape(outlet.name)}</a>
<nav><a href="#">World</a> · <a href="#">Politics</a> · <a href="#">Business</a> ·
<a href="#">Sports</a> · <a href="#">Opinion</a></nav>
<div class="ad">Advertisement</div></header>
<main><article>
<h1>{escape(story.title)}</h1>
<p class="byline">By {escape(story.author)} · <time datetime="{when.isoformat()}">
{when.strftime("%d %b %Y %H:%M")} UTC</time> · {escape(story.section)}</p>
<div class="article-body">{paragraphs}</div>
</article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>{subscribe}</p><p>© 2026 {escape(outlet.name)}. All rights reserved.</p>
<p><a href="#">Privacy</a> · <a href="#">Terms</a> · <a href="#">Contact</a></p></footer>
</body></html>"""
