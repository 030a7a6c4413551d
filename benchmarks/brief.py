"""Briefing speed with 100,000 articles in SQLite, built through the app's own ingest steps.

    .venv/bin/python benchmarks/brief.py [--articles 100000] [--db PATH] [--runs 30]

Generates a month of articles (templated English/Spanish news about Mexico
security, migration and unrelated subjects; ~1.5 KB of body each, a third
with a quotation) and stores them the way the bot's cycle does, in batches
of --cycle articles: insert (polling's `store_entries` when this build has
it, else the same INSERT … ON CONFLICT DO NOTHING RETURNING), quote analysis
(`analyze_pending`), grouping (`assign_stories`) and topic matching
(`match_new_articles`). With --db, an existing file is reused as it is.

Then it measures, against the time the data was generated:

- baseline: a bare indexed SELECT of the 24-hour window (ids and titles),
- a 24-hour briefing on the "Mexico security" preset: in a fresh process
  (store opened and one briefing composed, per process) and warm,
- an ad-hoc briefing (a query that is not a saved topic), first and warm,
  and a ranked all-time search,
- a topic just created: its first briefing before any ingest run (which
  back-fills the 24-hour window itself), the back-fill the next ingest run
  does instead, and the first briefing after that,
- the ingest cost per new article of grouping and of topic matching; and
  grouping's own baseline, measured in the same run: the same new articles
  grouped by headline and opening alone (as before texts were weighed),
  alternating with the full grouping, each in a fresh process on a copy.

Prints p50/p95 of each and its ratio to the baseline measured in the same
run, with the load average: the machine is shared, compare ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feeds.briefs import grouping
from feeds.briefs.compose import MATCH_CACHE, compose
from feeds.briefs.grouping import assign_stories
from feeds.briefs.matching import backfill_new_topics, match_new_articles
from feeds.briefs.presets import PRESETS
from feeds.briefs.query import parse
from feeds.models import Article, Feed
from feeds.nlp.pipeline import analyze_pending
from feeds.store import Store, open_store
from feeds.timeutil import utcnow

NOW_KEY = "benchmark.generated_at"
NEW_TOPIC = "Cartel watch"

PLACES = [
    "Culiacán", "Sinaloa", "Tijuana", "Guadalajara", "Jalisco", "Michoacán", "Guerrero",
    "Acapulco", "Reynosa", "Tamaulipas", "Chihuahua", "Ciudad Juárez", "Sonora", "Zacatecas",
    "Guanajuato", "Celaya", "Veracruz", "Oaxaca", "Chiapas", "Tapachula", "Monterrey", "Puebla",
]  # fmt: skip
PEOPLE = [
    "Claudia Sheinbaum", "Omar García Harfuch", "Ana López", "Jorge Ramírez", "María Torres",
    "Luis Hernández", "Sofía Castillo", "Carlos Mendoza", "Elena Ruiz", "Pedro Salinas",
]  # fmt: skip
SECURITY_EN = [
    "Gunmen kill {n} in {place} as cartel feud widens",
    "Mexican troops seize {n} kilos of fentanyl in {place}",
    "{person} says homicides fell {n}% in {place}",
    "Mexico extradites {n} cartel suspects arrested in {place}",
    "National Guard deployed to {place} after {n} killed",
]
SECURITY_ES = [
    "Ataque armado deja {n} muertos en {place}",
    "Aseguran {n} kilos de fentanilo en laboratorio de {place}",
    "{person}: bajan {n}% los homicidios en {place}",
    "Detienen a {n} presuntos integrantes del cártel en {place}",
    "Guardia Nacional refuerza la seguridad en {place} tras {n} asesinatos",
]
MIGRATION = [
    "Caravan of {n} migrants leaves {place}",
    "Albergues de {place} reciben a {n} deportados",
    "Asylum requests rise {n}% at {place} crossing",
]
OTHER = [
    "{place} hosts book fair with {n} publishers",
    "Peso gains {n} cents as Banxico holds rates",
    "Liga MX: {place} side wins {n}-1 at home",
    "Tech firm opens {n}-job plant near {place}",
    "Lluvias dejan {n} colonias inundadas en {place}",
    "{person} presenta plan de movilidad para {place}",
    "Tourism in {place} grows {n}% this season",
]
FILLER = [
    "Officials said the investigation would continue over the coming days.",
    "Residents described a tense night and asked for more information from the authorities.",
    "Las autoridades informaron que la investigación seguirá abierta en los próximos días.",
    "Analysts said the figures should be read with caution until the final report is published.",
    "El gobierno estatal anunció una reunión con representantes de los sectores afectados.",
    "The company declined to comment on the plans when contacted on Tuesday.",
    "Vecinos de la zona pidieron mayor presencia de las autoridades y mejores servicios.",
    "The ministry said more details would be released after a meeting with local leaders.",
    "Según datos oficiales, la cifra es la más alta registrada en lo que va del año.",
    "Critics said the measures did not go far enough to address the underlying problems.",
]
QUOTES = [
    '"We will not allow this violence to continue in our state," said {person}, who asked '
    "residents to stay calm.",
    '"Seguiremos trabajando con todas las corporaciones para dar resultados", afirmó {person}.',
    '"The numbers show that the strategy is working," {person} told reporters.',
]


def make_event(rng: random.Random) -> tuple[str, list[str]]:
    roll = rng.random()
    if roll < 0.3:
        templates = SECURITY_EN + SECURITY_ES
    elif roll < 0.4:
        templates = MIGRATION
    else:
        templates = OTHER
    template = rng.choice(templates)
    fields = {"n": rng.randint(2, 400), "place": rng.choice(PLACES), "person": rng.choice(PEOPLE)}
    title = template.format(**fields)
    opening = (
        f"{title}, {rng.choice(PEOPLE)} said on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, "
        f"in a statement issued in {fields['place']}."
    )
    variants = [title, f"{title} — update", f"{title}, officials say", f"Report: {title}"]
    return opening, variants


def make_body(rng: random.Random, opening: str) -> str:
    paragraphs = [opening]
    for _ in range(5):
        paragraphs.append(" ".join(rng.sample(FILLER, 3)))
    if rng.random() < 0.33:
        paragraphs.insert(2, rng.choice(QUOTES).format(person=rng.choice(PEOPLE)))
    return "\n\n".join(paragraphs)


def entry(key: str, title: str, opening: str, body: str, at: datetime) -> dict:
    """One feed entry as polling stores it (Article columns)."""
    url = f"https://example.org/{key}"
    return {
        "entry_key": key,
        "url": url,
        "canonical_url": url,
        "title": title,
        "summary": opening,
        "content": body,
        "published_at": at,
        "first_seen_at": at,
        "announce": True,
        "content_hash": hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
    }


def store_entries(store: Store, feed_id: int, rows: list[dict]) -> None:
    """Polling's insert: `Store.store_entries` once merged, else the same statement here."""
    if hasattr(store, "store_entries"):
        store.store_entries(feed_id, rows)
        return
    statement = (
        sqlite.insert(Article)
        .on_conflict_do_nothing(index_elements=["feed_id", "entry_key"])
        .returning(Article.id)
    )
    with store.session() as session:
        session.execute(statement, [{**row, "feed_id": feed_id} for row in rows]).all()


