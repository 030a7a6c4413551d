"""What /why answers, from the facts: posted when, or each reason why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from feeds.store import ArticleText
from feeds.why import DeliveryFacts, SubscriptionFacts, why_lines

NOW = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)  # 07:00 in Madrid
ARTICLE = ArticleText(
    id=1,
    story_id=1,
    feed_id=1,
    title="Sheinbaum rejects U.S. troops",
    opening="",
    body="",
    published_at=NOW - timedelta(hours=3),
    first_seen_at=NOW - timedelta(hours=2),
    announce=True,
    url="https://news.example/troops",
)
DAILY = SubscriptionFacts(
    "Mexico security",
    matched=True,
    explanation="matches (score 5.0): Sheinbaum (title), cartel (body)",
    time_of_day="08:00",
    timezone="Europe/Madrid",
    last_slot_at=datetime(2026, 5, 3, 6, 0, tzinfo=UTC),
)


def test_an_unknown_link():
    (line,) = why_lines(None, None, [DAILY], now=NOW)
    assert line.startswith("No stored article has that link")


def test_posted_with_its_time_and_briefing():
    sent = DeliveryFacts("sent", NOW - timedelta(hours=1), "Mexico security", "Europe/Madrid")
    assert why_lines(ARTICLE, sent, [DAILY], now=NOW) == [
        "Sheinbaum rejects U.S. troops: posted here Mon 4 May 06:00 CEST in the daily "
        "briefing on Mexico security."
    ]


def test_an_article_that_joined_a_story_already_posted():
    sent = DeliveryFacts("sent", NOW - timedelta(hours=5))
    (line,) = why_lines(ARTICLE, sent, [DAILY], now=NOW)
    assert line == (
        "Sheinbaum rejects U.S. troops: its story was already posted here Mon 4 May 00:00 UTC, "
        "before this article arrived; a story is posted to a channel once, so it was not "
        "posted again."
    )


def test_being_posted():
    assert why_lines(ARTICLE, DeliveryFacts("pending"), [], now=NOW) == [
        "Sheinbaum rejects U.S. troops: being posted here right now."
    ]


def test_no_daily_briefing_here():
    lines = why_lines(ARTICLE, None, [], now=NOW)
    assert lines[0] == "Sheinbaum rejects U.S. troops: not posted here."
    assert lines[1].startswith("This channel has no daily briefing")


def test_not_matching_shows_the_explanation():
    other = replace(
        DAILY, matched=False, explanation="no match: found Mexico (title), but nothing for cartel"
    )
    assert why_lines(ARTICLE, None, [other], now=NOW)[1:] == [
        "Mexico security: does not match this topic.",
        "  ↳ no match: found Mexico (title), but nothing for cartel",
    ]


def verdict(article=ARTICLE, subscription=DAILY, delivery=None) -> str:
    return why_lines(article, delivery, [subscription], now=NOW)[-2]


@pytest.mark.parametrize(
    ("article", "subscription", "expected"),
    [
        (
            ARTICLE,
            DAILY,
            "matches; not yet due: the next briefing is Mon 4 May 08:00 CEST (in 1h).",
        ),
        (
            ARTICLE,
            replace(DAILY, paused_reason="cannot post here: 403"),
            "matches, but this briefing is paused: cannot post here: 403.",
        ),
        (
            replace(ARTICLE, announce=False),  # a feed's first poll: due like any other
            DAILY,
            "matches; not yet due: the next briefing is Mon 4 May 08:00 CEST (in 1h).",
        ),
        (
            replace(ARTICLE, announce=False, published_at=NOW - timedelta(days=3)),
            DAILY,
            "matches, but it appeared Fri 1 May 07:00 CEST, before the period any briefing "
            "here covered (each covers the day before it is posted).",
        ),
        (
            replace(
                ARTICLE,
                published_at=NOW - timedelta(hours=26),
                first_seen_at=NOW - timedelta(hours=25),
            ),
            DAILY,
            "matches, but the briefing of Sun 3 May 08:00 CEST left it out (it ranked below "
            "the stories shown, or that briefing was skipped).",
        ),
        (
            replace(ARTICLE, published_at=NOW - timedelta(days=3)),
            DAILY,
            "matches, but it appeared Fri 1 May 07:00 CEST, before the period any briefing "
            "here covered (each covers the day before it is posted).",
        ),
    ],
    ids=["due", "paused", "first-poll-due", "first-poll-old", "left-out", "too-old"],
)
def test_why_a_matching_article_was_not_posted(article, subscription, expected):
    assert verdict(article, subscription) == f"Mexico security: {expected}"


def test_a_failed_post_is_said_and_the_topics_still_explain():
    failed = DeliveryFacts("failed", error="403 Missing Access")
    lines = why_lines(ARTICLE, failed, [DAILY], now=NOW)
    assert lines[1] == "A post here failed (403 Missing Access); the next briefing tries again."
    assert lines[2].startswith("Mexico security: matches; not yet due")
