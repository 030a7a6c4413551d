"""Analyse the articles that need it and store the results.

The pure part (`analyze_batch`) is a module-level function of plain values,
so it can run in a process pool; the Store steps are quick queries. From an
async pipeline, `analyze_pending_async` keeps the event loop free: the store
runs in a thread, the analysis in the executor you give (a process pool, so
spaCy gets its own core and loads once per worker) or a thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import Executor

from feeds.nlp.analyze import Analysis, analyze_texts
from feeds.nlp.language import detect_language
from feeds.nlp.summary import summarize
from feeds.store import PendingText, Store

log = logging.getLogger(__name__)

BATCH_SIZE = 64


def analyze_batch(items: Sequence[tuple[str, str | None]]) -> list[Analysis]:
    """Analyse (text, language hint) pairs; the hint decides only for texts too
    short to tell. An article that breaks the analysis gets its summary and no
    quotes (logged), instead of stopping the batch."""
    languages = [detect_language(text, default=hint or "en") for text, hint in items]
    texts = [text for text, _ in items]
    try:
        return list(analyze_texts(texts, languages))
    except Exception:
        log.exception("batch analysis failed; analysing its %d articles one by one", len(texts))
    results = []
    for text, language in zip(texts, languages, strict=True):
        try:
            results.extend(analyze_texts([text], [language]))
        except Exception:
            log.exception("analysis failed for a text of %d characters", len(text))
            results.append(Analysis(language, summarize(text), []))
    return results


def analyze_pending(store: Store, limit: int | None = None) -> int:
    """Analyse every article whose text changed since its last analysis (or was
    never analysed) and store language, lead and quotes; returns how many."""
    pending = store.pending_analysis(limit)
    saved = 0
    for start in range(0, len(pending), BATCH_SIZE):
        chunk = pending[start : start + BATCH_SIZE]
        saved += _save(store, chunk, analyze_batch([(p.text, p.language) for p in chunk]))
    return saved


async def analyze_pending_async(
    store: Store, *, executor: Executor | None = None, limit: int | None = None
) -> int:
    """`analyze_pending` without blocking the event loop."""
    loop = asyncio.get_running_loop()
    pending = await asyncio.to_thread(store.pending_analysis, limit)
    saved = 0
    for start in range(0, len(pending), BATCH_SIZE):
        chunk = pending[start : start + BATCH_SIZE]
        items = [(p.text, p.language) for p in chunk]
        analyses = await loop.run_in_executor(executor, analyze_batch, items)
        saved += await asyncio.to_thread(_save, store, chunk, analyses)
    return saved


def _save(store: Store, chunk: Sequence[PendingText], analyses: Sequence[Analysis]) -> int:
    saved = 0
    for item, analysis in zip(chunk, analyses, strict=True):
        stored = store.save_analysis(
            item.article_id,
            item.text_hash,
            language=analysis.language,
            lead=analysis.lead or None,
            quotes=analysis.quotes,
        )
        if stored:
            saved += 1
        else:
            log.debug("article %d changed while being analysed; it stays pending", item.article_id)
    return saved
