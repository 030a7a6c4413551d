"""Natural-language processing of articles: quotations, speakers, summaries, language."""

from feeds.nlp.analyze import Analysis, QuoteResult, analyze_text, analyze_texts
from feeds.nlp.language import detect_language
from feeds.nlp.summary import summarize

__all__ = [
    "Analysis",
    "QuoteResult",
    "analyze_text",
    "analyze_texts",
    "detect_language",
    "summarize",
]
