"""Render a Briefing as terminal text, Markdown or JSON (schema below).

`header` and `empty_message` are the wording every renderer shares (the
Discord renderer in bot/ uses them too), so a briefing reads the same
everywhere.

JSON schema, version 1 (`schema_version` changes when a field is removed or
changes meaning; new fields may appear without a version change):

    {
      "schema_version": 1,
      "kind": "topic" | "search",
      "title": str, "query": str,
      "since": ISO 8601 UTC, "until": ISO 8601 UTC, "timezone": IANA name,
      "generated_at": ISO 8601 UTC | null,
      "message": str,            # the header line, or the "no new stories" sentence
      "empty": bool,
      "story_count": int, "source_count": int, "total_stories": int,
      "notes": [str],
      "stories": [{
        "id": int, "headline": str, "summary": str, "url": str | null,
        "first_seen_at": ISO 8601 UTC, "last_seen_at": ISO 8601 UTC | null,
        "article_count": int, "source_count": int, "score": float,
        "matched": [str],
        "sources": [{"name": str, "url": str | null}],
        "quotes": [{"text": str, "speaker": str | null, "url": str | null, "source": str}]
      }]
    }
"""

from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from feeds.briefs.model import Briefing, KeyQuote, StoryBrief
from feeds.parse.text import strip_controls
from feeds.timeutil import utcnow
from feeds.wording import plural

SCHEMA_VERSION = 1
FORMATS = ("text", "markdown", "json")


LONG_WINDOW = timedelta(days=300)  # longer windows show the year in their dates


def _local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def day_label(moment: datetime, *, year: bool = False, full: bool = False) -> str:
    """'Thu 27 Nov', 'Thursday 27 Nov' (full) or 'Thu 27 Nov 2025' (year), in `moment`'s zone."""
    label = f"{moment:%A}" if full else f"{moment:%a}"
    label += f" {moment.day} {moment:%b}"
    return f"{label} {moment.year}" if year else label


def show_year(briefing: Briefing, now: datetime | None = None) -> bool:
    """Whether dates need their year: a long window, or one reaching into another year than now.

    `now` defaults to when the briefing was generated (else the clock).
    """
    if briefing.until - briefing.since > LONG_WINDOW:
        return True
    zone = ZoneInfo(briefing.timezone)
    this_year = (now or briefing.generated_at or utcnow()).astimezone(zone).year
    return any(
        moment.astimezone(zone).year != this_year for moment in (briefing.since, briefing.until)
    )


def _when(moment: datetime, timezone: str, *, year: bool = False) -> str:
    """'Thu 27 Nov 08:00 UTC' in the briefing's zone ('Thu 27 Nov 2025 08:00 UTC' with year)."""
    local = _local(moment, timezone)
    return f"{day_label(local, year=year)} {local:%H:%M} {local.tzname() or timezone}"


def header(briefing: Briefing, *, now: datetime | None = None) -> str:
    """'Mexico security — Thursday 27 Nov · 6 stories from 9 sources'.

    A window over a day and a half shows both ends ('Mon 24 Nov – Thu 27 Nov');
    the year is added when `show_year` says so.
    """
    year = show_year(briefing, now)
    until = _local(briefing.until, briefing.timezone)
    span_hours = (briefing.until - briefing.since).total_seconds() / 3600
    if span_hours <= 36:
        period = day_label(until, full=True, year=year)
    else:
        since = _local(briefing.since, briefing.timezone)
        period = f"{day_label(since, year=year)} – {day_label(until, year=year)}"
    stories = plural(briefing.story_count, "story", "stories")
    counts = f"{stories} from {plural(briefing.source_count, 'source')}"
    return f"{briefing.title} — {period} · {counts}"


def empty_message(briefing: Briefing, *, now: datetime | None = None) -> str:
    """'No new stories on Mexico security since Thu 27 Nov 08:00 UTC.'"""
    about = "matching" if briefing.kind == "search" else "on"
    since = _when(briefing.since, briefing.timezone, year=show_year(briefing, now))
    return f"No new stories {about} {briefing.title} since {since}."


def _source_line(story: StoryBrief, timezone: str, *, year: bool = False) -> str:
    names = " · ".join(terminal_line(source.name) for source in story.sources)
    return f"{names} — first seen {_when(story.first_seen_at, timezone, year=year)}"


def _count_label(story: StoryBrief) -> str:
    return plural(len(story.sources), "source")


# Terminal text.


def terminal_line(text: str | None) -> str:
    """One line fit for a terminal: no control characters or escape sequences, spaces collapsed.

    Stored text is cleaned at ingestion; this also covers rows stored before
    that, topic names and anything else a briefing carries.
    """
    return " ".join(strip_controls(text or "").split())


