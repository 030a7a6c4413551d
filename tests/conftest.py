"""Fixtures shared by the whole suite: stores on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from feeds.store import Store, open_store
from tests.support.pgserver import ExternalServer, PostgresServer, Unavailable

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# CI sets this so that a missing PostgreSQL fails the run instead of skipping.
REQUIRE_POSTGRES = os.environ.get("NEWSBRIEF_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the session; each test gets its own database."""
    try:
        external = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL")
        server = ExternalServer(external) if external else PostgresServer()
        server.start()
    except Unavailable as reason:
        if REQUIRE_POSTGRES:
            pytest.fail(
                f"PostgreSQL required (NEWSBRIEF_REQUIRE_POSTGRES=1) but unavailable: {reason}"
            )
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    return postgres_server.new_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'newsbrief.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """A fresh, empty database on each backend in turn."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(database_url) -> Store:
    """An upgraded Store on each backend in turn."""
    store = open_store(database_url)
    yield store
    store.close()


@pytest.fixture(scope="session")
def parse_pool():
    """One set of parser worker processes for the whole session (they take a second to start)."""
    from feeds.polling.engine import make_parse_pool

    pool = make_parse_pool(2)
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
async def feed_server():
    """A loopback server with feeds, article pages and hostile cases (tests/support/feedserver)."""
    from tests.support.feedserver import FeedServer

    server = await FeedServer().start()
    yield server
    await server.stop()


@pytest.fixture
def public_loopback(monkeypatch):
    """Let the SSRF guard treat 127.0.0.2 as a public address (127.0.0.1 stays private)."""
    from feeds.net import guard
    from tests.support.feedserver import PUBLIC_HOST

    real = guard.is_public_address
    monkeypatch.setattr(
        guard, "is_public_address", lambda address: address == PUBLIC_HOST or real(address)
    )