def ingest(store: Store, by_feed: dict[int, list[dict]], timings: dict[str, float]) -> None:
    """One cycle of the bot: poll (insert), quote analysis, grouping, topic matching."""
    steps = [
        ("insert", lambda: [store_entries(store, f, rows) for f, rows in by_feed.items()]),
        ("quotes", lambda: analyze_pending(store)),
        ("grouping", lambda: assign_stories(store)),
        ("matching", lambda: match_new_articles(store)),
    ]
    for name, step in steps:
        begin = time.perf_counter()
        step()
        timings[name] += time.perf_counter() - begin


def generate(store: Store, count: int, days: int, cycle: int, seed: int = 7) -> datetime:
    """Ingest `count` articles over the `days` before now, in cycles; returns that now."""
    rng = random.Random(seed)
    now = utcnow()
    with store.session() as session:
        feeds = [
            Feed(url=f"https://outlet{i}.example/feed.xml", name=f"Outlet {i}") for i in range(40)
        ]
        session.add_all(feeds)
        session.flush()
        feed_ids = [feed.id for feed in feeds]
    step = timedelta(days=days) / max(1, count)
    moment = now - timedelta(days=days)
    timings: dict[str, float] = defaultdict(float)
    produced, pending = 0, defaultdict(list)
    events = []  # (at, feed, row), ingested in time order
    while produced < count:
        opening, variants = make_event(rng)
        size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), count - produced)
        for index, outlet in enumerate(rng.sample(feed_ids, size)):
            at = min(moment + timedelta(minutes=rng.randint(0, 240)), now)
            title = variants[index % len(variants)]
            events.append(
                (at, outlet, entry(f"e{produced}", title, opening, make_body(rng, opening), at))
            )
            produced += 1
        moment += step * size
    events.sort(key=lambda event: event[0])
    for index, (_, outlet, row) in enumerate(events, 1):
        pending[outlet].append(row)
        if index % cycle == 0 or index == len(events):
            ingest(store, pending, timings)
            pending = defaultdict(list)
            spent = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
            print(f"\r  ingested {index:,} articles ({spent})", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.set_state(NOW_KEY, now.isoformat())
    return now


def timed(function, runs: int, *, warm: bool = True) -> list[float]:
    if warm:
        function()  # parses queries, loads pages
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        function()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(name: str, samples: list[float], baseline: float | None) -> None:
    p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
    ratio = f"  ({p95 / baseline:5.1f}x baseline p95)" if baseline else ""
    print(f"{name:<58} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms{ratio}", flush=True)


def fresh_process(path: Path, subject: str, since: datetime, until: datetime) -> float:
    """One briefing in a new interpreter: opening the store and composing, in ms."""
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--db",
            str(path),
            "--child",
            subject,
            since.isoformat(),
            until.isoformat(),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.split()[-1])


