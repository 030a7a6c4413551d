"""Briefings as plain terminal text (the console "channel")."""

from __future__ import annotations

import textwrap
from zoneinfo import ZoneInfo

from feeds.briefs import Briefing
from feeds.wording import plural

WIDTH = 78


def _clean(text: str | None) -> str:
    # One line, and no control characters from article text reaching the terminal.
    return " ".join("".join(c for c in (text or "") if c.isprintable() or c.isspace()).split())


def _wrap(text: str, indent: str, prefix: str = "", *, hang: str = "") -> list[str]:
    return textwrap.wrap(
        _clean(text),
        WIDTH,
        initial_indent=indent + prefix,
        subsequent_indent=(hang or indent) + prefix,
    )


def render_briefing(briefing: Briefing) -> str:
    zone = ZoneInfo(briefing.timezone)
    day = (briefing.generated_at or briefing.until).astimezone(zone)
    head = f"{_clean(briefing.title)} — {day:%A} {day.day} {day:%b}"
    if briefing.is_empty:
        since = briefing.since.astimezone(zone)
        lines = [head, f"No new stories since {since:%a} {since.day} {since:%b %H:%M}."]
    else:
        stories = plural(briefing.story_count, "story", "stories")
        lines = [f"{head} · {stories} from {plural(briefing.source_count, 'source')}"]
    lines += [_clean(note) for note in briefing.notes]
    for number, story in enumerate(briefing.stories, start=1):
        count = len(story.sources)
        suffix = f"  ({count} sources)" if count > 1 else ""
        lines += _wrap(f"{number}. {story.headline}{suffix}", "", hang="   ")
        lines += _wrap(story.summary, "   ")
        for said in story.quotes:
            lines += _wrap(f"“{said.text}” — {said.speaker or 'unattributed'}", "   ", "> ")
        if story.sources:
            lines += _wrap(" · ".join(s.name for s in story.sources), "   ")
        if story.url:
            lines.append(f"   {_clean(story.url)}")
    return "\n".join(lines)
