"""The polling pipeline: fetch → parse (worker processes) → store → full text.

The I/O lives here; every decision is a pure function in `identity` or
`schedule`. A failed feed is recorded on its row (typed reason, backoff,
disable) and never stops the cycle. Feed bookkeeping is written in batches,
article rows in one statement per feed, and the database is used from one
thread so the event loop keeps fetching.

    report = run_poll(store, PollOptions(...))          # from synchronous code
    async with Poller(store, options) as poller:        # from async code
        report = await poller.poll_due()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from feeds.errors import (
    AlreadyExistsError,
    FeedError,
    FetchError,
    InvalidInputError,
    ParseError,
    StorageError,
)
from feeds.models import Feed
from feeds.net.fetch import PAGE_ACCEPT, Fetcher, FetchLimits, Response
from feeds.polling.identity import body_hash, entry_key
from feeds.polling.schedule import (
    PollPolicy,
    after_failure,
    cache_lifetime,
    interval_after_success,
    interval_when_unchanged,
    spread,
)
from feeds.polling.work import (
    PreparedFeed,
    exit_with,
    extract_full_text,
    prepare_feed,
    warm_up,
)
from feeds.store import Store, clean_feed_url
from feeds.timeutil import publication_date, utcnow
from feeds.wording import plural

log = logging.getLogger(__name__)

MIN_FULL_TEXT = 200  # characters; less is a failed extraction (a paywall, a video page)


@dataclass(frozen=True)
class PollOptions:
    """Everything the engine needs from the settings (feeds/ never reads bot.config)."""

    interval_min: float = 300.0
    interval_max: float = 86400.0
    max_failures: int = 8
    allow_private_hosts: bool = False  # for feeds of origin config/cli; chat feeds never
    concurrency: int = 32  # feeds in flight (bounds memory: each holds one body)
    per_host: int = 2
    connect_timeout: float = 10.0
    timeout: float = 30.0
    max_body_size: int = 5 * 1024 * 1024
    parse_workers: int = 2
    full_text: bool = True
    full_text_max_age: float = 2 * 86400.0  # older new entries (a first poll) get no page fetch
    full_text_per_feed: int = 20  # page fetches per feed per poll, newest entries first
    flush_every: int = 500  # feed bookkeeping rows written per batch

    def fetch_limits(self) -> FetchLimits:
        return FetchLimits(
            connect_timeout=self.connect_timeout,
            total_timeout=self.timeout,
            max_body_size=self.max_body_size,
            per_host=self.per_host,
            connections=max(100, self.concurrency * 2),
        )

    def policy(self) -> PollPolicy:
        return PollPolicy(self.interval_min, self.interval_max, self.max_failures)

    def guarded(self, feed: Feed) -> bool:
        """Chat feeds are always behind the SSRF guard; the operator's unless allowed."""
        return feed.origin == "chat" or not self.allow_private_hosts


@dataclass
class FeedResult:
    feed_id: int
    url: str
    # "updated" (body read), "not_modified" (304), "unchanged" (same body), "failed"
    status: str
    title: str | None = None
    entries: int = 0
    new_ids: list[int] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    reason: str | None = None  # failure reason
    error: str | None = None
    disabled: bool = False
    baseline: bool = False


@dataclass
class PollReport:
    results: list[FeedResult] = field(default_factory=list)
    full_text: Counter = field(default_factory=Counter)  # status -> articles
    started_at: datetime = field(default_factory=utcnow)
    seconds: float = 0.0

    @property
    def new_article_ids(self) -> list[int]:
        return [i for r in self.results for i in r.new_ids]

    @property
    def changed_article_ids(self) -> list[int]:
        return [i for r in self.results for i in r.changed_ids]

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self, *, timing: bool = True) -> str:
        line = (
            f"{plural(len(self.results), 'feed')} polled: "
            f"{plural(len(self.new_article_ids), 'new article')}, "
            f"{len(self.changed_article_ids)} changed, "
            f"{self.count('not_modified', 'unchanged')} not modified, "
            f"{self.count('failed')} failed"
        )
        if self.full_text:
            parts = ", ".join(f"{n} {s}" for s, n in sorted(self.full_text.items()))
            line += f"; full text: {parts}"
        return line + f" ({self.seconds:.1f}s)" if timing else line


Progress = Callable[[FeedResult, int, int], None]


