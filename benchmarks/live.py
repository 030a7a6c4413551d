"""What a round of live stories costs: every poll cycle runs one for every live channel.

    .venv/bin/python benchmarks/live.py [--channels 100] [--stories 2000] [--older 6000] [--runs 5]

Builds a SQLite store with `--stories` stories told by one to three of 20
outlets over the last 24 hours (half of them match the topic), `--older`
ones over the six days before (history a round must not read), and
`--channels` channels following the topic live, each of which has already
been shown every matching story (the steady state: a live message per story
in the ledger). Then it times, with a transport in memory:

- a quiet round (nothing new: what most poll cycles cost),
- a busy round (10 new stories and a new article for 10 shown ones: posts,
  "more stories" lists past the cap, and edits in every channel),

next to a baseline measured in the same run: composing the topic's 24-hour
daily briefing once (what one daily post costs).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.delivery import Deliverer
from bot.live import LivePoster
from feeds.briefs.compose import compose
from feeds.briefs.matching import match_new_articles
from feeds.delivery import new_batch
from feeds.live import LivePolicy
from feeds.live.service import LiveDesk
from feeds.models import LiveItem, LiveMessage
from feeds.store import open_store
from feeds.timeutil import utcnow
from tests.support.newsroom import Said, add_article, add_feed, add_story
from tests.support.transport import MemoryTransport

WORDS = [
    "border",
    "patrol",
    "harbour",
    "bridge",
    "council",
    "market",
    "river",
    "school",
    "clinic",
    "highway",
]


def build(
    store, stories: int, channels: int, rng: random.Random, older: int = 0
) -> tuple[list, list[int]]:
    now = utcnow()
    feeds = [add_feed(store, f"https://outlet{n}.example/rss", f"Outlet {n}") for n in range(20)]
    topic = store.add_topic("Cartels", "cartel")
    story_ids = []
    # The older days first: articles are stored in the order they are polled.
    ages = sorted((rng.uniform(25, 7 * 24) for _ in range(older)), reverse=True)
    ages += sorted((rng.uniform(0.5, 24) for _ in range(stories)), reverse=True)
    for n, hours in enumerate(ages):
        seen = now - timedelta(hours=hours)
        subject = "cartel" if n % 2 == 0 else rng.choice(WORDS)
        headline = f"{subject.title()} story {n}: {' '.join(rng.sample(WORDS, 4))}"
        said = (Said(f"We saw it happen on the {rng.choice(WORDS)} that night {n}", "A Witness"),)
        outlets = rng.sample(feeds, rng.randint(1, 3))
        story_id = add_story(store, outlets[0], headline, quotes=said, seen_at=seen)
        for feed in outlets[1:]:
            add_article(store, feed, story_id, headline + " (update)", seen_at=seen)
        story_ids.append(story_id)
    match_new_articles(store)
    started = now - timedelta(hours=25)
    subscriptions = []
    for c in range(channels):
        channel = f"{100000000000000000 + c}"
        subscriptions.append(
            store.subscribe(
                platform="discord", channel_id=channel, topic_id=topic.id, mode="live", now=started
            )
        )
    story_ids = story_ids[older:]  # the last day's: shown in every channel
    shown = _shown_counts(store, story_ids)
    stats = store.stories_by_id(story_ids)
    matching = [sid for sid in story_ids if stats[sid].headline.startswith("Cartel")]
    messages, items = [], []
    for subscription in subscriptions:
        for story_id in matching:
            at = stats[story_id].first_seen_at
            messages.append(
                {
                    "platform": "discord",
                    "channel_id": subscription.channel_id,
                    "subscription_id": subscription.id,
                    "kind": "story",
                    "token": new_batch(),
                    "status": "sent",
                    "message_id": f"m{len(messages)}",
                    "created_at": at,
                    "sent_at": at,
                    "edits": 0,
                    "shown_hash": "steady",
                }
            )
            items.append((subscription.id, subscription.channel_id, story_id, at, shown[story_id]))
    with store.session() as session:  # one transaction: the ledger of a day of live stories
        session.execute(sa.insert(LiveMessage), messages)
        ids = session.execute(sa.select(LiveMessage.id).order_by(LiveMessage.id)).scalars().all()
        session.execute(
            sa.insert(LiveItem),
            [
                {
                    "message_id": message_id,
                    "platform": "discord",
                    "channel_id": channel_id,
                    "story_id": story_id,
                    "subscription_id": subscription_id,
                    "added_at": at,
                    "polled_at": at,
                    "reason": "new",
                    "shown_articles": count,
                }
                for message_id, (subscription_id, channel_id, story_id, at, count) in zip(
                    ids, items, strict=True
                )
            ],
        )
    return feeds, matching


def _shown_counts(store, story_ids) -> dict[int, int]:
    counts: dict[int, int] = {}
    for article in store.story_articles(story_ids):
        counts[article.story_id] = counts.get(article.story_id, 0) + 1
    return counts


def news(store, feeds, matching, rng, round_number: int) -> None:
    """10 new matching stories, and a new outlet's article for 10 shown ones."""
    for n in range(10):
        add_story(store, rng.choice(feeds), f"Cartel news {round_number}.{n} {rng.choice(WORDS)}")
    for story_id in rng.sample(matching, 10):
        add_article(
            store, rng.choice(feeds), story_id, f"Cartel {story_id} follow-up {round_number}"
        )
    match_new_articles(store)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--older", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/live.db")
        started = time.perf_counter()
        feeds, matching = build(store, args.stories, args.channels, rng, args.older)
        print(
            f"store: {args.stories} stories in 24 h ({len(matching)} matching) and "
            f"{args.older} in the 6 days before, "
            f"{args.channels} live channels shown every matching story "
            f"(built in {time.perf_counter() - started:.0f} s)"
        )
        transport = MemoryTransport()
        desk = LiveDesk(LivePolicy())
        poster = LivePoster(store, transport, desk, Deliverer(store, transport))
        since = utcnow() - timedelta(hours=24)
        baseline, quiet, busy = [], [], []
        for run in range(args.runs):
            baseline.append(timed(lambda: compose(store, "Cartels", since=since)))
            quiet.append(timed(lambda: asyncio.run(poster.run())))
            news(store, feeds, matching, rng, run)
            before = len(transport.posted), len(transport.edits)
            busy.append(timed(lambda: asyncio.run(poster.run())))
            posted = len(transport.posted) - before[0]
            edited = len(transport.edits) - before[1]
        store.close()
    median = statistics.median
    base = median(baseline)
    print(f"baseline: the 24-hour daily briefing, composed once   {base:8.1f} ms")
    for name, times in (("quiet round (nothing new)", quiet), ("busy round", busy)):
        per_channel = median(times) / args.channels
        print(
            f"{name:<30} {median(times):8.1f} ms  {per_channel:6.2f} ms per channel  "
            f"x{median(times) / base:.1f} of the baseline"
        )
    print(f"busy round, last run: {posted} messages posted, {edited} edited")


if __name__ == "__main__":
    main()
