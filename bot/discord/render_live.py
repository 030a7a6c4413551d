"""Live messages as Discord messages: one story as it grows, or a "more stories" list.

Pure, like bot/discord/render.py, whose escaping they share: article text can
neither format nor ping. The only mention a live message carries is the role a
subscription chose, in the content of a new story's post, and the message
allows exactly that role to be pinged (`role_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.discord import limits
from bot.discord.render import (
    COLOUR,
    ELLIPSIS,
    SUMMARY_BUDGET,
    escape,
    link,
    quote_block,
    safe_url,
    sources_line,
    truncate,
)
from feeds.live import LiveStory, LiveView
from feeds.wording import plural

SOURCES_BUDGET = 900
# A line of a "more stories" list: at most 15 of them fit one description.
MORE_LINE = 260
MORE_HEADLINE = 150


@dataclass(frozen=True)
class DiscordMessage:
    """A message to post or edit; `role_ids`: the only mentions it may ping."""

    embeds: list[dict]
    content: str | None = None
    role_ids: tuple[str, ...] = field(default=())


def render_live(view: LiveView, *, marker_text: str) -> DiscordMessage:
    if view.kind == "more":
        return DiscordMessage([more_embed(view, marker_text)])
    role = view.mention_role_id
    content = f"<@&{role}>" if role else None
    embeds = [story_embed(story, view, marker_text) for story in view.stories[:1]]
    return DiscordMessage(
        embeds or [_gone_embed(view, marker_text)], content, (role,) if role else ()
    )


def story_embed(story: LiveStory, view: LiveView, marker_text: str) -> dict:
    """Headline linked to the first article, summary, the key quote, the best new quote,
    every outlet so far; the footer counts the sources."""
    label = "New development" if story.development else "Live"
    blocks = [truncate(escape(story.summary), SUMMARY_BUDGET)] if story.summary.strip() else []
    if story.quote:
        blocks.append(quote_block(story.quote))
    if story.new_quote:
        blocks.append(
            f"New, from {escape(story.new_quote.source)}:\n{quote_block(story.new_quote)}"
        )
    count = plural(len(story.sources), "source")
    sources = sources_line(story.sources, SOURCES_BUDGET)
    if sources:  # as many outlets as fit; the count says how many there are
        blocks.append(f"{count}: {sources}")
    embed = {
        "author": {"name": truncate(f"{label} · {escape(view.topic_label)}", limits.AUTHOR)},
        "title": truncate(escape(story.headline) or ELLIPSIS, limits.TITLE),
        "description": "\n\n".join(blocks) or ELLIPSIS,
        "color": COLOUR,
        "footer": {"text": f"{count} · newsbrief live · {marker_text}"},
    }
    if safe_url(story.url):
        embed["url"] = safe_url(story.url)
    return embed


def more_embed(view: LiveView, marker_text: str) -> dict:
    """The stories past the hourly cap, or from quiet hours, one line each."""
    reasons = {story.reason for story in view.stories}
    why = []
    if "cap" in reasons:
        why.append(f"past this channel's {plural(view.max_per_hour, 'live post')} an hour")
    if "late" in reasons:
        why.append("from quiet hours, or while newsbrief was away")
    intro = (" or ".join(why) or "more live stories").capitalize() + ":"
    lines = [intro] + [_more_line(story) for story in view.stories]
    stories = plural(len(view.stories), "story", "stories")
    return {
        "title": truncate(f"More stories · {escape(view.topic_label)}", limits.TITLE),
        "description": truncate("\n".join(lines), limits.DESCRIPTION),
        "color": COLOUR,
        "footer": {"text": f"{stories} · newsbrief live · {marker_text}"},
    }


def _more_line(story: LiveStory) -> str:
    headline = truncate(escape(story.headline) or ELLIPSIS, MORE_HEADLINE)
    outlets = escape(" · ".join(source.name for source in story.sources[:3]))
    if len(story.sources) > 3:
        outlets += f" +{len(story.sources) - 3}"
    line = f"• {link(headline, story.url)} — {outlets}"
    if limits.length(line) > MORE_LINE:  # a very long link: the headline alone
        line = truncate(f"• {headline} — {outlets}", MORE_LINE)
    return line


def _gone_embed(view: LiveView, marker_text: str) -> dict:
    # The story's articles were deleted (e.g. its feed was removed): say so, keep the marker.
    return {
        "title": "This story is no longer available",
        "description": f"Its articles were removed from newsbrief ({escape(view.topic_label)}).",
        "color": COLOUR,
        "footer": {"text": f"newsbrief live · {marker_text}"},
    }
