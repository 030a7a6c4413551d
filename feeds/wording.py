"""Small helpers for the words people read: counts and short excerpts."""

from __future__ import annotations

ELLIPSIS = "…"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 article', '3 articles', '2 entries' (give `many` when adding "s" is wrong)."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def excerpt(text: str, limit: int) -> str:
    """`text` on one line, cut to at most `limit` characters at a word boundary, ending
    in "…" when cut (mid-word only when a single word is longer than the limit)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - len(ELLIPSIS) + 1]
    # At the last space that leaves room for the ellipsis; inside a word only if it must.
    cut = cut[: cut.rindex(" ")] if " " in cut else cut[:-1]
    return cut.rstrip(" ,;:") + ELLIPSIS
