"""The texts a briefing summarises, from the demo's outlets and from real feeds.

`demo_texts()` renders the demo's article pages and extracts them as polling
would; `real_feed_texts(folder)` parses every feed of a folder (the real feeds
of ../shared/corpus/feeds/real-200: never copied here) with our parser. Each
comes back as an ArticleText with the lead the analysis would store, so that
`feeds.briefs.compose.summarize` sees what it sees in production.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from feeds.nlp.summary import summarize as lead_of
from feeds.store import ArticleText

REAL_FEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "feeds" / "real-200"


def demo_texts() -> list[ArticleText]:
    """The demo's articles as the pipeline stores them: page text, its lead, the teaser."""
    from bot.demo.server import render_page
    from bot.demo.stories import OUTLETS, STORIES
    from feeds.parse.article import extract_article_text

    now = datetime.now(UTC)
    outlets = {outlet.slug: outlet for outlet in OUTLETS}
    texts = []
    for story in STORIES:
        page = render_page(outlets[story.outlet], story, "http://demo.invalid", now)
        body = extract_article_text(page.encode(), "http://demo.invalid/a.html")
        texts.append(_text(len(texts), story.title, story.teaser, body))
    return texts


def real_feed_texts(folder: Path, progress: Callable[[str], None]) -> list[ArticleText]:
    """Every entry of the real feeds, with the lead the pipeline would compute from it."""
    from feeds.parse.feed import parse_feed

    texts = []
    for path in sorted(folder.iterdir()):
        try:
            parsed = parse_feed(path.read_bytes(), f"https://{path.name}.invalid/feed")
        except Exception as error:  # a feed our parser rejects has no summaries to count
            progress(f"    {path.name}: not parsed ({type(error).__name__})")
            continue
        for entry in parsed.entries:
            if entry.title:
                texts.append(_text(len(texts), entry.title, entry.summary, entry.content))
    return texts


def _text(index: int, title: str, summary: str, content: str) -> ArticleText:
    """An ArticleText as stored: body = the page or feed content, else the summary."""
    body = content or summary
    lead = lead_of(body) or None
    now = datetime.now(UTC)
    return ArticleText(
        id=index,
        story_id=None,
        feed_id=0,
        title=title,
        opening=lead or summary[:600],
        body=body,
        published_at=now,
        first_seen_at=now,
        announce=True,
        url=None,
        lead=lead,
    )
