"""Full-text search behind the Store: FTS5 on SQLite, tsvector/GIN on PostgreSQL."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from feeds.briefs.query import Document, match, parse, to_tsquery
from feeds.store import Store, open_store
from feeds.store._search import SEARCH_VECTOR
from feeds.timeutil import utcnow
from tests.support.articles import add_article, add_feed

NOW = utcnow()


def titles(results) -> set[str]:
    return {article.title for article in results}


@pytest.fixture
def corpus(store: Store) -> Store:
    feed = add_feed(store, "Wire")
    add_article(store, feed, "Cártel de Sinaloa pierde a su jefe", "Detenido en Culiacán.")
    add_article(store, feed, "Two cartels clash in Jalisco", "Gunfire in Guadalajara.")
    add_article(store, feed, "La Guardia Nacional llega", "Elementos de la Guardia Nacional.")
    add_article(store, feed, "Nacional y guardia", "La nacional, la guardia.")
    add_article(store, feed, "Football final", "Mexico City side wins.", content="No cartel here.")
    add_article(store, feed, "Old cartel story", "Long ago.", at=NOW - timedelta(days=10))
    add_article(store, feed, "Baseline cartel story", "First poll.", announce=False)
    add_article(
        store, feed, "Late wire", "Cartel.", at=NOW, published_at=NOW - timedelta(days=3)
    )  # published long before it was seen: its time is the publication
    return store


def test_accents_case_and_plurals(corpus: Store):
    found = titles(corpus.search_articles(parse("cártel")))
    assert {"Cártel de Sinaloa pierde a su jefe", "Two cartels clash in Jalisco"} <= found
    assert "Football final" in found  # "cartel" in the body: a candidate all the same
    assert titles(corpus.search_articles(parse("CULIACAN"))) == {
        "Cártel de Sinaloa pierde a su jefe"
    }


def test_phrases(corpus: Store):
    assert titles(corpus.search_articles(parse('"guardia nacional"'))) == {
        "La Guardia Nacional llega"
    }


def test_boolean_structure(corpus: Store):
    found = titles(corpus.search_articles(parse("(sinaloa OR jalisco) cartel")))
    assert found == {"Cártel de Sinaloa pierde a su jefe", "Two cartels clash in Jalisco"}


def test_window_and_baseline(corpus: Store):
    recent = titles(corpus.search_articles(parse("cartel"), since=NOW - timedelta(days=1)))
    assert "Old cartel story" not in recent and "Late wire" not in recent
    assert "Baseline cartel story" in recent
    announced = corpus.search_articles(
        parse("cartel"), since=NOW - timedelta(days=1), announced_only=True
    )
    assert "Baseline cartel story" not in titles(announced)
    older = titles(corpus.search_articles(parse("cartel"), until=NOW - timedelta(days=2)))
    assert older == {"Old cartel story", "Late wire"}
    assert corpus.search_articles(parse("cartel"), since=NOW + timedelta(days=1)) == []


def test_ranking_puts_title_matches_first(store: Store):
    feed = add_feed(store, "Wire")
    add_article(store, feed, "Weather report", "Sunny.", content="A word about fentanyl.")
    add_article(store, feed, "Fentanyl seizure at the border", "Customs said.")
    ranked = store.search_articles(parse("fentanyl"), limit=2)
    assert [a.title for a in ranked] == ["Fentanyl seizure at the border", "Weather report"]
    assert len(store.search_articles(parse("fentanyl"), limit=1)) == 1


def test_the_index_follows_updates_and_deletes(store: Store):
    feed = add_feed(store, "Wire")
    article = add_article(store, feed, "Quiet day", "Nothing happened.")
    assert store.search_articles(parse("huachicol")) == []
    with store.session() as session:
        session.execute(
            sa.text("UPDATE article SET full_text = :t WHERE id = :i"),
            {"t": "Una red de huachicol fue desarticulada.", "i": article},
        )
    [found] = store.search_articles(parse("huachicol"))
    assert found.id == article and "huachicol" in found.body
    store.remove_feed(feed)  # cascades to the article
    assert store.search_articles(parse("huachicol")) == []
    other = add_feed(store, "Other")
    add_article(store, other, "Fresh article", "About tortillas.")  # may reuse the rowid
    assert store.search_articles(parse("huachicol")) == []


QUERIES = [
    "cartel",
    "cárteles",
    '"Guardia Nacional"',
    "narco*",
    "(sinaloa OR jalisco) -football",
    "mexico city",
    "u.s. troops",
    "cartel -sinaloa",
]
TEXTS = [
    ("Cártel de Sinaloa pierde a su jefe", "Detenido en Culiacán por narcotráfico."),
    ("U.S. troops will not enter Mexico", "Sheinbaum said the cartels…"),
    ("La Guardia Nacional en Jalisco", "Los cárteles se enfrentan."),
    ("Mexico City football final", "Guardia of the match; nacional."),
    ("Narcos en la sierra", "Troops arrived; the U.S. watched."),
]


def test_search_finds_every_article_the_matcher_accepts(store: Store):
    """The full-text query is a superset of the exact match, on both databases."""
    feed = add_feed(store, "Wire")
    ids = {add_article(store, feed, title, opening): (title, opening) for title, opening in TEXTS}
    for text in QUERIES:
        query = parse(text)
        expected = {
            article_id
            for article_id, (title, opening) in ids.items()
            if match(query, Document.from_text(title, opening, opening)).matched
        }
        found = {article.id for article in store.search_articles(query)}
        assert expected <= found, text
        assert expected, text  # each query matches something, so the check means something


@pytest.fixture
def postgres_store(postgres_url):
    store = open_store(postgres_url)
    yield store
    store.close()


@pytest.mark.postgres
def test_postgres_uses_the_gin_index(postgres_store: Store):
    with postgres_store.session() as session:
        session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = session.execute(
            sa.text(
                f"EXPLAIN SELECT id FROM article WHERE {SEARCH_VECTOR} @@ "
                "to_tsquery('newsbrief'::regconfig, :q)"
            ),
            {"q": to_tsquery(parse("cartel"))},
        ).scalars()
        assert "ix_article_search" in "\n".join(plan)


@pytest.mark.postgres
def test_postgres_search_ignores_accents(postgres_store: Store):
    with postgres_store.session() as session:
        value = session.execute(
            sa.text("SELECT to_tsvector('newsbrief'::regconfig, 'Cártel Querétaro')::text")
        ).scalar()
    assert value == "'cartel':1 'queretaro':2"


def test_sqlite_keeps_its_fts_triggers(sqlite_url):
    """A later migration that recreates `article` would drop them silently."""
    with open_store(sqlite_url) as store, store.session() as session:
        names = session.execute(
            sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'article'"
            )
        ).scalars()
        assert set(names) == {
            "article_fts_insert",
            "article_fts_delete",
            "article_fts_update",
            "article_topics_stale",  # migration 0004: text changed, topics due again
            "article_analysis_stale",  # migration 0005: text changed, quotes due again
        }


def test_the_query_expression_is_the_indexed_one():
    import importlib.util

    from feeds.store import _migrate

    path = next(
        p for p in _migrate.Path(_migrate.SCRIPT_LOCATION, "versions").glob("*_full_text_search.py")
    )
    spec = importlib.util.spec_from_file_location("search_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SEARCH_VECTOR == SEARCH_VECTOR
