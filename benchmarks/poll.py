"""Polling throughput and memory: newsbrief against feedparser alone and against `reader`.

    .venv/bin/python benchmarks/poll.py [--feeds 1000] [--entries 50] [--workers 2]

A loopback aiohttp server in its own process serves N generated feeds of news
items (RSS 2.0 and Atom; one feed in five carries full article text, the rest
teasers) with ETags and 304s. In one run this prints:

- parse-only baseline: feedparser (default options) on the same bytes in the
  same number of worker processes, measured before and after newsbrief;
- newsbrief's first poll (fetch + parse + store into a fresh SQLite), the
  unchanged re-poll (all 304), and a poll where 10% of the feeds changed;
- the same first poll by lemon24's `reader` (update_feeds, its own SQLite);
- peak RSS of each side (process plus its worker processes).

Page fetching for full text is off in the timed polls: they measure the feed
pipeline. The machine may be shared: compare the ratios, not the absolutes.
Targets (issue 3): first poll >= 80% of parse-only, re-poll >= 1,500 feeds/s,
first poll >= 1.5x reader, peak RSS <= 500 MB at N=1000.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE_TIME = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
PLACES = [
    "Mexico City",
    "Culiacán",
    "Monterrey",
    "Tijuana",
    "Guadalajara",
    "Washington",
    "Madrid",
    "Bogotá",
    "Lima",
    "Chicago",
]
WHO = [
    "the interior minister",
    "the state governor",
    "federal prosecutors",
    "the central bank",
    "the mayor",
    "opposition lawmakers",
    "the health ministry",
    "union leaders",
    "the navy",
    "election officials",
]
WHAT = [
    "announced new measures against extortion",
    "rejected the proposal as unconstitutional",
    "reported a fall in homicides for the third month",
    "seized a shipment of precursor chemicals",
    "opened an inquiry into missing funds",
    "raised the benchmark interest rate",
    "deployed additional troops to the region",
    "signed a water-sharing agreement",
    "warned of heavy rain and flooding",
    "postponed the vote until next week",
]
QUOTES = [
    "We will not negotiate with criminals",
    "The figures speak for themselves",
    "This is a day of mourning for our community",
    "Nobody is above the law",
    "We are asking for patience while the investigation continues",
]
NAMES = ["Ana Torres", "Luis Herrera", "María Gómez", "John Carter", "Elena Ruiz"]


# The generated feeds (deterministic: the server and the baseline make the same bytes).


def story(rng: random.Random, feed: int, n: int, full: bool) -> dict:
    place, who, what = rng.choice(PLACES), rng.choice(WHO), rng.choice(WHAT)
    name, quote = rng.choice(NAMES), rng.choice(QUOTES)
    teaser = (
        f"{place.upper()} (Wire) — {who.capitalize()} {what} on Thursday, "
        f"officials said, in a move that drew immediate criticism from rivals."
    )
    body = ""
    if full:
        paragraphs = [teaser] + [
            f"“{quote},” {name} told reporters in {place}, adding that {who} {what} after "
            f"weeks of talks. The decision affects {rng.randint(2, 90)} municipalities and "
            f"about {rng.randint(10, 900)},000 residents, according to official data."
            for _ in range(6)
        ]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return {
        "title": f"{who.capitalize()} {what} in {place}",
        "link": f"https://news{feed % 97}.example.com/{feed}/2026/11/{n}-{place.lower()}-story"
        f"?utm_source=rss&utm_medium=feed",
        "guid": f"urn:feed{feed}:story{n}",
        "date": BASE_TIME - timedelta(minutes=37 * n + feed % 30),
        "summary": f"<p>{teaser}</p>",
        "content": body,
        "author": name,
    }


def render_rss(feed: int, stories: list[dict]) -> bytes:
    items = []
    for s in stories:
        content = f"<content:encoded><![CDATA[{s['content']}]]></content:encoded>" * bool(
            s["content"]
        )
        items.append(
            f"<item><title>{s['title']}</title><link>{s['link'].replace('&', '&amp;')}</link>"
            f'<guid isPermaLink="false">{s["guid"]}</guid>'
            f"<pubDate>{format_datetime(s['date'])}</pubDate><dc:creator>{s['author']}"
            f"</dc:creator><category>World</category>"
            f"<description><![CDATA[{s['summary']}]]></description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Wire {feed}</title><link>https://news{feed % 97}.example.com/</link>"
        f"<description>Latest news</description><language>en</language>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def render_atom(feed: int, stories: list[dict]) -> bytes:
    entries = []
    for s in stories:
        content = s["content"] or s["summary"]
        entries.append(
            f"<entry><title>{s['title']}</title>"
            f'<link rel="alternate" href="{s["link"].replace("&", "&amp;")}"/>'
            f"<id>{s['guid']}</id><updated>{s['date'].isoformat()}</updated>"
            f"<author><name>{s['author']}</name></author>"
            f'<summary type="html"><![CDATA[{s["summary"]}]]></summary>'
            f'<content type="html"><![CDATA[{content}]]></content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Wire {feed}</title><id>urn:feed{feed}</id>"
        f"<updated>{BASE_TIME.isoformat()}</updated>"
        f'<link rel="alternate" href="https://news{feed % 97}.example.com/"/>'
        + "".join(entries)
        + "</feed>"
    ).encode()


def make_feed(feed: int, entries: int, version: int = 0) -> bytes:
    full = feed % 5 == 0
    first = -5 * version  # a new version adds five newer stories and drops the oldest five
    stories = [
        story(random.Random(feed * 100_003 + n), feed, n, full)
        for n in range(first, first + entries)
    ]
    return (render_atom if feed % 4 == 1 else render_rss)(feed, stories)


# The server process.


def serve(feeds: int, entries: int, pipe) -> None:
    from aiohttp import web

    versions = [0] * feeds
    bodies = [make_feed(i, entries) for i in range(feeds)]

    async def feed(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        etag = f'"{i}-{versions[i]}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=bodies[i], headers={"ETag": etag, "Content-Type": "application/xml"}
        )

    async def change(request: web.Request) -> web.Response:
        step = round(1 / float(request.query["fraction"]))
        changed = 0
        for i in range(0, feeds, step):
            versions[i] += 1
            bodies[i] = make_feed(i, entries, versions[i])
            changed += 1
        return web.json_response({"changed": changed})

    app = web.Application()
    app.router.add_get("/feeds/{i}.xml", feed)
    app.router.add_post("/change", change)
    asyncio.run(serve_until_stopped(app, pipe))


async def serve_until_stopped(app, pipe) -> None:
    """Serve `app` on a free loopback port, send the port down `pipe`, stop when told."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    pipe.send(site._server.sockets[0].getsockname()[1])
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # wait for "stop"
    await runner.cleanup()


