"""The platform-neutral command core, as both adapters call it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from bot.core.capabilities import Capabilities, explain
from bot.core.commands import (
    ChatContext,
    ChatCore,
    CommandError,
    CoreOptions,
    PermissionDenied,
    RoleMention,
    resolve_timezone,
    suggest_timezones,
)
from bot.core.specs import SPECS, available
from feeds.briefs.service import check_query
from feeds.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from feeds.timeutil import utcnow
from tests.support.briefings import briefing
from tests.support.newsroom import add_feed, add_story

NOW = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)  # 07:00 in Madrid
MANAGER = ChatContext("discord", "c1", "u1", "g1", can_manage=True)
MEMBER = ChatContext("discord", "c1", "u2", "g1", can_manage=False)


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


class RecordingCompose:
    def __init__(self):
        self.requests = []

    def __call__(self, store, request):
        self.requests.append(request)
        return briefing(title=request.title)


@pytest.fixture
def compose():
    return RecordingCompose()


@pytest.fixture
def core(store, compose):
    changed = []
    core = ChatCore(
        store,
        CoreOptions(default_timezone="Europe/Madrid"),
        Capabilities(compose=compose),
        clock=lambda: NOW,
        on_subscription_change=changed.append,
    )
    core.changed = changed
    store.add_topic("Mexico security", "cartel OR fentanyl")
    return core


async def test_subscribe_needs_manage_channels(core, store):
    with pytest.raises(PermissionDenied, match="Manage Channels"):
        await core.subscribe(MEMBER, "Mexico security")
    assert store.list_subscriptions() == []
    assert core.changed == []


async def test_subscribe_then_list_with_the_next_post(core, store):
    reply = await core.subscribe(MANAGER, "mexico SECURITY", "7:30", "europe/madrid")
    assert reply.text == (
        "This channel will get a daily briefing on Mexico security at 07:30 Europe/Madrid. "
        "Next: Mon 4 May 07:30 (in 30m)."
    )
    ((subscription, _),) = store.list_subscriptions()
    assert (subscription.time_of_day, subscription.timezone, subscription.guild_id) == (
        "07:30",
        "Europe/Madrid",
        "g1",
    )
    assert core.changed == [subscription.id]
    listing = await core.subscriptions(MEMBER)
    assert (
        "- Mexico security: 07:30 Europe/Madrid | Next: Mon 4 May 07:30 (in 30m)." in listing.text
    )


async def test_defaults_come_from_the_settings(core, store):
    await core.subscribe(MANAGER, "Mexico security")
    ((subscription, _),) = store.list_subscriptions()
    assert (subscription.time_of_day, subscription.timezone) == ("08:00", "Europe/Madrid")


@pytest.mark.parametrize(
    ("time", "zone", "error"),
    [("25:00", None, "HH:MM"), ("08:00", "Mars/Base", "unknown time zone")],
)
async def test_bad_schedule_input(core, time, zone, error):
    with pytest.raises(InvalidInputError, match=error):
        await core.subscribe(MANAGER, "Mexico security", time, zone)


async def test_a_paused_subscription_shows_why(core, store):
    await core.subscribe(MANAGER, "Mexico security")
    store.pause_channel(
        platform="discord", channel_id="c1", reason="cannot post here: 403 Missing Access"
    )
    text = (await core.subscriptions(MEMBER)).text
    assert "PAUSED: cannot post here: 403 Missing Access" in text
    assert "/subscribe again to resume" in text


async def test_unsubscribe(core, store):
    await core.subscribe(MANAGER, "Mexico security")
    with pytest.raises(PermissionDenied):
        await core.unsubscribe(MEMBER, "Mexico security")
    reply = await core.unsubscribe(MANAGER, "Mexico security")
    assert "Stopped" in reply.text and store.list_subscriptions() == []
    with pytest.raises(NotFoundError, match="not subscribed"):
        await core.unsubscribe(MANAGER, "Mexico security")


async def test_brief_resolves_a_topic_or_free_words(core, compose):
    await core.brief(MEMBER, "mexico security", "3d")
    await core.brief(MEMBER, "sinaloa extradition", None)
    named, words = compose.requests
    assert (named.title, named.query, named.until - named.since) == (
        "Mexico security",
        "cartel OR fentanyl",
        timedelta(days=3),
    )
    assert (words.title, words.query, words.until - words.since) == (
        "sinaloa extradition",
        "sinaloa extradition",
        timedelta(hours=24),
    )
    assert not named.scheduled and named.exclude_delivered_to is None


async def test_brief_without_a_query_uses_the_channels_topic(core, compose):
    with pytest.raises(CommandError, match="Name a topic"):
        await core.brief(MEMBER, None)
    await core.subscribe(MANAGER, "Mexico security")
    reply = await core.brief(MEMBER, None)
    assert reply.briefing.title == "Mexico security"


@pytest.mark.parametrize("since", ["soon", "10s", "90d"])
async def test_brief_refuses_odd_windows(core, since):
    with pytest.raises(InvalidInputError):
        await core.brief(MEMBER, "x", since)


async def test_commands_without_their_capability_are_not_offered(store):
    bare = ChatCore(store, capabilities=Capabilities())
    names = {spec.name for spec in available(bare.capabilities)}
    assert {"brief", "subscribe", "topic create", "topic preview", "feed add", "why"}.isdisjoint(
        names
    )
    assert {"subscriptions", "unsubscribe", "status", "help", "topic list"} <= names
    assert "/brief" not in (await bare.help(MEMBER)).text
    with pytest.raises(CommandError, match="cannot do that yet"):
        await bare.subscribe(MANAGER, "anything")
    full = Capabilities(**{name: object() for name in Capabilities().missing()})
    assert len(available(full)) == len(SPECS)


async def test_topics_in_a_guild(core, store):
    with pytest.raises(CommandError, match="cannot do that yet"):  # no query checker wired
        await core.topic_create(MANAGER, "Border", "border")
    checked = []
    core.capabilities = Capabilities(compose=core.capabilities.compose, check_query=checked.append)
    with pytest.raises(PermissionDenied):
        await core.topic_create(MEMBER, "Border", "border")
    await core.topic_create(MANAGER, "Border", "border -football")
    assert checked == ["border -football"]
    listing = (await core.topic_list(MEMBER)).text
    assert "- Border (this server): border -football" in listing
    assert "- Mexico security (built in)" in listing
    other_guild = ChatContext("discord", "c9", "u9", "g9", can_manage=True)
    assert "Border" not in (await core.topic_list(other_guild)).text
    with pytest.raises(CommandError, match="built in"):
        await core.topic_delete(MANAGER, "Mexico security")
    await core.subscribe(MANAGER, "Border")
    reply = await core.topic_delete(MANAGER, "border")
    assert reply.text == "Deleted the topic Border and its 1 subscription."
    assert store.list_subscriptions() == []


async def test_a_server_topic_cannot_take_a_built_in_name(core, store):
    core.capabilities = Capabilities(compose=core.capabilities.compose, check_query=check_query)
    with pytest.raises(AlreadyExistsError, match="Mexico security is a built-in topic"):
        await core.topic_create(MANAGER, "mexico SECURITY", "sinaloa")
    assert [t.scope for t in store.list_topics(scope="g1")] == [""]


async def test_topic_list_shows_an_excerpt_of_long_queries(core, store):
    store.add_topic("Long", "(cartel OR fentanyl) " * 20, scope="g1", origin="chat")
    listing = (await core.topic_list(MEMBER)).text.splitlines()
    assert listing[1] == (
        "- Long (this server): (cartel OR fentanyl) (cartel OR fentanyl) (cartel OR fentanyl) "
        "(cartel OR…"
    )
    assert listing[2] == "- Mexico security (built in): cartel OR fentanyl"
    assert all(len(line) < 120 for line in listing)


async def test_unknown_topics_point_to_topic_list(core):
    for command in (core.subscribe, core.unsubscribe, core.topic_delete, core.topic_preview):
        with pytest.raises(NotFoundError, match=r"No topic named 'Nothing'; /topic list shows"):
            await command(MANAGER, "Nothing")


class FakeAddFeed:
    """The add_feed capability without the network: every URL is a feed named after its host
    (the real one is tested with the polling engine)."""

    def __init__(self):
        self.urls = []

    async def __call__(self, store, url, *, follower=None, followed_by=None):
        self.urls.append(url)
        feed = store.add_feed(url, origin="chat", follower=follower, followed_by=followed_by)
        return store.update_feed(feed.id, title=f"{urlsplit(url).hostname} news")


@pytest.fixture
def adder(core):
    adder = FakeAddFeed()
    core.capabilities = Capabilities(compose=core.capabilities.compose, add_feed=adder)
    return adder


OTHER = ChatContext("discord", "c9", "u9", "g2", can_manage=True)
CONSOLE = ChatContext("console", "console", "you", can_manage=True)


async def test_each_server_lists_and_removes_the_feeds_it_follows(core, store, adder):
    config_feed = add_feed(store, "https://config.example/rss", "Config News")
    reply = await core.feed_add(MANAGER, " https://chat.example/rss ")
    assert reply.text == "Following chat.example news (https://chat.example/rss)."
    chat_feed = store.feed_by_url("https://chat.example/rss")
    store.update_feed(chat_feed.id, disabled_at=NOW, error_count=8, last_error_reason="timeout")
    listing = (await core.feed_list(MEMBER)).text
    assert listing == (
        "Feeds followed here:\n"
        f"- #{chat_feed.id} chat.example news: 8 failures, last timeout\n"
        "Briefings also read 1 other feed, of the operator or of other servers."
    )
    assert (await core.feed_list(OTHER)).text == (
        "No feeds followed here yet: /feed add url follows one.\n"
        "Briefings also read 2 other feeds, of the operator or of other servers."
    )
    # Another server follows the same feed: no second fetch, no second row.
    reply = await core.feed_add(OTHER, "https://chat.example/rss")
    assert reply.text == "Following chat.example news (https://chat.example/rss)."
    assert (await core.feed_add(OTHER, "https://chat.example/rss")).text == (
        "Already following chat.example news (https://chat.example/rss) here."
    )
    assert adder.urls == ["https://chat.example/rss"]
    assert store.follower_counts() == {chat_feed.id: 2}

    with pytest.raises(PermissionDenied):
        await core.feed_remove(MEMBER, f"#{chat_feed.id}")
    with pytest.raises(CommandError, match="operator's configuration; only the operator"):
        await core.feed_remove(MANAGER, str(config_feed.id))
    with pytest.raises(NotFoundError, match="No feed '99'; /feed list shows"):
        await core.feed_remove(MANAGER, "#99")
    reply = await core.feed_remove(MANAGER, f"#{chat_feed.id}")
    assert reply.text == (
        "No longer following chat.example news (https://chat.example/rss) here; "
        "other servers still follow it."
    )
    with pytest.raises(CommandError, match="is not followed here; /feed list"):
        await core.feed_remove(MANAGER, "https://chat.example/rss")
    reply = await core.feed_remove(OTHER, "https://chat.example/rss")
    assert reply.text == (
        "No longer following chat.example news (https://chat.example/rss); "
        "nobody else did, so it is removed with its 0 articles."
    )
    assert [f.id for f in store.list_feeds()] == [config_feed.id]


async def test_following_an_operator_feed_and_letting_it_go_keeps_it(core, store, adder):
    config_feed = add_feed(store, "https://config.example/rss", "Config News")
    reply = await core.feed_add(CONSOLE, "https://config.example/rss")
    assert reply.text == "Following Config News (https://config.example/rss)."
    assert adder.urls == []  # known already: not fetched again
    assert "#1 Config News: ok" in (await core.feed_list(CONSOLE)).text
    reply = await core.feed_remove(CONSOLE, "1")
    assert reply.text.endswith("here; it stays, as the operator's feed.")
    assert [f.id for f in store.list_feeds()] == [config_feed.id]
    assert store.followed_feeds("console") == []


async def test_adding_a_disabled_feed_turns_it_back_on(core, store, adder):
    gone = add_feed(store, "https://gone.example/rss", "Gone News")
    store.update_feed(
        gone.id, disabled_reason="http_404", disabled_at=NOW - timedelta(days=3), error_count=9
    )
    reply = await core.feed_add(MANAGER, "https://gone.example/rss")
    assert reply.text == (
        "Following Gone News (https://gone.example/rss), turned back on: "
        "it was disabled since 01 May (http_404). It is checked now."
    )
    again = store.get_feed(gone.id)
    assert (again.disabled_reason, again.error_count, again.next_check_at) == (None, 0, NOW)
    assert [f.id for f in store.followed_feeds("g1")] == [gone.id]


async def test_feed_add_refuses_what_cannot_be_stored_before_fetching(core, adder):
    with pytest.raises(InvalidInputError, match="at most 2048 characters"):
        await core.feed_add(MANAGER, "https://example.org/" + "x" * 2048)
    with pytest.raises(PermissionDenied):
        await core.feed_add(MEMBER, "https://example.org/rss")
    assert adder.urls == []


async def test_status(core, store):
    assert (await core.status(MEMBER)).text.endswith("Next briefing here: none scheduled")
    feed = add_feed(store)
    store.update_feed(
        feed.id,
        error_count=2,
        last_error_reason="timeout",
        last_checked_at=NOW - timedelta(minutes=5),
    )
    await core.subscribe(MANAGER, "Mexico security")
    text = (await core.status(MEMBER)).text
    assert text.splitlines() == [
        "Feeds: 1 (1 failing, 0 disabled)",
        "- Example News: 2 failures, last timeout",
        "Last poll: 5m ago",
        "Next briefing here: Mexico security. Next: Mon 4 May 08:00 (in 1h).",
    ]


async def test_why_posted_or_not(core, store):
    core.capabilities = Capabilities(compose=core.capabilities.compose, explain=explain)
    feed = add_feed(store)
    seen = NOW - timedelta(hours=2)
    story_id = add_story(
        store, feed, "Cartel boss extradited", url="https://news.example/posted", seen_at=seen
    )
    add_story(store, feed, "Football final tonight", url="https://news.example/other", seen_at=seen)

    async def why(url: str) -> str:
        return (await core.why(MEMBER, url)).text

    assert (await why("https://nowhere.example/")).startswith("No stored article has that link")
    store.record_intent(
        platform="discord", channel_id="c1", batch="0123456789ab", placements={story_id: 1}
    )
    assert await why("https://news.example/posted") == (
        "Cartel boss extradited: being posted here right now."
    )
    store.mark_part_sent("0123456789ab", 1, "m1", sent_at=NOW - timedelta(hours=1))
    assert await why("https://news.example/posted") == (
        "Cartel boss extradited: posted here Mon 4 May 06:00 CEST."
    )
    assert (await why("https://news.example/other?utm_source=rss")).splitlines() == [
        "Football final tonight: not posted here.",
        "This channel has no daily briefing or live stories, so nothing is posted here "
        "on its own: /subscribe to a topic, or ask with /brief.",
    ]
    await core.subscribe(MANAGER, "Mexico security")
    assert (await why("https://news.example/other")).splitlines()[1:] == [
        "Mexico security: does not match this topic.",
        "  ↳ no match: nothing found for one of cartel, fentanyl",
    ]


async def test_why_needs_the_explain_capability(store):
    bare = ChatCore(store, capabilities=Capabilities())
    with pytest.raises(CommandError, match="cannot do that yet"):
        await bare.why(MEMBER, "https://news.example/")


async def test_topic_create_says_where_a_query_is_wrong(core):
    core.capabilities = Capabilities(check_query=check_query)
    with pytest.raises(CommandError) as refused:
        await core.topic_create(MANAGER, "Sinaloa", 'cartel "Sinaloa')
    assert str(refused.value).startswith(
        "Not a valid query: unclosed quotation mark (at column 8)."
    )


def test_time_zones():
    assert resolve_timezone("america/MEXICO_city") == "America/Mexico_City"
    assert suggest_timezones("madr") == ["Europe/Madrid"]
    assert suggest_timezones("mexico")[0].startswith("America/Mexico")
    assert len(suggest_timezones("")) == 25


def test_topic_suggestions(core, store):
    store.add_topic("Energy in Mexico", "pemex")
    assert core.suggest_topics(MEMBER, "mex") == ["Mexico security", "Energy in Mexico"]
    assert core.suggest_topics(MEMBER, "") == ["Energy in Mexico", "Mexico security"]


def test_clock_is_used_for_next_post(store):
    core = ChatCore(store, clock=utcnow)
    assert core.clock is utcnow


async def test_a_topic_name_too_long_for_the_database_is_refused_clearly(core, store):
    core.capabilities = Capabilities(compose=core.capabilities.compose, check_query=check_query)
    with pytest.raises(InvalidInputError, match="a topic name needs 1-100 characters"):
        await core.topic_create(MANAGER, "n" * 101, "cartel")
    assert [t.scope for t in store.list_topics(scope="g1")] == [""]


async def test_status_shows_the_operators_feeds_and_those_followed_here(core, store, adder):
    add_feed(store, "https://config.example/rss", "Config News")
    await core.feed_add(MANAGER, "https://ours.example/rss")
    await core.feed_add(OTHER, "https://theirs.example/rss")
    for feed in store.list_feeds():
        store.update_feed(feed.id, error_count=1, last_error_reason="timeout")
    text = (await core.status(MEMBER)).text
    assert text.splitlines()[:3] == [
        "Feeds: 2 (2 failing, 0 disabled)",
        "- Config News: 1 failure, last timeout",
        "- ours.example news: 1 failure, last timeout",
    ]
    assert "theirs.example" not in text
    assert "theirs.example" in (await core.status(OTHER)).text


async def test_live_subscriptions_from_subscribe_to_unsubscribe(core, store):
    with pytest.raises(CommandError, match="cannot do that yet \\(live\\)"):
        await core.subscribe(MANAGER, "Mexico security", mode="live")
    core.capabilities = Capabilities(compose=core.capabilities.compose, live=object())
    role = RoleMention("123456789012345678", "desk")
    reply = await core.subscribe(
        MANAGER, "Mexico security", None, "America/Mexico_City", mode="LIVE", mention=role
    )
    assert reply.text.startswith("This channel will get live stories on Mexico security")
    assert "within 10m of its first report" in reply.text and "for 1d" in reply.text
    assert "No quiet hours. Each new story pings @desk." in reply.text
    ((subscription, _),) = store.list_subscriptions()
    assert (subscription.mode, subscription.live_since) == ("live", NOW)
    assert core.changed == [subscription.id]

    await core.subscribe(MANAGER, "Mexico security", mode="live", quiet="22:00-6:00")
    ((again, _),) = store.list_subscriptions()
    assert (again.quiet_hours, again.mention_role_id, again.live_since) == (
        "22:00-06:00",
        None,
        NOW,
    )
    listing = (await core.subscriptions(MANAGER)).text
    assert listing == (
        "Briefings and live stories in this channel:\n"
        "- Mexico security: live | Quiet hours 22:00-06:00 Europe/Madrid: nothing new is "
        "posted then."
    )
    status = (await core.status(MANAGER)).text
    assert "Next briefing here: none scheduled\nLive stories here: Mexico security" in status
    with pytest.raises(CommandError, match="The mode is daily or live"):
        await core.subscribe(MANAGER, "Mexico security", mode="hourly")
    with pytest.raises(CommandError, match="add mode:live"):
        await core.subscribe(MANAGER, "Mexico security", quiet="22:00-06:00")
    reply = await core.unsubscribe(MANAGER, "Mexico security")
    assert reply.text == "Stopped the live stories on Mexico security in this channel."
