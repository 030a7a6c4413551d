"""Next poll times, cache headers and backoff."""

from datetime import UTC, datetime, timedelta

from feeds.polling.schedule import (
    PollPolicy,
    after_failure,
    cache_lifetime,
    interval_after_success,
    interval_when_unchanged,
    publishing_gap,
    spread,
)

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
POLICY = PollPolicy(interval_min=300, interval_max=86400, max_failures=4)


def test_cache_lifetime_from_headers():
    assert cache_lifetime({"cache-control": "public, max-age=600"}, NOW) == 600
    assert cache_lifetime({"cache-control": "max-age=600", "age": "100"}, NOW) == 500
    assert cache_lifetime({"cache-control": "no-cache"}, NOW) is None
    expires = {"expires": "Fri, 27 Nov 2026 14:00:00 GMT", "date": "Fri, 27 Nov 2026 12:00:00 GMT"}
    assert cache_lifetime(expires, NOW) == 7200
    assert cache_lifetime({"expires": "Fri, 27 Nov 2026 13:00:00 GMT"}, NOW) == 3600
    assert cache_lifetime({"expires": "0"}, NOW) == 0
    assert cache_lifetime({"cache-control": "max-age=junk"}, NOW) is None
    assert cache_lifetime({}, NOW) is None


def test_publishing_gap():
    hourly = [NOW - timedelta(hours=n) for n in range(10)]
    assert publishing_gap(hourly) == 3600
    assert publishing_gap([NOW, None]) is None
    assert publishing_gap([NOW, NOW]) is None


def test_interval_follows_the_publishing_rate_within_bounds():
    hourly = [NOW - timedelta(hours=n) for n in range(10)]
    assert interval_after_success(POLICY, previous=3600, dates=hourly) == 1800
    minutely = [NOW - timedelta(minutes=n) for n in range(10)]
    assert interval_after_success(POLICY, previous=3600, dates=minutely) == 300
    yearly = [NOW - timedelta(days=365 * n) for n in range(3)]
    assert interval_after_success(POLICY, previous=3600, dates=yearly) == 86400
    assert interval_after_success(POLICY, previous=5000, dates=[]) == 5000


def test_cache_headers_and_ttl_slow_polling_down():
    hourly = [NOW - timedelta(hours=n) for n in range(10)]
    assert interval_after_success(POLICY, previous=3600, dates=hourly, cache_seconds=7200) == 7200
    assert interval_after_success(POLICY, previous=3600, dates=hourly, ttl_seconds=10800) == 10800
    assert interval_when_unchanged(POLICY, previous=1800, cache_seconds=999999) == 86400
    assert interval_when_unchanged(POLICY, previous=1800) == 1800


def test_spread_adds_at_most_ten_percent():
    values = {spread(feed_id, 1000) for feed_id in range(1, 50)}
    assert all(1000 <= v <= 1100 for v in values) and len(values) > 10


def test_backoff_doubles_and_disables_after_max_failures():
    delays, count, disabled = [], 0, None
    for _ in range(4):
        decision = after_failure(POLICY, error_count=count, reason="http_5xx", now=NOW)
        delays.append((decision.next_check_at - NOW).total_seconds())
        count, disabled = decision.error_count, decision.disabled_reason
        if disabled:
            break
    assert delays == [300, 600, 1200, 2400]
    assert (count, disabled) == (4, "http_5xx")


def test_retry_after_is_honoured_and_capped():
    decision = after_failure(POLICY, error_count=0, reason="http_429", now=NOW, retry_after=7200)
    assert decision.next_check_at == NOW + timedelta(seconds=7200) and not decision.disabled_reason
    decision = after_failure(POLICY, error_count=0, reason="http_429", now=NOW, retry_after=1e9)
    assert decision.next_check_at == NOW + timedelta(seconds=86400)


def test_gone_disables_at_once():
    decision = after_failure(POLICY, error_count=0, reason="http_410", now=NOW)
    assert decision.disabled_reason == "http_410" and decision.error_count == 1


def test_backoff_is_capped():
    decision = after_failure(POLICY, error_count=200, reason="timeout", now=NOW)
    assert decision.next_check_at == NOW + timedelta(seconds=86400)