# Measurements.


def peak_rss_mb(pids: list[int]) -> float:
    """Sum of the peak resident set (VmHWM) of these processes, in MB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def feedparser_only(body: bytes) -> int:
    import feedparser

    return len(feedparser.parse(io.BytesIO(body)).entries)


def parse_only(bodies: list[bytes], workers: int) -> tuple[float, float, int]:
    """feedparser alone, default options, on the same bytes in `workers` processes.

    Returns (wall seconds, CPU seconds of all processes, entries).
    """
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        list(pool.map(feedparser_only, bodies[:workers]))  # warm up
        pids = [os.getpid(), *pool._processes]
        cpu, started = cpu_seconds(pids), time.perf_counter()
        entries = sum(pool.map(feedparser_only, bodies, chunksize=1))
        return time.perf_counter() - started, cpu_seconds(pids) - cpu, entries


def run_newsbrief(base: str, feeds: int, workers: int, concurrency: int, queue) -> None:
    from feeds.polling.engine import Poller, PollOptions
    from feeds.store import open_store
    from feeds.timeutil import utcnow

    directory = tempfile.mkdtemp(prefix="newsbrief-bench-")
    store = open_store(f"sqlite:///{directory}/bench.db")
    store.save_feed_updates([])
    with store.session() as session:
        from feeds.models import Feed

        session.add_all(Feed(url=f"{base}/feeds/{i}.xml", origin="config") for i in range(feeds))
    options = PollOptions(
        allow_private_hosts=True,
        parse_workers=workers,
        concurrency=concurrency,
        per_host=concurrency,  # every feed is on one loopback host here
        full_text=False,
        interval_min=60,
    )
    results = {}

    async def main() -> None:
        async with Poller(store, options) as poller:
            pids = [os.getpid(), *poller._pool._processes]

            async def timed(name: str) -> None:
                with store.engine.begin() as connection:  # make every feed due again
                    connection.exec_driver_sql("UPDATE feed SET next_check_at = ?", (utcnow(),))
                cpu = cpu_seconds(pids)
                report = await poller.poll_due()
                results[name] = {
                    "seconds": report.seconds,
                    "cpu": cpu_seconds(pids) - cpu,
                    "feeds": len(report.results),
                    "new": len(report.new_article_ids),
                    "not_modified": report.count("not_modified", "unchanged"),
                    "failed": report.count("failed"),
                }

            await timed("first")
            await timed("unchanged")
            request = urllib.request.Request(f"{base}/change?fraction=0.1", method="POST")
            await asyncio.to_thread(urllib.request.urlopen, request)
            await timed("changed")
            results["rss_mb"] = peak_rss_mb(pids)
            results["rss_main_mb"] = peak_rss_mb([os.getpid()])

    asyncio.run(main())
    queue.put(results)


def run_reader(base: str, feeds: int, workers: int, queue) -> None:
    from reader import make_reader

    directory = tempfile.mkdtemp(prefix="reader-bench-")
    reader = make_reader(f"{directory}/reader.sqlite")
    for i in range(feeds):
        reader.add_feed(f"{base}/feeds/{i}.xml")
    cpu, started = cpu_seconds([os.getpid()]), time.perf_counter()
    reader.update_feeds(workers=workers)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds([os.getpid()]) - cpu
    counts = reader.get_entry_counts()
    queue.put(
        {
            "seconds": seconds,
            "cpu": cpu,
            "entries": counts.total,
            "rss_mb": peak_rss_mb([os.getpid()]),
        }
    )


def in_process(target, *args) -> dict:
    context = multiprocessing.get_context("forkserver")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="parser processes")
    parser.add_argument("--concurrency", type=int, default=32, help="newsbrief feeds in flight")
    parser.add_argument("--reader-workers", type=int, default=8, help="reader's update threads")
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs; best one counts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    n = args.feeds

    context = multiprocessing.get_context("forkserver")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=(n, args.entries, theirs), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ours.recv()}"
    bodies = [make_feed(i, args.entries) for i in range(n)]
    size = sum(map(len, bodies)) / n / 1024
    print(
        f"{n} feeds x {args.entries} entries, {size:.0f} KB per feed on average, {base}; "
        f"best of {args.repeat} alternating runs"
    )
    baselines, ours_runs, reader_runs = [], [], []
    for _ in range(args.repeat):
        baselines.append(parse_only(bodies, args.workers))
        ours_runs.append(in_process(run_newsbrief, base, n, args.workers, args.concurrency))
        reader_runs.append(in_process(run_reader, base, n, args.reader_workers))
    baselines.append(parse_only(bodies, args.workers))
    ours.send("stop")
    server.join(5)
    report(args, n, baselines, ours_runs, reader_runs)


PHASES = {"first": "first poll", "unchanged": "unchanged re-poll", "changed": "10% changed"}


def report(args, n: int, baselines: list, ours_runs: list[dict], reader_runs: list[dict]) -> None:
    """Print the best wall-clock rates of each side and, as a noise-proof view, CPU per feed."""
    ms = 1000 / n
    base_seconds = min(b[0] for b in baselines)
    base_cpu = min(b[1] for b in baselines)
    baseline_rate = n / base_seconds
    runs = ", ".join(f"{n / b[0]:.0f}" for b in baselines)
    print(
        f"parse-only (feedparser, {args.workers} processes): {baseline_rate:.0f} feeds/s "
        f"(runs: {runs}); {base_cpu * ms:.1f} ms CPU per feed; {baselines[0][2]} entries"
    )
    best = {}
    for phase, label in PHASES.items():
        r = best[phase] = min((run[phase] for run in ours_runs), key=lambda x: x["seconds"])
        cpu = min(run[phase]["cpu"] for run in ours_runs)
        runs = ", ".join(f"{run[phase]['feeds'] / run[phase]['seconds']:.0f}" for run in ours_runs)
        print(
            f"newsbrief {label:17} {r['feeds'] / r['seconds']:6.0f} feeds/s "
            f"{r['new'] / r['seconds']:6.0f} new articles/s (runs: {runs}); {cpu * ms:.1f} ms CPU "
            f"per feed; {r['new']} new, {r['not_modified']} not modified, {r['failed']} failed"
        )
    reader = min(reader_runs, key=lambda x: x["seconds"])
    reader_rate = n / reader["seconds"]
    reader_cpu = min(run["cpu"] for run in reader_runs)
    runs = ", ".join(f"{n / run['seconds']:.0f}" for run in reader_runs)
    print(
        f"reader first poll ({args.reader_workers} threads): {reader_rate:.0f} feeds/s "
        f"{reader['entries'] / reader['seconds']:.0f} articles/s (runs: {runs}); "
        f"{reader_cpu * ms:.1f} ms CPU per feed; {reader['entries']} entries"
    )
    rss = max(run["rss_mb"] for run in ours_runs)
    main_rss = max(run["rss_main_mb"] for run in ours_runs)
    reader_rss = max(run["rss_mb"] for run in reader_runs)
    print(
        f"peak RSS: newsbrief {rss:.0f} MB (main process {main_rss:.0f} MB + {args.workers} "
        f"workers), reader {reader_rss:.0f} MB"
    )
    first_rate = best["first"]["feeds"] / best["first"]["seconds"]
    first_cpu = min(run["first"]["cpu"] for run in ours_runs)
    repoll_rate = best["unchanged"]["feeds"] / best["unchanged"]["seconds"]
    checks = [
        ("first poll / parse-only", first_rate / baseline_rate, 0.80),
        ("  same, by CPU per feed", base_cpu / first_cpu, 0.80),
        ("unchanged re-poll, feeds/s", repoll_rate, 1500),
        ("first poll / reader", first_rate / reader_rate, 1.5),
        ("peak RSS MB (at most)", rss, 500),
    ]
    for name, value, target in checks:
        ok = value <= target if "at most" in name else value >= target
        print(f"  {name:30} {value:8.2f}  target {target:g}  {'ok' if ok else 'MISSED'}")
    if args.json:
        print(json.dumps({"newsbrief": ours_runs, "reader": reader_runs, "baseline": baselines}))


if __name__ == "__main__":
    main()
