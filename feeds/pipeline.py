"""One ingest cycle: poll the due feeds, then analyse, group and match what came in.

    ingest = Ingest(poll_options)                  # keeps its worker processes
    report = await ingest.cycle(store)             # poll → analyse → group → match
    print(report.summary())
    ingest.close()                                 # at shutdown

Each stage after polling is a `Step` calling one public function of its
package; a step that fails is logged and recorded in the report, and the
next ones still run. To add a stage, append a Step to `STEPS` (the order is
the order they run in, and the summary line's order).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field

from feeds.briefs.grouping import assign_stories
from feeds.briefs.matching import match_new_articles
from feeds.models import Feed
from feeds.nlp.pipeline import analyze_pending_async
from feeds.polling.engine import PollingService, PollOptions, PollReport, Progress, make_parse_pool
from feeds.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepContext:
    store: Store
    poll: PollReport  # what this cycle's poll found
    workers: Executor  # processes for CPU-heavy work: never run it in the event loop


@dataclass(frozen=True)
class Step:
    """A stage after polling: `run` returns how many articles it handled, shown as
    "<count> <name>" in the summary."""

    name: str
    run: Callable[[StepContext], Awaitable[int]]


async def analyse(context: StepContext) -> int:
    """Quotes, speakers, lead and language of every new or changed text (feeds/nlp)."""
    return await analyze_pending_async(context.store, executor=context.workers)


async def group(context: StepContext) -> int:
    """Same-story grouping of every article not in a story yet (feeds/briefs)."""
    return await asyncio.to_thread(assign_stories, context.store)


async def match(context: StepContext) -> int:
    """Score new or changed articles against every saved topic (feeds/briefs), so that
    briefings read their matches from an index."""
    return await asyncio.to_thread(match_new_articles, context.store)


STEPS: tuple[Step, ...] = (
    Step("analysed", analyse),
    Step("grouped", group),
    Step("matched", match),
)


@dataclass
class IngestReport:
    poll: PollReport
    counts: dict[str, int] = field(default_factory=dict)  # step name -> articles
    failures: dict[str, str] = field(default_factory=dict)  # step name -> error
    seconds: float = 0.0

    def count(self, step: str) -> int:
        return self.counts.get(step, 0)

    @property
    def analysed(self) -> int:
        return self.count("analysed")

    @property
    def grouped(self) -> int:
        return self.count("grouped")

    def summary(self) -> str:
        """The poll's one line, with each step's count (or its failure) added."""
        steps = [f"{count} {name}" for name, count in self.counts.items()]
        steps += [f"{name} FAILED ({error})" for name, error in self.failures.items()]
        line = self.poll.summary(timing=False)
        if steps:
            line += "; " + ", ".join(steps)
        return line + f" ({self.seconds:.1f}s)"


class Ingest:
    """The ingest cycle, with its worker processes kept from one cycle to the next.

    Parsing uses the polling engine's workers; the analysis gets its own
    (`analysis_workers`, each loads the language model once), so that a
    crash there cannot break the parsers. The steps run when the poll
    brought new or changed articles, and on the first cycle (to finish what
    an interrupted run left). Call `close()` when done.
    """

    def __init__(
        self,
        options: PollOptions | None = None,
        *,
        steps: Sequence[Step] = STEPS,
        analysis_workers: int = 1,
    ):
        self.polling = PollingService(options)
        self.steps = tuple(steps)
        self.analysis_workers = analysis_workers
        self._analysis: ProcessPoolExecutor | None = None
        self._cycles = 0

    @property
    def options(self) -> PollOptions:
        return self.polling.options

    async def cycle(
        self,
        store: Store,
        *,
        feed_ids: Iterable[int] | None = None,
        progress: Progress | None = None,
        log_summary: bool = True,
    ) -> IngestReport:
        """Poll the due feeds (or `feed_ids`, due or not), then run the steps; the
        summary is logged unless the caller shows it itself (`log_summary=False`)."""
        started = time.perf_counter()
        async with self.polling.poller(store) as poller:
            if feed_ids is None:
                poll = await poller.poll_due(progress=progress)
            else:
                poll = await poller.poll_feeds(feed_ids, progress=progress)
        report = IngestReport(poll)
        self._cycles += 1
        if self._cycles == 1 or poll.new_article_ids or poll.changed_article_ids:
            # The parsers' memory is not needed while the analysis worker needs its own.
            await asyncio.to_thread(self.polling.release_workers)
            context = StepContext(store, poll, self._workers())
            for step in self.steps:
                await self._run(step, context, report)
        report.seconds = time.perf_counter() - started
        if log_summary and report.failures:  # news even when idle: it will fail again
            log.error("ingest cycle: %s", report.summary())
        elif log_summary and poll.results:  # an idle cycle every minute is not news
            log.info("ingest cycle: %s", report.summary())
        return report

    async def _run(self, step: Step, context: StepContext, report: IngestReport) -> None:
        try:
            report.counts[step.name] = await step.run(context)
        except Exception as error:  # recorded; the next steps and the next cycle go on
            log.exception("ingest step %r failed", step.name)
            report.failures[step.name] = str(error) or type(error).__name__

    async def poll_cycle(self, store: Store) -> IngestReport:
        """The bot's poll_cycle capability: one cycle over the due feeds."""
        return await self.cycle(store)

    async def add_feed(self, store: Store, url: str, **follower) -> Feed:
        """Add a URL from chat (always behind the SSRF guard): see PollingService.add_feed."""
        return await self.polling.add_feed(store, url, **follower)

    def _workers(self) -> ProcessPoolExecutor:
        if self._analysis is None or getattr(self._analysis, "_broken", False):
            # Same clean forkserver workers as the parsers (no inherited threads or sockets).
            self._analysis = make_parse_pool(self.analysis_workers)
        return self._analysis

    def close(self) -> None:
        """Stop the worker processes (an analysis batch in progress is finished first)."""
        self.polling.close()
        if self._analysis is not None:
            self._analysis.shutdown(wait=True, cancel_futures=True)
            self._analysis = None
