"""Briefings and replies as Discord messages that always fit Discord's limits.

Pure functions from platform-neutral values to Discord API dicts (embeds are
plain dicts here; the adapter turns them into `discord.Embed`). Text from
articles and from users is escaped so that it can neither format nor ping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from bot.discord import limits
from feeds.briefs import Briefing, KeyQuote, Source, StoryBrief
from feeds.briefs.render import day_label, show_year
from feeds.delivery import Part, marker
from feeds.wording import plural

ELLIPSIS = "…"
ZWSP = "\u200b"
# Most a single story may take, so a message holds a few stories.
STORY_BUDGET = 1900
SUMMARY_BUDGET = 700
QUOTE_BUDGET = 400
# Room kept in every message for its footer (part number and marker).
FOOTER_RESERVE = 80
COLOUR = 0x2B6CB0

# Characters that format anywhere (emphasis, code, spoilers, masked links),
# and those that only format at the start of a line (quotes, headings, lists).
_INLINE = re.compile(r"([\\*_`~|\[\]])")
_LINE_START = re.compile(r"^(\s*)([>#\-+]|\d+\.)")


def escape(text: str | None) -> str:
    """Plain text made inert: no markdown, no mentions, no <…> tokens, one line.

    Backslash-escapes what Discord would format (emphasis, code, spoilers,
    masked links, and quotes, headings and lists at the start), and puts a
    zero-width space after every "@" and "<" so that @everyone, <@id>, <#id>,
    <t:…> and </command:id> show as typed and ping nobody.
    """
    flat = " ".join((text or "").split())
    escaped = _INLINE.sub(r"\\\1", flat)
    escaped = _LINE_START.sub(_escape_line_start, escaped)
    return escaped.replace("@", "@" + ZWSP).replace("<", "<" + ZWSP)


def _escape_line_start(match: re.Match) -> str:
    indent, mark = match.groups()
    if mark.endswith("."):  # "1." -> "1\." (a backslash before a digit is not an escape)
        return f"{indent}{mark[:-1]}\\."
    return f"{indent}\\{mark}"


def escape_lines(text: str) -> str:
    """Like `escape`, keeping line breaks (for multi-line replies)."""
    return "\n".join(escape(line) for line in text.split("\n"))


def _prefix(text: str, units: int) -> str:
    """The longest prefix within `units` Discord characters that does not end mid-escape."""
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > units:
            cut = text[:index]
            break
    else:
        return text
    # A trailing backslash would escape what follows; "@"/"<" must keep their guard.
    return cut.rstrip("\\@<")


def truncate(text: str, limit: int) -> str:
    """Cut to at most `limit` Discord characters, on a word boundary, ending in "…"."""
    if limits.length(text) <= limit:
        return text
    cut = _prefix(text, limit - 1)
    if " " in cut[-40:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip("\\@< ") + ELLIPSIS


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for an embed or a masked link, or None."""
    if not url or limits.length(url) > limits.URL - 20:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Characters that would end a masked link or confuse Discord's parser.
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~-._")


def link(label: str, url: str | None) -> str:
    target = safe_url(url)
    return f"[{label}]({target})" if target else label


def quote_block(said: KeyQuote) -> str:
    text = truncate(escape(said.text), QUOTE_BUDGET)
    speaker = escape(said.speaker) if said.speaker else "unattributed"
    return f"> “{text}”\n> — {speaker} · {link(escape(said.source), said.url)}"


def sources_line(sources: Iterable[Source], budget: int) -> str:
    """Outlets linked to their articles, as many as fit in `budget`."""
    line = ""
    for source in sources:
        item = link(escape(source.name), source.url)
        candidate = f"{line} · {item}" if line else item
        if limits.length(candidate) > budget:
            break
        line = candidate
    return line


