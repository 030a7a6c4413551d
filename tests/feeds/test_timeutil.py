from datetime import UTC, datetime, timedelta, timezone

import pytest

from feeds.errors import InvalidInputError
from feeds.timeutil import (
    MAX_DURATION,
    ago,
    as_utc,
    format_duration,
    parse_duration,
    parse_size,
    publication_date,
    shift,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("5m", 300),
        ("24h", 86400),
        ("3d", 259200),
        ("1h30m", 5400),
        ("2w", 1209600),
        (" 10 min ", 600),
        ("45", 45),
        (120, 120),
        (1.5, 1.5),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "abc", "5x", "h", "-5m", "1h-", True, -3])
def test_parse_duration_rejects(text):
    with pytest.raises(InvalidInputError):
        parse_duration(text)


@pytest.mark.parametrize(
    "text",
    ["99999999999d", "1000000d", "36526d", "9" * 400 + "d", 10**20, float("inf"), float("nan")],
)
def test_parse_duration_refuses_absurd_lengths(text):
    with pytest.raises(InvalidInputError, match=r"duration too long: .*at most 100 years"):
        parse_duration(text)


def test_parse_duration_takes_up_to_100_years():
    assert parse_duration("36525d") == MAX_DURATION
    with pytest.raises(InvalidInputError, match="too long"):
        parse_duration(timedelta(days=40000))


def test_ago_clamps_the_window_start():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ago(timedelta(hours=3), now) == datetime(2025, 12, 31, 21, tzinfo=UTC)
    assert ago(timedelta(days=999_999_999), now) == now - MAX_DURATION
    assert ago(timedelta(hours=-1), now) == now


def test_format_duration():
    assert format_duration(timedelta(hours=26, minutes=5)) == "1d2h"
    assert format_duration(timedelta(minutes=45)) == "45m"
    assert format_duration(timedelta(0)) == "0s"


@pytest.mark.parametrize(
    ("text", "size"),
    [("5MiB", 5 * 1024 * 1024), ("500kB", 500_000), ("2 MB", 2_000_000), ("1024", 1024), (7, 7)],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_parse_size_rejects():
    with pytest.raises(InvalidInputError, match="not a size"):
        parse_size("lots")


def test_as_utc():
    naive = datetime(2026, 1, 1, 12, 0)
    assert as_utc(naive) == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    plus_two = datetime(2026, 1, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert as_utc(plus_two).hour == 12 and as_utc(plus_two).tzinfo is UTC
    assert as_utc(None) is None


NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), None),  # Hugo's "Mon, 01 Jan 0001" for undated pages
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), None),  # before year 1 in UTC
        (datetime(1970, 1, 1, tzinfo=UTC), None),
        (datetime(1989, 12, 31, 23, 59, tzinfo=UTC), None),
        (datetime(1990, 1, 1, tzinfo=UTC), datetime(1990, 1, 1, tzinfo=UTC)),
        (NOW - timedelta(days=3), NOW - timedelta(days=3)),
        (NOW + timedelta(hours=23), NOW + timedelta(hours=23)),  # clocks and zones differ
        (NOW + timedelta(days=1, seconds=1), None),
        (datetime(9999, 12, 31, 23, tzinfo=UTC), None),
        (datetime(2026, 11, 27, 10), datetime(2026, 11, 27, 10, tzinfo=UTC)),  # naive is UTC
        (
            datetime(2026, 11, 27, 10, tzinfo=timezone(timedelta(hours=-6))),
            NOW + timedelta(hours=4),
        ),
        (None, None),
    ],
)
def test_publication_dates_outside_1990_to_tomorrow_are_unknown(when, expected):
    assert publication_date(when, now=NOW) == expected


def test_shift_holds_at_the_ends_of_the_calendar_instead_of_overflowing():
    first = datetime(1, 1, 1, tzinfo=UTC)
    with pytest.raises(OverflowError):
        first - timedelta(hours=72)  # what the grouping step did every cycle
    assert shift(first, -timedelta(hours=72)) == datetime.min.replace(tzinfo=UTC)
    assert shift(first, timedelta(hours=72)) == first + timedelta(hours=72)
    last = datetime(9999, 12, 31, 23, tzinfo=UTC)
    assert shift(last, timedelta(days=2)) == datetime.max.replace(tzinfo=UTC)
    assert shift(datetime(1, 1, 1), -timedelta(days=1)) == datetime.min  # naive stays naive
