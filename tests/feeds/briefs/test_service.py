"""The engine's entry points for the bot, with a stand-in for its BriefingRequest."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from feeds.briefs.presets import PRESETS
from feeds.briefs.query import QuerySyntaxError
from feeds.briefs.service import check_query, compose_request, explain_text
from feeds.models import Article, Delivery
from feeds.store import Store
from feeds.timeutil import utcnow
from tests.support.articles import add_article, add_feed, story_of

NOW = utcnow()


@dataclass(frozen=True)
class Request:  # the fields of bot.core.capabilities.BriefingRequest
    title: str
    query: str
    since: datetime = NOW - timedelta(hours=24)
    until: datetime = NOW
    max_stories: int = 8
    quotes_per_story: int = 2
    timezone: str = "UTC"
    exclude_delivered_to: tuple[str, str] | None = None
    scheduled: bool = False


@pytest.fixture
def articles(store: Store) -> dict:
    for preset in PRESETS:
        store.upsert_topic(preset.name, preset.query, origin="preset")
    feed = add_feed(store, "Wire")
    return {
        "troops": add_article(
            store,
            feed,
            "Sheinbaum rejects U.S. troops against cartels",
            "Mexico's president said no.",
            at=NOW - timedelta(hours=2),
        ),
        "baseline": add_article(
            store,
            feed,
            "Cartel feud in Culiacán",
            "Gunmen clashed in Sinaloa.",
            at=NOW - timedelta(hours=1),
            announce=False,
        ),
    }


def test_compose_request_groups_and_composes(store: Store, articles: dict):
    security = next(p for p in PRESETS if p.name == "Mexico security")
    briefing = compose_request(store, Request("Mexico security", security.query))
    assert briefing.kind == "topic" and len(briefing.stories) == 2  # grouped on the way
    with store.session() as session:
        session.add(
            Delivery(
                platform="discord", channel_id="5", story_id=story_of(store, articles["troops"])
            )
        )
    delivered = compose_request(
        store,
        Request("Mexico security", security.query, exclude_delivered_to=("discord", "5")),
    )
    assert [s.story_id for s in delivered.stories] == [story_of(store, articles["baseline"])]
    words = compose_request(store, Request("culiacán", "culiacán"))
    assert words.kind == "search" and len(words.stories) == 1


def test_a_daily_post_is_the_news_published_in_its_window_first_poll_or_not(
    store: Store, articles: dict
):
    feed = add_feed(store, "Diario")
    old = add_article(
        store,
        feed,
        "Cartel de Sinaloa: detienen a jefe de plaza en Culiacán",
        "Cayó en Sinaloa.",
        at=NOW - timedelta(hours=1),
        published_at=NOW - timedelta(days=3),
        announce=False,
    )  # fmt: skip  (first seen by the first poll, published before the window)
    undated = add_article(
        store, feed, "Cártel ataca a policías en Sinaloa", "Emboscada en Culiacán.",
        at=NOW - timedelta(hours=3), announce=False,
    )  # fmt: skip
    with store.session() as session:
        session.get(Article, undated).published_at = None  # counts from when first seen
    security = next(p for p in PRESETS if p.name == "Mexico security")
    daily = Request(
        "Mexico security", security.query, scheduled=True, exclude_delivered_to=("discord", "7")
    )
    posted = {s.story_id for s in compose_request(store, daily).stories}
    expected = {story_of(store, articles["troops"]), story_of(store, articles["baseline"])}
    assert posted == expected | {story_of(store, undated)}
    assert story_of(store, old) not in posted
    with store.session() as session:
        session.add_all(
            Delivery(platform="discord", channel_id="7", story_id=story) for story in posted
        )
    assert compose_request(store, daily).is_empty  # never twice to one channel


def test_explain_text(store: Store, articles: dict):
    topic = store.get_topic("Mexico security")
    with store.session() as session:
        article = session.get(Article, articles["troops"])
    text = explain_text(store, article, topic)
    assert text.startswith("matches (score ") and "cartel (title)" in text


def test_check_query():
    check_query('cartel "Guardia Nacional"')
    with pytest.raises(QuerySyntaxError, match=r"at column 8"):
        check_query('cartel "Guardia')
