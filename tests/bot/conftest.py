"""Bot tests run on SQLite: the Store itself is tested on both backends in tests/feeds."""

import pytest

from feeds.store import open_store


@pytest.fixture
def sqlite_store(sqlite_url):
    store = open_store(sqlite_url)
    yield store
    store.close()
