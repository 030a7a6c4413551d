"""Looking things up in an Analysis, for the quote tests."""


def find(analysis, beginning: str):
    """The first quote that starts with `beginning`."""
    return next(q for q in analysis.quotes if q.text.startswith(beginning))


def mention(text: str, quote) -> str | None:
    """The words the quote is attributed to, as they stand in the text."""
    if quote.speaker_start is None:
        return None
    return text[quote.speaker_start : quote.speaker_end]
