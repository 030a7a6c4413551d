"""Time helpers shared by every layer: UTC now, durations and sizes from text, safe dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from feeds.errors import InvalidInputError

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(min|sec|w|d|h|m|s)?", re.IGNORECASE)
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_SIZE_FACTOR = {"k": 1000, "m": 1000**2, "g": 1000**3, "ki": 1024, "mi": 1024**2, "gi": 1024**3}
# Longer than any look-back or interval makes sense for, and short enough that
# `now ± duration` stays well inside datetime's range (years 1..9999).
MAX_DURATION = timedelta(days=36525)
_MAX_HINT = "at most 100 years (36525d)"
# A feed's date outside [EARLIEST_PUBLICATION, now + FUTURE_SLACK] is no publication
# date: Hugo writes "Mon, 01 Jan 0001" for undated pages, broken CMSs write 1970 or 2099.
EARLIEST_PUBLICATION = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Treat naive datetimes as UTC (SQLite returns them naive) and convert aware ones."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def publication_date(when: datetime | None, now: datetime | None = None) -> datetime | None:
    """`when` in UTC if it can be when an article was published, else None (unknown).

    Dates before 1990 or more than a day ahead of `now` are placeholders or
    clock errors; an unknown date makes the article count from when it was
    first seen.
    """
    try:
        when = as_utc(when)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        return None
    if when is None or when < EARLIEST_PUBLICATION:
        return None
    latest = (utcnow() if now is None else now) + FUTURE_SLACK
    return when if when <= latest else None


def shift(moment: datetime, delta: timedelta) -> datetime:
    """`moment + delta`, held at datetime's first or last moment instead of overflowing."""
    try:
        return moment + delta
    except OverflowError:
        edge = datetime.max if delta > timedelta(0) else datetime.min
        return edge.replace(tzinfo=moment.tzinfo)


def parse_duration(text: str | int | float | timedelta) -> timedelta:
    """Parse '90s', '5m', '24h', '3d', '1h30m' or a number of seconds (at most MAX_DURATION).

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)
    """
    if isinstance(text, timedelta):
        return _bounded(text.total_seconds(), text)
    if isinstance(text, bool):
        raise InvalidInputError(f"not a duration: {text!r}")
    if isinstance(text, int | float):
        if text < 0:
            raise InvalidInputError(f"a duration cannot be negative: {text!r}")
        return _bounded(text, text)
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        raise InvalidInputError("empty duration; use e.g. 30m, 24h or 3d")
    seconds = 0.0
    position = 0
    for match in _DURATION_PART.finditer(cleaned):
        if match.start() != position or not match.group(0):
            break
        unit = (match.group(2) or "s").lower()
        seconds += float(match.group(1)) * _UNIT_SECONDS[unit]
        position = match.end()
    if position != len(cleaned):
        raise InvalidInputError(f"not a duration: {text!r}; use e.g. 30m, 24h or 3d")
    return _bounded(seconds, text)


def _bounded(seconds: float, given: object) -> timedelta:
    # Compare before building the timedelta: a huge or infinite one raises OverflowError.
    if not seconds <= MAX_DURATION.total_seconds():  # also catches NaN
        raise InvalidInputError(f"duration too long: {given!r}; {_MAX_HINT}")
    return timedelta(seconds=seconds)


def ago(duration: timedelta, now: datetime | None = None) -> datetime:
    """The start of a look-back window: `now - duration`, clamped to MAX_DURATION.

    Durations from parse_duration are already bounded; the clamp keeps any
    other timedelta from pushing the date out of range.
    """
    now = utcnow() if now is None else now
    return now - min(max(duration, timedelta(0)), MAX_DURATION)


def format_duration(value: timedelta) -> str:
    """Render a duration compactly: 1d2h, 45m, 30s."""
    total = int(value.total_seconds())
    if total <= 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts[:2])


def parse_size(text: str | int) -> int:
    """Parse a byte size: 5242880, '5MiB', '500kB', '2 MB'."""
    if isinstance(text, bool):
        raise InvalidInputError(f"not a size: {text!r}")
    if isinstance(text, int):
        if text < 0:
            raise InvalidInputError(f"a size cannot be negative: {text!r}")
        return text
    match = _SIZE.match(text)
    if not match:
        raise InvalidInputError(f"not a size: {text!r}; use e.g. 5MiB or 500kB")
    unit = (match.group(2) or "b").lower().removesuffix("b")
    return int(float(match.group(1)) * _SIZE_FACTOR.get(unit, 1))