def child(path: Path, subject: str, since: str, until: str) -> None:
    begin = time.perf_counter()
    store = open_store(f"sqlite:///{path}", upgrade=False)
    compose(
        store, subject, since=datetime.fromisoformat(since), until=datetime.fromisoformat(until)
    )
    print((time.perf_counter() - begin) * 1000)


def grouping_child(path: Path, mode: str) -> None:
    """Group what is ungrouped in the store at `path`; print ms per article. Mode "headline":
    as if no article had text (no body, no quotations): grouping by headline and opening."""
    if mode == "headline":
        grouping.body_bag = lambda body: None
        grouping.quote_signatures = lambda quotes: ()
    store = open_store(f"sqlite:///{path}", upgrade=False)
    begin, cpu = time.perf_counter(), time.process_time()
    grouped = max(assign_stories(store), 1)
    wall_ms = (time.perf_counter() - begin) * 1000 / grouped
    print(wall_ms, (time.process_time() - cpu) * 1000 / grouped)


def grouping_in_child(path: Path, mode: str) -> tuple[float, float]:
    """`grouping_child` on a copy of the store, in a new interpreter: (wall, CPU) ms per
    article. Grouping runs in-process (SQLite too), so CPU time is what it costs whatever
    else the machine is doing; wall time is what a cycle waits."""
    copy = path.with_name(f"{path.stem}-{mode}.db")
    shutil.copy(path, copy)
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--db", str(copy), "--group-child", mode],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        copy.unlink(missing_ok=True)
    wall, cpu = output.split()[-2:]
    return float(wall), float(cpu)


def new_articles(store: Store, rng: random.Random, count: int, now: datetime) -> list[int]:
    """New, ungrouped articles: half follow up recent stories, half are new events."""
    with store.session() as session:
        recent = session.execute(
            sa.select(Article.title, Article.summary, Article.content)
            .where(Article.first_seen_at >= now - timedelta(hours=12))
            .limit(count)
        ).all()
        feed_ids = list(session.execute(sa.select(Feed.id)).scalars())
    by_feed = defaultdict(list)
    for index in range(count):
        if index % 2 and recent:
            title, opening, body = rng.choice(recent)
            title = f"{title} (follow-up)"
        else:
            opening, variants = make_event(rng)
            title, body = variants[0], make_body(rng, opening)
        at = now - timedelta(minutes=rng.randint(0, 120))
        by_feed[rng.choice(feed_ids)].append(
            entry(f"new-{time.time_ns()}-{index}", title, opening, body, at)
        )
    for feed_id, rows in by_feed.items():
        store_entries(store, feed_id, rows)
    analyze_pending(store)
    with store.session() as session:
        return list(
            session.execute(sa.select(Article.id).where(Article.story_id.is_(None))).scalars()
        )


