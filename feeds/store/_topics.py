"""Topic and subscription rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from feeds.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from feeds.models import Article, Subscription, Topic, TopicMatch
from feeds.timeutil import as_utc, utcnow

MAX_TOPIC_NAME = 100


def topic_key(name: str) -> str:
    """The lookup key of a topic name: case- and space-insensitive."""
    return " ".join(name.split()).casefold()


def normalized_query(query: str) -> str:
    """A query's text as its matches are recorded (whitespace-insensitive)."""
    return " ".join(query.split())


# matched_from of a topic that covers every article.
EVERYTHING = datetime(1970, 1, 1, tzinfo=UTC)


def coverage_start(session: Session) -> datetime:
    """Where a topic created now is complete: after every article matched before it.

    Articles matched from now on (new, changed, or due) are matched against
    it at ingest; those matched already are not, and their time is at most
    their first_seen_at. In a store with nothing matched yet: everything.
    """
    latest = session.execute(
        sa.select(sa.func.max(Article.first_seen_at)).where(Article.topics_matched_at.is_not(None))
    ).scalar()
    return EVERYTHING if latest is None else as_utc(latest) + timedelta(microseconds=1)


def reset_matches(session: Session, topic_id: int, query: str) -> None:
    """Forget a topic's matches (they were for another query) and start its coverage
    over: ingest matches what arrives, briefings back-fill older windows they ask for."""
    session.execute(sa.delete(TopicMatch).where(TopicMatch.topic_id == topic_id))
    session.execute(
        sa.update(Topic)
        .where(Topic.id == topic_id)
        .values(matched_query=normalized_query(query), matched_from=coverage_start(session))
    )


class TopicsMixin:
    def add_topic(
        self,
        name: str,
        query: str,
        *,
        scope: str = "",
        origin: str = "config",
        created_by: str | None = None,
    ) -> Topic:
        clean = " ".join(name.split())
        if not clean or len(clean) > MAX_TOPIC_NAME:
            raise InvalidInputError(f"a topic name needs 1-{MAX_TOPIC_NAME} characters")
        with self.session() as session:
            if self._topic_row(session, clean, scope, exact_scope=True) is not None:
                raise AlreadyExistsError(f"topic {clean!r} already exists")
            # A server's topic may not hide a built-in one (a preset, or the operator's).
            built_in = scope and self._topic_row(session, clean, "", exact_scope=True)
            if built_in:
                raise AlreadyExistsError(
                    f"{built_in.name} is a built-in topic: subscribe to it as it is, "
                    "or give yours another name"
                )
            topic = Topic(
                scope=scope,
                name=clean,
                name_key=topic_key(clean),
                query=query,
                origin=origin,
                created_by=created_by,
                matched_query=normalized_query(query),
                matched_from=coverage_start(session),
            )
            session.add(topic)
            session.flush()
            return topic

    def upsert_topic(self, name: str, query: str, *, origin: str) -> Topic:
        """Create or update a global topic (config and presets are re-applied at start)."""
        with self.session() as session:
            topic = self._topic_row(session, name, "", exact_scope=True)
            if topic is None:
                topic = Topic(name=" ".join(name.split()), name_key=topic_key(name), query=query)
                session.add(topic)
            topic.query, topic.origin = query, origin
            session.flush()
            if topic.matched_query != normalized_query(query):
                reset_matches(session, topic.id, query)
                session.refresh(topic)
            return topic

    def get_topic(self, name: str, *, scope: str = "") -> Topic:
        """Find a topic by name in a scope, falling back to the global ones."""
        with self.session() as session:
            topic = self._topic_row(session, name, scope)
            if topic is None:
                raise NotFoundError(f"no topic named {name!r}")
            return topic

    def list_topics(self, *, scope: str = "") -> list[Topic]:
        """Global topics plus those of `scope`, sorted by name."""
        with self.session() as session:
            rows = session.exec(select(Topic).where(Topic.scope.in_({"", scope})))
            return sorted(rows, key=lambda t: (t.name_key, t.scope))

    def delete_topic(self, name: str, *, scope: str = "") -> None:
        with self.session() as session:
            topic = self._topic_row(session, name, scope, exact_scope=True)
            if topic is None:
                raise NotFoundError(f"no topic named {name!r} here")
            session.delete(topic)

    @staticmethod
    def _topic_row(session, name: str, scope: str, *, exact_scope: bool = False) -> Topic | None:
        scopes = [scope] if exact_scope or not scope else [scope, ""]
        rows = session.exec(
            select(Topic).where(Topic.name_key == topic_key(name), Topic.scope.in_(scopes))
        ).all()
        # A guild's own topic wins over a global one of the same name.
        return min(rows, key=lambda t: t.scope == "", default=None)

    # Subscriptions.

    def subscribe(
        self,
        *,
        platform: str,
        channel_id: str,
        topic_id: int,
        guild_id: str | None = None,
        time_of_day: str = "08:00",
        timezone: str = "UTC",
        mode: str = "daily",
        mention_role_id: str | None = None,
        quiet_hours: str | None = None,
        created_by: str | None = None,
        now: datetime | None = None,
    ) -> Subscription:
        """Subscribe a channel to a topic, or change an existing subscription (its time,
        mode, mention, quiet hours; a paused one resumes).

        A subscription going live (new, from daily, or resumed) posts the stories
        polled from `now` on, never older ones.
        """
        with self.session() as session:
            subscription = session.exec(
                select(Subscription).where(
                    Subscription.platform == platform,
                    Subscription.channel_id == channel_id,
                    Subscription.topic_id == topic_id,
                )
            ).first()
            if subscription is None:
                subscription = Subscription(
                    platform=platform,
                    channel_id=channel_id,
                    guild_id=guild_id,
                    topic_id=topic_id,
                    created_by=created_by,
                )
                session.add(subscription)
            # A new row's mode is "daily" until set below.
            if mode == "live" and (subscription.mode != "live" or subscription.paused_reason):
                subscription.live_since = now or utcnow()
            subscription.time_of_day, subscription.timezone = time_of_day, timezone
            subscription.mode, subscription.paused_reason = mode, None
            subscription.mention_role_id, subscription.quiet_hours = mention_role_id, quiet_hours
            session.flush()
            return subscription

    def unsubscribe(self, *, platform: str, channel_id: str, topic_id: int) -> None:
        with self.session() as session:
            subscription = session.exec(
                select(Subscription).where(
                    Subscription.platform == platform,
                    Subscription.channel_id == channel_id,
                    Subscription.topic_id == topic_id,
                )
            ).first()
            if subscription is None:
                raise NotFoundError("this channel is not subscribed to that topic")
            session.delete(subscription)

    def list_subscriptions(
        self, *, platform: str | None = None, channel_id: str | None = None
    ) -> list[tuple[Subscription, Topic]]:
        with self.session() as session:
            query = select(Subscription, Topic).join(Topic).order_by(Subscription.id)
            if platform is not None:
                query = query.where(Subscription.platform == platform)
            if channel_id is not None:
                query = query.where(Subscription.channel_id == channel_id)
            return list(session.exec(query))

    def update_subscription(self, subscription_id: int, **changes) -> Subscription:
        return self._update_row(Subscription, subscription_id, changes)
