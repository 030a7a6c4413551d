"""Daily briefing slots: local wall-clock times in an IANA zone, as UTC instants.

Pure functions, no I/O. Daylight-saving rules, as a person setting an alarm
would expect:

- a local time that does not exist on a spring-forward day (02:30 when the
  clocks jump from 02:00 to 03:00) fires once, at the first instant after the
  gap's start (03:30 local: the wall time plus the gap);
- a local time that happens twice on a fall-back day fires once, at its first
  occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feeds.errors import InvalidInputError

# How far back a scheduled briefing looks when the previous slot is unknown,
# and the most it looks back after a long outage.
DEFAULT_LOOKBACK = timedelta(hours=24)
MAX_LOOKBACK = timedelta(days=7)


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; InvalidInputError names it when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Madrid"
        ) from None


def parse_time_of_day(text: str) -> time:
    """'08:00' or '8:00' -> time(8, 0); InvalidInputError otherwise."""
    hours, _, minutes = text.strip().partition(":")
    if (
        hours.isdigit()
        and minutes.isdigit()
        and len(minutes) == 2
        and 0 <= int(hours) <= 23
        and 0 <= int(minutes) <= 59
    ):
        return time(int(hours), int(minutes))
    raise InvalidInputError(f"not a time of day: {text!r}; use HH:MM, e.g. 08:00")


def normalize_time_of_day(text: str) -> str:
    """'8:00' -> '08:00' (the form stored on a Subscription)."""
    return parse_time_of_day(text).strftime("%H:%M")


def slot_on(day: date, time_of_day: str, zone_name: str) -> datetime:
    """The UTC instant of `time_of_day` local time on `day` in the zone."""
    local = datetime.combine(day, parse_time_of_day(time_of_day), tzinfo=zone(zone_name))
    # fold=0 (the default) gives the first occurrence of a repeated time, and
    # for a time inside a gap uses the offset before the jump: 02:30 at +01:00
    # is 01:30 UTC, i.e. 03:30 summer time.
    return local.astimezone(UTC)


def _candidate_slots(moment: datetime, time_of_day: str, zone_name: str) -> list[datetime]:
    local_day = moment.astimezone(zone(zone_name)).date()
    return [slot_on(local_day + timedelta(days=d), time_of_day, zone_name) for d in (-1, 0, 1, 2)]


def next_slot(after: datetime, time_of_day: str, zone_name: str) -> datetime:
    """The first slot strictly after `after`."""
    return min(s for s in _candidate_slots(after, time_of_day, zone_name) if s > after)


def latest_slot(at_or_before: datetime, time_of_day: str, zone_name: str) -> datetime:
    """The last slot at or before `at_or_before`."""
    return max(
        s for s in _candidate_slots(at_or_before, time_of_day, zone_name) if s <= at_or_before
    )


@dataclass(frozen=True)
class MissedSlot:
    """A slot that passed while nobody ran it: post it late, or skip it."""

    slot: datetime
    post: bool  # False: too late (outside the grace period), record it as skipped
    late_by: timedelta


def missed_slot(
    *,
    now: datetime,
    time_of_day: str,
    zone_name: str,
    last_slot_at: datetime | None,
    created_at: datetime,
    grace: timedelta,
) -> MissedSlot | None:
    """The most recent slot that was due but never handled, if any.

    Only the latest one matters: after a week offline a channel gets at most
    one late briefing, never seven.
    """
    slot = latest_slot(now, time_of_day, zone_name)
    handled_until = max(last_slot_at, created_at) if last_slot_at else created_at
    if slot <= handled_until:
        return None
    late_by = now - slot
    return MissedSlot(slot=slot, post=late_by <= grace, late_by=late_by)


def briefing_window(slot: datetime, last_slot_at: datetime | None) -> tuple[datetime, datetime]:
    """The (since, until) a scheduled briefing covers: from the previous slot to this one.

    Already delivered stories are left out by the ledger, so overlapping
    windows are harmless; a gap after an outage is covered, up to a week.
    """
    since = slot - DEFAULT_LOOKBACK
    if last_slot_at is not None and last_slot_at < since:
        since = max(last_slot_at, slot - MAX_LOOKBACK)
    return since, slot
