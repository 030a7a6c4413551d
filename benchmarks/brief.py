"""Briefing speed with 100,000 generated articles in SQLite.

    .venv/bin/python benchmarks/brief.py [--articles 100000] [--db PATH] [--runs 30]

Generates a month of articles (templated English/Spanish news about Mexico
security, migration and unrelated subjects; ~1.5 KB of body each), stored
already grouped into stories, then measures:

- baseline: a bare indexed SELECT of the 24-hour window (ids and titles),
- compose: a 24-hour briefing for the "Mexico security" preset — the first
  ever on that window (every candidate matched), in a new process (matches
  remembered in the database), and warm (in-process cache),
- search: a 24-hour briefing for an ad-hoc query, and an all-time ranked search,
- grouping: assign_stories on new articles, per article.

Prints p50/p95 of each and its ratio to the baseline measured in the same
run (the machine is shared; compare ratios, not absolute times).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from feeds.briefs.compose import MATCH_CACHE, compose
from feeds.briefs.grouping import assign_stories, fingerprint
from feeds.briefs.presets import PRESETS
from feeds.briefs.query import parse
from feeds.models import Article, ArticleKey, ConceptCount, Feed, Story, TopicMatch
from feeds.store import open_store
from feeds.store._stories import TOTAL_KEY
from feeds.timeutil import utcnow

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


def article_row(feed_id: int, key: str, title: str, opening: str, body: str, at) -> dict:
    url = f"https://example.org/{key}"
    return {
        "feed_id": feed_id,
        "entry_key": key,
        "url": url,
        "canonical_url": url,
        "title": title,
        "summary": opening,
        "content": body,
        "published_at": at,
        "first_seen_at": at,
        "content_hash": "",
        "announce": True,
    }


def make_body(rng: random.Random, opening: str) -> str:
    paragraphs = [opening]
    for _ in range(5):
        paragraphs.append(" ".join(rng.sample(FILLER, 3)))
    return "\n\n".join(paragraphs)


def generate(store, count: int, days: int, seed: int = 7) -> None:
    """Store `count` articles over `days`, grouped into stories with keys and counts."""
    rng = random.Random(seed)
    now = utcnow()
    start = now - timedelta(days=days)
    with store.session() as session:
        feeds = [
            Feed(url=f"https://outlet{i}.example/feed.xml", name=f"Outlet {i}") for i in range(40)
        ]
        session.add_all(feeds)
        session.flush()
        feed_ids = [feed.id for feed in feeds]
    produced = 0
    counts: dict[str, int] = {}
    step = timedelta(days=days) / max(1, count)
    moment = start
    batch_articles, batch_keys = [], []
    while produced < count:
        opening, variants = make_event(rng)
        size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), count - produced)
        with store.session() as session:
            story = Story(headline=variants[0], first_seen_at=moment, last_seen_at=moment)
            session.add(story)
            session.flush()
            story_id = story.id
        for index, outlet in enumerate(rng.sample(feed_ids, size)):
            at = moment + timedelta(minutes=rng.randint(0, 240))
            title = variants[index % len(variants)]
            body = make_body(rng, opening)
            row = article_row(outlet, f"e{produced}", title, opening, body, at)
            batch_articles.append({**row, "story_id": story_id})
            print_ = fingerprint(title, opening, body)
            batch_keys.append((print_.keys(), at, story_id))
            for concept in {TOTAL_KEY, *print_.bag}:
                counts[concept] = counts.get(concept, 0) + 1
            produced += 1
        moment += step * size
        if len(batch_articles) >= 2000 or produced >= count:
            _flush(store, batch_articles, batch_keys)
            batch_articles, batch_keys = [], []
            print(f"\r  generated {produced:,} articles", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with store.session() as session:
        session.execute(
            sa.insert(ConceptCount), [{"key": k, "count": v} for k, v in counts.items()]
        )
        # Story statistics as grouping would have left them.
        session.execute(
            sa.text(
                "UPDATE story SET article_count = (SELECT count(*) FROM article "
                "WHERE article.story_id = story.id), source_count = (SELECT count(DISTINCT "
                "feed_id) FROM article WHERE article.story_id = story.id)"
            )
        )


def _flush(store, articles: list[dict], keys: list[tuple]) -> None:
    with store.session() as session:
        rows = session.execute(sa.insert(Article).returning(Article.id), articles).scalars().all()
        session.execute(
            sa.insert(ArticleKey),
            [
                {"article_id": article_id, "key": key, "at": at, "story_id": story_id}
                for article_id, (article_keys, at, story_id) in zip(rows, keys, strict=True)
                for key in article_keys
            ],
        )


def timed(function, runs: int) -> list[float]:
    function()  # warm caches: the first call parses queries and loads pages
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
    print(f"{name:<44} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms{ratio}")


def add_new_articles(store, rng: random.Random, count: int) -> None:
    """New, ungrouped articles: half follow up recent stories, half are new events."""
    now = utcnow()
    with store.session() as session:
        recent = session.execute(
            sa.select(Article.title, Article.summary, Article.content)
            .where(Article.first_seen_at >= now - timedelta(hours=12))
            .limit(count)
        ).all()
        feed_ids = list(session.execute(sa.select(Feed.id)).scalars())
    rows = []
    for index in range(count):
        if index % 2 and recent:
            title, opening, body = rng.choice(recent)
            title = f"{title} (follow-up)"
        else:
            opening, variants = make_event(rng)
            title, body = variants[0], make_body(rng, opening)
        at = now - timedelta(minutes=rng.randint(0, 120))
        key = f"new-{time.time_ns()}-{index}"
        rows.append(article_row(rng.choice(feed_ids), key, title, opening, body, at))
    with store.session() as session:
        session.execute(sa.insert(Article), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--db", help="SQLite file to create (default: a temporary one)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--new", type=int, default=400, help="new articles to group")
    options = parser.parse_args()

    path = Path(options.db) if options.db else Path(tempfile.mkdtemp()) / "brief-bench.db"
    fresh = not path.exists()
    store = open_store(f"sqlite:///{path}")
    for preset in PRESETS:
        store.upsert_topic(preset.name, preset.query, origin="preset")
    if fresh:
        begin = time.perf_counter()
        generate(store, options.articles, options.days)
        print(f"generated in {time.perf_counter() - begin:.0f} s: {path}", file=sys.stderr)
    with store.session() as session:
        total = session.execute(sa.select(sa.func.count()).select_from(Article)).scalar_one()
    now = utcnow()
    since = now - timedelta(hours=24)
    with store.session() as session:
        in_window = session.execute(
            sa.select(sa.func.count()).where(Article.first_seen_at >= since)
        ).scalar_one()
    print(f"articles stored: {total:,} ({in_window:,} in the last 24 hours)")

    def baseline_query():
        with store.session() as session:
            session.execute(
                sa.select(Article.id, Article.title).where(Article.first_seen_at >= since)
            ).all()

    preset = PRESETS[0].name
    baseline = timed(baseline_query, options.runs)
    report("baseline: indexed SELECT of the 24h window", baseline, None)
    base95 = percentile(baseline, 0.95)

    adhoc = "fentanilo OR fentanyl"
    for subject in (preset, adhoc):
        stories = compose(store, subject, since=since, until=now).total_stories
        label = f"compose {subject!r}, 24h ({stories} stories)"

        def first(subject=subject):
            """Nothing matched before: the first briefing ever on this window."""
            MATCH_CACHE.entries.clear()
            with store.session() as session:
                session.execute(sa.delete(TopicMatch))
            compose(store, subject, since=since, until=now)

        def new_process(subject=subject):
            """A fresh process (`newsbrief brief`): saved topics' matches come from the memo."""
            MATCH_CACHE.entries.clear()
            compose(store, subject, since=since, until=now)

        report(f"{label}, first ever", timed(first, options.runs), base95)
        if subject == preset:
            report(f"{label}, new process", timed(new_process, options.runs), base95)
        report(
            f"{label}, warm",
            timed(lambda s=subject: compose(store, s, since=since, until=now), options.runs),
            base95,
        )
    query = parse("Culiacán asylum")
    report(
        "search 'Culiacán asylum', all time, top 50",
        timed(lambda: store.search_articles(query, limit=50), options.runs),
        base95,
    )

    rng = random.Random(11)
    add_new_articles(store, rng, options.new)
    begin = time.perf_counter()
    grouped = assign_stories(store)
    elapsed = (time.perf_counter() - begin) * 1000
    per_article = elapsed / max(grouped, 1)
    print(
        f"grouping: {grouped} new articles in {elapsed:.0f} ms = {per_article:.2f} ms per article "
        f"({per_article / base95:.2f}x baseline p95)"
    )


if __name__ == "__main__":
    main()
