"""When to poll a feed next, and what a failure does to it: pure functions.

A feed is polled about twice per typical gap between its entries, never more
often than the server's cache headers (Cache-Control max-age, Expires) or its
RSS <ttl> allow, and always within [interval_min, interval_max]. Failures back
off exponentially (honouring Retry-After); after `max_failures` in a row, or
at once for a permanent answer such as 410 Gone, the feed is disabled with the
failure's reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

# Failures that will not fix themselves: disable at the first one.
PERMANENT_REASONS = frozenset({"http_410", "bad_url"})
_WINDOW = 20  # newest entries used to estimate the publishing rate


@dataclass(frozen=True)
class PollPolicy:
    interval_min: float = 300.0
    interval_max: float = 86400.0
    max_failures: int = 8
    default_interval: float = 3600.0


def clamp(seconds: float, policy: PollPolicy) -> float:
    return min(max(seconds, policy.interval_min), policy.interval_max)


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds the response may be reused for, from Cache-Control or Expires."""
    control = headers.get("cache-control", "")
    for directive in control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name == "max-age":
            try:
                age = float(headers.get("age", "0") or 0)
                return max(0.0, float(value.strip().strip('"')) - age)
            except ValueError:
                return None
    if "expires" in headers:
        expires = _http_date(headers["expires"])
        if expires is None:
            return 0.0  # "Expires: 0" and other junk mean already expired
        base = _http_date(headers.get("date", "")) or now
        return max(0.0, (expires - base).total_seconds())
    return None


def _http_date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return when


def publishing_gap(dates: Sequence[datetime | None]) -> float | None:
    """Average seconds between the newest entries, or None when it cannot be told."""
    known = sorted((d for d in dates if d is not None), reverse=True)[:_WINDOW]
    if len(known) < 2:
        return None
    span = (known[0] - known[-1]).total_seconds()
    return span / (len(known) - 1) if span > 0 else None


def interval_after_success(
    policy: PollPolicy,
    *,
    previous: float,
    dates: Sequence[datetime | None] = (),
    cache_seconds: float | None = None,
    ttl_seconds: float | None = None,
) -> float:
    """The polling interval after a successful poll that read the entries."""
    gap = publishing_gap(dates)
    interval = gap / 2 if gap is not None else (previous or policy.default_interval)
    return clamp(max(interval, cache_seconds or 0.0, ttl_seconds or 0.0), policy)


def interval_when_unchanged(
    policy: PollPolicy, *, previous: float, cache_seconds: float | None = None
) -> float:
    """The polling interval after a 304 or an identical body."""
    return clamp(max(previous or policy.default_interval, cache_seconds or 0.0), policy)


def spread(feed_id: int, interval: float) -> float:
    """Up to +10% per feed, fixed by its id, so feeds added together drift apart."""
    return interval * (1 + ((feed_id * 2654435761) % 1000) / 10000)


@dataclass(frozen=True)
class FailureDecision:
    error_count: int
    next_check_at: datetime
    disabled_reason: str | None


def after_failure(
    policy: PollPolicy,
    *,
    error_count: int,
    reason: str,
    now: datetime,
    retry_after: float | None = None,
) -> FailureDecision:
    """Back off exponentially from interval_min; disable after max_failures."""
    count = error_count + 1
    delay = min(policy.interval_min * 2 ** min(count - 1, 30), policy.interval_max)
    if retry_after:
        delay = max(delay, min(retry_after, policy.interval_max))
    disabled = reason if count >= policy.max_failures or reason in PERMANENT_REASONS else None
    return FailureDecision(count, now + timedelta(seconds=delay), disabled)