def make_parse_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for parsing and extraction, started from a clean forkserver.

    forkserver, not fork: the poller's process holds threads and database
    connections that a forked child must not inherit.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["feeds.polling.work"])
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=exit_with, initargs=(_owner_pipe(),)
    )


_OWNER_PIPE = None


def _owner_pipe():
    """The read end of a pipe this process alone holds open for writing, for its lifetime:
    workers see EOF on it when this process is gone (see work.exit_with)."""
    global _OWNER_PIPE
    if _OWNER_PIPE is None:
        _OWNER_PIPE = multiprocessing.Pipe(duplex=False)  # (reader, writer), never closed
    return _OWNER_PIPE[0]


class Poller:
    """Owns the shared HTTP session, the worker processes and the database thread."""

    def __init__(
        self,
        store: Store,
        options: PollOptions | None = None,
        *,
        pool: Executor | None = None,
        resolver: Any = None,
    ):
        self.store = store
        self.options = options or PollOptions()
        self.policy = self.options.policy()
        self._own_pool = pool is None
        self._pool = pool
        self._resolver = resolver
        self._fetcher: Fetcher | None = None
        self._db: ThreadPoolExecutor | None = None
        self._updates: list[dict[str, Any]] = []
        self._texts: list[tuple[int, str | None, str]] = []

    async def __aenter__(self) -> Poller:
        await self.start()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    async def start(self) -> None:
        if self._pool is None:
            self._pool = make_parse_pool(self.options.parse_workers)
        loop = asyncio.get_running_loop()
        # Start every worker now, so their start-up is not billed to the first feeds.
        await asyncio.gather(
            *(loop.run_in_executor(self._pool, warm_up) for _ in range(self.options.parse_workers))
        )
        self._db = ThreadPoolExecutor(1, thread_name_prefix="newsbrief-db")
        self._fetcher = Fetcher(self.options.fetch_limits(), resolver=self._resolver)

    async def close(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.close()
        if self._db is not None:
            self._db.shutdown(wait=True)
        if self._own_pool and self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # Entry points.

    async def poll_due(
        self,
        *,
        now: datetime | None = None,
        limit: int | None = None,
        progress: Progress | None = None,
    ) -> PollReport:
        """Poll every enabled feed whose next check is due."""
        started = time.perf_counter()
        feeds = await self._in_db(self.store.due_feeds, now or utcnow(), limit=limit)
        return await self.poll(feeds, progress=progress, started=started)

    async def poll_feeds(
        self, feed_ids: Iterable[int], *, progress: Progress | None = None
    ) -> PollReport:
        """Poll these feeds now, due or not (disabled ones too: a success re-enables)."""
        feeds = await self._in_db(self.store.feeds_by_id, list(feed_ids))
        return await self.poll(feeds, progress=progress)

    async def check_url(self, url: str, *, guard: bool = True) -> tuple[Response, PreparedFeed]:
        """Fetch and parse `url` without storing anything (FeedError when it is no feed)."""
        response = await self._fetcher.fetch(url, guard=guard)
        if response.not_modified:
            raise FetchError(f"{url} answered 304 to an unconditional GET", reason="bad_response")
        prepared = await self._in_pool(
            prepare_feed, response.body, response.url, response.headers.get("content-type"), "guid"
        )
        return response, prepared

    async def poll(
        self, feeds: list[Feed], *, progress: Progress | None = None, started: float | None = None
    ) -> PollReport:
        """Poll these feeds once; the report's seconds count from `started` if given."""
        report = PollReport()
        started = started or time.perf_counter()
        slots = asyncio.Semaphore(self.options.concurrency)
        text_slots = asyncio.Semaphore(self.options.concurrency)
        text_tasks: list[asyncio.Task] = []

        async def one(feed: Feed) -> None:
            async with slots:
                result, pages = await self._poll_one(feed)
            report.results.append(result)
            for article_id, url in pages:
                text_tasks.append(
                    asyncio.create_task(self._full_text(article_id, url, feed, text_slots, report))
                )
            if progress is not None:
                progress(result, len(report.results), len(feeds))
            if len(self._updates) >= self.options.flush_every:
                await self._flush()

        try:
            await asyncio.gather(*(one(feed) for feed in feeds))
            if text_tasks:
                await asyncio.gather(*text_tasks)
        finally:
            await self._flush()
        report.seconds = time.perf_counter() - started
        return report

    # One feed.

    async def _poll_one(self, feed: Feed) -> tuple[FeedResult, list[tuple[int, str]]]:
        now = utcnow()
        try:
            response = await self._fetcher.fetch(
                feed.url,
                etag=feed.etag,
                last_modified=feed.last_modified,
                guard=self.options.guarded(feed),
            )
            digest = None if response.not_modified else body_hash(response.body)
            if digest is None or digest == feed.body_hash:
                return self._unchanged(feed, response, now), []
            return await self._read(feed, response, digest, now)
        except FeedError as error:
            return self._failure(feed, error, now), []
        except StorageError as error:
            log.error("storing %s failed: %s", feed.url, error)
            wrapped = FeedError(f"database error: {error}", reason="storage_error")
            return self._failure(feed, wrapped, now), []
        except Exception as error:  # a bug must not stop the other feeds
            log.exception("polling %s failed unexpectedly", feed.url)
            wrapped = FeedError(f"internal error: {error!r}", reason="internal_error")
            return self._failure(feed, wrapped, now), []

    def _success_fields(self, feed: Feed, response: Response, now: datetime) -> dict[str, Any]:
        update: dict[str, Any] = {
            "id": feed.id,
            "last_checked_at": now,
            "last_success_at": now,
            "error_count": 0,
            "last_error": None,
            "last_error_reason": None,
        }
        if feed.disabled_reason is not None:
            update.update(disabled_reason=None, disabled_at=None)
        if response.moved_to and response.moved_to != feed.url:
            log.info("feed %s moved permanently to %s", feed.url, response.moved_to)
            update["url"] = response.moved_to
        etag = (response.headers.get("etag") or "").strip()
        if etag:
            update["etag"] = etag[:512]
        modified = (response.headers.get("last-modified") or "").strip()
        if modified:
            update["last_modified"] = modified[:128]
        return update

    def _schedule(self, update: dict[str, Any], feed: Feed, interval: float, now: datetime) -> None:
        update["interval_seconds"] = round(interval)
        update["next_check_at"] = now + timedelta(seconds=spread(feed.id, interval))

    def _unchanged(self, feed: Feed, response: Response, now: datetime) -> FeedResult:
        update = self._success_fields(feed, response, now)
        interval = interval_when_unchanged(
            self.policy,
            previous=feed.interval_seconds,
            cache_seconds=cache_lifetime(response.headers, now),
        )
        self._schedule(update, feed, interval, now)
        self._updates.append(update)
        status = "not_modified" if response.not_modified else "unchanged"
        return FeedResult(feed.id, feed.url, status, title=feed.title or feed.name)

    async def _read(
        self, feed: Feed, response: Response, digest: str, now: datetime
    ) -> tuple[FeedResult, list[tuple[int, str]]]:
        prepared = await self._in_pool(
            prepare_feed,
            response.body,
            response.url,
            response.headers.get("content-type"),
            feed.key_mode,
        )
        baseline = feed.baseline_at is None
        if prepared.key_mode != feed.key_mode and not baseline:
            # The feed's guids (or links) stopped being trustworthy: re-key what is
            # stored, so the same entries under their new keys are not "new".
            await self._in_db(self._rekey, feed.id, prepared.key_mode)
        rows = self._article_rows(prepared, now, baseline)
        stored = await self._in_db(self.store.store_entries, feed.id, rows)
        update = self._success_fields(feed, response, now)
        if "etag" not in update:
            update["etag"] = None  # the server stopped sending one
        if "last_modified" not in update:
            update["last_modified"] = None
        update.update(
            body_hash=digest,
            key_mode=prepared.key_mode,
            title=prepared.title or feed.title,
            site_url=prepared.site_url or feed.site_url,
            language=prepared.language or feed.language,
            last_new_entry_at=now if stored.new else feed.last_new_entry_at,
            baseline_at=now if baseline else feed.baseline_at,
        )
        interval = interval_after_success(
            self.policy,
            previous=feed.interval_seconds,
            dates=prepared.dates,
            cache_seconds=cache_lifetime(response.headers, now),
            ttl_seconds=prepared.ttl,
        )
        self._schedule(update, feed, interval, now)
        self._updates.append(update)
        if prepared.key_mode != feed.key_mode:
            log.info("feed %s: entry identity now by %s", feed.url, prepared.key_mode)
        result = FeedResult(
            feed.id,
            feed.url,
            "updated",
            title=prepared.title or feed.name,
            entries=len(rows),
            new_ids=sorted(stored.new.values()),
            changed_ids=sorted(stored.changed.values()),
            baseline=baseline,
        )
        return result, self._pages_to_fetch(prepared, stored.new, now)

    def _rekey(self, feed_id: int, mode: str) -> None:
        identities = self.store.article_identities(feed_id)
        keys = {
            # publication_date: a placeholder date stored before parsing set them aside
            # must key as the parser now reads it (unknown).
            article_id: entry_key(mode, None, url, title, publication_date(published), text_hash)
            for article_id, url, title, published, text_hash in identities
        }
        moved = self.store.rekey_articles(feed_id, keys)
        log.info("feed %s: %d stored entries re-keyed by %s", feed_id, moved, mode)

    def _article_rows(self, prepared: PreparedFeed, now: datetime, baseline: bool) -> list[dict]:
        rows = []
        for row in prepared.rows:
            teaser = row["entry_key"] in prepared.teasers
            rows.append(
                {
                    **row,
                    "first_seen_at": now,
                    # A first poll is the baseline: stored for briefings, never announced.
                    "announce": not baseline,
                    "full_text_status": None if teaser else "not_needed",
                }
            )
        return rows

    def _pages_to_fetch(
        self, prepared: PreparedFeed, new: dict[str, int], now: datetime
    ) -> list[tuple[int, str]]:
        if not self.options.full_text:
            return []
        oldest = now - timedelta(seconds=self.options.full_text_max_age)
        wanted = []
        for row in prepared.rows:
            key = row["entry_key"]
            if key not in new or key not in prepared.teasers:
                continue
            when = row["published_at"] or row["updated_at"]
            if when is None or when >= oldest:
                wanted.append((when or now, new[key], row["url"]))
        wanted.sort(key=lambda item: item[0], reverse=True)
        return [
            (article_id, url) for _, article_id, url in wanted[: self.options.full_text_per_feed]
        ]

    def _failure(self, feed: Feed, error: FeedError, now: datetime) -> FeedResult:
        decision = after_failure(
            self.policy,
            error_count=feed.error_count,
            reason=error.reason,
            now=now,
            retry_after=error.retry_after,
        )
        update = {
            "id": feed.id,
            "last_checked_at": now,
            "error_count": decision.error_count,
            "last_error": str(error)[:2000],
            "last_error_reason": error.reason[:32],
            "next_check_at": decision.next_check_at,
        }
        if decision.disabled_reason and feed.disabled_reason is None:
            update.update(disabled_reason=decision.disabled_reason[:32], disabled_at=now)
            log.warning("feed %s disabled: %s (%s)", feed.url, decision.disabled_reason, error)
        else:
            log.info("feed %s failed (%s): %s", feed.url, error.reason, error)
        self._updates.append(update)
        return FeedResult(
            feed.id,
            feed.url,
            "failed",
            title=feed.title or feed.name,
            reason=error.reason,
            error=str(error),
            disabled=decision.disabled_reason is not None,
        )

    # Full text.

    async def _full_text(
        self, article_id: int, url: str, feed: Feed, slots: asyncio.Semaphore, report: PollReport
    ) -> None:
        async with slots:
            text, status = await self._page_text(url, self.options.guarded(feed))
        report.full_text[status] += 1
        self._texts.append((article_id, text, status))
        if len(self._texts) >= self.options.flush_every // 5:
            await self._flush()

    async def _page_text(self, url: str, guard: bool) -> tuple[str | None, str]:
        try:
            response = await self._fetcher.fetch(url, guard=guard, accept=PAGE_ACCEPT)
            text = await self._in_pool(extract_full_text, response.body, response.url)
        except FeedError as error:
            return None, error.reason
        except Exception:
            log.exception("full text of %s failed unexpectedly", url)
            return None, "internal_error"
        if len(text) < MIN_FULL_TEXT:
            return None, "no_text"
        return text, "ok"

    # Plumbing.

    async def _flush(self) -> None:
        updates, self._updates = self._updates, []
        texts, self._texts = self._texts, []
        if updates:
            await self._in_db(self.store.save_feed_updates, updates)
        if texts:
            await self._in_db(self.store.save_full_texts, texts)

    async def _in_db(self, function, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db, lambda: function(*args, **kwargs))

    async def _in_pool(self, function, *args):
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, function, *args)
        except BrokenProcessPool as error:
            self._replace_broken_pool()
            raise ParseError(
                "the parser process died (out of memory?)", reason="parser_crashed"
            ) from error

    def _replace_broken_pool(self) -> None:
        if not self._own_pool:
            return
        broken = self._pool
        if getattr(broken, "_broken", False):
            log.warning("a worker process died; starting new ones")
            self._pool = make_parse_pool(self.options.parse_workers)
            broken.shutdown(wait=False, cancel_futures=True)


