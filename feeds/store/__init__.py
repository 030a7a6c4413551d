"""The Store: the one gateway to the database.

Every query lives behind a Store method; callers never see sessions. Each
capability adds its queries as a mixin in this package.
"""

from __future__ import annotations

from feeds.store._analysis import AnalysisMixin, PendingText, text_hash
from feeds.store._articles import ArticlesMixin, FeedHealth, StoredEntries
from feeds.store._base import StoreBase
from feeds.store._deliveries import DeliveriesMixin, PendingBatch
from feeds.store._feeds import FeedsMixin, Unfollowed, clean_feed_name, clean_feed_url
from feeds.store._live import LiveMixin, LiveRecord
from feeds.store._matches import (
    TopicCoverage,
    TopicHit,
    TopicMatchesMixin,
    TopicMatchRow,
    TopicMatchWriter,
)
from feeds.store._search import ArticleText, SearchMixin
from feeds.store._stories import (
    QuoteInContext,
    StoriesMixin,
    StoryArticle,
    StoryStats,
    StoryWriter,
)
from feeds.store._topics import MAX_TOPIC_NAME, TopicsMixin, topic_key


class Store(
    FeedsMixin,
    ArticlesMixin,
    TopicsMixin,
    DeliveriesMixin,
    LiveMixin,
    AnalysisMixin,
    SearchMixin,
    StoriesMixin,
    TopicMatchesMixin,
    StoreBase,
):
    """Open with a database URL; call `upgrade()` once before use."""


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open a Store and (by default) bring its schema up to date."""
    store = Store(url)
    if upgrade:
        store.upgrade()
    return store


__all__ = [
    "MAX_TOPIC_NAME",
    "ArticleText",
    "FeedHealth",
    "LiveRecord",
    "PendingBatch",
    "PendingText",
    "QuoteInContext",
    "Store",
    "StoredEntries",
    "StoryArticle",
    "StoryStats",
    "StoryWriter",
    "TopicCoverage",
    "TopicHit",
    "TopicMatchRow",
    "TopicMatchWriter",
    "Unfollowed",
    "clean_feed_name",
    "clean_feed_url",
    "open_store",
    "text_hash",
    "topic_key",
]