def story_embed(story: StoryBrief, number: int) -> dict:
    """One story: headline linked to its article, summary, key quotes, sources."""
    count = len(story.sources)
    suffix = f"  ({count} sources)" if count > 1 else ""
    title = truncate(f"{number}. {escape(story.headline)}", limits.TITLE - len(suffix)) + suffix
    blocks = [truncate(escape(story.summary), SUMMARY_BUDGET)] if story.summary.strip() else []
    for said in story.quotes:
        block = quote_block(said)
        if limits.length("\n\n".join([*blocks, block])) <= STORY_BUDGET - 200:
            blocks.append(block)
    used = limits.length("\n\n".join(blocks))
    sources = sources_line(story.sources, STORY_BUDGET - used - 2)
    if sources:
        blocks.append(sources)
    embed = {"title": title, "description": "\n\n".join(blocks) or ELLIPSIS, "color": COLOUR}
    if safe_url(story.url):
        embed["url"] = safe_url(story.url)
    return embed


def header_embed(briefing: Briefing) -> dict:
    zone = ZoneInfo(briefing.timezone)
    day = (briefing.generated_at or briefing.until).astimezone(zone)
    year = show_year(briefing)
    title = truncate(
        f"{escape(briefing.title)} — {day_label(day, full=True, year=year)}", limits.TITLE
    )
    if briefing.is_empty:
        since = briefing.since.astimezone(zone)
        when = f"{day_label(since, year=year)} {since:%H:%M}"
        lines = [f"No new stories since {when} ({zone.key})."]
    else:
        stories = plural(briefing.story_count, "story", "stories")
        lines = [f"{stories} from {plural(briefing.source_count, 'source')}"]
        if briefing.total_stories > briefing.story_count:
            lines[0] += f" (top {briefing.story_count} of {briefing.total_stories})"
    lines += [truncate(escape(note), 300) for note in briefing.notes[:5]]
    return {"title": title, "description": "\n".join(lines), "color": COLOUR}


def render_briefing(briefing: Briefing, *, batch: str | None = None) -> list[Part]:
    """The briefing as one or more messages (each a list of embed dicts) within every limit.

    With a `batch`, each message's footer carries its marker, which is how a
    restart recognises what it already posted.
    """
    messages: list[list[dict]] = [[header_embed(briefing)]]
    stories: list[list[int]] = [[]]
    for number, story in enumerate(briefing.stories, start=1):
        embed = story_embed(story, number)
        current = messages[-1]
        total = sum(map(limits.embed_size, current)) + limits.embed_size(embed)
        if len(current) >= limits.EMBEDS or total > limits.TOTAL - FOOTER_RESERVE:
            messages.append([])
            stories.append([])
        messages[-1].append(embed)
        stories[-1].append(story.story_id)
    count = len(messages)
    parts = []
    for number, (embeds, story_ids) in enumerate(zip(messages, stories, strict=True), start=1):
        footer = "newsbrief" + (f" · {number}/{count}" if count > 1 else "")
        if batch:
            footer += f" · {marker(batch, number)}"
        embeds[-1]["footer"] = {"text": footer}
        parts.append(Part(number=number, story_ids=tuple(story_ids), payload=embeds))
    return parts


def render_notice(title: str, text: str, *, marker_text: str | None = None) -> list[dict]:
    """A short notice (e.g. a disabled feed) as one embed."""
    embed = {
        "title": truncate(escape(title), limits.TITLE),
        "description": truncate(escape_lines(text), limits.DESCRIPTION),
        "color": 0xC05621,
    }
    if marker_text:
        embed["footer"] = {"text": f"newsbrief · {marker_text}"}
    return [embed]


def split_text(text: str, limit: int = limits.CONTENT) -> list[str]:
    """Escaped reply text cut into messages of at most `limit`, at line breaks when possible."""
    chunks: list[str] = []
    current = ""
    for line in escape_lines(text).split("\n"):
        while limits.length(line) > limit:  # a very long line: hard cuts, nothing lost
            head = _prefix(line, limit)
            chunks.extend([current, head] if current else [head])
            current, line = "", line[len(head) :]
        candidate = f"{current}\n{line}" if current else line
        if current and limits.length(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current.strip() or not chunks:
        chunks.append(current or ELLIPSIS)
    return chunks
