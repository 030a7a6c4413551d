"""Real feeds nobody here wrote, through the real `newsbrief poll --once`: every entry counted.

    .venv/bin/python benchmarks/real_feeds.py [--corpus ../shared/corpus] [--only real]

For each corpus of ../shared/corpus/feeds (the 208 real feeds: real-200 and
real; feedparser's own 2,100 test feeds), a loopback aiohttp server in its own
process serves every file as it is (a feedparser test's `Header:` lines become
response headers), one `newsbrief poll --once --no-full-text` ingests them all
into a fresh SQLite file (poll, quotes, grouping, topic matching: the whole
cycle; article pages are not fetched, they are on the internet), and this
prints:

- feeds, and those that failed by reason;
- articles stored against feedparser's own entry count for the same bytes,
  with every difference explained: JSON Feed items (feedparser 6.0 reads no
  JSON Feed), DOCTYPE internal subsets stripped (their entities are never
  expanded), entries with nothing to show, exact repeats, entries under a key
  already taken, entries of feeds that failed; what is left is "unexplained";
- the ingest steps that failed (exit status and stderr; must be 0);
- the whole process tree's peak RSS (main process, parser and analysis
  workers): the largest sum of their resident sets, sampled every 50 ms, and
  each process's own peak (VmHWM).

Skips cleanly (exit 0, one line) when the corpus folder is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import multiprocessing
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.poll import serve_until_stopped  # noqa: E402 (after the path is set)

CORPORA = {
    "real feeds": ("feeds/real-200", "feeds/real"),
    "feedparser's suite": ("feeds/feedparser-tests/tests",),
}
MAX_FILE = 20_000_000
_HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.+?)\s*$", re.M)
NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


def corpus_files(root: Path, folders: tuple[str, ...]) -> list[Path]:
    files = []
    for folder in folders:
        files += sorted(
            p
            for p in (root / folder).rglob("*")
            if p.is_file() and p.name != "LICENSE" and p.stat().st_size < MAX_FILE
        )
    return files


def served_headers(body: bytes) -> dict[str, str]:
    """Response headers for a corpus file: its test's `Header:` lines, else a plain type."""
    headers = {
        name.decode().lower(): value.decode("latin-1")
        for name, value in _HEADER.findall(body[:4096])
    }
    if "content-type" not in headers:
        json_like = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
        headers["content-type"] = "application/json" if json_like else "application/xml"
    return headers


# The server process: each file at /f/<index>, with its headers.


