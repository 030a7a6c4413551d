"""The models and the Alembic migrations must describe the same schema."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import feeds.models  # noqa: F401
from feeds.store import Store
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
