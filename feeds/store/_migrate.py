"""Alembic, driven from code: the scripts live in the `feeds.migrations` package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

import feeds.migrations

SCRIPT_LOCATION = str(Path(feeds.migrations.__file__).parent)

# Full-text search objects made by hand-written, dialect-specific migrations
# (0002): the models cannot describe them, so comparisons leave them out.
UNMANAGED_TABLE_PREFIX = "article_fts"
UNMANAGED_INDEXES = frozenset({"ix_article_search"})


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic filter: compare everything except the hand-made full-text objects."""
    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name in UNMANAGED_INDEXES)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def make_revision(connection: Connection, message: str) -> None:
    """Autogenerate the next numbered revision from the models (a developer tool)."""
    head = head_revision()
    rev_id = f"{int(head) + 1:04d}" if head and head.isdigit() else "0001"
    command.revision(alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id)
