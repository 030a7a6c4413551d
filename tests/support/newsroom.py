"""Stories written straight into the database, and briefings built from them.

`compose_stored` stands in for the briefings engine (issue 5) in the bot's
tests only: it lists the stored stories first seen in the window, newest
first, with their quotes. It does no topic matching; the lead replaces it with
the real `compose` when both are merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from feeds.briefs import Briefing, KeyQuote, Source, StoryBrief
from feeds.models import Article, Feed, Quote, Story
from feeds.store import Store
from feeds.timeutil import utcnow


@dataclass(frozen=True)
class Said:
    text: str
    speaker: str


def add_feed(store: Store, url: str = "https://news.example/rss", name: str = "Example News"):
    return store.add_feed(url, name=name, origin="config")


def add_story(
    store: Store,
    feed: Feed,
    headline: str,
    *,
    summary: str = "",
    url: str | None = None,
    quotes: tuple[Said, ...] = (),
    seen_at: datetime | None = None,
) -> int:
    """One story carried by one article of `feed`; returns the story id."""
    seen_at = seen_at or utcnow()
    url = url or f"https://news.example/{abs(hash(headline))}"
    with store.session() as session:
        story = Story(headline=headline, first_seen_at=seen_at, last_seen_at=seen_at)
        session.add(story)
        session.flush()
        article = Article(
            feed_id=feed.id,
            entry_key=url,
            url=url,
            canonical_url=url,
            title=headline,
            summary=summary,
            first_seen_at=seen_at,
            published_at=seen_at,
            story_id=story.id,
        )
        session.add(article)
        session.flush()
        for rank, said in enumerate(quotes, start=1):
            session.add(
                Quote(
                    article_id=article.id,
                    text=said.text,
                    start=0,
                    end=1,
                    speaker=said.speaker,
                    rank=rank,
                )
            )
        return story.id


def compose_stored(store: Store, request) -> Briefing:
    """Every story first seen in the request's window (no topic matching)."""
    with store.session() as session:
        rows = session.exec(
            select(Story, Article, Feed)
            .join(Article, Article.story_id == Story.id)
            .join(Feed, Feed.id == Article.feed_id)
            .where(Story.first_seen_at >= request.since, Story.first_seen_at <= request.until)
            .order_by(Story.first_seen_at.desc(), Story.id)
        ).all()
        quotes = {q.article_id: q for q in session.exec(select(Quote).order_by(Quote.rank.desc()))}
    stories = []
    for story, article, feed in rows[: request.max_stories]:
        source = feed.name or feed.title or feed.url
        said = quotes.get(article.id)
        stories.append(
            StoryBrief(
                story_id=story.id,
                headline=story.headline,
                summary=article.summary or "",
                url=article.url,
                first_seen_at=story.first_seen_at,
                sources=(Source(source, article.url),),
                quotes=(KeyQuote(said.text, said.speaker, article.url, source),) if said else (),
            )
        )
    return Briefing(
        title=request.title,
        query=request.query,
        since=request.since,
        until=request.until,
        stories=tuple(stories),
        total_stories=len(rows),
        timezone=request.timezone,
        generated_at=utcnow(),
    )
