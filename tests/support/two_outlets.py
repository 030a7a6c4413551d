"""One story told by two outlets as real ones tell it, served by the loopback FeedServer.

All text is our own writing. Outlet A (`Continental Wire`) gives a teaser in
its feed and the text on the article page, whose body repeats the headline
and a byline above the dateline; outlet B (`Hemisphere Times`) puts the whole
text in the feed (content:encoded), with a byline and a photo caption. Their
headlines share almost no words; their texts share the facts and the same
verbatim quotation by the same speaker, published an hour apart. Each feed
also carries everyday news that is not about Mexico security: football,
the peso, a light-rail line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from tests.support.feedserver import FeedServer
from tests.support.newsdesk import TROOPS_QUOTE, TROOPS_SPEAKER, Report

QUOTE, SPEAKER = TROOPS_QUOTE, TROOPS_SPEAKER


@dataclass(frozen=True)
class Item(Report):
    """A report with the furniture outlets put around it."""

    byline: str = ""
    caption: str = ""


REJECTS = Item(
    "sheinbaum-rejects-offer",
    "Mexican President Rejects Trump's Offer for U.S. Military Aid Against Drug Cartels",
    "Claudia Sheinbaum said cooperation with Washington would stop short of foreign troops.",
    (
        "MEXICO CITY (Continental Wire) — Mexican President Claudia Sheinbaum on Monday rejected "
        "an offer from President Donald Trump to send U.S. troops to help fight drug cartels in "
        "Mexico.",
        f"“{QUOTE},” Sheinbaum said at her morning news conference, adding that Mexico was "
        "willing to share intelligence with the United States.",
        "Trump made the offer during a phone call on Friday, according to two officials familiar "
        "with the conversation.",
        "“We can collaborate, we can work together, but you in your territory and we in ours,” "
        "she said.",
    ),
    hours_ago=3,
    byline="By Laura Jiménez",
)
TURNS_DOWN = Item(
    "sheinbaum-turns-down-troops",
    "Sheinbaum turns down U.S. troops for cartel fight, offers intelligence sharing instead",
    "Mexico's president said the two countries could work together, each in its own territory.",
    (
        "Mexico will not accept U.S. soldiers on its soil to fight the cartels, President Claudia "
        "Sheinbaum said on Monday, offering instead to expand the exchange of intelligence with "
        "Washington.",
        f"“{QUOTE},” she told reporters at the National Palace.",
        "Sheinbaum said the offer came up in a call with Trump last week. “We can collaborate, "
        "we can work together, but you in your territory and we in ours,” she added.",
        "The White House did not respond to a request for comment.",
    ),
    hours_ago=2,
    byline="By Marco Reyes",
    caption="Claudia Sheinbaum at the National Palace on Monday. (Hemisphere Times photo)",
)
FOOTBALL = Item(
    "mexico-colombia-friendly",
    "Mexico beats Colombia 2-1 with a stoppage-time header at the Azteca",
    "Santiago Giménez scored the winner in front of 80,000 fans.",
    (
        "MEXICO CITY — Santiago Giménez headed in a stoppage-time winner as Mexico beat Colombia "
        "2-1 in a friendly at the Estadio Azteca on Monday night.",
        "“The fans pushed us until the last minute,” coach Javier Aguirre said after the match.",
    ),
    hours_ago=4,
)
PESO = Item(
    "peso-seventeen",
    "Peso strengthens past 17 per dollar as investors bet on high rates",
    "The Mexican currency closed at its strongest level in more than two years.",
    (
        "MEXICO CITY — The Mexican peso strengthened past 17 per U.S. dollar on Monday for the "
        "first time since 2024, as investors bet that the central bank would keep rates high.",
        "“The carry trade is back and the peso is its favorite currency,” said Gabriela Siller, "
        "an economist at Banco Base.",
    ),
    hours_ago=5,
)
LIGHT_RAIL = Item(
    "guadalajara-line-five",
    "Guadalajara opens its fifth light-rail line to Tlajomulco",
    "The line will carry 120,000 passengers a day, the state government said.",
    (
        "GUADALAJARA — Jalisco opened the fifth line of Guadalajara's light-rail network on "
        "Monday, linking the city centre with Tlajomulco in 35 minutes.",
        "“This line gives back two hours a day to the families of the south,” Governor Pablo "
        "Lemus said at the opening.",
    ),
    hours_ago=1,
)
OUTLET_A = "Continental Wire"  # teasers in the feed, text on the pages
OUTLET_B = "Hemisphere Times"  # the whole text in the feed
NEWS_A = (REJECTS, FOOTBALL, LIGHT_RAIL)
NEWS_B = (TURNS_DOWN, PESO)
DISTRACTORS = (FOOTBALL, PESO, LIGHT_RAIL)


def _paragraphs(item: Item) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in item.paragraphs)


def page(item: Item, outlet: str = OUTLET_A) -> bytes:
    """The article page: the headline repeated inside the body, then the byline."""
    return (
        f"<!DOCTYPE html><html><head><title>{escape(item.title)} | {outlet}</title></head>"
        "<body><nav><a href='/'>Home</a> · <a href='/world'>World</a></nav><main><article>"
        f"<h1>{escape(item.title)}</h1><div class='article-body'><h2>{escape(item.title)}</h2>"
        f"<div class='author'>{escape(item.byline)}</div>{_paragraphs(item)}</div></article>"
        f"</main><footer>© {outlet}</footer></body></html>"
    ).encode()


def _rss(outlet: str, entries: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{outlet}</title><link>https://{outlet.split()[0].lower()}.example/</link>"
        f"<description>news</description>{''.join(entries)}</channel></rss>"
    ).encode()


def _entry(item: Item, link: str, now: datetime, content: str = "") -> str:
    encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return (
        f"<item><title>{escape(item.title)}</title><link>{escape(link)}</link>"
        f"<guid>{item.slug}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(hours=item.hours_ago))}</pubDate>"
        f"<description><![CDATA[<p>{escape(item.teaser)}</p>]]></description>{encoded}</item>"
    )


def serve(server: FeedServer) -> tuple[str, str]:
    """Publish both outlets' feeds and pages; the feeds' URLs (A, B)."""
    now = datetime.now(UTC)
    entries_a = []
    for item in NEWS_A:
        path = f"/a/{item.slug}.html"
        server.set(path, page(item), content_type="text/html; charset=utf-8")
        entries_a.append(_entry(item, server.url(path) + "?utm_source=rss", now))
    entries_b = []
    for item in NEWS_B:
        furniture = f"<p>{escape(item.byline)}</p>" if item.byline else ""
        if item.caption:
            caption = f"<figcaption>{escape(item.caption)}</figcaption>"
            furniture += f"<figure><img src='p.jpg'/>{caption}</figure>"
        path = f"/b/{item.slug}.html"  # polling reads it only if the feed looks like a teaser
        server.set(path, page(item, OUTLET_B), content_type="text/html; charset=utf-8")
        link = server.url(path)
        entries_b.append(_entry(item, link, now, furniture + _paragraphs(item)))
    server.set("/a/feed.xml", _rss(OUTLET_A, entries_a))
    server.set("/b/feed.xml", _rss(OUTLET_B, entries_b))
    return server.url("/a/feed.xml"), server.url("/b/feed.xml")
