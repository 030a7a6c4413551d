"""The data model: SQLModel tables shared by every layer.

Times are stored as UTC and always come back timezone-aware (see `UTCDateTime`).
Schema changes go through Alembic (`feeds/migrations`); a test checks that
these models and the migrations agree.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from feeds.timeutil import as_utc, utcnow

# Deterministic constraint names keep migrations portable between SQLite
# (batch mode recreates tables by name) and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC that is always returned timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return as_utc(value)

    def process_result_value(self, value, dialect):
        return as_utc(value)


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True):
    return Field(
        default=None if nullable else ...,
        sa_column_args=[sa.ForeignKey(target, ondelete=ondelete)],
        index=index,
        nullable=nullable,
    )


def _when(*, nullable: bool = True, index: bool = False, now: bool = False):
    if now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=nullable, index=index)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


class Feed(SQLModel, table=True):
    """One feed URL and everything needed to poll it politely and report its health."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2048)
    name: str | None = Field(default=None, max_length=200)  # operator/user label
    title: str | None = Field(default=None, max_length=500)  # as the feed calls itself
    site_url: str | None = Field(default=None, max_length=2048)
    language: str | None = Field(default=None, max_length=16)
    # Where the feed came from: "config", "cli" or "chat". Chat feeds are always
    # fetched behind the SSRF guard, whatever the operator allows.
    origin: str = Field(default="cli", max_length=16)
    added_at: datetime = _when(nullable=False, now=True)

    # Conditional GET and parse skipping.
    etag: str | None = Field(default=None, max_length=512)
    last_modified: str | None = Field(default=None, max_length=128)
    body_hash: str | None = Field(default=None, max_length=64)

    # Scheduling.
    interval_seconds: int = Field(default=3600)
    next_check_at: datetime = _when(nullable=False, index=True, now=True)
    last_checked_at: datetime | None = _when()
    last_success_at: datetime | None = _when()
    last_new_entry_at: datetime | None = _when()
    # None until the first successful poll: entries of that poll are the
    # baseline, stored but never announced.
    baseline_at: datetime | None = _when()
    # "guid", "link" or "hash": which entry identity this feed can be trusted with.
    key_mode: str = Field(default="guid", max_length=8)

    # Health.
    error_count: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    last_error_reason: str | None = Field(default=None, max_length=32)
    disabled_reason: str | None = Field(default=None, max_length=32)
    disabled_at: datetime | None = _when()

    @property
    def label(self) -> str:
        """What people call the feed: its given name, else its own title, else its URL."""
        return self.name or self.title or self.url


class FeedFollow(SQLModel, table=True):
    """A chat scope that follows a feed: a Discord guild id, or "console" (ChatContext.scope).

    Chat commands show and change only the feeds their scope follows. A feed
    added from chat lives while some scope follows it; feeds of the operator
    (config, CLI) stay whoever follows them. Every feed's articles serve every
    briefing: following is about managing feeds, not about what is read.
    """

    feed_id: int = Field(
        sa_column_args=[sa.ForeignKey("feed.id", ondelete="CASCADE")], primary_key=True
    )
    scope: str = Field(max_length=32, primary_key=True, index=True)
    created_at: datetime = _when(nullable=False, now=True)
    created_by: str | None = Field(default=None, max_length=64)


class Story(SQLModel, table=True):
    """One event told by one or more articles (possibly from several outlets)."""

    id: int | None = Field(default=None, primary_key=True)
    headline: str = Field(default="", max_length=1000)
    first_seen_at: datetime = _when(nullable=False, index=True, now=True)
    last_seen_at: datetime = _when(nullable=False, index=True, now=True)
    article_count: int = Field(default=0)
    source_count: int = Field(default=0)


