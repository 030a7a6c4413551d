"""Store behaviour, run on SQLite and on PostgreSQL alike."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from feeds.errors import AlreadyExistsError, InvalidInputError, NotFoundError, StorageError
from feeds.models import Article, Quote
from feeds.store import Store


def test_feed_roundtrip(store: Store):
    feed = store.add_feed("https://example.org/feed.xml", name="Example")
    assert feed.id is not None
    assert feed.next_check_at.tzinfo is not None  # due at once, timezone-aware
    again = store.get_feed(feed.id)
    assert (again.url, again.name, again.origin, again.error_count) == (
        "https://example.org/feed.xml",
        "Example",
        "cli",
        0,
    )
    assert store.find_feed(str(feed.id)).id == feed.id
    assert store.find_feed("https://example.org/feed.xml").id == feed.id


def test_duplicate_feed_is_refused(store: Store):
    store.add_feed("https://example.org/a.xml")
    with pytest.raises(AlreadyExistsError, match="already added"):
        store.add_feed("https://example.org/a.xml")


def test_update_feed_keeps_times_aware(store: Store):
    feed = store.add_feed("https://example.org/a.xml")
    when = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    store.update_feed(feed.id, last_success_at=when, error_count=3, disabled_reason="http_404")
    again = store.get_feed(feed.id)
    assert again.last_success_at == when and again.last_success_at.tzinfo is not None
    assert (again.error_count, again.disabled_reason) == (3, "http_404")
    with pytest.raises(AttributeError):
        store.update_feed(feed.id, no_such_field=1)


def test_missing_rows_raise_not_found(store: Store):
    with pytest.raises(NotFoundError):
        store.get_feed(999)
    with pytest.raises(NotFoundError, match=r"^no feed 'https://nowhere"):
        store.find_feed("https://nowhere.example/")
    with pytest.raises(NotFoundError):
        store.remove_feed(999)
    with pytest.raises(NotFoundError):
        store.get_topic("nothing")


def test_removing_a_feed_removes_its_articles_and_quotes(store: Store):
    feed = store.add_feed("https://example.org/a.xml")
    with store.session() as session:
        article = Article(feed_id=feed.id, entry_key="k1", title="T")
        session.add(article)
        session.flush()
        session.add(Quote(article_id=article.id, text="hello there friend", start=0, end=18))
    store.remove_feed(feed.id)
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(Quote)) == 0


def test_a_chat_feed_lives_while_some_scope_follows_it(store: Store):
    feed = store.add_feed(
        "https://chat.example/rss", origin="chat", follower="g1", followed_by="u1"
    )
    with store.session() as session:
        session.add(Article(feed_id=feed.id, entry_key="k1", title="T"))
    assert store.follow_feed(feed.id, "g2", created_by="u2") is True
    assert store.follow_feed(feed.id, "g2") is False  # already
    assert [f.id for f in store.followed_feeds("g1")] == [feed.id]
    assert store.followed_feeds("g3") == []
    assert store.follower_counts() == {feed.id: 2}
    first = store.unfollow_feed(feed.id, "g1")
    assert (first.removed, first.articles) == (False, 0)
    assert store.followed_feeds("g1") == [] and store.get_feed(feed.id)
    with pytest.raises(NotFoundError, match="does not follow"):
        store.unfollow_feed(feed.id, "g1")
    last = store.unfollow_feed(feed.id, "g2")
    assert (last.removed, last.articles, last.feed.url) == (True, 1, "https://chat.example/rss")
    assert store.list_feeds() == [] and store.follower_counts() == {}
    with pytest.raises(NotFoundError):
        store.follow_feed(feed.id, "g1")


def test_the_operators_feeds_outlive_their_followers(store: Store):
    config = store.add_feed("https://config.example/rss", origin="config")
    cli = store.add_feed("https://cli.example/rss")
    for feed in (config, cli):
        store.follow_feed(feed.id, "console")
        assert store.unfollow_feed(feed.id, "console").removed is False
    assert [f.id for f in store.list_feeds()] == [config.id, cli.id]


def test_removing_a_feed_removes_its_followers(store: Store):
    feed = store.add_feed("https://chat.example/rss", origin="chat", follower="g1")
    other = store.add_feed("https://other.example/rss", origin="chat", follower="g1")
    assert store.remove_feed(feed.id) == 0  # no articles went with it
    assert store.followed_feeds("g1") == [store.get_feed(other.id)]
    assert store.follower_counts() == {other.id: 1}


def test_enable_feed_clears_the_failure_and_makes_it_due(store: Store):
    feed = store.add_feed("https://gone.example/rss")
    then = datetime(2026, 3, 1, tzinfo=UTC)
    store.update_feed(
        feed.id,
        disabled_reason="http_404",
        disabled_at=then,
        error_count=8,
        last_error="404 Not Found",
        last_error_reason="http_404",
        next_check_at=datetime(2099, 1, 1, tzinfo=UTC),
    )
    now = datetime(2026, 3, 2, tzinfo=UTC)
    enabled = store.enable_feed(feed.id, now=now)
    assert (enabled.disabled_reason, enabled.disabled_at, enabled.error_count) == (None, None, 0)
    assert (enabled.last_error, enabled.last_error_reason) == (None, None)
    assert store.get_feed(feed.id).next_check_at == now


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: s.add_feed("https://example.org/" + "x" * 2100),
            "a feed URL can have at most 2048",
        ),
        (
            lambda s: s.add_feed("https://example.org/a", name="n" * 201),
            "a feed name can have at most 200",
        ),
        (lambda s: s.add_feed("   "), "needs a URL"),
        (lambda s: s.add_topic("t" * 101, "x", scope="g1", origin="chat"), "1-100 characters"),
        (lambda s: s.follow_feed(s.add_feed("https://example.org/b").id, "s" * 33), "a chat scope"),
    ],
)
def test_too_long_values_are_refused_before_the_database_sees_them(store: Store, call, message):
    """PostgreSQL would refuse them with a DataError; SQLite would keep them."""
    with pytest.raises(InvalidInputError, match=message):
        call(store)
    assert store.list_topics(scope="g1") == []


def test_feed_names_are_kept_on_one_line(store: Store):
    feed = store.add_feed(" https://example.org/a ", name="  Wire \n News ")
    assert (feed.url, feed.name) == ("https://example.org/a", "Wire News")
    assert store.add_feed("https://example.org/b", name="  ").name is None
    assert store.feed_by_url("https://example.org/a ").id == feed.id
    assert store.feed_by_url("https://example.org/c") is None


def test_article_identity_is_unique_per_feed(store: Store):
    feed = store.add_feed("https://example.org/a.xml")
    other = store.add_feed("https://example.org/b.xml")
    with store.session() as session:
        session.add(Article(feed_id=feed.id, entry_key="same"))
        session.add(Article(feed_id=other.id, entry_key="same"))  # another feed: fine
    with pytest.raises(AlreadyExistsError), store.session() as session:
        session.add(Article(feed_id=feed.id, entry_key="same"))


def test_foreign_keys_are_enforced(store: Store):
    with pytest.raises(StorageError), store.session() as session:
        session.add(Article(feed_id=12345, entry_key="orphan"))


def test_topics_are_case_insensitive_and_scoped(store: Store):
    store.add_topic("Mexico security", "cartel OR fentanyl")
    with pytest.raises(AlreadyExistsError):
        store.add_topic("  mexico   SECURITY ", "x")
    assert store.get_topic("MEXICO SECURITY").query == "cartel OR fentanyl"
    with pytest.raises(AlreadyExistsError, match="Mexico security is a built-in topic"):
        store.add_topic("MEXICO  security", "sinaloa", scope="42", origin="chat")
    # A server's topic can still meet a global one of its name: the operator adds it later.
    guild = store.add_topic("Border", "border", scope="42", origin="chat")
    store.upsert_topic("border", "frontera", origin="config")
    assert store.get_topic("BORDER", scope="42").id == guild.id  # own scope wins
    assert store.get_topic("border", scope="7").scope == ""  # others see the global
    assert [t.scope for t in store.list_topics(scope="42")] == ["", "42", ""]
    assert [t.scope for t in store.list_topics()] == ["", ""]
    store.delete_topic("BORDER", scope="42")
    assert store.get_topic("border", scope="42").scope == ""
    with pytest.raises(InvalidInputError):
        store.add_topic("   ", "x")


def test_upsert_topic_updates_the_query(store: Store):
    first = store.upsert_topic("Energy", "oil", origin="config")
    second = store.upsert_topic("energy", "oil OR gas", origin="config")
    assert first.id == second.id
    assert store.get_topic("ENERGY").query == "oil OR gas"


def test_subscriptions(store: Store):
    topic = store.add_topic("Mexico security", "cartel")
    sub = store.subscribe(platform="discord", channel_id="100", guild_id="1", topic_id=topic.id)
    assert (sub.time_of_day, sub.timezone, sub.mode) == ("08:00", "UTC", "daily")
    store.update_subscription(sub.id, paused_reason="missing permission")
    again = store.subscribe(
        platform="discord",
        channel_id="100",
        topic_id=topic.id,
        time_of_day="07:30",
        timezone="America/Mexico_City",
    )
    assert again.id == sub.id and again.paused_reason is None  # resubscribing resumes
    rows = store.list_subscriptions(platform="discord", channel_id="100")
    assert [(s.time_of_day, t.name) for s, t in rows] == [("07:30", "Mexico security")]
    assert store.list_subscriptions(channel_id="other") == []
    store.unsubscribe(platform="discord", channel_id="100", topic_id=topic.id)
    with pytest.raises(NotFoundError):
        store.unsubscribe(platform="discord", channel_id="100", topic_id=topic.id)


def test_deleting_a_topic_removes_its_subscriptions(store: Store):
    topic = store.add_topic("Energy", "oil")
    store.subscribe(platform="console", channel_id="console", topic_id=topic.id)
    store.delete_topic("energy")
    assert store.list_subscriptions() == []


def test_state_values(store: Store):
    assert store.get_state("commands") is None
    store.set_state("commands", "abc")
    store.set_state("commands", "def")
    assert store.get_state("commands") == "def"


def test_sqlite_pragmas(sqlite_url):
    store = Store(sqlite_url)
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        store.close()


def test_bad_urls_are_refused():
    with pytest.raises(InvalidInputError, match="unsupported database"):
        Store("mysql://localhost/x")
    with pytest.raises(InvalidInputError, match="unsupported driver 'psycopg2'"):
        Store("postgresql+psycopg2://u@localhost/x")  # not installed: refused before connecting
    with pytest.raises(InvalidInputError, match="not a database URL"):
        Store("not a url")


def test_bare_postgres_url_gets_psycopg():
    from feeds.store._engine import normalize_url

    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_unreachable_database_is_a_storage_error(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/missing/dir/x.db")
    with pytest.raises(StorageError, match="cannot upgrade"):
        store.upgrade()
