"""The live-stories engine as the bot calls it (bot/core/capabilities.py wires it in).

    desk = LiveDesk(policy)
    for channel in live_channels(store, platform="discord"):
        plan = desk.plan(store, channel, now)   # the posts (with their views), the list
    view = desk.view(store, spec)               # what a message shows now (posts and edits)

Both are blocking (the bot runs them in a thread). The decisions are
feeds.live.policy; this module gathers the facts and builds the views.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING

from feeds.briefs.compose import summarize
from feeds.briefs.model import KeyQuote, Source
from feeds.briefs.text import tokens
from feeds.live.model import LiveItemSpec, LiveMessageSpec, LiveStory, LiveView
from feeds.live.policy import CAP_WINDOW, Candidate, LivePolicy, news_in, plan

if TYPE_CHECKING:
    from feeds.models import Quote, Subscription, Topic
    from feeds.store import Store, StoryArticle

# A quote is a repeat of another when this share of its words are the other's.
REPEAT_OVERLAP = 0.8


@dataclass(frozen=True)
class LiveChannel:
    """A channel and its live subscriptions (oldest first: the first to match a story
    finds it)."""

    platform: str
    channel_id: str
    subscriptions: tuple[tuple[Subscription, Topic], ...]


@dataclass(frozen=True)
class PlannedPost:
    """One new story message: what to record in the ledger and what it shows."""

    subscription_id: int
    spec: LiveMessageSpec
    view: LiveView


@dataclass(frozen=True)
class ChannelPlan:
    channel: LiveChannel
    posts: tuple[PlannedPost, ...] = ()
    more: tuple[LiveItemSpec, ...] = ()  # for the channel's "more stories" message
    held: int = 0  # news held back by quiet hours


def live_channels(store: Store, *, platform: str) -> list[LiveChannel]:
    """Every channel with an active live subscription."""
    rows = store.active_subscriptions(platform=platform, mode="live")
    by_channel = sorted(rows, key=lambda row: row[0].channel_id)  # stable: oldest first
    return [
        LiveChannel(platform, channel_id, tuple(group))
        for channel_id, group in groupby(by_channel, key=lambda row: row[0].channel_id)
    ]


class LiveDesk:
    """Plans what a channel's live subscriptions post, and renders what a message shows."""

    def __init__(self, policy: LivePolicy | None = None):
        self.policy = policy or LivePolicy()

    def plan(
        self, store: Store, channel: LiveChannel, now: datetime, views: dict | None = None
    ) -> ChannelPlan:
        """What the channel gets now; `views`: see `view`."""
        policy = self.policy
        found = _matching_news(store, channel, now, policy)
        if not found:
            return ChannelPlan(channel)
        quiet = {
            subscription.id
            for subscription, _ in channel.subscriptions
            if _quiet(policy, subscription, now)
        }
        posted = store.live_posts_since(
            platform=channel.platform, channel_id=channel.channel_id, since=now - CAP_WINDOW
        )
        decided = plan(found, now=now, policy=policy, quiet=quiet, posted_last_hour=posted)
        subscriptions = {
            subscription.id: (subscription, topic) for subscription, topic in channel.subscriptions
        }
        posts = []
        for candidate in decided.post:
            subscription, topic = subscriptions[candidate.subscription_id]
            spec = LiveMessageSpec(
                "story",
                (topic.name,),
                (_item(candidate, now, "new"),),
                subscription.mention_role_id,
            )
            posts.append(PlannedPost(subscription.id, spec, self.view(store, spec, views)))
        more = tuple(_item(candidate, now, reason) for candidate, reason in decided.more)
        return ChannelPlan(channel, tuple(posts), more, len(decided.held))

    def view(self, store: Store, spec: LiveMessageSpec, views: dict | None = None) -> LiveView:
        """What the message shows, from the database alone (no clock): the same facts give
        the same view.

        views: a cache for one round (the caller's dict). Channels following one topic
        show a story the same way when it went out in the same round, and so are
        posted or edited from one view.
        """
        view = self.cached(spec, views)
        if view is None:
            view = self._view(store, spec)
            if views is not None:
                views[_view_key(spec)] = view
        return view

    @staticmethod
    def cached(spec: LiveMessageSpec, views: dict | None) -> LiveView | None:
        """The view of `spec` if this round built it already (no database needed)."""
        found = views.get(_view_key(spec)) if views is not None else None
        return replace(found, mention_role_id=spec.mention_role_id) if found else None

    def _view(self, store: Store, spec: LiveMessageSpec) -> LiveView:
        articles = _by_story(store.story_articles(item.story_id for item in spec.items))
        covered = {
            item.story_id: [a for a in articles.get(item.story_id, []) if self._covers(item, a)]
            for item in spec.items
        }
        leads = {
            text.id: text
            for text in store.article_texts(
                shown[0].article_id for shown in covered.values() if shown
            )
        }
        quotes = store.key_quotes(a.article_id for shown in covered.values() for a in shown)
        stories = []
        for item in spec.items:
            shown = covered[item.story_id]
            if not shown or shown[0].article_id not in leads:
                continue  # its articles were deleted meanwhile
            stories.append(_story(item, shown, leads[shown[0].article_id], quotes))
        return LiveView(
            spec.kind, spec.topics, tuple(stories), spec.mention_role_id, self.policy.max_per_hour
        )

    def _covers(self, item: LiveItemSpec, article: StoryArticle) -> bool:
        seen = article.first_seen_at
        after = item.covers_from is None or seen >= item.covers_from
        return after and seen < item.added_at + self.policy.update_for


