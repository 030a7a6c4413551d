"""The pure decisions of live subscriptions: news, the hourly cap, quiet hours, edit windows."""

from datetime import UTC, datetime, time, timedelta

import pytest

from feeds.errors import InvalidInputError
from feeds.live.policy import (
    Candidate,
    LivePolicy,
    News,
    QuietHours,
    editable,
    news_in,
    plan,
)

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def candidate(story_id, *, polled_ago=1, sources=1, subscription_id=1) -> Candidate:
    polled = NOW - minutes(polled_ago)
    return Candidate(story_id, subscription_id, News(polled, None), sources)


def test_a_story_never_shown_is_news_from_its_first_matching_article():
    times = [NOW - minutes(3), NOW - minutes(9), NOW - minutes(1)]
    assert news_in(times, [], DAY) == News(NOW - minutes(9), None)
    assert news_in([], [], DAY) is None


def test_a_shown_story_is_news_again_only_after_its_edit_window():
    shown = [NOW - timedelta(hours=30)]
    inside = NOW - timedelta(hours=10)  # 20 h after it was shown: its message is edited
    assert news_in([inside], shown, DAY) is None
    after = NOW - timedelta(hours=2)  # 28 h after: a new development
    assert news_in([inside, after], shown, DAY) == News(after, after)
    # The newest message counts: a development shown 1 h ago is being edited.
    assert news_in([after, NOW], [*shown, NOW - timedelta(hours=1)], DAY) is None


def test_editable_for_the_window_only():
    assert editable(NOW - timedelta(hours=23), NOW, DAY)
    assert not editable(NOW - DAY, NOW, DAY)


def test_fresh_news_is_posted_best_sourced_first_up_to_the_hourly_cap():
    policy = LivePolicy(max_per_hour=3)
    found = [candidate(1, sources=1), candidate(2, sources=3), candidate(3, sources=2)]
    decided = plan(found, now=NOW, policy=policy, posted_last_hour=1)
    assert [c.story_id for c in decided.post] == [2, 3]
    assert [(c.story_id, why) for c, why in decided.more] == [(1, "cap")]


def test_news_older_than_max_delay_is_listed_not_posted():
    policy = LivePolicy(max_delay=minutes(10), max_per_hour=5)
    found = [candidate(1, polled_ago=11), candidate(2, polled_ago=10), candidate(3, polled_ago=90)]
    decided = plan(found, now=NOW, policy=policy)
    assert [c.story_id for c in decided.post] == [2]
    assert [(c.story_id, why) for c, why in decided.more] == [(3, "late"), (1, "late")]


def test_a_full_cap_lists_everything():
    decided = plan([candidate(1)], now=NOW, policy=LivePolicy(max_per_hour=2), posted_last_hour=5)
    assert decided.post == () and [why for _, why in decided.more] == ["cap"]


def test_quiet_subscriptions_hold_their_news():
    found = [candidate(1, subscription_id=7), candidate(2, subscription_id=8)]
    decided = plan(found, now=NOW, policy=LivePolicy(), quiet={7})
    assert [c.story_id for c in decided.held] == [1]
    assert [c.story_id for c in decided.post] == [2]
    assert not decided.is_empty


@pytest.mark.parametrize(
    ("text", "local", "inside"),
    [
        ("23:00-07:00", time(23, 0), True),
        ("23:00-07:00", time(3, 30), True),
        ("23:00-07:00", time(7, 0), False),
        ("23:00-07:00", time(12, 0), False),
        ("13:00-14:00", time(13, 59), True),
        ("13:00-14:00", time(14, 0), False),
        ("13:00-14:00", time(12, 59), False),
    ],
)
def test_quiet_hours_in_local_time(text, local, inside):
    quiet = QuietHours.parse(text)
    # 2026-11-27 in Mexico City is UTC-6 all day.
    moment = datetime(2026, 11, 27, local.hour, local.minute, tzinfo=UTC) + timedelta(hours=6)
    assert quiet.contains(moment, "America/Mexico_City") is inside
    assert str(quiet) == text


def test_quiet_hours_end_at_the_next_local_end():
    quiet = QuietHours.parse("23:00-7:00")
    moment = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert quiet.ends_after(moment, "UTC") == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "off", " None "])
def test_no_quiet_hours(text):
    assert QuietHours.parse(text) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [("23:00", "look like 23:00-07:00"), ("25:00-07:00", "not a time"), ("07:00-7:00", "same")],
)
def test_bad_quiet_hours_say_why(text, says):
    with pytest.raises(InvalidInputError, match=says):
        QuietHours.parse(text)


def test_a_subscription_may_set_its_own_quiet_hours_or_none():
    policy = LivePolicy(quiet_hours=QuietHours.parse("22:00-06:00"))
    assert str(policy.quiet_for(None)) == "22:00-06:00"
    assert str(policy.quiet_for("01:00-02:00")) == "01:00-02:00"
    assert policy.quiet_for("") is None
