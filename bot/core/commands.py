"""The chat commands, platform-neutral: Discord and the console call these same handlers.

Handlers take a `ChatContext` (who, where, may they manage the channel) and
plain values, and return a `Reply`: plain text (adapters escape it) and/or a
Briefing (adapters render it). User mistakes raise NewsbriefError subclasses
whose message is shown to the user privately.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import available_timezones

from bot.core.capabilities import BriefingRequest, Capabilities
from bot.core.specs import BY_NAME, available
from feeds.briefs import Briefing
from feeds.errors import AlreadyExistsError, InvalidInputError, NewsbriefError, NotFoundError
from feeds.live import LivePolicy, QuietHours
from feeds.models import Feed, Subscription, Topic
from feeds.polling.identity import canonical_url
from feeds.schedule import next_slot, normalize_time_of_day, zone
from feeds.store import ArticleText, Store, clean_feed_url
from feeds.timeutil import format_duration, parse_duration, utcnow
from feeds.why import DeliveryFacts, LiveFacts, SubscriptionFacts, why_lines
from feeds.wording import excerpt, plural

log = logging.getLogger(__name__)

MAX_SINCE = timedelta(days=30)
MODES = ("daily", "live")
SUGGESTIONS = 25  # Discord shows at most 25 autocomplete choices
QUERY_EXCERPT = 80  # characters of a topic's query that /topic list shows


class CommandError(NewsbriefError):
    """A command cannot be done as asked; the message tells the user why."""


class PermissionDenied(CommandError):
    """The user lacks a permission the command needs."""


@dataclass(frozen=True)
class ChatContext:
    platform: str  # "discord" or "console"
    channel_id: str
    user_id: str
    guild_id: str | None = None
    can_manage: bool = False  # Manage Channels in this channel

    @property
    def scope(self) -> str:
        """Where this channel's own topics live: its guild, or the platform."""
        return self.guild_id or self.platform


@dataclass(frozen=True)
class RoleMention:
    """A role a live subscription pings on each new story (Discord only)."""

    id: str
    name: str


@dataclass(frozen=True)
class Reply:
    text: str = ""
    briefing: Briefing | None = None
    private: bool = False  # only the user sees it (Discord: ephemeral)


@dataclass(frozen=True)
class CoreOptions:
    default_time: str = "08:00"
    default_timezone: str = "UTC"
    window: timedelta = timedelta(hours=24)
    max_stories: int = 8
    quotes_per_story: int = 2
    live: LivePolicy = field(default_factory=LivePolicy)

    @classmethod
    def from_settings(cls, settings) -> CoreOptions:
        return cls(
            default_time=settings.schedule.time,
            default_timezone=settings.schedule.timezone,
            window=settings.briefing.window,
            max_stories=settings.briefing.max_stories,
            quotes_per_story=settings.briefing.quotes_per_story,
            live=settings.live_policy(),
        )


