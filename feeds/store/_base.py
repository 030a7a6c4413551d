"""The Store's core: engine, sessions, schema upgrades and error wrapping."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from feeds.errors import AlreadyExistsError, NotFoundError, StorageError
from feeds.models import AppState
from feeds.store import _migrate
from feeds.store._engine import make_engine, normalize_url
from feeds.timeutil import utcnow

log = logging.getLogger(__name__)


class StoreBase:
    """Owns the engine and hands out short sessions; subclasses add the queries."""

    def __init__(self, url: str):
        self.url = normalize_url(url)
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, class_=Session, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        """The URL without its password, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error.

        Database errors leave as StorageError (or AlreadyExistsError for a
        unique-key clash), chained to the driver's exception.
        """
        session = self._sessions()
        try:
            yield session
            session.commit()
        except sa.exc.IntegrityError as error:
            session.rollback()
            raise AlreadyExistsError(_integrity_message(error)) from error
        except sa.exc.SQLAlchemyError as error:
            session.rollback()
            detail = getattr(error, "orig", None) or error
            raise StorageError(f"database error on {self.describe()}: {detail}") from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (idempotent)."""
        try:
            with self.engine.begin() as connection:
                _migrate.upgrade(connection)
        except sa.exc.SQLAlchemyError as error:
            raise StorageError(
                f"cannot upgrade {self.describe()}: {error.orig or error}"
            ) from error

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return _migrate.current_revision(connection)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _update_row(self, model: type, row_id: int, changes: dict) -> object:
        """Set fields on one row by primary key; unknown fields are a programming error."""
        with self.session() as session:
            row = session.get(model, row_id)
            if row is None:
                raise NotFoundError(f"no {model.__name__.lower()} with id {row_id}")
            for field, value in changes.items():
                if field not in model.model_fields:
                    raise AttributeError(f"{model.__name__} has no field {field!r}")
                setattr(row, field, value)
            return row

    # Small named values kept between runs.

    def get_state(self, key: str) -> str | None:
        with self.session() as session:
            row = session.get(AppState, key)
            return row.value if row else None

    def set_state(self, key: str, value: str) -> None:
        with self.session() as session:
            row = session.get(AppState, key)
            if row is None:
                session.add(AppState(key=key, value=value))
            else:
                row.value, row.updated_at = value, utcnow()


def _integrity_message(error: sa.exc.IntegrityError) -> str:
    detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return f"already exists or violates a constraint: {detail}"
