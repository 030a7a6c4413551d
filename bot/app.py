"""What every command shares: the validated settings and a lazily opened Store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import PollingSettings, Settings
from feeds.briefs.presets import PRESETS
from feeds.errors import AlreadyExistsError
from feeds.store import Store, open_store, topic_key

if TYPE_CHECKING:
    from feeds.polling.engine import PollOptions

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """Open the database on first use: upgrade its schema and apply the config's rows."""
        if self._store is None:
            self._store = open_store(self.settings.database.url)
            apply_config(self._store, self.settings)
        return self._store

    def poll_options(self, **overrides) -> PollOptions:
        return poll_options(self.settings.polling, **overrides)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def apply_config(store: Store, settings: Settings) -> None:
    """Make the built-in topics and the config's feeds and topics exist in the database.

    Feeds are only added (removing one from the file does not delete its
    articles); presets and topics from the file are created or updated, and
    a config topic with a preset's name replaces the preset.
    """
    known = {feed.url for feed in store.list_feeds()}
    for entry in settings.feeds:
        if entry.url not in known:
            try:
                store.add_feed(entry.url, name=entry.name, origin="config")
            except AlreadyExistsError:  # added by another process meanwhile
                continue
            log.info("added feed from config: %s", entry.url)
    configured = {topic_key(topic.name) for topic in settings.topics}
    for preset in PRESETS:
        if topic_key(preset.name) not in configured:
            store.upsert_topic(preset.name, preset.query, origin="preset")
    for topic in settings.topics:
        store.upsert_topic(topic.name, topic.query, origin="config")


def poll_options(polling: PollingSettings, **overrides) -> PollOptions:
    """The polling engine's options from the [polling] settings."""
    from feeds.polling.engine import PollOptions  # aiohttp & co. only for commands that poll

    options = {
        "interval_min": polling.interval_min.total_seconds(),
        "interval_max": polling.interval_max.total_seconds(),
        "max_failures": polling.max_failures,
        "allow_private_hosts": polling.allow_private_hosts,
        "concurrency": polling.concurrency,
        "per_host": polling.per_host,
        "connect_timeout": polling.connect_timeout.total_seconds(),
        "timeout": polling.timeout.total_seconds(),
        "max_body_size": polling.max_body_size,
        "parse_workers": polling.parse_workers,
        "full_text": polling.full_text,
    }
    return PollOptions(**{**options, **overrides})