@dataclass
class ChatCore:
    store: Store
    options: CoreOptions = field(default_factory=CoreOptions)
    capabilities: Capabilities = field(default_factory=Capabilities)
    clock: Callable[[], datetime] = utcnow
    # Told about every subscription that was added, changed or removed (the scheduler).
    on_subscription_change: Callable[[int], None] | None = None
    # Ingest steps that failed in the latest poll cycle: step name -> error (the runtime's).
    failed_steps: dict[str, str] = field(default_factory=dict)

    # Briefings.

    async def brief(self, ctx: ChatContext, query: str | None, since: str | None = None) -> Reply:
        window = self._window(since)
        title, text = self._resolve_query(ctx, query)
        now = self.clock()
        briefing = await self._compose(
            BriefingRequest(
                title=title,
                query=text,
                since=now - window,
                until=now,
                max_stories=self.options.max_stories,
                quotes_per_story=self.options.quotes_per_story,
                timezone=self._channel_timezone(ctx),
            )
        )
        return Reply(briefing=briefing)

    async def topic_preview(self, ctx: ChatContext, name: str) -> Reply:
        topic = self._topic(ctx, name)
        return await self.brief(ctx, topic.name)

    async def _compose(self, request: BriefingRequest) -> Briefing:
        compose = self._need("compose")
        return await asyncio.to_thread(compose, self.store, request)

    def _window(self, since: str | None) -> timedelta:
        if not since:
            return self.options.window
        window = parse_duration(since)
        if not timedelta(minutes=1) <= window <= MAX_SINCE:
            raise InvalidInputError(f"`since` must be between 1m and {MAX_SINCE.days}d")
        return window

    def _resolve_query(self, ctx: ChatContext, query: str | None) -> tuple[str, str]:
        """(title, query): a saved topic's name and query, or the words as typed."""
        words = " ".join((query or "").split())
        if not words:
            subscribed = self.store.list_subscriptions(
                platform=ctx.platform, channel_id=ctx.channel_id
            )
            if not subscribed:
                raise CommandError(
                    "Name a topic or some words, e.g. /brief Mexico security (/topic list)"
                )
            topic = subscribed[0][1]
            return topic.name, topic.query
        try:
            topic = self.store.get_topic(words, scope=ctx.scope)
        except NotFoundError:
            return words, words
        return topic.name, topic.query

    def _channel_timezone(self, ctx: ChatContext) -> str:
        subscribed = self.store.list_subscriptions(platform=ctx.platform, channel_id=ctx.channel_id)
        return subscribed[0][0].timezone if subscribed else self.options.default_timezone

    # Subscriptions.

    async def subscribe(
        self,
        ctx: ChatContext,
        topic: str,
        time: str | None = None,
        timezone: str | None = None,
        *,
        mode: str | None = None,
        mention: RoleMention | None = None,
        quiet: str | None = None,
    ) -> Reply:
        """A daily briefing at a time, or (mode "live") each new story as it comes."""
        self._require_manage(ctx, "subscribe")
        mode = (mode or "daily").strip().lower()
        if mode not in MODES:
            raise CommandError(f"The mode is daily or live, not {mode!r}.")
        self._need("live" if mode == "live" else "compose")
        found = self._topic(ctx, topic)
        zone_name = resolve_timezone(timezone or self.options.default_timezone)
        if mode == "live":
            return self._subscribe_live(ctx, found, time, zone_name, mention, quiet)
        if mention is not None or quiet is not None:
            raise CommandError(
                "A mention and quiet hours are for live stories: add mode:live "
                "(a daily briefing pings nobody and comes at its time)."
            )
        time_of_day = normalize_time_of_day(time or self.options.default_time)
        subscription = self.store.subscribe(
            platform=ctx.platform,
            channel_id=ctx.channel_id,
            guild_id=ctx.guild_id,
            topic_id=found.id,
            time_of_day=time_of_day,
            timezone=zone_name,
            created_by=ctx.user_id,
        )
        self._changed(subscription.id)
        return Reply(
            f"This channel will get a daily briefing on {found.name} at {time_of_day} "
            f"{zone_name}. {self._next_post(subscription)}"
        )

    def _subscribe_live(
        self,
        ctx: ChatContext,
        topic: Topic,
        time: str | None,
        zone_name: str,
        mention: RoleMention | None,
        quiet: str | None,
    ) -> Reply:
        if time:
            raise CommandError(
                "Live stories come as they happen, not at a time: leave out the time "
                "(quiet hours, e.g. 23:00-07:00, keep the night calm)."
            )
        if mention is not None and (not mention.id.isdigit() or mention.id == ctx.guild_id):
            raise CommandError("Pick a role to mention; @everyone is never pinged.")
        quiet_hours = None
        if quiet is not None:
            try:
                parsed = QuietHours.parse(quiet)
            except InvalidInputError as error:
                raise CommandError(f"{error}.") from None
            quiet_hours = str(parsed) if parsed else ""
        subscription = self.store.subscribe(
            platform=ctx.platform,
            channel_id=ctx.channel_id,
            guild_id=ctx.guild_id,
            topic_id=topic.id,
            time_of_day=self.options.default_time,
            timezone=zone_name,
            mode="live",
            mention_role_id=mention.id if mention else None,
            quiet_hours=quiet_hours,
            created_by=ctx.user_id,
            now=self.clock(),
        )
        self._changed(subscription.id)
        policy = self.options.live
        ping = f" Each new story pings @{mention.name}." if mention else ""
        return Reply(
            f"This channel will get live stories on {topic.name}: each new story is posted "
            f"once, within {format_duration(policy.max_delay)} of its first report, and that "
            f"message is updated as more outlets report it, for "
            f"{format_duration(policy.update_for)}; at most "
            f"{plural(policy.max_per_hour, 'story', 'stories')} an hour, the rest in one "
            f'"more stories" message. {self._quiet_text(subscription)}{ping}'
        )

    def _quiet_text(self, subscription: Subscription) -> str:
        quiet = self.options.live.quiet_for(subscription.quiet_hours)
        if quiet is None:
            return "No quiet hours."
        return f"Quiet hours {quiet} {subscription.timezone}: nothing new is posted then."

    async def unsubscribe(self, ctx: ChatContext, topic: str) -> Reply:
        self._require_manage(ctx, "unsubscribe")
        found = self._topic(ctx, topic)
        subscription = self._subscription(ctx, found)
        self.store.unsubscribe(platform=ctx.platform, channel_id=ctx.channel_id, topic_id=found.id)
        self._changed(subscription.id)
        what = "live stories" if subscription.mode == "live" else "daily briefing"
        return Reply(f"Stopped the {what} on {found.name} in this channel.")

    async def subscriptions(self, ctx: ChatContext) -> Reply:
        rows = self.store.list_subscriptions(platform=ctx.platform, channel_id=ctx.channel_id)
        if not rows:
            return Reply(
                "This channel has no daily briefings or live stories. Start one with "
                "/subscribe topic (add mode:live for each story as it comes)."
            )
        live = any(subscription.mode == "live" for subscription, _ in rows)
        header = "Briefings and live stories" if live else "Daily briefings"
        lines = [f"{header} in this channel:"]
        for subscription, topic in rows:
            if subscription.mode == "live":
                line = f"- {topic.name}: live | {self._quiet_text(subscription)}"
                if subscription.mention_role_id:
                    line += " Pings a role on each new story."
            else:
                line = f"- {topic.name}: {subscription.time_of_day} {subscription.timezone}"
            if subscription.paused_reason:
                line += (
                    f" | PAUSED: {subscription.paused_reason}"
                    " (fix the channel's permissions, then /subscribe again to resume)"
                )
            elif subscription.mode != "live":
                line += f" | {self._next_post(subscription)}"
            lines.append(line)
        return Reply("\n".join(lines))

    def _next_post(self, subscription: Subscription) -> str:
        now = self.clock()
        slot = next_slot(now, subscription.time_of_day, subscription.timezone)
        local = slot.astimezone(zone(subscription.timezone))
        return f"Next: {local:%a} {local.day} {local:%b %H:%M} (in {format_duration(slot - now)})."

    def _subscription(self, ctx: ChatContext, topic: Topic) -> Subscription:
        for subscription, subscribed in self.store.list_subscriptions(
            platform=ctx.platform, channel_id=ctx.channel_id
        ):
            if subscribed.id == topic.id:
                return subscription
        raise NotFoundError(f"This channel is not subscribed to {topic.name}.")

    def _changed(self, subscription_id: int) -> None:
        if self.on_subscription_change is not None:
            self.on_subscription_change(subscription_id)

    # Topics.

    async def topic_create(self, ctx: ChatContext, name: str, query: str) -> Reply:
        self._require_manage(ctx, "topic create")
        try:
            self._need("check_query")(query)
        except InvalidInputError as error:
            raise CommandError(
                f'Not a valid query: {error}. A query is words, "phrases", OR, -exclusions '
                "and parentheses, e.g. cartel (Sinaloa OR Sonora) -football"
            ) from error
        topic = self.store.add_topic(
            name, query, scope=ctx.scope, origin="chat", created_by=ctx.user_id
        )
        return Reply(f"Saved the topic {topic.name}: {topic.query}")

    async def topic_list(self, ctx: ChatContext) -> Reply:
        topics = self.store.list_topics(scope=ctx.scope)
        if not topics:
            return Reply("No topics yet.")
        lines = ["Topics:"]
        for topic in topics:
            origin = "this server" if topic.scope == ctx.scope else "built in"
            lines.append(f"- {topic.name} ({origin}): {excerpt(topic.query, QUERY_EXCERPT)}")
        return Reply("\n".join(lines))

    def _topic(self, ctx: ChatContext, name: str) -> Topic:
        try:
            return self.store.get_topic(name, scope=ctx.scope)
        except NotFoundError:
            raise NotFoundError(f"No topic named {name!r}; /topic list shows them.") from None

    async def topic_delete(self, ctx: ChatContext, name: str) -> Reply:
        self._require_manage(ctx, "topic delete")
        topic = self._topic(ctx, name)
        if topic.scope != ctx.scope:
            raise CommandError(f"{topic.name} is built in; only this server's topics can go.")
        affected = [
            subscription.id
            for subscription, subscribed in self.store.list_subscriptions()
            if subscribed.id == topic.id
        ]
        self.store.delete_topic(name, scope=ctx.scope)
        for subscription_id in affected:
            self._changed(subscription_id)
        ended = f" and its {plural(len(affected), 'subscription')}" if affected else ""
        return Reply(f"Deleted the topic {topic.name}{ended}.")

    def suggest_topics(self, ctx: ChatContext, typed: str) -> list[str]:
        names = [topic.name for topic in self.store.list_topics(scope=ctx.scope)]
        return rank_suggestions(names, typed)

    # Feeds.

    async def feed_add(self, ctx: ChatContext, url: str) -> Reply:
        """Follow a feed here: a known one at once (turned back on if it was disabled),
        a new one once it is fetched and checked."""
        self._require_manage(ctx, "feed add")
        url = clean_feed_url(url)
        known = self.store.feed_by_url(url)
        if known is None:
            add = self._need("add_feed")
            try:
                feed = await add(self.store, url, follower=ctx.scope, followed_by=ctx.user_id)
            except AlreadyExistsError:
                known = self.store.feed_by_url(url)  # added from another chat meanwhile
                if known is None:
                    raise  # it moved to an address that is known: the message says which
            else:
                return Reply(f"Following {feed.label} ({feed.url}).")
        return self._follow_known(ctx, known)

    def _follow_known(self, ctx: ChatContext, feed: Feed) -> Reply:
        was = ""
        if feed.disabled_reason:
            was = describe_feed(feed).removeprefix(f"{feed.label}: ")
            feed = self.store.enable_feed(feed.id, now=self.clock())
        followed = self.store.follow_feed(feed.id, ctx.scope, created_by=ctx.user_id)
        label = f"{feed.label} ({feed.url})"
        if was:
            return Reply(f"Following {label}, turned back on: it was {was}. It is checked now.")
        if not followed:
            return Reply(f"Already following {label} here.")
        return Reply(f"Following {label}.")

    async def feed_list(self, ctx: ChatContext) -> Reply:
        followed = self.store.followed_feeds(ctx.scope)
        others = len(self.store.list_feeds()) - len(followed)
        if followed:
            lines = ["Feeds followed here:", *(f"- #{f.id} {describe_feed(f)}" for f in followed)]
        else:
            lines = ["No feeds followed here yet: /feed add url follows one."]
        if others:
            lines.append(
                f"Briefings also read {plural(others, 'other feed')}, "
                "of the operator or of other servers."
            )
        return Reply("\n".join(lines))

    async def feed_remove(self, ctx: ChatContext, feed: str) -> Reply:
        """Stop following a feed here; a chat feed that nobody follows any more is deleted
        (the operator's feeds never are)."""
        self._require_manage(ctx, "feed remove")
        key = feed.strip().removeprefix("#")
        followed = self.store.followed_feeds(ctx.scope)
        found = next((f for f in followed if key in (str(f.id), f.url)), None)
        if found is None:
            try:
                known = self.store.find_feed(key)
            except NotFoundError:
                raise NotFoundError(
                    f"No feed {key!r}; /feed list shows the feeds followed here."
                ) from None
            if known.origin != "chat":
                raise CommandError(
                    f"{known.url} comes from the operator's configuration; "
                    "only the operator can remove it."
                )
            raise CommandError(
                f"{known.url} is not followed here; /feed list shows the feeds that are."
            )
        result = self.store.unfollow_feed(found.id, ctx.scope)
        label = f"{found.label} ({found.url})"
        if result.removed:
            gone = plural(result.articles, "article")
            return Reply(
                f"No longer following {label}; nobody else did, so it is removed with its {gone}."
            )
        if found.origin != "chat":
            return Reply(f"No longer following {label} here; it stays, as the operator's feed.")
        return Reply(f"No longer following {label} here; other servers still follow it.")

    # Health and history.

    async def status(self, ctx: ChatContext) -> Reply:
        feeds = self._feeds_seen_from(ctx)
        disabled = [f for f in feeds if f.disabled_reason]
        failing = [f for f in feeds if f.error_count and not f.disabled_reason]
        lines = [f"Feeds: {len(feeds)} ({len(failing)} failing, {len(disabled)} disabled)"]
        lines += [f"- {describe_feed(f)}" for f in disabled + failing]
        polled = [f.last_checked_at for f in feeds if f.last_checked_at]
        now = self.clock()
        lines.append(
            f"Last poll: {format_duration(now - max(polled))} ago" if polled else "Last poll: never"
        )
        lines += [
            f"- the {step} step failed: {excerpt(error, 200)}"
            for step, error in self.failed_steps.items()
        ]
        upcoming = [
            (next_slot(now, s.time_of_day, s.timezone), topic.name, s)
            for s, topic in self.store.list_subscriptions(
                platform=ctx.platform, channel_id=ctx.channel_id
            )
            if not s.paused_reason and s.mode != "live"
        ]
        if upcoming:
            _slot, name, subscription = min(upcoming, key=lambda item: item[0])
            lines.append(f"Next briefing here: {name}. {self._next_post(subscription)}")
        else:
            lines.append("Next briefing here: none scheduled")
        live = [
            topic.name
            for s, topic in self.store.list_subscriptions(
                platform=ctx.platform, channel_id=ctx.channel_id
            )
            if s.mode == "live" and not s.paused_reason
        ]
        if live:
            lines.append(f"Live stories here: {', '.join(live)}")
        return Reply("\n".join(lines))

    def _feeds_seen_from(self, ctx: ChatContext) -> list[Feed]:
        """The operator's feeds and those this scope follows: another server's feeds
        (their URLs, their failures) are that server's business."""
        followed = {f.id for f in self.store.followed_feeds(ctx.scope)}
        return [f for f in self.store.list_feeds() if f.origin != "chat" or f.id in followed]

    async def why(self, ctx: ChatContext, url: str) -> Reply:
        explain = self._need("explain")
        url = url.strip()
        article = self.store.article_by_url(url) or self.store.article_by_url(
            canonical_url(url) or ""
        )
        if article is None:
            return Reply("\n".join(why_lines(None, None, [], now=self.clock())))
        subscriptions = [
            SubscriptionFacts.of(
                subscription,
                topic,
                await asyncio.to_thread(explain, self.store, article, topic),
                self.options.live,
            )
            for subscription, topic in self.store.list_subscriptions(
                platform=ctx.platform, channel_id=ctx.channel_id
            )
        ]
        delivery = self._delivery_facts(ctx, article.story_id)
        lines = why_lines(
            ArticleText.from_article(article),
            delivery,
            subscriptions,
            now=self.clock(),
            live=self._live_facts(ctx, article.story_id),
        )
        return Reply("\n".join(lines))

    def _live_facts(self, ctx: ChatContext, story_id: int | None) -> list[LiveFacts]:
        if story_id is None:
            return []
        zones = {
            subscription.id: subscription.timezone
            for subscription, _ in self.store.list_subscriptions(
                platform=ctx.platform, channel_id=ctx.channel_id
            )
        }
        return [
            LiveFacts(
                record.message.kind,
                record.message.status,
                record.item.added_at,
                record.item.covers_from,
                record.item.reason,
                record.topic,
                zones.get(record.item.subscription_id, self.options.default_timezone),
                record.message.edits,
                record.message.edited_at,
                record.message.last_error,
            )
            for record in self.store.live_records(
                platform=ctx.platform, channel_id=ctx.channel_id, story_id=story_id
            )
        ]

    def _delivery_facts(self, ctx: ChatContext, story_id: int | None) -> DeliveryFacts | None:
        if story_id is None:
            return None
        row = self.store.delivery_of(
            platform=ctx.platform, channel_id=ctx.channel_id, story_id=story_id
        )
        if row is None:
            return None
        topic, timezone = None, self.options.default_timezone
        if row.subscription_id is not None:
            with contextlib.suppress(NotFoundError):  # unsubscribed since
                subscription, found = self.store.get_subscription(row.subscription_id)
                topic, timezone = found.name, subscription.timezone
        return DeliveryFacts(row.status, row.sent_at, topic, timezone, row.last_error)

    async def help(self, ctx: ChatContext) -> Reply:
        lines = ["Commands:"]
        for spec in available(self.capabilities):
            marker = " (Manage Channels)" if spec.manage else ""
            lines.append(f"{spec.usage} - {spec.summary}{marker}")
        return Reply("\n".join(lines))

    # Shared checks.

    def _require_manage(self, ctx: ChatContext, command: str) -> None:
        # Discord enforces default_member_permissions only in its client, and
        # admins can change it per server: the bot decides again here.
        if BY_NAME[command].manage and not ctx.can_manage:
            raise PermissionDenied(f"/{command} needs the Manage Channels permission here.")

    def _need(self, capability: str):
        function = getattr(self.capabilities, capability)
        if function is None:
            raise CommandError(f"This newsbrief build cannot do that yet ({capability}).")
        return function