class PollingService:
    """Polling for a long-running process (the bot): one set of worker processes, kept.

    `poll_cycle(store)` polls the due feeds once (call it every check_every);
    `add_feed(store, url)` is the chat's "follow this URL": fetched and parsed
    behind the SSRF guard, whatever the options allow, and stored with origin
    "chat". Call `close()` at shutdown.
    """

    def __init__(self, options: PollOptions | None = None):
        self.options = options or PollOptions()
        self._pool: ProcessPoolExecutor | None = None
        self._in_use = 0  # pollers running on the pool (a chat /feed add during a cycle)

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None or getattr(self._pool, "_broken", False):
            self._pool = make_parse_pool(self.options.parse_workers)
        return self._pool

    @contextlib.asynccontextmanager
    async def poller(self, store: Store) -> AsyncIterator[Poller]:
        """A started Poller on the kept worker processes: `async with service.poller(store)`."""
        self._in_use += 1
        try:
            async with Poller(store, self.options, pool=self._workers()) as poller:
                yield poller
        finally:
            self._in_use -= 1

    async def poll_cycle(self, store: Store) -> PollReport:
        async with self.poller(store) as poller:
            report = await poller.poll_due()
        if report.results:  # an idle cycle every minute is not news
            log.info("poll cycle: %s", report.summary())
        return report

    async def add_feed(
        self,
        store: Store,
        url: str,
        *,
        follower: str | None = None,
        followed_by: str | None = None,
    ) -> Feed:
        """Add `url` from chat, followed by the chat scope `follower`; InvalidInputError (a
        clear message) when it is no usable feed, AlreadyExistsError when it (or the
        address it moved to) is stored already."""
        url = clean_feed_url(url)
        if await asyncio.to_thread(store.feed_by_url, url) is not None:
            raise AlreadyExistsError(f"already following {url}")
        async with self.poller(store) as poller:
            try:
                response, prepared = await poller.check_url(url, guard=True)
            except FeedError as error:
                raise InvalidInputError(f"cannot follow {url}: {error}") from error
        final_url = response.moved_to or url
        if final_url != url and await asyncio.to_thread(store.feed_by_url, final_url):
            raise AlreadyExistsError(
                f"{url} has moved to {final_url}, a feed already known: add that address instead"
            )
        feed = await asyncio.to_thread(
            partial(
                store.add_feed,
                final_url,
                origin="chat",
                follower=follower,
                followed_by=followed_by,
            )
        )
        return await asyncio.to_thread(
            store.update_feed, feed.id, title=prepared.title, site_url=prepared.site_url
        )

    def release_workers(self) -> None:
        """Stop the worker processes until the next poll needs them (it starts new ones).

        A worker keeps the memory its largest feed took (feedparser peaks near 12× the
        body); releasing them before the analysis step keeps the whole tree's peak down.
        Kept while a poller still uses them.
        """
        if not self._in_use:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


async def poll_due(store: Store, options: PollOptions | None = None, **kwargs) -> PollReport:
    """Poll every due feed once (see `Poller` to keep the session and workers between cycles)."""
    async with Poller(store, options) as poller:
        return await poller.poll_due(**kwargs)


def run_poll(
    store: Store,
    options: PollOptions | None = None,
    *,
    feed_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> PollReport:
    """Synchronous wrapper for the CLI: poll the due feeds (or `feed_ids`) once."""

    async def main() -> PollReport:
        async with Poller(store, options) as poller:
            if feed_ids is not None:
                return await poller.poll_feeds(feed_ids, progress=progress)
            return await poller.poll_due(progress=progress)

    return asyncio.run(main())
