"""Article pages to plain text with trafilatura (CPU-bound: run it in a worker process)."""

from __future__ import annotations

import logging

from feeds.parse.text import normalize_plain

log = logging.getLogger(__name__)


def extract_article_text(page: bytes, url: str) -> str:
    """The main text of an article page, paragraphs split by one blank line ("" if none)."""
    # Imported here: only the workers that fetch pages need it (12 MB in every other process).
    import trafilatura

    try:
        text = trafilatura.extract(
            page,
            url=url,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception as error:  # trafilatura raises a zoo of lxml/parser errors on junk pages
        log.debug("trafilatura failed on %s: %r", url, error)
        return ""
    if not text:
        return ""
    # trafilatura puts one paragraph per line; our stored form uses blank lines.
    return normalize_plain("\n\n".join(text.splitlines()))