def serve(paths: list[str], pipe) -> None:
    from aiohttp import web

    bodies = [Path(p).read_bytes() for p in paths]
    headers = [served_headers(body) for body in bodies]

    async def one(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        return web.Response(body=bodies[i], headers=headers[i])

    app = web.Application()
    app.router.add_get("/f/{i}", one)
    asyncio.run(serve_until_stopped(app, pipe))


# Memory of a process tree, sampled from /proc.


class TreeMemory:
    """Samples the resident set of a process and all its descendants until stopped."""

    def __init__(self, root_pid: int, every: float = 0.05):
        self.root, self.every = root_pid, every
        self.peak_kb = 0
        self.peaks_kb: dict[int, int] = {}  # pid -> its own VmHWM
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid, parent in self._tree():
                status = _status(pid)
                if status:
                    total += status.get("VmRSS", 0)
                    self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), status.get("VmHWM", 0))
                    self.names.setdefault(pid, self._role(pid, parent))
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.every)

    def _tree(self) -> list[tuple[int, int]]:
        """(pid, parent pid) of the root and its descendants."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, todo = [], [(self.root, 0)]
        while todo:
            pid, parent = todo.pop()
            found.append((pid, parent))
            todo += [(child, pid) for child in children.get(pid, [])]
        return found

    def _role(self, pid: int, parent: int) -> str:
        """main; the fork server; a worker (parser or analysis, forked by it); a helper."""
        if pid == self.root:
            return "main"
        if self.names.get(parent) == "fork server":
            return "worker"
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return "?"
        return "fork server" if b"forkserver import main" in command else "helper"


def _status(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {
        line.split(":")[0]: int(line.split()[1])
        for line in lines
        if line.startswith(("VmRSS:", "VmHWM:"))
    }


# What feedparser and our parser find in each file, in this process.


@dataclass
class Expected:
    feedparser: int = 0  # feedparser.parse on the bytes, as served
    json_items: int = 0  # JSON Feed items (feedparser 6.0 reads none)
    doctype: int = 0  # entries lost (or gained) by stripping a DOCTYPE internal subset
    parse_gap: int = 0  # any other difference between our parser's count and feedparser's
    unreadable: int = 0  # feedparser's entries in a body our parser refuses (ParseError)
    rows: int = 0  # what the worker would store
    dropped: Counter = field(default_factory=Counter)  # empty, repeated, same_key


def expected(body: bytes, headers: dict[str, str], url: str) -> Expected:
    import feedparser

    from feeds.errors import ParseError
    from feeds.parse.feed import parse_feed, strip_doctype_subsets
    from feeds.polling.work import prepare_parsed

    found = Expected()
    fp_headers = {"content-type": headers["content-type"]}
    found.feedparser = len(feedparser.parse(io.BytesIO(body), response_headers=fp_headers).entries)
    try:
        parsed = parse_feed(body, url, headers["content-type"])
    except ParseError:
        found.unreadable = found.feedparser
        return found
    ours = len(parsed.entries)
    if parsed.kind == "json1":
        found.json_items = ours - found.feedparser
    else:
        try:
            stripped = strip_doctype_subsets(body)
        except ParseError:
            stripped = body
        if stripped != body:
            entries = feedparser.parse(io.BytesIO(stripped), response_headers=fp_headers).entries
            found.doctype = len(entries) - found.feedparser
        found.parse_gap = ours - found.feedparser - found.doctype
    prepared = prepare_parsed(parsed, "guid")
    found.rows, found.dropped = len(prepared.rows), prepared.dropped
    return found


# One corpus.


def run_corpus(name: str, files: list[Path], args) -> dict:
    from sqlmodel import select

    from feeds.models import Article, Feed
    from feeds.store import open_store

    context = multiprocessing.get_context("forkserver")
    ours, theirs = context.Pipe()
    server = context.Process(target=serve, args=([str(p) for p in files], theirs), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ours.recv()}"
    work = Path(tempfile.mkdtemp(prefix="newsbrief-real-feeds-"))
    url = f"sqlite:///{work}/real.db"
    store = open_store(url)
    ids = [store.add_feed(f"{base}/f/{i}", origin="cli").id for i in range(len(files))]
    store.close()
    (work / "newsbrief.toml").write_text(
        f'[database]\nurl = "{url}"\n\n[polling]\nallow_private_hosts = true\n'
        f"per_host = {args.concurrency}\nconcurrency = {args.concurrency}\n"
        f'timeout = "60s"\n'
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(NEWSBRIEF), "-q", "poll", "--once", "--no-full-text"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    ours.send("stop")
    server.join(5)

    store = open_store(url)
    with store.session() as session:
        feeds = {feed.id: feed for feed in session.exec(select(Feed))}
        stored = Counter(session.exec(select(Article.feed_id)))
    store.close()
    failed = Counter(
        feeds[i].last_error_reason for i in ids if feeds[i].error_count or feeds[i].disabled_reason
    )
    totals = Counter()
    for index, (feed_id, path) in enumerate(zip(ids, files, strict=True)):
        body = path.read_bytes()
        found = expected(body, served_headers(body), f"{base}/f/{index}")
        feed_failed = bool(feeds[feed_id].error_count)
        totals["feedparser"] += found.feedparser
        totals["json_items"] += found.json_items
        totals["doctype"] += found.doctype
        totals["parse_gap"] += found.parse_gap
        totals["unreadable"] += found.unreadable
        for reason, count in found.dropped.items():
            totals[reason] += count
        totals["in_failed_feeds"] += found.rows if feed_failed else 0
        totals["stored"] += stored[feed_id]
        totals["unexplained"] += stored[feed_id] - (0 if feed_failed else found.rows)
    return {
        "name": name,
        "feeds": len(files),
        "failed": dict(failed),
        "totals": dict(totals),
        "exit": process.returncode,
        "summary": out.strip().splitlines()[-1] if out.strip() else "",
        "failed_steps": [line for line in err.splitlines() if "step failed" in line],
        "seconds": seconds,
        "peak_mb": memory.peak_kb / 1024,
        "process_peaks_mb": sorted(
            ((memory.names.get(pid, "?"), kb / 1024) for pid, kb in memory.peaks_kb.items()),
            key=lambda item: -item[1],
        ),
    }


def show(result: dict) -> None:
    t = result["totals"]
    failed = sum(result["failed"].values())
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(result["failed"].items())) or "none"
    print(f"\n{result['name']}: {result['feeds']} feeds, {failed} failed ({reasons})")
    print(f"  feedparser's entries  {t['feedparser']:7,}")
    lines = [
        ("json_items", "+", "JSON Feed items (feedparser 6.0 reads no JSON Feed)"),
        ("doctype", "+", "after stripping DOCTYPE internal subsets (entities not expanded)"),
        ("parse_gap", "+", "other differences between our parser and feedparser"),
        ("unreadable", "-", "entries in bodies our parser refuses (not a feed)"),
        ("empty", "-", "entries with no title, link or text: not articles"),
        ("repeated", "-", "exact repeats in one document (same guid, link, title, date)"),
        ("same_key", "-", "entries under a key already taken in the document: first kept"),
        ("in_failed_feeds", "-", "entries of feeds that failed (see reasons above)"),
    ]
    for key, sign, text in lines:
        value = t.get(key, 0)
        if sign == "+":
            print(f"  {'+' if value >= 0 else '-'} {abs(value):7,}  {text}")
        elif value:
            print(f"  - {value:7,}  {text}")
    print(f"  = stored             {t['stored']:7,}   unexplained: {t['unexplained']}")
    steps = len(result["failed_steps"])
    print(f"  steps failed: {steps} (exit status {result['exit']})")
    for line in result["failed_steps"]:
        print(f"    {line}")
    print(f"  summary: {result['summary']}")
    peaks = ", ".join(f"{role} {mb:.0f}" for role, mb in result["process_peaks_mb"] if mb >= 1)
    print(
        f"  whole-tree peak RSS: {result['peak_mb']:.0f} MB (each process's own peak, MB: "
        f"{peaks}); {result['seconds']:.0f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--only", choices=["real", "feedparser"], help="one corpus")
    parser.add_argument("--concurrency", type=int, default=32, help="feeds in flight")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    if not (args.corpus / "feeds").is_dir():
        print(f"real_feeds: {args.corpus / 'feeds'} is absent; nothing to measure")
        return 0
    results = []
    for name, folders in CORPORA.items():
        if args.only and not name.startswith(args.only):
            continue
        files = corpus_files(args.corpus, folders)
        if files:
            results.append(run_corpus(name, files, args))
            show(results[-1])
    if args.json:
        print(json.dumps(results))
    bad = [r["name"] for r in results if r["failed_steps"] or r["exit"] != 0]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
