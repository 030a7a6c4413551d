"""The polling engine's Store methods, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime, timedelta

from feeds.models import Article
from feeds.store import Store

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def row(key: str, content: str = "v1", **extra) -> dict:
    return {
        "entry_key": key,
        "url": f"https://wire.example/{key}",
        "canonical_url": f"https://wire.example/{key}",
        "title": f"Title {key}",
        "author": None,
        "summary": f"Summary {key} {content}",
        "content": None,
        "published_at": NOW,
        "updated_at": None,
        "content_hash": f"{key}-{content}",
        "first_seen_at": NOW,
        "announce": False,
        "full_text_status": None,
        **extra,
    }


def test_one_statement_returns_exactly_the_new_rows(store: Store):
    feed = store.add_feed("https://wire.example/rss")
    first = store.store_entries(feed.id, [row("a"), row("b"), row("c")])
    assert sorted(first.new) == ["a", "b", "c"] and first.changed == {}
    second = store.store_entries(feed.id, [row("a"), row("b"), row("d")])
    assert list(second.new) == ["d"] and second.changed == {}
    assert second.new["d"] not in first.new.values()
    assert len(store.list_articles(feed_id=feed.id)) == 4


def test_changed_entries_are_updated_not_duplicated(store: Store):
    feed = store.add_feed("https://wire.example/rss")
    ids = store.store_entries(feed.id, [row("a"), row("b")]).new
    # The quotes engineer's columns: a change must not touch them.
    with store.session() as session:
        article = session.get(Article, ids["a"])
        article.analyzed_hash, article.lead = "old-hash", "The lead."
    result = store.store_entries(feed.id, [row("a", "v2", title="New title"), row("b")])
    assert result.new == {} and result.changed == {"a": ids["a"]}
    article = store.get_article(ids["a"])
    assert (article.title, article.content_hash) == ("New title", "a-v2")
    assert article.summary == "Summary a v2"
    assert (article.analyzed_hash, article.lead) == (None, "The lead.")
    assert len(store.list_articles()) == 2


def test_same_keys_in_other_feeds_are_separate(store: Store):
    one, two = store.add_feed("https://a.example/rss"), store.add_feed("https://b.example/rss")
    assert list(store.store_entries(one.id, [row("a")]).new) == ["a"]
    assert list(store.store_entries(two.id, [row("a")]).new) == ["a"]


def test_empty_batch(store: Store):
    feed = store.add_feed("https://wire.example/rss")
    result = store.store_entries(feed.id, [])
    assert result.new == {} and result.changed == {}


def test_due_feeds(store: Store):
    due = store.add_feed("https://a.example/rss")
    later = store.add_feed("https://b.example/rss")
    disabled = store.add_feed("https://c.example/rss")
    store.update_feed(due.id, next_check_at=NOW - timedelta(minutes=5))
    store.update_feed(later.id, next_check_at=NOW + timedelta(minutes=5))
    store.update_feed(
        disabled.id, next_check_at=NOW - timedelta(hours=1), disabled_reason="http_410"
    )
    assert [f.id for f in store.due_feeds(NOW)] == [due.id]
    assert [f.id for f in store.due_feeds(NOW + timedelta(hours=1))] == [due.id, later.id]
    assert store.due_feeds(NOW + timedelta(hours=1), limit=1)[0].id == due.id
    assert [f.id for f in store.feeds_by_id([later.id, disabled.id])] == [later.id, disabled.id]


def test_batched_feed_updates(store: Store):
    a, b = store.add_feed("https://a.example/rss"), store.add_feed("https://b.example/rss")
    store.save_feed_updates(
        [
            {"id": a.id, "error_count": 0, "last_success_at": NOW},
            {"id": b.id, "error_count": 3, "last_error_reason": "timeout", "last_error": "slow"},
        ]
    )
    assert (store.get_feed(a.id).error_count, store.get_feed(a.id).last_success_at) == (0, NOW)
    assert store.get_feed(b.id).last_error_reason == "timeout"


def test_a_moved_feed_gets_its_new_url_unless_taken(store: Store):
    a, b = store.add_feed("https://a.example/rss"), store.add_feed("https://b.example/rss")
    store.save_feed_updates([{"id": a.id, "url": "https://a.example/new", "error_count": 0}])
    assert store.get_feed(a.id).url == "https://a.example/new"
    store.save_feed_updates([{"id": b.id, "url": "https://a.example/new", "error_count": 2}])
    assert (store.get_feed(b.id).url, store.get_feed(b.id).error_count) == (
        "https://b.example/rss",
        2,
    )


def test_full_texts_and_health(store: Store):
    feed = store.add_feed("https://wire.example/rss")
    ids = store.store_entries(feed.id, [row("a"), row("b"), row("c")]).new
    store.save_full_texts(
        [(ids["a"], "Para one.\n\nPara two.", "ok"), (ids["b"], None, "http_404")]
    )
    assert store.get_article(ids["a"]).full_text == "Para one.\n\nPara two."
    assert store.get_article(ids["a"]).body_text() == "Para one.\n\nPara two."
    assert store.get_article(ids["b"]).full_text_status == "http_404"
    (health,) = store.feed_health()
    assert (health.feed.id, health.articles, health.full_text_ok) == (feed.id, 3, 1)
    assert [a.id for a in store.articles_by_id([ids["c"], ids["a"]])] == [ids["a"], ids["c"]]


def test_rekeying_skips_keys_already_taken(store: Store):
    feed = store.add_feed("https://wire.example/rss")
    ids = store.store_entries(feed.id, [row("a"), row("b"), row("c")]).new
    identities = {i: (url, title) for i, url, title, *_ in store.article_identities(feed.id)}
    assert identities[ids["a"]] == ("https://wire.example/a", "Title a")
    moved = store.rekey_articles(feed.id, {ids["a"]: "l:a", ids["b"]: "l:a", ids["c"]: "c"})
    assert moved == 1  # b would clash with a's new key, c's key is its own already
    assert {a.id: a.entry_key for a in store.list_articles()} == {
        ids["a"]: "l:a",
        ids["b"]: "b",
        ids["c"]: "c",
    }
