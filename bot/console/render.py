"""Briefings as plain terminal text (the console "channel")."""

from __future__ import annotations

import textwrap
from zoneinfo import ZoneInfo

from feeds.briefs import Briefing
from feeds.briefs.render import day_label, quote_attribution, show_year, terminal_line
from feeds.wording import plural

WIDTH = 78


def _wrap(text: str, indent: str, prefix: str = "", *, hang: str = "") -> list[str]:
    return textwrap.wrap(
        terminal_line(text),
        WIDTH,
        initial_indent=indent + prefix,
        subsequent_indent=(hang or indent) + prefix,
    )


def render_briefing(briefing: Briefing) -> str:
    zone = ZoneInfo(briefing.timezone)
    day = (briefing.generated_at or briefing.until).astimezone(zone)
    year = show_year(briefing)
    head = f"{terminal_line(briefing.title)} — {day_label(day, full=True, year=year)}"
    if briefing.is_empty:
        since = briefing.since.astimezone(zone)
        lines = [head, f"No new stories since {day_label(since, year=year)} {since:%H:%M}."]
    else:
        stories = plural(briefing.story_count, "story", "stories")
        lines = [f"{head} · {stories} from {plural(briefing.source_count, 'source')}"]
    lines += [terminal_line(note) for note in briefing.notes]
    for number, story in enumerate(briefing.stories, start=1):
        count = len(story.sources)
        suffix = f"  ({count} sources)" if count > 1 else ""
        lines += _wrap(f"{number}. {story.headline}{suffix}", "", hang="   ")
        lines += _wrap(story.summary, "   ")
        for said in story.quotes:
            attribution = quote_attribution(said, unattributed="unattributed")
            lines += _wrap(f"“{said.text}”{attribution}", "   ", "> ")
            if said.url and said.url != story.url:  # the story's own link closes the story
                lines.append(f"   > {terminal_line(said.url)}")
        if story.sources:
            lines += _wrap(" · ".join(s.name for s in story.sources), "   ")
        if story.url:
            lines.append(f"   {terminal_line(story.url)}")
    return "\n".join(lines)
