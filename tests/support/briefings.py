"""Briefings built in memory, ordinary or hostile, for renderer and delivery tests."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from feeds.briefs import Briefing, KeyQuote, Source, StoryBrief

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)

HOSTILE = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "<t:1700000000:R>",
    "**bold**",
    "__under__",
    "~~strike~~",
    "||spoiler||",
    "`code`",
    "```block```",
    "> quote",
    "# Heading",
    "-# subtext",
    "- item",
    "1. item",
    "[click](https://evil.example/)",
    "https://discord.gg/invite",
    "\\",
    "😀" * 3,
    "\u202e reversed",
]


def story(
    story_id: int,
    headline: str,
    *,
    summary: str = "A summary.",
    quotes: tuple[tuple[str, str], ...] = (),
    sources: tuple[str, ...] = ("Example News",),
) -> StoryBrief:
    url = f"https://news.example/{story_id}"
    return StoryBrief(
        story_id=story_id,
        headline=headline,
        summary=summary,
        url=url,
        first_seen_at=NOW - timedelta(hours=1),
        sources=tuple(Source(name, f"{url}?src={n}") for n, name in enumerate(sources)),
        quotes=tuple(KeyQuote(text, speaker, url, sources[0]) for text, speaker in quotes),
    )


def briefing(*stories: StoryBrief, title: str = "Mexico security") -> Briefing:
    return Briefing(
        title=title,
        query="cartel",
        since=NOW - timedelta(days=1),
        until=NOW,
        stories=stories,
        total_stories=len(stories),
        timezone="Europe/Madrid",
        generated_at=NOW,
    )


def random_text(rng: random.Random, longest: int) -> str:
    words = []
    for _ in range(rng.randint(0, longest // 6 + 1)):
        if rng.random() < 0.15:
            words.append(rng.choice(HOSTILE))
        else:
            words.append(
                "".join(
                    rng.choice("abcdefghijklmnopqrstuvwxyzñé") for _ in range(rng.randint(1, 12))
                )
            )
    return " ".join(words)[:longest] if rng.random() < 0.9 else "x" * longest


def random_briefing(rng: random.Random) -> Briefing:
    stories = []
    for story_id in range(1, rng.randint(0, 25) + 1):
        stories.append(
            story(
                story_id,
                random_text(rng, rng.choice([20, 300, 1000])),
                summary=random_text(rng, rng.choice([0, 200, 5000])),
                quotes=tuple(
                    (random_text(rng, rng.choice([30, 900])), random_text(rng, 300))
                    for _ in range(rng.randint(0, 3))
                ),
                sources=tuple(random_text(rng, 80) or "src" for _ in range(rng.randint(1, 40))),
            )
        )
    return briefing(*stories, title=random_text(rng, 400) or "t")
