"""Briefings as plain terminal text (the console "channel")."""

from __future__ import annotations

import textwrap
from zoneinfo import ZoneInfo

from feeds.briefs import Briefing
from feeds.briefs.render import day_label, quote_attribution, show_year, terminal_line
from feeds.live import LiveView
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


def render_live(view: LiveView) -> str:
    """A live story (or a "more stories" list) as terminal text; the first line says what
    it is, for the console shows an edit by printing the message again."""
    if view.kind == "more":
        stories = plural(len(view.stories), "more story", "more stories")
        lines = [f"Live · {terminal_line(view.topic_label)} · {stories}"]
        for story in view.stories:
            outlets = " · ".join(s.name for s in story.sources)
            lines += _wrap(f"- {story.headline} — {outlets}", "", hang="  ")
        return "\n".join(lines)
    lines = []
    for story in view.stories[:1]:
        label = "New development" if story.development else "Live"
        count = plural(len(story.sources), "source")
        lines.append(f"{label} · {terminal_line(view.topic_label)} · {count}")
        lines += _wrap(story.headline, "")
        lines += _wrap(story.summary, "   ")
        for said, prefix in ((story.quote, ""), (story.new_quote, "new: ")):
            if said is not None:
                attribution = quote_attribution(said, unattributed="unattributed")
                lines += _wrap(f"{prefix}“{said.text}”{attribution}", "   ", "> ")
        lines += _wrap(" · ".join(s.name for s in story.sources), "   ")
        if story.url:
            lines.append(f"   {terminal_line(story.url)}")
    return "\n".join(lines) or f"Live · {terminal_line(view.topic_label)} · no longer available"
