"""Spanish speaker attribution, by rules (no Spanish model is installed).

Spanish news attributes a quote with a verb of saying, usually before its
subject: «…», dijo el presidente. / “…”, afirmó Sheinbaum. The subject may
also come first (La presidenta afirmó: «…»), hide in "según X" / "de acuerdo
con X", or be left out altogether (pro-drop: «…», añadió.), in which case the
speaker is the one of the quote before. Dialogue lines introduced by a dash
carry their attribution in the narrator's aside: —No cederemos —afirmó el
ministro—.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from feeds.nlp.lexicon import ANONYMOUS_HEADS, ES_REPORTING_VERBS, ES_ROLES, ORG_WORDS, wordset
from feeds.nlp.names import NameIndex, strip_titles
from feeds.nlp.scan import Quoted, find_dash_speech
from feeds.nlp.speakers import Attribution, resolve_continuations

_TOKEN = re.compile(
    r"(?:sr|sra|srta|dr|dra|lic|ing|gral|gob|mtro|mtra)\.|[\wÀ-ÿ]+(?:[.'’-][\wÀ-ÿ]+)*|[^\w\s]",
    re.UNICODE | re.IGNORECASE,
)
_DETERMINERS = wordset("el la los las un una unos unas su sus este esta")
# Words that end the subject noun phrase after the verb ("dijo X en conferencia").
_NP_STOP = wordset(
    """
