"""Topic matching at ingest (TopicMatch as an index), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from feeds.briefs.compose import compose
from feeds.briefs.matching import ensure_coverage, match_new_articles
from feeds.briefs.query import parse
from feeds.briefs.service import catch_up, compose_request
from feeds.models import Article, Topic, TopicMatch
from feeds.store import Store, _migrate
from feeds.timeutil import utcnow
from tests.feeds.briefs.test_service import Request
from tests.support.articles import add_article, add_feed, story_of

NOW = utcnow()


def matches(store: Store) -> set[tuple[str, int]]:
    """(topic name, article id) of every recorded match."""
    with store.session() as session:
        rows = session.execute(
            sa.select(Topic.name, TopicMatch.article_id).join(
                Topic, Topic.id == TopicMatch.topic_id
            )
        )
        return set(rows.tuples())


@pytest.fixture
def wire(store: Store) -> int:
    store.add_topic("Cartels", "cártel")
    store.add_topic("Migration", "migrants OR migrantes")
    return add_feed(store, "Wire")


def test_new_articles_are_matched_once_against_every_topic(store: Store, wire: int):
    cartel = add_article(store, wire, "Cartel boss arrested", "In Sinaloa.", at=NOW)
    both = add_article(store, wire, "Cártel secuestra migrantes", "En Reynosa.", at=NOW)
    other = add_article(store, wire, "Peso gains", "Markets.", at=NOW)
    assert store.count_topics_due() == 3
    assert match_new_articles(store) == 3
    assert matches(store) == {("Cartels", cartel), ("Cartels", both), ("Migration", both)}
    assert store.count_topics_due() == 0
    assert match_new_articles(store) == 0  # nothing new: nothing done
    with store.session() as session:
        row = session.get(TopicMatch, (store.get_topic("Cartels").id, cartel))
        assert row.score == 3.0 and row.at == NOW  # a title match, the article's time
        assert session.get(Article, other).topics_matched_at is not None


def test_a_changed_text_is_due_again_whoever_changes_it(store: Store, wire: int):
    article = add_article(store, wire, "Peso gains", "Markets.", at=NOW)
    match_new_articles(store)
    assert matches(store) == set()
    with store.session() as session:  # e.g. full-text extraction, or the feed's update
        session.execute(
            sa.update(Article).where(Article.id == article).values(full_text="A cartel story.")
        )
    assert store.count_topics_due() == 1  # the database trigger
    match_new_articles(store)
    assert matches(store) == {("Cartels", article)}
    with store.session() as session:  # and back: the stale match goes
        session.execute(sa.update(Article).where(Article.id == article).values(full_text=None))
    match_new_articles(store)
    assert matches(store) == set()


def test_other_changes_do_not_make_an_article_due(store: Store, wire: int):
    article = add_article(store, wire, "Cartel boss arrested", "In Sinaloa.", at=NOW)
    catch_up(store)  # grouping writes story_id, which is no text
    with store.session() as session:
        session.execute(sa.update(Article).where(Article.id == article).values(announce=False))
    assert store.count_topics_due() == 0
    assert story_of(store, article) is not None


def test_a_new_publication_time_moves_the_match(store: Store, wire: int):
    article = add_article(store, wire, "Cartel boss arrested", "", at=NOW)
    match_new_articles(store)
    earlier = NOW - timedelta(days=2)
    with store.session() as session:
        session.execute(
            sa.update(Article).where(Article.id == article).values(published_at=earlier)
        )
    match_new_articles(store)
    with store.session() as session:
        assert session.execute(sa.select(TopicMatch.at)).scalar_one() == earlier


def test_given_ids_are_scored_even_when_not_due(store: Store, wire: int):
    article = add_article(store, wire, "Cartel boss arrested", "", at=NOW)
    match_new_articles(store)
    topic = store.get_topic("Cartels")
    with store.session() as session:
        session.execute(sa.delete(TopicMatch))
    assert match_new_articles(store) == 0
    assert match_new_articles(store, [article, article, 999_999]) == 1  # unknown ids skipped
    assert matches(store) == {("Cartels", article)}
    assert topic.id == store.get_topic("cartels").id


def test_batches(store: Store, wire: int):
    ids = [add_article(store, wire, f"Cartel item {i}", "", at=NOW) for i in range(7)]
    assert match_new_articles(store, batch=3) == 7
    assert {article for _, article in matches(store)} == set(ids)
    assert match_new_articles(store, ids, batch=3) == 7


def test_a_broken_topic_query_does_not_stop_the_others(store: Store, wire: int):
    with store.session() as session:  # written around the Store's checks, e.g. an old config
        session.add(Topic(name="Broken", name_key="broken", query='cartel "unclosed'))
    article = add_article(store, wire, "Cartel boss arrested", "", at=NOW)
    assert match_new_articles(store) == 1
    assert matches(store) == {("Cartels", article)}


def test_a_topic_created_later_back_fills_the_window_a_briefing_asks_for(store: Store):
    feed = add_feed(store, "Wire")
    old = add_article(store, feed, "Fentanyl lab found", "", at=NOW - timedelta(days=3))
    recent_at = NOW - timedelta(hours=3)
    recent = add_article(store, feed, "Fentanyl seized", "", at=recent_at)
    catch_up(store)  # no topic yet: nothing recorded
    topic = store.add_topic("Fentanyl", "fentanyl")
    # Complete after the last article matched before it: what ingest matches next.
    assert store.topic_coverage(topic.id).matched_from == recent_at + timedelta(microseconds=1)
    day = compose(store, "Fentanyl", since=NOW - timedelta(days=1), until=NOW)
    assert [s.story_id for s in day.stories] == [story_of(store, recent)]
    assert matches(store) == {("Fentanyl", recent)}  # only the window asked for
    coverage = store.topic_coverage(topic.id)
    assert coverage.matched_from == NOW - timedelta(days=1) and coverage.current
    week = compose(store, "Fentanyl", since=NOW - timedelta(days=7), until=NOW)
    assert len(week.stories) == 2 and matches(store) == {("Fentanyl", recent), ("Fentanyl", old)}
    # Covered windows are not matched again.
    assert ensure_coverage(store, topic.id, parse("fentanyl"), NOW - timedelta(days=5)) == 0
    # Articles arriving later are matched at ingest.
    fresh = add_article(store, feed, "Fentanyl pills in Tijuana", "", at=NOW)
    catch_up(store)
    assert ("Fentanyl", fresh) in matches(store)


def test_the_next_ingest_run_back_fills_a_new_topic_over_a_day(store: Store):
    feed = add_feed(store, "Wire")
    old = add_article(store, feed, "Fentanyl lab found", "", at=NOW - timedelta(days=3))
    recent = add_article(store, feed, "Fentanyl seized", "", at=NOW - timedelta(hours=3))
    catch_up(store)
    topic = store.add_topic("Fentanyl", "fentanyl")
    assert match_new_articles(store) == 0  # nothing new, but the topic is back-filled
    assert matches(store) == {("Fentanyl", recent)}
    assert store.topic_coverage(topic.id).matched_from <= NOW - timedelta(hours=23)
    day = parse("fentanyl")
    assert ensure_coverage(store, topic.id, day, NOW - timedelta(hours=23)) == 0  # done
    assert ("Fentanyl", old) not in matches(store)  # beyond the day: lazily, if asked
    assert match_new_articles(store, backfill=None) == 0


def test_a_topic_created_before_any_article_covers_everything(store: Store):
    topic = store.add_topic("Fentanyl", "fentanyl")
    feed = add_feed(store, "Wire")
    old = add_article(store, feed, "Fentanyl lab found", "", at=NOW - timedelta(days=30))
    catch_up(store)
    assert ensure_coverage(store, topic.id, parse("fentanyl"), NOW - timedelta(days=60)) == 0
    assert matches(store) == {("Fentanyl", old)}  # matched at ingest: nothing to back-fill


def test_a_changed_query_starts_over(store: Store, wire: int):
    cartel = add_article(store, wire, "Cartel boss arrested", "", at=NOW - timedelta(hours=1))
    catch_up(store)
    assert ("Cartels", cartel) in matches(store)
    store.upsert_topic("Cartels", "sinaloa", origin="config")
    assert ("Cartels", cartel) not in matches(store)
    store.upsert_topic("Cartels", "sinaloa", origin="config")  # same query: nothing reset
    since = NOW - timedelta(days=1)
    assert compose(store, "Cartels", since=since, until=NOW).is_empty
    assert store.topic_coverage(store.get_topic("Cartels").id).matched_from == since
    store.upsert_topic("Cartels", "sinaloa", origin="preset")
    assert store.topic_coverage(store.get_topic("Cartels").id).matched_from == since


def test_a_query_changed_behind_the_stores_back_is_reset_by_the_next_briefing(
    store: Store, wire: int
):
    cartel = add_article(store, wire, "Cartel boss arrested", "", at=NOW - timedelta(hours=1))
    catch_up(store)
    with store.session() as session:
        session.execute(sa.update(Topic).where(Topic.name == "Cartels").values(query="peso"))
    assert compose(store, "Cartels", since=NOW - timedelta(days=1), until=NOW).is_empty
    assert ("Cartels", cartel) not in matches(store)


def test_guild_topics_are_matched_too(store: Store, wire: int):
    guild = store.add_topic("Sinaloa desk", "sinaloa", scope="42", origin="chat")
    hour_ago = NOW - timedelta(hours=1)
    article = add_article(store, wire, "Cartel boss arrested", "In Sinaloa.", at=hour_ago)
    briefing = compose_request(store, Request("Sinaloa desk", "sinaloa"))
    assert ("Sinaloa desk", article) in matches(store) and len(briefing.stories) == 1
    assert store.find_topic("sinaloa DESK", " sinaloa ").id == guild.id
    assert store.find_topic("Sinaloa desk", "culiacan") is None


def test_the_migration_counts_stored_articles_as_matched(database_url):
    """Upgrading a store that has articles must not make the next ingest match them all."""
    store = Store(database_url)
    try:
        with store.engine.begin() as connection:
            _migrate.upgrade(connection, "0003")
            now = NOW.replace(tzinfo=None)
            connection.execute(
                sa.text(
                    "INSERT INTO feed (id, url, origin, added_at, next_check_at, "
                    "interval_seconds, key_mode, error_count) "
                    "VALUES (1, 'https://x.example/rss', 'cli', :t, :t, 3600, 'guid', 0)"
                ),
                {"t": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO article (id, feed_id, entry_key, title, first_seen_at, "
                    "content_hash, announce) VALUES (1, 1, 'a', 'Cartel news', :t, '', true)"
                ),
                {"t": now},
            )
        store.upgrade()
        assert store.count_topics_due() == 0
        with store.session() as session:
            session.execute(sa.update(Article).where(Article.id == 1).values(title="New title"))
        assert store.count_topics_due() == 1  # and the trigger is in place
    finally:
        store.close()