def measure_briefings(store: Store, path: Path, options, now: datetime, since: datetime) -> None:
    """Every briefing measurement (see the module doc), against the bare SELECT baseline."""

    def baseline_query():
        with store.session() as session:
            session.execute(
                sa.select(Article.id, Article.title).where(Article.first_seen_at >= since)
            ).all()

    baseline = timed(baseline_query, options.runs)
    report("baseline: indexed SELECT of the 24h window", baseline, None)
    base95 = percentile(baseline, 0.95)

    preset = PRESETS[0].name
    stories = compose(store, preset, since=since, until=now).total_stories
    label = f"briefing {preset!r}, 24h ({stories} stories)"
    process = [fresh_process(path, preset, since, now) for _ in range(options.process_runs)]
    report(f"{label}, fresh process", process, base95)
    report(
        f"{label}, warm",
        timed(lambda: compose(store, preset, since=since, until=now), options.runs),
        base95,
    )

    adhoc = "fentanilo OR fentanyl"
    stories = compose(store, adhoc, since=since, until=now).total_stories
    label = f"ad-hoc briefing {adhoc!r}, 24h ({stories} stories)"

    def adhoc_first():
        MATCH_CACHE.entries.clear()
        compose(store, adhoc, since=since, until=now)

    report(f"{label}, first", timed(adhoc_first, options.runs), base95)
    report(
        f"{label}, warm",
        timed(lambda: compose(store, adhoc, since=since, until=now), options.runs),
        base95,
    )
    query = parse("Culiacán asylum")
    report(
        "search 'Culiacán asylum', all time, top 50",
        timed(lambda: store.search_articles(query, limit=50), options.runs),
        base95,
    )

    try:
        topic = store.get_topic(NEW_TOPIC)
    except Exception:
        topic = store.add_topic(NEW_TOPIC, PRESETS[0].query, origin="chat")

    def new_topic(eager: bool) -> tuple[float, float]:
        """(back-fill by the next ingest run, first briefing) in ms, for a topic just made."""
        store.reset_topic_matches(topic.id, topic.query)  # as if created a moment ago
        begin = time.perf_counter()
        if eager:
            backfill_new_topics(store)
        middle = time.perf_counter()
        compose(store, NEW_TOPIC, since=since, until=now)
        return (middle - begin) * 1000, (time.perf_counter() - middle) * 1000

    runs = options.process_runs
    lazy = [new_topic(eager=False)[1] for _ in range(runs)]
    eager = [new_topic(eager=True) for _ in range(runs)]
    report("new topic: first briefing before an ingest run (back-fills 24h)", lazy, base95)
    report("new topic: the ingest run's back-fill of 24h (once)", [b for b, _ in eager], base95)
    report("new topic: first briefing after it", [c for _, c in eager], base95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--cycle", type=int, default=2000, help="articles per ingest cycle")
    parser.add_argument("--db", help="SQLite file to create or reuse (default: a temporary one)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--process-runs", type=int, default=10, help="fresh-process briefings")
    parser.add_argument("--new", type=int, default=400, help="new articles to ingest")
    parser.add_argument("--group-runs", type=int, default=3, help="grouping runs per mode")
    parser.add_argument(
        "--grouping-only", action="store_true", help="measure only the ingest of new articles"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--group-child", help=argparse.SUPPRESS)
    options = parser.parse_args()

    path = Path(options.db) if options.db else Path(tempfile.mkdtemp()) / "brief-bench.db"
    if options.child:
        child(path, *options.child)
        return
    if options.group_child:
        grouping_child(path, options.group_child)
        return
    fresh = not path.exists()
    store = open_store(f"sqlite:///{path}")
    for preset in PRESETS:
        store.upsert_topic(preset.name, preset.query, origin="preset")
    if fresh:
        begin = time.perf_counter()
        generate(store, options.articles, options.days, options.cycle)
        print(f"generated in {time.perf_counter() - begin:.0f} s: {path}", file=sys.stderr)
    now = datetime.fromisoformat(store.get_state(NOW_KEY))
    since = now - timedelta(hours=24)
    with store.session() as session:
        total = session.execute(sa.select(sa.func.count()).select_from(Article)).scalar_one()
        in_window = session.execute(
            sa.select(sa.func.count()).where(Article.first_seen_at >= since)
        ).scalar_one()
    print(f"articles stored: {total:,} ({in_window:,} in the 24 hours measured)")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")

    if not options.grouping_only:
        measure_briefings(store, path, options, now, since)
    rng = random.Random(11)
    ungrouped = new_articles(store, rng, options.new, now)
    # Grouping's own baseline: the same new articles judged by headline and opening only
    # (what grouping did before it weighed texts), alternating with the full grouping, each
    # in a new process on a copy of the store.
    runs = {"full": [], "headline": []}
    for _ in range(options.group_runs):
        for mode, samples in runs.items():
            samples.append(grouping_in_child(path, mode))
    for mode, label in (("full", "with their texts"), ("headline", "by headline only")):
        wall = percentile([w for w, _ in runs[mode]], 0.5)
        cpu = percentile([c for _, c in runs[mode]], 0.5)
        shown = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in runs[mode])
        print(
            f"grouping {len(ungrouped)} new articles {label}: {wall:.2f} ms per article wall, "
            f"{cpu:.2f} ms CPU (p50 of {options.group_runs} fresh processes on copies: {shown})"
        )
    ratio = percentile([c for _, c in runs["full"]], 0.5) / percentile(
        [c for _, c in runs["headline"]], 0.5
    )
    print(f"grouping with texts / by headline only, CPU: {ratio:.2f}")
    begin = time.perf_counter()
    grouped = assign_stories(store)
    grouping_ms = (time.perf_counter() - begin) * 1000 / max(grouped, 1)
    begin = time.perf_counter()
    matched = match_new_articles(store)
    matching_ms = (time.perf_counter() - begin) * 1000 / max(matched, 1)
    print(
        f"ingest of {len(ungrouped)} new articles: grouping {grouping_ms:.2f} ms per article, "
        f"topic matching ({len(store.list_topics())} topics) {matching_ms:.2f} ms per article"
    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