class Article(SQLModel, table=True):
    """One feed entry, unique per (feed, entry key), with its text and analysis state."""

    __table_args__ = (
        sa.UniqueConstraint("feed_id", "entry_key"),
        # The articles due for quote analysis, found without reading any text.
        sa.Index(
            "ix_article_analysis_due",
            "id",
            sqlite_where=sa.text("analyzed_hash IS NULL"),
            postgresql_where=sa.text("analyzed_hash IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = _fk("feed.id")
    entry_key: str = Field(max_length=512)
    url: str | None = Field(default=None, max_length=2048)
    canonical_url: str | None = Field(default=None, max_length=2048, index=True)
    title: str = Field(default="", max_length=1000)
    author: str | None = Field(default=None, max_length=500)
    summary: str | None = Field(default=None, sa_type=sa.Text)  # the feed's description
    content: str | None = Field(default=None, sa_type=sa.Text)  # the feed's full content
    published_at: datetime | None = _when(index=True)
    updated_at: datetime | None = _when()
    first_seen_at: datetime = _when(nullable=False, index=True, now=True)
    content_hash: str = Field(default="", max_length=64)
    # False for entries stored by a feed's first poll (the baseline): kept for
    # on-demand briefings, never pushed to a channel.
    announce: bool = Field(default=True)

    full_text: str | None = Field(default=None, sa_type=sa.Text)
    # None: not tried yet; "ok", "not_needed", or a failure reason.
    full_text_status: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=16)
    lead: str | None = Field(default=None, sa_type=sa.Text)  # extracted summary sentence(s)
    # Hash of the text the quotes and lead were computed from; None: due for analysis.
    # A trigger (migration 0005) sets it back to None whenever the text changes.
    analyzed_hash: str | None = Field(default=None, max_length=64)
    story_id: int | None = _fk("story.id", nullable=True, ondelete="SET NULL")
    # When the saved topics were last matched against this text (TopicMatch); None:
    # due. A trigger (migration 0004) sets it back to None whenever the title, the
    # text, the lead or the times change, whoever changes them.
    topics_matched_at: datetime | None = _when(index=True)

    def body_text(self) -> str:
        """The text quotes and summaries are computed from (Quote offsets point into it)."""
        return self.full_text or self.content or self.summary or ""


class ArticleKey(SQLModel, table=True):
    """A distinctive word or name of an article, for finding same-story candidates fast.

    Written when the article is grouped into a story; `at` is the article's
    time (published, or first seen if earlier/unknown) so lookups stay within
    a time window, and `story_id` (the article's story) makes the candidate
    lookup an index-only scan.
    """

    __table_args__ = (sa.Index("ix_articlekey_key_at", "key", "at", "story_id"),)

    article_id: int = Field(
        sa_column_args=[sa.ForeignKey("article.id", ondelete="CASCADE")], primary_key=True
    )
    key: str = Field(max_length=80, primary_key=True)
    at: datetime = _when(nullable=False)
    story_id: int = Field(sa_column_args=[sa.ForeignKey("story.id", ondelete="CASCADE")])


class ConceptCount(SQLModel, table=True):
    """In how many grouped articles a concept occurs (key "" counts the articles).

    Grouping weighs shared words by rarity: sharing "Mexico" says little,
    sharing "Tlajomulco" a lot. Counts only grow (deleted articles are not
    subtracted); they are a statistic, not a ledger.
    """

    key: str = Field(max_length=80, primary_key=True)
    count: int = Field(default=0)


class TopicMatch(SQLModel, table=True):
    """An article that matches a saved topic, with its score: the index briefings read.

    Written at ingest by feeds.briefs.matching (every new or changed article
    against every topic) and, for articles older than a topic, by a bounded
    back-fill (see Topic.matched_from). Non-matches have no row. `at` is the
    article's time (ArticleText.at), so a briefing reads its window from the
    (topic_id, at) index without touching the article text.
    """

    __table_args__ = (sa.Index("ix_topicmatch_topic_id_at", "topic_id", "at"),)

    topic_id: int = Field(
        sa_column_args=[sa.ForeignKey("topic.id", ondelete="CASCADE")], primary_key=True
    )
    article_id: int = Field(
        sa_column_args=[sa.ForeignKey("article.id", ondelete="CASCADE")],
        primary_key=True,
        index=True,
    )
    score: float
    at: datetime = _when(nullable=False)


class Quote(SQLModel, table=True):
    """A direct quotation in an article, with its attributed speaker."""

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = _fk("article.id")
    text: str = Field(sa_type=sa.Text)
    start: int
    end: int
    speaker: str | None = Field(default=None, max_length=300)
    speaker_start: int | None = None
    speaker_end: int | None = None
    # "person", "organization" or None when the article does not say.
    speaker_kind: str | None = Field(default=None, max_length=16)
    # Order of preference within the article among quotes fit to be key quotes
    # (1 = best); 0 = not a key quote (fragment, scare quote, anonymous, repeat).
    rank: int = Field(default=0)
    score: float = Field(default=0.0)  # quality, comparable across articles


class Topic(SQLModel, table=True):
    """A named query. Scope "" is global (presets, config); otherwise a guild id."""

    __table_args__ = (sa.UniqueConstraint("scope", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(default="", max_length=32)
    name: str = Field(max_length=100)
    name_key: str = Field(max_length=100)  # casefolded name, for lookups
    query: str = Field(sa_type=sa.Text)
    origin: str = Field(default="config", max_length=16)  # "preset", "config" or "chat"
    created_at: datetime = _when(nullable=False, now=True)
    created_by: str | None = Field(default=None, max_length=64)
    # TopicMatch holds this topic's matches for the query `matched_query`, complete for
    # every article from `matched_from` on (older ones are back-filled when a briefing
    # first asks for them). None: nothing matched yet.
    matched_query: str | None = Field(default=None, sa_type=sa.Text)
    matched_from: datetime | None = _when()


class Subscription(SQLModel, table=True):
    """A channel's standing order for a topic's briefings."""

    __table_args__ = (sa.UniqueConstraint("platform", "channel_id", "topic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)  # "discord" or "console"
    guild_id: str | None = Field(default=None, max_length=32, index=True)
    channel_id: str = Field(max_length=32, index=True)
    topic_id: int = _fk("topic.id")
    mode: str = Field(default="daily", max_length=16)  # "daily" or "live"
    time_of_day: str = Field(default="08:00", max_length=5)  # local HH:MM
    timezone: str = Field(default="UTC", max_length=64)  # IANA zone
    paused_reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = _when(nullable=False, now=True)
    created_by: str | None = Field(default=None, max_length=64)
    # The scheduled slot (UTC) most recently handled, posted or skipped.
    last_slot_at: datetime | None = _when()
    # Live mode: when it began (stories polled before are not news here), the role each
    # new live story pings (None: nobody), and quiet hours "HH:MM-HH:MM" in `timezone`
    # (None: the [live] default; "": none).
    live_since: datetime | None = _when()
    mention_role_id: str | None = Field(default=None, max_length=32)
    quiet_hours: str | None = Field(default=None, max_length=11)


class Delivery(SQLModel, table=True):
    """The exactly-once ledger: one row per story per channel.

    The row is written as "pending" before sending and marked "sent" after,
    so a crash in between is reconciled on start instead of posting twice.
    """

    __table_args__ = (sa.UniqueConstraint("platform", "channel_id", "story_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=32)
    story_id: int = _fk("story.id")
    subscription_id: int | None = _fk("subscription.id", nullable=True, ondelete="SET NULL")
    status: str = Field(default="pending", max_length=16)  # pending, sent, failed, skipped
    attempts: int = Field(default=0)
    # One send of a briefing (all its messages) shares a batch; `part` is the
    # message (1-based) that carries this story. Each message shows a marker
    # made of both, which is how a restart finds out what was really posted.
    batch: str | None = Field(default=None, max_length=32, index=True)
    part: int | None = None
    message_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _when(nullable=False, now=True)
    sent_at: datetime | None = _when()
    last_error: str | None = Field(default=None, sa_type=sa.Text)


class LiveMessage(SQLModel, table=True):
    """The live ledger: one message of a live subscription, a story as it grows or a list of
    "more stories" (past the hourly cap, or from quiet hours).

    Written as "pending" before the post and marked "sent" with the message id after; the
    message's marker (`ref <token>.1`) is how a restart settles a pending row. An edit is
    recorded once the platform took it (`shown_hash`, `edits`): an edit interrupted by a
    crash is made again, and editing twice to the same text changes nothing. "gone": the
    message was deleted in the channel; it is neither edited nor posted again.
    """

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=32, index=True)
    subscription_id: int | None = _fk("subscription.id", nullable=True, ondelete="SET NULL")
    kind: str = Field(default="story", max_length=8)  # "story" or "more"
    token: str = Field(max_length=32, unique=True)
    status: str = Field(default="pending", max_length=16)  # pending, sent, failed, gone
    message_id: str | None = Field(default=None, max_length=64)
    mention_role_id: str | None = Field(default=None, max_length=32)  # pinged by the post
    created_at: datetime = _when(nullable=False, index=True, now=True)
    sent_at: datetime | None = _when()
    edited_at: datetime | None = _when()
    edits: int = Field(default=0)
    shown_hash: str | None = Field(default=None, max_length=64)  # of what the channel shows
    last_error: str | None = Field(default=None, sa_type=sa.Text)


class LiveItem(SQLModel, table=True):
    """A story shown in a live message (a "story" message has one, a "more" message several).

    The message shows the story's articles first seen from `covers_from` (None: from the
    start; a development after the edit window begins later) until `added_at` plus the
    edit window; `shown_articles` is how many of them it showed at its last post or edit.
    The message's channel is repeated here: "does this channel show that story?" is asked
    for every matching story, every minute, and must not read other channels' rows.
    """

    __table_args__ = (sa.Index("ix_liveitem_channel_story", "channel_id", "story_id"),)

    message_id: int = Field(
        sa_column_args=[sa.ForeignKey("livemessage.id", ondelete="CASCADE")], primary_key=True
    )
    story_id: int = Field(
        sa_column_args=[sa.ForeignKey("story.id", ondelete="CASCADE")],
        primary_key=True,
        index=True,
    )
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=32)
    # The live subscription that found it (its topic names it in a "more stories" list).
    subscription_id: int | None = _fk(
        "subscription.id", nullable=True, ondelete="SET NULL", index=False
    )
    added_at: datetime = _when(nullable=False)
    polled_at: datetime = _when(nullable=False)  # when the article that made it news came in
    covers_from: datetime | None = _when()
    # Why it is in this message: "new" (its own post), "cap" (past the hourly cap) or
    # "late" (more than [live] max_delay after it was polled: quiet hours, bot away).
    reason: str = Field(default="new", max_length=8)
    shown_articles: int = Field(default=0)


class Notice(SQLModel, table=True):
    """A message telling a channel about a problem, e.g. a feed its topics rely on was disabled.

    Unique per event, so a channel hears about each disabling once; written
    as "pending" before sending, like a Delivery.
    """

    __table_args__ = (sa.UniqueConstraint("platform", "channel_id", "kind", "feed_id", "event_at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=32)
    kind: str = Field(default="feed_disabled", max_length=32)
    feed_id: int = _fk("feed.id")
    event_at: datetime = _when(nullable=False)  # e.g. the feed's disabled_at
    reason: str | None = Field(default=None, max_length=200)
    status: str = Field(default="pending", max_length=16)  # pending, sent, failed
    message_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _when(nullable=False, now=True)
    sent_at: datetime | None = _when()
    last_error: str | None = Field(default=None, sa_type=sa.Text)


class AppState(SQLModel, table=True):
    """Small named values the app keeps between runs (e.g. the synced command hash)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_type=sa.Text)
    updated_at: datetime = _when(nullable=False, now=True)
