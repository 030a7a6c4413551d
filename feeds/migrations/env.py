"""Alembic environment: always given a live connection by feeds.store._migrate."""

from alembic import context
from sqlmodel import SQLModel

import feeds.models  # noqa: F401  (registers the tables on the metadata)
from feeds.store._migrate import include_name

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `newsbrief db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