def describe_feed(feed: Feed) -> str:
    name = feed.label
    if feed.disabled_reason:
        since = f" since {feed.disabled_at:%d %b}" if feed.disabled_at else ""
        return f"{name}: disabled{since} ({feed.disabled_reason})"
    if feed.error_count:
        failures = plural(feed.error_count, "failure")
        return f"{name}: {failures}, last {feed.last_error_reason or 'error'}"
    return f"{name}: ok"


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def resolve_timezone(text: str) -> str:
    """An IANA zone name as typed in any case ("europe/madrid" -> "Europe/Madrid")."""
    name = _zones().get(text.strip().casefold())
    if name is None:
        raise InvalidInputError(
            f"unknown time zone {text!r}; use an IANA name such as Europe/Madrid"
        )
    return name


_REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/")
_REGIONS += ("Indian/", "Pacific/")


@cache
def _suggestable_zones() -> list[str]:
    # Region/City names only: legacy aliases (Mexico/BajaNorte, US/Eastern…) still
    # work when typed, but are not offered.
    return ["UTC", *sorted(z for z in _zones().values() if z.startswith(_REGIONS))]


def suggest_timezones(typed: str) -> list[str]:
    return rank_suggestions(_suggestable_zones(), typed.replace(" ", "_"))


def rank_suggestions(names: list[str], typed: str, limit: int = SUGGESTIONS) -> list[str]:
    """Names that start with what was typed first, then those containing it anywhere."""
    key = typed.strip().casefold()
    starts = [n for n in names if n.casefold().startswith(key)]
    contains = [n for n in names if key in n.casefold() and n not in starts]
    parts = [n for n in names if key and any(p.startswith(key) for p in _words(n))]
    ranked = list(dict.fromkeys([*starts, *parts, *contains]))
    return ranked[:limit]


def _words(name: str) -> list[str]:
    return name.casefold().replace("/", " ").replace("_", " ").split()
