"""Engine construction: one place that knows SQLite's pragmas and URL quirks."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool

from feeds.errors import InvalidInputError

SQLITE_BUSY_TIMEOUT_MS = 10_000
# The backends and the one driver each that the lock file installs.
SUPPORTED = {"sqlite": "pysqlite", "postgresql": "psycopg"}
SUPPORTED_FORMS = "sqlite:///PATH or postgresql+psycopg://USER:PASS@HOST/DB"


def normalize_url(url: str) -> URL:
    """Parse a database URL that newsbrief can open; bare PostgreSQL URLs get psycopg 3."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as error:
        raise InvalidInputError(f"not a database URL: {url!r}") from error
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if SUPPORTED.get(backend) != driver:
        what = f"database {backend!r}" if backend not in SUPPORTED else f"driver {driver!r}"
        raise InvalidInputError(f"unsupported {what}: use {SUPPORTED_FORMS}")
    return parsed


def make_engine(url: str) -> Engine:
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa.create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        poolclass=StaticPool if in_memory else None,
    )

    @sa.event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine
