"""What /why answers, from the facts: posted when, or each reason why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from feeds.store import ArticleText
from feeds.why import DeliveryFacts, LiveFacts, SubscriptionFacts, why_lines

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


LIVE = replace(
    DAILY,
    mode="live",
    live_since=NOW - timedelta(days=1),
    last_slot_at=None,
)
POSTED_LIVE = LiveFacts(
    "story", "sent", NOW - timedelta(hours=3), topic="Mexico security", timezone="Europe/Madrid"
)


def test_a_live_post_with_its_time():
    posted = replace(POSTED_LIVE, shown_at=ARTICLE.first_seen_at)
    assert why_lines(ARTICLE, None, [LIVE], now=NOW, live=[posted]) == [
        "Sheinbaum rejects U.S. troops: its story was posted here live Mon 4 May 05:00 CEST "
        "(live stories on Mexico security)."
    ]
    edited = replace(POSTED_LIVE, shown_at=ARTICLE.first_seen_at, edits=2, edited_at=NOW)
    (line,) = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[edited])
    assert line.endswith("Updated 2 times as outlets reported it, last Mon 4 May 07:00 CEST.")


def test_a_later_article_was_added_by_an_edit_or_will_be():
    added = replace(POSTED_LIVE, edits=1, edited_at=ARTICLE.first_seen_at + timedelta(minutes=1))
    (line,) = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[added])
    assert "This article came later and was added to that message by an edit" in line
    assert "it was not posted again" in line
    (line,) = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[POSTED_LIVE])
    assert line.endswith("This article came later: the message is updated at the next check.")


def test_listed_in_more_stories_deleted_or_a_development():
    more = replace(POSTED_LIVE, kind="more", reason="cap", shown_at=NOW - timedelta(hours=1))
    (line,) = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[more])
    assert 'listed here Mon 4 May 06:00 CEST in a "more stories" message' in line
    assert "the channel had reached its live posts for the hour" in line
    gone = replace(POSTED_LIVE, status="gone", shown_at=ARTICLE.first_seen_at)
    (line,) = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[gone])
    assert line.endswith("That message was deleted here since; it is not posted again.")
    first = replace(POSTED_LIVE, shown_at=NOW - timedelta(hours=40))
    later = replace(POSTED_LIVE, shown_at=ARTICLE.first_seen_at, covers_from=ARTICLE.first_seen_at)
    (line,) = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[first, later])
    assert "a new development of its story was posted here live Mon 4 May 05:00 CEST" in line


def test_live_reasons_why_not():
    def verdict(subscription, article=ARTICLE, live=()):
        return why_lines(article, None, [subscription], now=NOW, live=live)[1]

    assert verdict(replace(LIVE, matched=False)).endswith("does not match this topic.")
    late = replace(LIVE, live_since=NOW - timedelta(hours=1))
    assert "before the live stories here began (Mon 4 May 06:00 CEST)" in verdict(late)
    assert "first poll" in verdict(LIVE, replace(ARTICLE, announce=False))
    old = replace(ARTICLE, first_seen_at=NOW - timedelta(hours=30))
    assert "live stories look at the last 1d" in verdict(replace(LIVE, live_since=None), old)
    quiet = replace(LIVE, quiet_hours="06:00-09:00")
    assert verdict(quiet).endswith("held by quiet hours until Mon 4 May 09:00 CEST.")
    assert verdict(LIVE).endswith("live stories go out after each poll cycle.")
    failed = replace(POSTED_LIVE, status="failed", error="503 Service Unavailable")
    lines = why_lines(ARTICLE, None, [LIVE], now=NOW, live=[failed])
    assert lines[1].startswith("A live post here failed (503 Service Unavailable)")
