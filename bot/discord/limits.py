"""Discord's message limits (DESIGN.md table) and how Discord counts characters."""

CONTENT = 2000
EMBEDS = 10
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
# Across all embeds of a message: titles, descriptions, field names/values, footers, authors.
TOTAL = 6000
URL = 2048


def length(text: str | None) -> int:
    """Characters as Discord counts them (UTF-16 code units: an emoji may count 2)."""
    return len(text.encode("utf-16-le")) // 2 if text else 0


def embed_size(embed: dict) -> int:
    """What one embed dict adds to a message's 6000-character total."""
    size = length(embed.get("title")) + length(embed.get("description"))
    size += length((embed.get("footer") or {}).get("text"))
    size += length((embed.get("author") or {}).get("name"))
    for field in embed.get("fields") or ():
        size += length(field.get("name")) + length(field.get("value"))
    return size
