"""Analysis after polling: quotes and lead stored with the article, on SQLite and PostgreSQL."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from feeds.models import Article, Quote
from feeds.nlp.pipeline import analyze_batch, analyze_pending, analyze_pending_async
from feeds.store import Store, text_hash

SHEINBAUM = (
    "Mexican President Claudia Sheinbaum rejected the offer on Thursday.\n\n"
    "“No, President Trump, our territory is inalienable, sovereignty is inalienable,”"
    " Sheinbaum stated."
)
FULL_TEXT = (
    SHEINBAUM + "\n\n“We will cooperate with Washington on intelligence,” she said on Friday."
)
SPANISH = "«No vamos a ceder ante ninguna presión extranjera», afirmó el canciller Juan Pérez."


def add_article(store: Store, key: str, **fields) -> int:
    feed = store.list_feeds()[0] if store.list_feeds() else store.add_feed("https://ex.org/f")
    with store.session() as session:
        article = Article(feed_id=feed.id, entry_key=key, **fields)
        session.add(article)
        session.flush()
        return article.id


def article(store: Store, article_id: int) -> Article:
    with store.session() as session:
        return session.get(Article, article_id)


def test_pending_articles_are_analysed_once(store: Store):
    english = add_article(store, "en", content=SHEINBAUM)
    spanish = add_article(store, "es", summary=SPANISH)
    empty = add_article(store, "empty")
    assert [p.article_id for p in store.pending_analysis()] == [english, spanish, empty]
    assert [p.article_id for p in store.pending_analysis(limit=1)] == [english]

    assert analyze_pending(store) == 3
    assert store.pending_analysis() == []
    assert analyze_pending(store) == 0

    stored = article(store, english)
    assert stored.language == "en"
    assert stored.lead == "Mexican President Claudia Sheinbaum rejected the offer on Thursday."
    assert stored.analyzed_hash == text_hash(stored.body_text())
    (quote,) = store.article_quotes(english)
    body = stored.body_text()
    assert body[quote.start : quote.end] == quote.text
    assert body[quote.speaker_start : quote.speaker_end] == "Sheinbaum"
    assert (quote.speaker, quote.speaker_kind, quote.rank) == ("Claudia Sheinbaum", "person", 1)
    assert quote.score > 0.5

    (quote,) = store.article_quotes(spanish)
    assert article(store, spanish).language == "es"
    assert quote.speaker == "Juan Pérez"
    assert store.article_quotes(empty) == [] and article(store, empty).lead is None


def test_changed_text_is_analysed_again_and_old_quotes_replaced(store: Store):
    article_id = add_article(store, "a", summary="A two-line teaser about the offer.")
    analyze_pending(store)
    assert store.article_quotes(article_id) == []
    # The full text arrives later (or the feed updates the entry).
    with store.session() as session:
        session.get(Article, article_id).full_text = FULL_TEXT
    assert [p.article_id for p in store.pending_analysis()] == [article_id]
    assert analyze_pending(store) == 1
    quotes = store.article_quotes(article_id)
    assert [q.speaker for q in quotes] == ["Claudia Sheinbaum", "Claudia Sheinbaum"]
    # Shorter text again: the quotes that are gone go away.
    with store.session() as session:
        session.get(Article, article_id).full_text = SHEINBAUM
    analyze_pending(store)
    assert len(store.article_quotes(article_id)) == 1
    with store.session() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(Quote))
    assert count == 1


def test_only_text_changes_make_an_article_due_again(store: Store):
    article_id = add_article(store, "a", content=SHEINBAUM)
    analyze_pending(store)
    with store.session() as session:
        session.get(Article, article_id).title = "A new headline"  # not part of the text
    assert store.pending_analysis() == []
    store.save_full_texts([(article_id, None, "http_404")])  # no text arrived
    assert store.pending_analysis() == []
    store.save_full_texts([(article_id, FULL_TEXT, "ok")])  # polling's own write path
    assert [p.article_id for p in store.pending_analysis()] == [article_id]


def test_results_for_a_text_that_changed_meanwhile_are_not_saved(store: Store):
    article_id = add_article(store, "a", content=SHEINBAUM)
    (pending,) = store.pending_analysis()
    (analysis,) = analyze_batch([(pending.text, pending.language)])
    with store.session() as session:
        session.get(Article, article_id).content = FULL_TEXT
    saved = store.save_analysis(
        article_id,
        pending.text_hash,
        language=analysis.language,
        lead=analysis.lead,
        quotes=analysis.quotes,
    )
    assert saved is False
    assert store.article_quotes(article_id) == []
    assert article(store, article_id).analyzed_hash is None
    assert store.save_analysis(12345, "x", language="en", lead=None, quotes=[]) is False


def test_empty_fields_fall_back_like_body_text(store: Store):
    article_id = add_article(store, "a", full_text="", content="", summary=SHEINBAUM)
    (pending,) = store.pending_analysis()
    assert pending.text == SHEINBAUM == article(store, article_id).body_text()
    assert pending.text_hash == text_hash(SHEINBAUM)


def test_language_hint_comes_from_the_feed(store: Store):
    feed = store.add_feed("https://ex.org/es")
    store.update_feed(feed.id, language="es")
    with store.session() as session:
        session.add(Article(feed_id=feed.id, entry_key="short", summary="Hola"))
    (pending,) = store.pending_analysis()
    assert pending.language == "es"
    analyze_pending(store)
    assert article(store, pending.article_id).language == "es"


async def test_async_analysis_keeps_the_loop_free(store: Store):
    add_article(store, "a", content=SHEINBAUM)
    add_article(store, "b", summary=SPANISH)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    with ThreadPoolExecutor(max_workers=1) as executor:
        saved = await analyze_pending_async(store, executor=executor)
    task.cancel()
    assert saved == 2
    assert ticks > 1  # the loop kept running while the batch was analysed
    assert store.pending_analysis() == []


def test_a_failing_article_does_not_stop_the_batch(monkeypatch):
    from feeds.nlp import pipeline

    real = pipeline.analyze_texts

    def flaky(texts, languages):
        if any("boom" in t for t in texts):
            raise RuntimeError("boom")
        return real(texts, languages)

    monkeypatch.setattr(pipeline, "analyze_texts", flaky)
    results = analyze_batch([(SHEINBAUM, None), ("This text goes boom, sadly, today.", None)])
    assert results[0].quotes[0].speaker == "Claudia Sheinbaum"
    assert results[1].quotes == [] and results[1].lead == "This text goes boom, sadly, today."


def test_the_batch_runs_in_a_process_pool():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # a fresh process: loads its own model
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        (analysis,) = pool.submit(analyze_batch, [(SHEINBAUM, None)]).result(timeout=120)
    assert analysis.quotes[0].speaker == "Claudia Sheinbaum"


def test_an_overlong_speaker_is_cut_to_its_column(store: Store):
    from feeds.nlp.analyze import QuoteResult

    article_id = add_article(store, "a", content="Some text.")
    (pending,) = store.pending_analysis()
    quote = QuoteResult("words of a quote", 0, 5, "x" * 400, 0, 4, "organization", 1, 0.5)
    saved = store.save_analysis(
        article_id, pending.text_hash, language="en", lead="Some text.", quotes=[quote]
    )
    assert saved is True
    assert store.article_quotes(article_id)[0].speaker == "x" * 300