def _view_key(spec: LiveMessageSpec) -> tuple:
    # What a view depends on besides the database (the mention is set on the copy).
    shown = tuple((i.story_id, i.added_at, i.covers_from, i.reason) for i in spec.items)
    return spec.kind, spec.topics, shown


def _matching_news(
    store: Store, channel: LiveChannel, now: datetime, policy: LivePolicy
) -> list[Candidate]:
    """The stories that are news for the channel now (see policy.news_in)."""
    matched: dict[int, tuple[int, list[datetime]]] = {}
    where = {"platform": channel.platform, "channel_id": channel.channel_id}
    # A story shown since then is still edited: its articles so far cannot be news.
    editable_since = now - policy.update_for
    for subscription, topic in channel.subscriptions:
        began = subscription.live_since or subscription.created_at
        since = max(began, editable_since)
        rows = store.live_matches(
            topic.id, since=since, until=now, **where, editable_since=editable_since
        )
        for story_id, polled_at in rows:
            owner, times = matched.setdefault(story_id, (subscription.id, []))
            if owner == subscription.id:
                times.append(polled_at)
    if not matched:
        return []
    shown = store.live_shown(**where, story_ids=matched)
    stats = store.stories_by_id(matched)
    found = []
    for story_id, (subscription_id, times) in matched.items():
        news = news_in(times, shown.get(story_id, []), policy.update_for)
        if news is None or story_id not in stats:
            continue
        found.append(Candidate(story_id, subscription_id, news, stats[story_id].source_count))
    return found


def _quiet(policy: LivePolicy, subscription: Subscription, now: datetime) -> bool:
    quiet = policy.quiet_for(subscription.quiet_hours)
    return quiet is not None and quiet.contains(now, subscription.timezone)


def _item(candidate: Candidate, now: datetime, reason: str) -> LiveItemSpec:
    return LiveItemSpec(
        candidate.story_id,
        now,
        candidate.news.polled_at,
        candidate.news.covers_from,
        reason,
        candidate.subscription_id,
    )


def _by_story(articles: Iterable[StoryArticle]) -> dict[int, list[StoryArticle]]:
    grouped: dict[int, list[StoryArticle]] = {}
    for article in articles:
        grouped.setdefault(article.story_id, []).append(article)
    return grouped


def _story(
    item: LiveItemSpec, shown: Sequence[StoryArticle], lead, quotes: Sequence[Quote]
) -> LiveStory:
    """One story of a message: its first article's headline and summary, every outlet, the
    best key quote of the articles it was posted with and the best one that came after."""
    sources: dict[str, Source] = {}
    for article in shown:
        sources.setdefault(article.outlet, Source(article.outlet, article.url))
    by_id = {article.article_id: article for article in shown}
    mine = [quote for quote in quotes if quote.article_id in by_id]
    first = next((q for q in mine if by_id[q.article_id].first_seen_at <= item.added_at), None)
    later = (
        q
        for q in mine
        if by_id[q.article_id].first_seen_at > item.added_at and not _repeats(q, first)
    )
    return LiveStory(
        story_id=item.story_id,
        headline=" ".join(lead.title.split()),
        summary=summarize(lead),
        url=shown[0].url,
        sources=tuple(sources.values()),
        article_count=len(shown),
        quote=_key_quote(first, by_id),
        new_quote=_key_quote(next(later, None), by_id),
        development=item.covers_from is not None,
        reason=item.reason,
    )


def _repeats(quote: Quote, other: Quote | None) -> bool:
    """The same words again (another outlet carrying the same statement)."""
    if other is None:
        return False
    words, others = set(tokens(quote.text)), set(tokens(other.text))
    if not words or not others:
        return False
    return len(words & others) >= REPEAT_OVERLAP * min(len(words), len(others))


def _key_quote(quote: Quote | None, articles: dict[int, StoryArticle]) -> KeyQuote | None:
    if quote is None:
        return None
    article = articles[quote.article_id]
    return KeyQuote(quote.text, quote.speaker, article.url, article.outlet)
