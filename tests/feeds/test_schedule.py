"""Daily slots across time zones and both daylight-saving transitions."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from feeds.errors import InvalidInputError
from feeds.schedule import (
    MAX_LOOKBACK,
    briefing_window,
    latest_slot,
    missed_slot,
    next_slot,
    normalize_time_of_day,
    slot_on,
)

MADRID = "Europe/Madrid"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_slot_on_an_ordinary_day_in_winter_and_summer():
    assert slot_on(date(2026, 1, 15), "08:00", MADRID) == utc(2026, 1, 15, 7, 0)
    assert slot_on(date(2026, 7, 15), "08:00", MADRID) == utc(2026, 7, 15, 6, 0)
    assert slot_on(date(2026, 7, 15), "08:00", "UTC") == utc(2026, 7, 15, 8, 0)


def test_spring_forward_keeps_the_local_time_and_skips_no_day():
    # Madrid jumps from 02:00 CET to 03:00 CEST on Sunday 29 March 2026.
    before = slot_on(date(2026, 3, 28), "08:00", MADRID)
    on_the_day = slot_on(date(2026, 3, 29), "08:00", MADRID)
    assert before == utc(2026, 3, 28, 7, 0)
    assert on_the_day == utc(2026, 3, 29, 6, 0)  # still 08:00 local
    assert on_the_day - before == timedelta(hours=23)
    assert next_slot(before, "08:00", MADRID) == on_the_day


def test_a_time_inside_the_spring_gap_fires_once_just_after_it():
    slot = slot_on(date(2026, 3, 29), "02:30", MADRID)
    assert slot == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    previous = slot_on(date(2026, 3, 28), "02:30", MADRID)
    assert next_slot(previous, "02:30", MADRID) == slot
    assert next_slot(slot, "02:30", MADRID) == utc(2026, 3, 30, 0, 30)


def test_fall_back_fires_a_repeated_time_once_at_its_first_occurrence():
    # Madrid goes from 03:00 CEST back to 02:00 CET on Sunday 25 October 2026,
    # so 02:30 happens twice: 00:30 UTC and 01:30 UTC.
    slot = slot_on(date(2026, 10, 25), "02:30", MADRID)
    assert slot == utc(2026, 10, 25, 0, 30)
    assert next_slot(slot, "02:30", MADRID) == utc(2026, 10, 26, 1, 30)
    assert next_slot(utc(2026, 10, 25, 1, 0), "02:30", MADRID) == utc(2026, 10, 26, 1, 30)
    morning = [slot_on(date(2026, 10, d), "08:00", MADRID) for d in (24, 25, 26)]
    assert [b - a for a, b in itertools.pairwise(morning)] == [
        timedelta(hours=25),
        timedelta(hours=24),
    ]


def test_us_transitions_too():
    # New York: spring forward 8 March 2026, fall back 1 November 2026.
    zone = "America/New_York"
    assert slot_on(date(2026, 3, 7), "07:00", zone) == utc(2026, 3, 7, 12, 0)
    assert slot_on(date(2026, 3, 8), "07:00", zone) == utc(2026, 3, 8, 11, 0)
    assert slot_on(date(2026, 11, 1), "07:00", zone) == utc(2026, 11, 1, 12, 0)


def test_next_and_latest_slot_around_the_boundary():
    slot = utc(2026, 5, 4, 6, 0)  # 08:00 Madrid
    assert next_slot(slot - timedelta(seconds=1), "08:00", MADRID) == slot
    assert next_slot(slot, "08:00", MADRID) == slot + timedelta(days=1)
    assert latest_slot(slot, "08:00", MADRID) == slot
    assert latest_slot(slot - timedelta(seconds=1), "08:00", MADRID) == slot - timedelta(days=1)


def test_next_slot_near_midnight_in_a_zone_far_from_utc():
    zone = "Pacific/Kiritimati"  # UTC+14
    after = utc(2026, 5, 4, 9, 59)  # 23:59 local on 4 May
    assert next_slot(after, "00:00", zone) == utc(2026, 5, 4, 10, 0)


@pytest.mark.parametrize(
    ("last", "now", "expected"),
    [
        # handled today already: nothing missed
        (utc(2026, 5, 4, 6, 0), utc(2026, 5, 4, 9, 0), None),
        # down since yesterday's slot, back 3 h after today's: post today's
        (utc(2026, 5, 3, 6, 0), utc(2026, 5, 4, 9, 0), (utc(2026, 5, 4, 6, 0), True)),
        # back 7 h after: too late, skip
        (utc(2026, 5, 3, 6, 0), utc(2026, 5, 4, 13, 0), (utc(2026, 5, 4, 6, 0), False)),
        # down for a week: only the latest slot counts
        (utc(2026, 4, 27, 6, 0), utc(2026, 5, 4, 7, 0), (utc(2026, 5, 4, 6, 0), True)),
    ],
)
def test_missed_slot(last, now, expected):
    found = missed_slot(
        now=now,
        time_of_day="08:00",
        zone_name=MADRID,
        last_slot_at=last,
        created_at=utc(2026, 1, 1),
        grace=timedelta(hours=6),
    )
    assert (found and (found.slot, found.post)) == expected


def test_a_subscription_made_after_todays_slot_has_missed_nothing():
    found = missed_slot(
        now=utc(2026, 5, 4, 9, 0),
        time_of_day="08:00",
        zone_name=MADRID,
        last_slot_at=None,
        created_at=utc(2026, 5, 4, 8, 30),
        grace=timedelta(hours=6),
    )
    assert found is None


def test_briefing_window():
    slot = utc(2026, 5, 4, 6, 0)
    assert briefing_window(slot, None) == (slot - timedelta(days=1), slot)
    assert briefing_window(slot, slot - timedelta(days=1)) == (slot - timedelta(days=1), slot)
    assert briefing_window(slot, slot - timedelta(days=3))[0] == slot - timedelta(days=3)
    assert briefing_window(slot, slot - timedelta(days=30))[0] == slot - MAX_LOOKBACK


@pytest.mark.parametrize("text", ["8", "24:00", "08:60", "8:5", "noon", ""])
def test_bad_times_of_day(text):
    with pytest.raises(InvalidInputError, match="HH:MM"):
        normalize_time_of_day(text)


def test_time_of_day_is_normalized():
    assert normalize_time_of_day("8:05") == "08:05"


def test_unknown_zone():
    with pytest.raises(InvalidInputError, match="Europe/Madrid"):
        slot_on(date(2026, 1, 1), "08:00", "Mars/Olympus")
