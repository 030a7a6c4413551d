"""Text normalisation shared by topic matching, search and story grouping.

Everything is folded the same way on both sides of a comparison: Unicode
compatibility decomposition, diacritics dropped, lower case (cártel = cartel,
MÉXICO = mexico), then split into runs of letters and digits — the same
boundaries SQLite's unicode61 tokenizer uses, so the full-text index and the
matcher agree on what a word is.

`stem` is a deliberately light English/Spanish plural stripper (cartels,
cárteles -> cartel; homicides, homicidios -> homicid/homicidio): it only ever
removes a suffix, so a stem is always a prefix of the word it came from and
the full-text index can find candidates with a prefix query.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_WORD = re.compile(r"[^\W_]+")
# Fast path: common punctuation to spaces, then split; used when what remains
# is only letters and digits (else the regex decides).
_PUNCTUATION = str.maketrans(dict.fromkeys("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»—–…¿¡·", " "))
_MIN_STEM = 3


def fold(text: str) -> str:
    """Compatibility-decompose, drop diacritics and lower-case: 'Cártel' -> 'cartel'."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()


def tokens(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    folded = fold(text)
    words = folded.translate(_PUNCTUATION).split()
    if words and not "".join(words).isalnum():
        return _WORD.findall(folded)
    return words


def _strip_plural(word: str) -> str:
    n = len(word)
    if word.endswith("ies") and n - 3 >= _MIN_STEM:
        return word[:-3]
    if word.endswith("es") and n - 2 >= _MIN_STEM and word[-3] in "lnrdzxj":
        return word[:-2]
    if word.endswith("es") and n - 2 >= _MIN_STEM and word[-3] == "s" and word[-4] in "su":
        return word[:-2]  # crosses, buses, viruses
    if word.endswith("s") and n - 1 >= _MIN_STEM and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _strip_final(word: str) -> str:
    if len(word) - 1 >= _MIN_STEM and word[-1] in "ey":
        return word[:-1]  # homicide/homicides, presidente/president, policy/policies
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip plural and final-vowel endings until nothing changes (so stem(stem(w)) == stem(w)).

    Only suffixes are removed, so the stem is always a prefix of `word`.
    Digits and short words are left alone.
    """
    if len(word) <= _MIN_STEM or word.isdigit():
        return word
    while True:
        shorter = _strip_final(_strip_plural(word))
        if shorter == word:
            return word
        word = shorter


def _word_list(text: str) -> list[str]:
    return text.split()


def stems(text: str) -> list[str]:
    return [stem(word) for word in tokens(text)]


# Function words of English and Spanish: never evidence that two articles
# tell the same story.
STOPWORDS = frozenset(
    stem(word)
    for word in _word_list(
        """
        a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers him his how i if in into is it its
        itself just me more most my no nor not now of off on once only or other our out over own
        same she should so some such than that the their them then there these they this those
        through to too under until up very was we were what when where which while who whom why
        will with would you your yours new says said say year years week day days time today
        yesterday monday tuesday wednesday thursday friday saturday sunday amid after over near
        across one first last ago told according report reports reported el la los las un una
        unos unas y o u e de del al en por para con sin sobre entre hasta desde hacia que quien
        quienes cual cuales como cuando donde porque pero mas menos muy ya no ni se su sus le
        les lo mi mis tu tus es son fue fueron ser sera han ha hay habia este esta estos estas
        ese esa esos esas aquel otro otra otros otras todo toda todos todas tras ante segun
        durante mientras tambien sino aunque cada dice dijo afirmo asegura aseguro nuevo nueva
        hoy ayer lunes martes miercoles jueves viernes sabado domingo ano anos semana dia dias
        tras mediante contra frente cerca luego despues ademas mismo misma
        informo informa informaron indico indica senalo senala reporto reporta detallo explico
        agrego anadio preciso confirmo confirma informed added explained indicated stated
        noted confirmed
        """
    )
)


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (function words dropped)."""
    return [s for s in stems(text) if s not in STOPWORDS]


def shorten(text: str, max_chars: int) -> str:
    """Cut at a word boundary and add an ellipsis when `text` is longer than `max_chars`."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def repeats_title(text: str, title: str) -> bool:
    """Does `text` say no more than the headline `title`? The same words give or take a few
    (case, accents, punctuation, a site name or a byline), or a part of the headline."""
    said, headline = Counter(tokens(text)), Counter(tokens(title))
    if not said or not headline:
        return False
    new = sum((said - headline).values())
    covered = sum((said & headline).values()) / sum(headline.values())
    return new <= max(2, sum(said.values()) // 5) and covered >= 0.6