en durante ante a al tras desde con sobre para por este esta ese esa hoy ayer mañana
luego después antes cuando mientras quien quienes que y e o aunque pero sin entre
frente junto cerca dentro fuera afuera delante detrás
"""
)
_CONNECTORS = wordset("de del la las los y")
_PREPOSITIONS = wordset("de del en a al para por con desde sobre")
_CLITICS = wordset("le les se me nos lo la")
_PRONOUNS = {"él": "m", "ella": "f", "ellos": None, "ellas": None}
_ACCORDING_TO = (("según",), ("de", "acuerdo", "con"), ("conforme", "a"))
_SENTENCE_END = ".!?"


@dataclass
class _Word:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.casefold()

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


def attribute(
    text: str, quotes: list[Quoted], reported: list[bool]
) -> tuple[list[Quoted], list[bool], list[Attribution]]:
    """Attribute `quotes` (plus the dialogue lines found here) in Spanish `text`."""
    quotes, reported = list(quotes), list(reported)
    asides: dict[int, tuple[int, int]] = {}
    for line in find_dash_speech(text):
        for number, (start, end) in enumerate(line.speech):
            if any(q.start <= start < q.end for q in quotes):
                continue
            quote = Quoted(((start, end),), start - 1 if number == 0 else start, None, "dash")
            if line.asides:
                asides[len(quotes)] = line.asides[min(number, len(line.asides) - 1)]
            quotes.append(quote)
            reported.append(len(text[start:end].split()) >= 3)
    order = sorted(range(len(quotes)), key=lambda i: quotes[i].start)
    quotes = [quotes[i] for i in order]
    reported = [reported[i] for i in order]
    asides = {order.index(i): span for i, span in asides.items()}
    names = NameIndex.build(text, [(q.open_at, q.end) for q in quotes])
    attributor = _Attributor(text, quotes, names)
    found = [attributor.attribute(i, asides.get(i)) for i in range(len(quotes))]
    fallbacks = [None if a.found else attributor.preceding(i) for i, a in enumerate(found)]
    return quotes, reported, resolve_continuations(text, quotes, found, fallbacks)


class _Attributor:
    def __init__(self, text: str, quotes: list[Quoted], names: NameIndex):
        self.text, self.quotes, self.names = text, quotes, names
        self.spans = [
            (q.open_at, (q.close_at if q.close_at is not None else q.end)) for q in quotes
        ]

    def attribute(self, number: int, aside: tuple[int, int] | None) -> Attribution:
        if aside is not None:
            found = self._after(self._words(*aside))
            if found is not None:
                return found
        right = self._right_frame(number)
        found = self._after(right) if right else None
        if found is None:
            found = self._before(self._left_frame(number))
        return found or Attribution(how="none")

    def preceding(self, number: int) -> Attribution | None:
        """For a quote with no speaker of its own: the subject of the last verb
        of saying before it in the paragraph ("X aseguró que ... «…», señaló.")."""
        quote = self.quotes[number]
        start = self.text.rfind("\n", 0, quote.open_at) + 1
        words = [
            w
            for w in self._words(start, quote.open_at)
            if not any(a <= w.start <= b for a, b in self.spans)
        ]
        found = self._before(words)
        return found if found is not None and found.found else None

    # Frames.

    def _words(self, start: int, end: int) -> list[_Word]:
        return [
            _Word(m.group(), start + m.start(), start + m.end())
            for m in _TOKEN.finditer(self.text[start:end])
        ]

    def _right_frame(self, number: int) -> list[_Word]:
        quote = self.quotes[number]
        if quote.close_at is None:
            return []
        start = quote.close_at + 1
        end = self._sentence_end(start)
        following = [a for a, _ in self.spans if a >= start]
        if following:
            end = min(end, following[0])
        return self._words(start, end)

    def _left_frame(self, number: int) -> list[_Word]:
        quote = self.quotes[number]
        end = quote.open_at
        start = self._sentence_start(end)
        previous = [b for _, b in self.spans if b < end]
        if previous:
            start = max(start, previous[-1] + 1)
        return self._words(start, end)

    def _sentence_end(self, start: int) -> int:
        match = re.compile(r"[.!?](?=\s|$)|\n").search(self.text, start)
        return match.end() if match else len(self.text)

    def _sentence_start(self, end: int) -> int:
        cut = max(self.text.rfind("\n", 0, end), *(self.text.rfind(p + " ", 0, end) for p in "."))
        return cut + 1 if cut >= 0 else 0

    # Attribution after the quote: «…», dijo X. / «…», X dijo. / «…», según X.

    def _after(self, words: list[_Word]) -> Attribution | None:
        # Commas stay: they end an appositive ("el secretario de la Defensa, Ricardo
        # Trevilla"), so the name is not run together with the office before it.
        words = [w for w in words if w.text not in "—–―-"]
        seen = 0
        for i, word in enumerate(words):
            if word.text == ",":
                continue
            seen += 1
            if seen > 8 or word.text in _SENTENCE_END:
                break
            source = _according_to(words, i)
            if source is not None:
                return self._subject(_without_commas_before(words[source:]), "segun")
            if word.lower in ES_REPORTING_VERBS:
                rest = _skip_complements(_without_commas_before(words[i + 1 :]))
                after = self._subject(_without_commas_before(rest), "cue", word.text)
                if after is not None:
                    return after
                before = [w for w in words[:i] if w.lower not in _CLITICS and w.text != ","]
                if before:
                    return self._subject(before, "cue", word.text)
                return Attribution(how="pro-drop", cue=word.text)
        return None

    # Attribution before the quote: X dijo: «…» / X afirmó que «…» / Según X, «…»

    def _before(self, words: list[_Word]) -> Attribution | None:
        for i in range(len(words) - 1, -1, -1):
            word = words[i]
            source = _according_to(words, i)
            if source is not None:
                return self._subject(words[source:], "segun")
            if word.lower in ES_REPORTING_VERBS:
                subject = [w for w in words[:i] if w.lower not in _CLITICS]
                found = self._subject_before(subject, word.text)
                if found is not None:
                    return found
                after = self._subject(words[i + 1 :], "cue", word.text)
                return after or Attribution(how="pro-drop", cue=word.text)
        if words and words[-1].text == ":":
            return self._subject_before(words[:-1], None)
        return None

    def _subject_before(self, words: list[_Word], cue: str | None) -> Attribution | None:
        """The subject noun phrase ending nearest the verb, e.g. "La presidenta
        Claudia Sheinbaum" in "La presidenta Claudia Sheinbaum afirmó"."""
        end = len(words)
        while end > 0 and words[end - 1].text in ",":
            end -= 1
        # Skip a parenthetical or adverbial between subject and verb: "X, en conferencia, dijo".
        start = end
        while start > 0 and words[start - 1].text not in ".;:" and end - start < 12:
            start -= 1
        phrase = words[start:end]
        # Take the last noun phrase that starts with a determiner or a capital.
        for i in range(len(phrase)):
            if phrase[i].lower in _DETERMINERS or phrase[i].capital or phrase[i].lower in _PRONOUNS:
                found = self._subject(phrase[i:], "cue", cue)
                if found is not None:
                    return found
        return None

    # Noun phrases.

    def _subject(self, words: list[_Word], how: str, cue: str | None = None):
        """The speaker named by the noun phrase at the start of `words`."""
        phrase = []
        for word in words:
            if word.text in _SENTENCE_END or word.text in ";:" or word.lower in _NP_STOP:
                break
            phrase.append(word)
        if not phrase:
            return None
        if phrase[0].lower in _PRONOUNS:
            person = self.names.antecedent(phrase[0].start, _PRONOUNS[phrase[0].lower])
            name = self.names.full_name(person.text) if person else None
            return Attribution(
                phrase[0].start, phrase[0].end, name, "person" if name else None, how, cue
            )
        if not (phrase[0].lower in _DETERMINERS or phrase[0].capital):
            return None
        return self._noun_phrase(phrase, how, cue)

    def _noun_phrase(self, phrase: list[_Word], how: str, cue: str | None) -> Attribution:
        name = _capital_run(phrase)
        if name:
            words = [w.text for w in name]
            titles, bare = strip_titles(words)
            start, end = name[len(titles)].start, name[-1].end
            surface = self.text[start:end]
            # "la gobernadora …, Marina del Pilar Ávila": after an office held by a
            # person, a name is a person even when it starts like an organisation.
            if not _role_head(phrase) and (
                any(w.casefold() in ORG_WORDS for w in bare) or _org_head(phrase)
            ):
                return Attribution(
                    start, end, _org_phrase(self.text, phrase), "organization", how, cue
                )
            full = self.names.full_name(surface) or surface
            return Attribution(start, end, full, "person", how, cue)
        head = next((w for w in phrase if w.lower not in _DETERMINERS), phrase[0])
        start, end = phrase[0].start, phrase[-1].end
        if head.lower in ES_ROLES:
            holder = self.names.role_holder(head.lower, start)
            return Attribution(start, end, holder, "person" if holder else None, how, cue)
        if head.lower in ORG_WORDS:
            return Attribution(start, end, _org_phrase(self.text, phrase), "organization", how, cue)
        if head.lower in ANONYMOUS_HEADS:
            return Attribution(start, end, None, None, how, cue)
        return Attribution(start, end, None, None, how, cue)


