"""Pure decisions of exactly-once delivery: batch markers, retry delays, what to send.

Every message of a briefing carries a marker naming its batch and part
(`ref 3f9c2a7be104.2`). After a crash, the messages found in the channel with
those markers are the ones that were really posted.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from feeds.briefs import Briefing

MARKER_PREFIX = "ref "
_MARKER = re.compile(r"\bref ([0-9a-f]{12})\.(\d{1,3})\b")


def new_batch() -> str:
    """A fresh batch token: 12 hex digits, unique enough per channel for a lifetime."""
    return secrets.token_hex(6)


def marker(batch: str, part: int) -> str:
    return f"{MARKER_PREFIX}{batch}.{part}"


def notice_marker(notice_id: int) -> str:
    # Notices are not batched; their id is padded into the same shape.
    return marker(f"{notice_id:012x}", 0)


def markers_in(text: str) -> set[str]:
    """The markers that appear in a message's text (content, footers…)."""
    return {marker(batch, int(part)) for batch, part in _MARKER.findall(text or "")}


def retry_delays(
    attempts: int, *, first: timedelta = timedelta(seconds=2), cap: timedelta = timedelta(minutes=1)
) -> list[float]:
    """Seconds to wait before each retry: 2, 4, 8… capped (attempts - 1 waits)."""
    return [min(first * 2**n, cap).total_seconds() for n in range(max(attempts - 1, 0))]


def undelivered(briefing: Briefing, delivered: Iterable[int]) -> Briefing:
    """The briefing without the stories the channel already has (or is being sent)."""
    held = set(delivered)
    if not held:
        return briefing
    return replace(briefing, stories=tuple(s for s in briefing.stories if s.story_id not in held))


@dataclass(frozen=True)
class Part:
    """One message of a briefing as a platform renders it, and the stories it carries."""

    number: int  # 1-based
    story_ids: tuple[int, ...]
    payload: object  # platform-specific (e.g. a list of Discord embed dicts, or text)


def placements(parts: Iterable[Part]) -> dict[int, int]:
    """{story_id: part number} for the ledger; a story split over parts counts in its first."""
    placed: dict[int, int] = {}
    for part in parts:
        for story_id in part.story_ids:
            placed.setdefault(story_id, part.number)
    return placed
