"""The models and the Alembic migrations must describe the same schema."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from feeds.models import Feed, FeedFollow, Subscription, Topic
from feeds.store import Store, _migrate
from feeds.store._migrate import head_revision, include_name


def test_migrations_match_models(database_url):
    store = Store(database_url)
    try:
        store.upgrade()
        with store.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": include_name}
            )
            differences = compare_metadata(context, SQLModel.metadata)
        assert differences == []
        assert store.schema_revision() == head_revision()
    finally:
        store.close()


def test_upgrade_is_idempotent(database_url):
    store = Store(database_url)
    try:
        store.upgrade()
        store.upgrade()
        tables = set(sa.inspect(store.engine).get_table_names())
        assert {"feed", "article", "quote", "topic", "subscription", "delivery", "story"} <= tables
    finally:
        store.close()


def test_compare_detects_a_model_change(sqlite_url):
    """Guard against a comparison that can never fail: add a column and expect a diff."""
    store = Store(sqlite_url)
    try:
        store.upgrade()
        metadata = sa.MetaData()
        for table in SQLModel.metadata.tables.values():
            table.to_metadata(metadata)
        metadata.tables["feed"].append_column(sa.Column("extra", sa.Integer))
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_name": include_name})
            differences = compare_metadata(context, metadata)
        assert [d[0] for d in differences] == ["add_column"]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("channels", "followers"),
    [
        ([("discord", "g1", "c1"), ("discord", "g1", "c2")], ["g1", "g1"]),  # one server
        ([("discord", "g1", "c1"), ("console", None, "console")], []),  # two: cannot be told
        ([], []),  # chat never used
    ],
)
def test_0006_gives_chat_feeds_to_the_only_scope_that_used_chat(database_url, channels, followers):
    store = Store(database_url)
    try:
        with store.engine.begin() as connection:
            _migrate.upgrade(connection, "0005")
        with Session(store.engine) as session:  # tables 0006 leaves as they were
            chat = [Feed(url=f"https://chat{n}.example/rss", origin="chat") for n in (1, 2)]
            session.add_all([*chat, Feed(url="https://config.example/rss", origin="config")])
            scope = "g1" if channels else ""
            topic = Topic(scope=scope, name="Border", name_key="border", query="border")
            session.add(topic)
            session.flush()
            for platform, guild, channel in channels:
                # The columns of 0005 only (later revisions add some).
                session.execute(
                    sa.insert(Subscription).values(
                        platform=platform,
                        guild_id=guild,
                        channel_id=channel,
                        topic_id=topic.id,
                        mode="daily",
                        time_of_day="08:00",
                        timezone="UTC",
                    )
                )
            session.commit()
            chat_ids = sorted(feed.id for feed in chat)
        store.upgrade()
        with Session(store.engine) as session:
            rows = session.exec(select(FeedFollow).order_by(FeedFollow.feed_id)).all()
        assert [row.scope for row in rows] == followers
        assert [row.feed_id for row in rows] == (chat_ids if followers else [])
    finally:
        store.close()