def quote_attribution(quote: KeyQuote, *, unattributed: str = "") -> str:
    """' — Claudia Sheinbaum · Wire': who said it (else `unattributed`) and the outlet."""
    who = terminal_line(quote.speaker) or unattributed
    source = terminal_line(quote.source)
    speaker = f" — {who}" if who else ""
    return f"{speaker} · {source}" if source else speaker


def render_text(briefing: Briefing, *, width: int = 78) -> str:
    if briefing.is_empty:
        lines = [terminal_line(empty_message(briefing))]
    else:
        lines = [terminal_line(header(briefing))]
        year = show_year(briefing)
        for number, story in enumerate(briefing.stories, 1):
            lines.extend(_text_story(number, story, briefing.timezone, width, year))
    lines.extend(f"({terminal_line(note)})" for note in briefing.notes)
    return "\n".join(lines) + "\n"


def _text_story(number: int, story: StoryBrief, timezone: str, width: int, year: bool) -> list[str]:
    indent = " " * 3

    def wrap(text: str, first: str = indent, rest: str = indent) -> list[str]:
        return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)

    clean = terminal_line
    lines = wrap(f"{number}. {clean(story.headline)}  ({_count_label(story)})", "", indent)
    if story.summary:
        lines += wrap(clean(story.summary))
    for quote in story.quotes:
        said = f"“{clean(quote.text)}”{quote_attribution(quote)}"
        lines += wrap(said, indent + "> ", indent + "> ")
        if quote.url and quote.url != story.url:  # the story's own link closes the story
            lines.append(f"{indent}> {terminal_line(quote.url)}")
    lines += wrap(_source_line(story, timezone, year=year))
    if story.url:
        lines.append(indent + terminal_line(story.url))
    return lines


# Markdown.

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def escape_markdown(text: str) -> str:
    return text.translate(_MARKDOWN_SPECIAL)


def _link(text: str, url: str | None) -> str:
    if not url:
        return escape_markdown(text)
    target = f"<{url}>" if any(c in url for c in " ()<>") else url
    return f"[{escape_markdown(text)}]({target})"


def render_markdown(briefing: Briefing) -> str:
    if briefing.is_empty:
        parts = [escape_markdown(empty_message(briefing))]
    else:
        parts = [f"## {escape_markdown(header(briefing))}"]
        year = show_year(briefing)
        for number, story in enumerate(briefing.stories, 1):
            parts.append(_markdown_story(number, story, briefing.timezone, year))
    parts.extend(f"*{escape_markdown(note)}*" for note in briefing.notes)
    return "\n\n".join(parts) + "\n"


def _markdown_story(number: int, story: StoryBrief, timezone: str, year: bool) -> str:
    indent = " " * (len(str(number)) + 2)
    lines = [f"{number}. **{_link(story.headline, story.url)}** ({_count_label(story)})"]
    if story.summary:
        lines.append(f"{indent}{escape_markdown(story.summary)}")
    for quote in story.quotes:
        speaker = f" — **{escape_markdown(quote.speaker)}**" if quote.speaker else ""
        lines.append("")
        lines.append(
            f"{indent}> “{escape_markdown(quote.text)}”{speaker} ({_link(quote.source, quote.url)})"
        )
    sources = " · ".join(_link(source.name, source.url) for source in story.sources)
    lines.append("")
    first_seen = _when(story.first_seen_at, timezone, year=year)
    lines.append(f"{indent}{sources} — first seen {first_seen}")
    return "\n".join(lines)


# JSON.


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def to_dict(briefing: Briefing) -> dict:
    """The briefing as plain JSON-ready data (schema in the module docstring)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": briefing.kind,
        "title": briefing.title,
        "query": briefing.query,
        "since": _iso(briefing.since),
        "until": _iso(briefing.until),
        "timezone": briefing.timezone,
        "generated_at": _iso(briefing.generated_at),
        "message": empty_message(briefing) if briefing.is_empty else header(briefing),
        "empty": briefing.is_empty,
        "story_count": briefing.story_count,
        "source_count": briefing.source_count,
        "total_stories": briefing.total_stories,
        "notes": list(briefing.notes),
        "stories": [_story_dict(story) for story in briefing.stories],
    }


def _story_dict(story: StoryBrief) -> dict:
    return {
        "id": story.story_id,
        "headline": story.headline,
        "summary": story.summary,
        "url": story.url,
        "first_seen_at": _iso(story.first_seen_at),
        "last_seen_at": _iso(story.last_seen_at),
        "article_count": story.article_count,
        "source_count": len(story.sources),
        "score": story.score,
        "matched": list(story.matched),
        "sources": [{"name": s.name, "url": s.url} for s in story.sources],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "url": q.url, "source": q.source}
            for q in story.quotes
        ],
    }


def render_json(briefing: Briefing) -> str:
    return json.dumps(to_dict(briefing), ensure_ascii=False, indent=2) + "\n"


def render(briefing: Briefing, format: str) -> str:
    """Render in one of FORMATS."""
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    try:
        return renderers[format](briefing)
    except KeyError:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}") from None