def _capital_run(phrase: list[_Word]) -> list[_Word]:
    """The last run of capitalised words (with "de", "del", "la" between them):
    the appositive name in "la secretaria de Seguridad, Rosa Icela Rodríguez"."""
    runs, current = [], []
    for i, word in enumerate(phrase):
        name_word = word.capital and (word.text.isalpha() or "." in word.text)
        if name_word or (current and word.lower in _CONNECTORS and _capital_follows(phrase, i)):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [r for r in runs if not (len(r) == 1 and r[0].lower in _DETERMINERS)]
    # A name inside a complement is not the speaker: "una vecina del centro de Culiacán".
    position = {id(w): i for i, w in enumerate(phrase)}
    runs = [
        r
        for r in runs
        if position[id(r[0])] == 0 or phrase[position[id(r[0])] - 1].lower not in _PREPOSITIONS
    ]
    people = [r for r in runs if not any(w.lower in ORG_WORDS for w in r)]
    return (people or runs)[-1] if runs else []


def _without_commas_before(words: list[_Word]) -> list[_Word]:
    i = 0
    while i < len(words) and words[i].text == ",":
        i += 1
    return words[i:]


def _skip_complements(words: list[_Word]) -> list[_Word]:
    """Past the complements between a verb and its subject: "expresó [a los
    medios] el fiscal", "dijo [en conferencia de prensa] la secretaria"."""
    i = 0
    while i < len(words) and words[i].lower in _PREPOSITIONS | {"en", "durante", "ante", "tras"}:
        i += 1
        if i < len(words) and words[i].lower in _DETERMINERS:
            i += 1
        # The complement's noun (and its own "de ..." phrase) up to the subject.
        while i < len(words) and not (
            words[i].lower in _DETERMINERS
            or (words[i].capital and words[i - 1].lower not in _PREPOSITIONS)
            or words[i].text in _SENTENCE_END + ",;:"
        ):
            i += 1
    return words[i:] if i < len(words) else words


def _according_to(words: list[_Word], i: int) -> int | None:
    """Where the source starts if "según" / "de acuerdo con" begins at i."""
    for phrase in _ACCORDING_TO:
        if tuple(w.lower for w in words[i : i + len(phrase)]) == phrase:
            return i + len(phrase)
    return None


def _capital_follows(phrase: list[_Word], i: int) -> bool:
    """After the connectors at i ("de la"), a capitalised word: "Juan Ramón de la Fuente"."""
    j = i
    while j < len(phrase) and phrase[j].lower in _CONNECTORS:
        j += 1
    return j < len(phrase) and phrase[j].capital


def _head(phrase: list[_Word]) -> _Word | None:
    return next((w for w in phrase if w.lower not in _DETERMINERS), None)


def _org_head(phrase: list[_Word]) -> bool:
    head = _head(phrase)
    return head is not None and head.lower in ORG_WORDS


def _role_head(phrase: list[_Word]) -> bool:
    head = _head(phrase)
    return head is not None and head.lower in ES_ROLES


def _org_phrase(text: str, phrase: list[_Word]) -> str:
    return text[phrase[0].start : phrase[-1].end].strip(" ,")
