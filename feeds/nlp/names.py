"""Who is who in one article: names, their fullest form, pronouns and roles.

The index is built from the whole text with cheap rules: runs of capitalised
words outside headline-style lines, titles peeled off the front, and what
surrounds a run telling a person ("campaign manager X", "X, the senator",
"said X", "Mr. X"). It answers three questions for speaker attribution:

- the fullest form of a name: "Sheinbaum" -> "Claudia Sheinbaum";
- the person a pronoun points back to: the nearest earlier person whose
  gender (from titles, gendered words and the article's own pronouns) agrees;
- the person a role points back to: "the president" -> the one person the
  article called "President X" or "X, the president" earlier.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from feeds.nlp.lexicon import (
    DEMONYM_SUFFIXES,
    EN_MALE,
    EN_REPORTING_VERBS,
    EN_ROLES,
    ES_REPORTING_VERBS,
    ES_ROLES,
    FEMALE_NAMES,
    MALE_NAMES,
    ORG_WORDS,
    PERSON_NOUNS,
    PLACE_ENDINGS,
    PLACE_PREFIXES,
    PLACES,
    TITLES,
    is_person_noun,
    wordset,
)

_UPPER = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÇ"
_NAME_WORD = rf"(?:[{_UPPER}][\w'’.-]*|[{_UPPER}]\.)"
_CONNECTOR = r"(?:de la|de los|del|de|van der|van|von|der|bin|al|da|di|dos|das|le|la|y)"
_RUN = re.compile(rf"{_NAME_WORD}(?:\s(?:{_CONNECTOR}\s)?{_NAME_WORD})*")
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised only because they start a sentence or a headline.
_FUNCTION = wordset("""
a an the this that these those it its he she they we i you his her their our my
but and or so yet if when while as at in on of for to by with from after before
since during about over under no not yes there here what who why how where which
mr mrs ms el la los las un una en y pero que del al por para con según cuando
although though however meanwhile still also even just then now later earlier asked
during despite instead indeed while because since after before until unless whether both
either neither each every many most some several few one two three other another such last
next first finally overall today yesterday tonight according among amid under across
against toward like unlike once only instead sin embargo además luego mientras aunque
""")


def _norm(word: str) -> str:
    return _POSSESSIVE.sub("", word).casefold()


def strip_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run into (titles, name): "Mexican President Claudia
    Sheinbaum" -> (["Mexican", "President"], ["Claudia", "Sheinbaum"])."""
    cut = 0
    for i, word in enumerate(words[:-1]):
        key = word.casefold()
        if not word[:1].isupper():
            if i == cut and is_person_noun(word):
                cut = i + 1  # "secretary Josh Earnest"
            continue  # "de la" inside "Juan Ramón de la Fuente"
        if key in TITLES or key.rstrip(".") in TITLES or key in _FUNCTION or key in PERSON_NOUNS:
            cut = i + 1
        elif (
            i + 1 < len(words) - 1
            and words[i + 1].casefold().rstrip(".") in TITLES
            and key.endswith(DEMONYM_SUFFIXES)
        ):
            cut = i + 1  # "Mexican" before a title
        elif i == cut and len(words) - i >= 3 and is_person_noun(key) and not _given_gender(key):
            cut = i + 1  # "Librarian Carol Emmett" (not "Brian Smith")
    return words[:cut], words[cut:]


@dataclass
class Name:
    """One capitalised run in the text, with its titles peeled off."""

    start: int  # of the name proper (after titles)
    end: int
    words: list[str]
    titles: list[str]
    person: bool = False
    organization: bool = False
    quoted: bool = False  # inside quotation marks
    subordinate: bool = False  # inside a relative clause: ", who campaigned for X,"
    oblique: bool = False  # after a preposition: "loyalists to Joe Biden"

    @property
    def possessive(self) -> bool:
        return bool(_POSSESSIVE.search(self.words[-1]))

    @property
    def key(self) -> str:
        return _norm(self.words[-1])

    @property
    def text(self) -> str:
        return (
            " ".join(w for w in self.words[:-1])
            + (" " if len(self.words) > 1 else "")
            + (_POSSESSIVE.sub("", self.words[-1]))
        )


@dataclass
class NameIndex:
    """Names and person mentions of one article."""

    text: str
    names: list[Name] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)  # surname key -> "m"/"f"
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _person_starts: list[int] = field(default_factory=list)
    _quoted: list[tuple[int, int]] = field(default_factory=list)
    _persons: list[Name] = field(default_factory=list)
    _speaking: set[str] = field(default_factory=set)  # one-word names before "said"
    _families: set[str] = field(default_factory=set)  # surnames of a man and a woman

    @classmethod
    def build(cls, text: str, quoted: Sequence[tuple[int, int]] = ()) -> NameIndex:
        """Index `text`; `quoted` are the spans inside quotation marks (names
        there are not antecedents for the narrator's pronouns)."""
        index = cls(text)
        index._quoted = sorted(quoted)
        for number, (start, end) in enumerate(_lines(text)):
            if number == 0 and _headline(text[start:end]):
                continue  # the title line, if the text starts with one
            for match in _RUN.finditer(text, start, end):
                index._add_run(match)
        index._finish()
        return index

    def _add_run(self, match: re.Match) -> None:
        group: list[re.Match] = []
        for word in re.finditer(r"\S+", match.group()):
            key = _norm(word.group().rstrip(".,;:"))
            if key in _CALENDAR or key in _VERBS_IN_TITLES:  # "Donald Trump Is Right"
                self._add_words(match.start(), group)
                group = []
                continue
            group.append(word)
            # A possessive ends the name: "Trump’s Oct. 11 remarks", "Obama's Team".
            if _ends_sentence(word.group()) or _POSSESSIVE.search(word.group()):
                self._add_words(match.start(), group)
                group = []
        self._add_words(match.start(), group)

    def _add_words(self, base: int, group: list[re.Match]) -> None:
        while group and (
            _norm(group[0].group()) in _FUNCTION or _norm(group[0].group()) in _SPEECH_BEFORE
        ):
            group = group[1:]  # "Said Smith", "According to"
        while group and group[-1].group().casefold() in _CONNECTORS:
            group = group[:-1]
        if not group:
            return
        words = [w.group() for w in group]
        end = base + group[-1].end()
        trimmed = words[-1].rstrip(".!?:;,") if _ends_sentence(words[-1]) else words[-1]
        if not trimmed:
            return
        end -= len(words[-1]) - len(trimmed)
        words[-1] = trimmed
        titles, name = strip_titles(words)
        if len(name) == 1 and name[0].casefold().rstrip(".") in TITLES:
            return  # "his wife, Democratic presidential nominee Hillary Clinton"
        first = group[len(titles)]
        entry = Name(base + first.start(), end, name, titles)
        entry.oblique = bool(_PREPOSITION_BEFORE.search(self.text, max(0, base - 12), base))
        if self.names and _COORDINATED.fullmatch(self.text, self.names[-1].end, base):
            entry.oblique = self.names[-1].oblique  # "to Joe Biden and Bernie Sanders"
        if not titles:  # a lower-case role before the name: "la presidenta Claudia Sheinbaum"
            before = _LAST_WORD.search(self.text[max(0, entry.start - 40) : entry.start])
            if before and is_person_noun(before.group(1)):
                entry.titles = [before.group(1).casefold()]
        org_like = (
            any(w.casefold() in ORG_WORDS for w in name)
            or is_place(name)
            or (not entry.titles and self._named_like_a_body(entry.start))
        )
        has_person_title = any(
            t.casefold().rstrip(".") in _PERSON_TITLES or is_person_noun(t) for t in entry.titles
        )
        entry.organization = org_like
        given = len(name) > 1 and name[0].casefold() in FEMALE_NAMES | MALE_NAMES
        entry.person = not org_like and (has_person_title or given or self._person_context(entry))
        for title in titles:
            if title.casefold() in _GENDER_TITLES:
                self.gender.setdefault(entry.key, _GENDER_TITLES[title.casefold()])
        self.names.append(entry)

    def _named_like_a_body(self, start: int) -> bool:
        """What comes before a name says it is a body's: "the National Review"
        (people take no article), "the Commission on Presidential Debates"."""
        before = self.text[max(0, start - 40) : start]
        return bool(_THE_BEFORE.search(before)) or any(
            m.group(1).casefold() in ORG_WORDS for m in _BODY_OF_BEFORE.finditer(before)
        )

    def _person_context(self, entry: Name) -> bool:
        """What surrounds a name says it is a person's: "campaign manager Kellyanne
        Conway", "Sharockman responded", "said Mulgrew", "Smith, the senator",
        "Owen Pratt, who has run the store", "Joan Whitby, 74,"."""
        before = _LAST_WORD.search(self.text[max(0, entry.start - 40) : entry.start])
        if before and (
            is_person_noun(before.group(1)) or before.group(1).casefold() in _SPEECH_BEFORE
        ):
            return True
        if _PERSON_AFTER.match(self.text, entry.end) and len(entry.words) > 1:
            return True  # one word may be a body: "the council, which", "Congress, who"
        after = _NEXT_WORDS.match(self.text, entry.end)
        if not after:
            return False
        word = after.group(1).casefold()
        if word in EN_REPORTING_VERBS or word in ES_REPORTING_VERBS:
            # "Aaron Sharockman responded"; one word may be a place or a body
            # ("Russia insisted", "PolitiFact says"), unless it is the surname
            # of a full name in the article (see `_finish`).
            if len(entry.words) == 1:
                self._speaking.add(entry.key)
            return len(entry.words) > 1
        return bool(_APPOSITIVE_ROLE.match(self.text, entry.end))

    def _finish(self) -> None:
        persons = {n.key for n in self.names if n.person}
        # "Bernie Sanders ... Sanders said": a full name whose surname speaks alone.
        persons |= {
            n.key
            for n in self.names
            if len(n.words) > 1 and n.key in self._speaking and not n.organization
        }
        relatives = [
            (m.start(), m.end())
            for pattern in (_RELATIVE_CLAUSE, _FRONTED_CLAUSE)
            for m in pattern.finditer(self.text)
        ]
        relatives.sort()
        for name in self.names:
            name.quoted = _within(name.start, self._quoted)
            name.subordinate = _within(name.start, relatives)
            if not name.organization and name.key in persons:
                name.person = True
        self._persons = [n for n in self.names if n.person and not n.quoted]
        self._person_starts = [n.start for n in self._persons]
        self._learn_roles()
        self._learn_gender()

    # Fullest names.

    def full_name(self, mention: str, at: int | None = None) -> str | None:
        """The fullest form of the person named by `mention`, or None if the
        article never names such a person."""
        words = [w for w in mention.split() if w]
        _, words = strip_titles(words) if len(words) > 1 else ([], words)
        if not words:
            return None
        wanted = [_norm(w) for w in words]
        names = [n for n in self.names if not n.organization]
        candidates = [n for n in names if _contains(n.words, wanted)]
        candidates = [n for n in candidates if n.person] or candidates
        if len(wanted) == 1 and not any(len(n.words) > 1 for n in candidates):
            # A first name alone ("Melania") points to the full name it starts.
            candidates += [n for n in names if len(n.words) > 1 and _norm(n.words[0]) == wanted[0]]
        # The narrator's spelling, not a nickname in someone's quote ("Crooked Hillary").
        candidates = [n for n in candidates if not n.quoted] or candidates
        if not candidates:
            return None
        forms = Counter(n.text for n in candidates)
        fuller = [t for t in forms if len(t.split()) > len(wanted)] or list(forms)
        # The most frequent full form (first seen on a tie), in its longest spelling:
        # "Donald Trump" x5 and "Donald J. Trump" x1 give "Donald J. Trump".
        best = max(fuller, key=lambda t: (forms[t], -self._first(t)))
        variants = [t for t in fuller if t.split()[0] == best.split()[0]]
        return max(variants, key=lambda t: (len(t.split()), forms[t]))

    def _first(self, text: str) -> int:
        return next(n.start for n in self.names if n.text == text)

    def is_person(self, mention: str) -> bool:
        words = mention.split()
        return bool(words) and any(n.person and n.key == _norm(words[-1]) for n in self.names)

    def confirm_person(self, mention: str) -> None:
        """The parse found this name speaking: it is a person's (unless it is a
        place or a body), for the pronouns and full names that follow."""
        words = mention.split()
        if (
            not words
            or is_place(words)
            or shaped_like_a_body(mention)
            or any(w.casefold() in ORG_WORDS for w in words)
        ):
            return
        key = _norm(words[-1])
        changed = False
        for name in self.names:
            if name.key == key and not name.person and not name.organization:
                name.person = changed = True
        if changed:
            self._persons = [n for n in self.names if n.person and not n.quoted]
            self._person_starts = [n.start for n in self._persons]

    # Pronouns.

    def antecedent(self, at: int, gender: str | None) -> Name | None:
        """The person a pronoun at `at` refers to (`gender` "m"/"f"; None for
        the person named last): the nearest one named before it (outside
        quotes) whose gender, if known, agrees; within that sentence, the most
        prominent one (see `_prominence`): "Christie, who campaigned for Trump,
        blasted Clinton. ... he said" -> Christie; "Mr. Obama dismissed it as
        the voice of Mr. Tribe's client. ... he said" -> Obama. When that person
        is not a subject, a pronoun of the same gender in their sentence or
        after it carries the reference on: "Fowler said .... Though it went
        well, he said, it could lead to lobbying by Sanders. ... he said" ->
        Fowler."""
        for _ in range(_CHAIN_LIMIT):
            found = self._nearest_prominent(at, gender)
            if found is None or gender is None:
                return found
            sentence = _sentence_start(self.text, found.start)
            chained = self._pronoun_before(at, gender, sentence)
            if chained is None or _prominence(found) == _SUBJECT:
                break
            at = chained
        if found is not None and gender is not None and found.key not in self._families:
            # Once "she" meant Torres, a later "he" is someone else.
            self.gender.setdefault(found.key, gender)
        return found

    def _nearest_prominent(self, at: int, gender: str | None) -> Name | None:
        i = bisect.bisect_left(self._person_starts, at)
        compatible = [
            n
            for n in reversed(self._persons[:i])
            if gender is None or self._gender_of(n) in (None, gender)
        ]
        if not compatible:
            return None
        nearest = compatible[0]
        sentence = _sentence_start(self.text, nearest.start)
        same = [n for n in compatible if n.start >= sentence]  # nearest first
        if gender is None:
            return next((n for n in same if not n.subordinate), nearest)
        best = max(_prominence(n) for n in same)
        # The subject (the first of the main clause's names), else the nearest.
        order = reversed(same) if best == _SUBJECT else same
        return next(n for n in order if _prominence(n) == best)

    def _pronoun_before(self, at: int, gender: str, since: int) -> int | None:
        """The last subject pronoun of `gender` between `since` and `at`, outside quotes."""
        for match in reversed(list(_SUBJECT_PRONOUN.finditer(self.text, since, at))):
            if _within(match.start(), self._quoted):
                continue
            if ("m" if match.group().casefold() == "he" else "f") == gender:
                return match.start()
        return None

    def _gender_of(self, name: Name) -> str | None:
        if name.key in self._families:  # by the given name, or the family's best known
            full = name.text if len(name.words) > 1 else self.full_name(name.text) or ""
            return _given_gender(full.split()[0]) if full else None
        return self.gender.get(name.key)

    def _learn_gender(self) -> None:
        """Per surname: from the given names the article uses with it, unless
        they disagree ("Hillary Clinton" -> f; not "Donald" and "Ivanka Trump");
        else by a vote: a third-person pronoun or gendered noun (outside quotes)
        whose sentence and the one before name exactly one person refers to
        that person ("Clinton said her plan ..." -> f)."""
        given: dict[str, set[str]] = defaultdict(set)
        for name in self._persons:
            # "Hillary Clinton"; a given name alone too: "her husband, Ernesto".
            given[name.key].add(_given_gender(name.words[0]) or "?")
        for key, genders in given.items():
            if len(genders) == 1 and "?" not in genders:
                self.gender.setdefault(key, genders.pop())
            elif {"m", "f"} <= genders:
                self._families.add(key)  # Tom and Beth Harlan: by given name only
        votes: dict[str, Counter] = defaultdict(Counter)
        for match in _GENDERED.finditer(self.text):
            if _within(match.start(), self._quoted):
                continue
            gender = "m" if match.group(1).casefold() in EN_MALE else "f"
            window_start = _sentence_start(self.text, _sentence_start(self.text, match.start()) - 1)
            i = bisect.bisect_left(self._person_starts, match.start())
            j = bisect.bisect_left(self._person_starts, window_start)
            keys = {n.key for n in self._persons[j:i]}
            if len(keys) == 1:
                votes[keys.pop()][gender] += 1
        for key, counter in votes.items():
            if key not in self.gender:
                (gender, count), *rest = counter.most_common()
                if count >= 2 * (rest[0][1] if rest else 0):
                    self.gender[key] = gender

    # Roles.

    def _learn_roles(self) -> None:
        for name in self._persons:
            for title in name.titles:
                key = title.casefold().rstrip(".")
                if key in EN_ROLES or key in ES_ROLES:
                    self._add_role(key, name)
        for match in _APPOSITIVE_ROLE.finditer(self.text):
            near = self.antecedent(match.start() + 1, None)
            if near is not None and 0 <= match.start() - near.end <= 2:
                self._add_role(match.group(1).casefold(), near)

    def _add_role(self, role: str, name: Name) -> None:
        self.roles[role_key(role)].add(name.text)
        if role in _GENDER_TITLES:  # "la presidenta Claudia Sheinbaum"
            self.gender.setdefault(name.key, _GENDER_TITLES[role])

    def role_holder(self, role: str, at: int) -> str | None:
        """The one person the article gave this role, if only one (of the role
        word's gender: "la mandataria" is not the male president)."""
        role = role.casefold()
        gender = _GENDER_TITLES.get(role)
        holders = {
            self.full_name(t) or t
            for t in self.roles.get(role_key(role), ())
            if gender is None or self.gender.get(_norm(t.split()[-1])) in (None, gender)
        }
        return holders.pop() if len(holders) == 1 else None


def is_place(words: Sequence[str]) -> bool:
    """A country, state or city ("Japan", "North Korea", "New York", "Culiacán")."""
    if not words or not all(w[:1].isupper() for w in words):
        return False
    keys = [_norm(w) for w in words]
    if len(keys) == 1:
        return keys[0] in PLACES
    return all(k in PLACE_PREFIXES for k in keys[:-1]) and (
        keys[-1] in PLACES or keys[-1] in PLACE_ENDINGS
    )


def _given_gender(word: str) -> str | None:
    key = word.casefold()
    return "f" if key in FEMALE_NAMES else "m" if key in MALE_NAMES else None


def shaped_like_a_body(mention: str) -> bool:
    """One word spelt like a brand or an acronym, not a surname: "PolitiFact",
    "NATO", "EB-5" (but "McCain", "DuVernay", "O'Neill" are surnames)."""
    words = mention.split()
    if len(words) != 1:
        return False
    word = words[0]
    return (
        any(c.isdigit() for c in word)
        or (len(word) > 1 and word.isalpha() and word.isupper())
        or _INNER_CAPITAL.search(word) is not None
    )


# A capital inside a word that no surname prefix explains (Mc, Mac, De, O' ...).
_INNER_CAPITAL = re.compile(r"^(?!Mc|Mac|De|Di|Du|La|Le|Van|Von|O['’])[A-Z][a-z]+[A-Z]")


def _lines(text: str):
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line)
        start += len(line)


def _headline(line: str) -> bool:
    """A headline in title case ("Lindsey Graham Says Trump Is Right"): its
    capitals say nothing about names."""
    words = [w for w in line.split() if len(w) > 2 and w[0].isalpha() and w.lower() not in _SMALL]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.9 * len(words)


_SMALL = wordset("and the for with from into but nor off out over per via ante con del por")


def _contains(words: list[str], wanted: list[str]) -> bool:
    """`wanted` ends `words`, or sits inside it after the first name (Spanish
    double surnames: "Sheinbaum" in "Claudia Sheinbaum Pardo")."""
    keys = [_norm(w) for w in words]
    size = len(wanted)
    if keys[-size:] == wanted:
        return True
    return any(keys[i : i + size] == wanted for i in range(1, len(keys) - size))


def _ends_sentence(word: str) -> bool:
    """A word ending with a full stop that is not an abbreviation or an initial
    (or a calendar word: "in Florida Friday" is no name)."""
    if word[-1] in "!?:;," or _norm(word.rstrip(".")) in _CALENDAR:
        return True
    if not word.endswith("."):
        return False
    bare = word[:-1]
    return len(bare) > 1 and "." not in bare and bare.casefold() not in TITLES


_CALENDAR = wordset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept
oct nov dec mon tue tues wed thu thurs fri sat sun lunes martes miércoles jueves viernes
sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre
noviembre diciembre
""")
_CONNECTORS = wordset("de la los del van der von bin al da di dos das le y")


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


_ROLE_SYNONYMS = {
    "presidenta": "presidente",
    "mandatario": "presidente",
    "mandataria": "presidente",
    "secretaria": "secretario",
    "ministra": "ministro",
    "gobernadora": "gobernador",
    "senadora": "senador",
    "diputada": "diputado",
    "alcaldesa": "alcalde",
    "jueza": "juez",
    "vocera": "vocero",
    "portavoz": "vocero",
    "directora": "director",
    "jefa": "jefe",
    "chairwoman": "chairman",
    "chair": "chairman",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "congresswoman": "congressman",
}


def role_key(role: str) -> str:
    """One key per role, whatever the gender or synonym: "la mandataria" -> presidente."""
    role = role.casefold().rstrip(".")
    return _ROLE_SYNONYMS.get(role, role)


_GENDER_TITLES = {
    "mr.": "m",
    "mr": "m",
    "sr.": "m",
    "mrs.": "f",
    "mrs": "f",
    "ms.": "f",
    "ms": "f",
    "miss": "f",
    "sra.": "f",
    "doña": "f",
    "presidenta": "f",
    "mandataria": "f",
    "presidente": "m",
    "mandatario": "m",
    "vocera": "f",
    "directora": "f",
    "jefa": "f",
    "spokeswoman": "f",
    "spokesman": "m",
    "secretaria": "f",
    "ministra": "f",
    "gobernadora": "f",
    "senadora": "f",
    "diputada": "f",
    "jueza": "f",
    "alcaldesa": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "chairman": "m",
    "congressman": "m",
    "councilwoman": "f",
    "councilman": "m",
    "assemblywoman": "f",
    "assemblyman": "m",
    "alderwoman": "f",
    "alderman": "m",
    "king": "m",
    "queen": "f",
}
_PERSON_TITLES = wordset("""
mr mrs ms miss dr prof sen senator rep representative gov governor president secretary
minister premier chancellor mayor judge justice gen general col lt sgt capt adm
speaker chairman chairwoman commissioner ambassador attorney king queen prince princess
pope rev reverend sir dame lord lady sr sra doña presidente presidenta secretario
secretaria ministro ministra gobernador gobernadora alcalde alcaldesa senador senadora
diputado diputada canciller juez jueza fiscal nominee candidate
""")
_GENDERED = re.compile(
    r"\b(he|him|his|himself|she|her|hers|herself|spokeswoman|chairwoman|congresswoman|"
    r"businesswoman|spokesman|chairman|congressman|businessman|wife|husband|mother|father)\b",
    re.IGNORECASE,
)
_LAST_WORD = re.compile(r"\b([\w.]+)[\s,]*\Z")
_NEXT_WORDS = re.compile(r"[\s,]*(?:\([^)]{1,20}\)\s*)?(\w+)")
_CHAIN_LIMIT = 5
_SUBJECT = 3
_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")


def _prominence(name: Name) -> int:
    """How likely a later pronoun is to mean this person, by the place of the
    name in its sentence: a subject or object 3, after a preposition 2 ("to
    Joe Biden"), a possessive or in a subordinate clause 1."""
    if name.subordinate or name.possessive:
        return 1
    return 2 if name.oblique else _SUBJECT


_VERBS_IN_TITLES = wordset("is are was were be been has have had will would can could should")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|by|for|with|of|from|against|about|at|on|in|under|over|than|like)\s+\Z"
)
_COORDINATED = re.compile(r",?\s+(?:and|or)\s+")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+\Z")
_BODY_OF_BEFORE = re.compile(r"\b([A-Z][\w.&'’-]*)\s+(?:of|on|for)\s+(?:the\s+)?\Z")
# A relative "who" or an age in apposition follows a person's name.
_PERSON_AFTER = re.compile(r",\s+(?:who\b|\d{1,3},)")
# A subordinate clause before the main one: "While he served under Obama, Ham said".
_FRONTED_CLAUSE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:While|When|Although|Though|After|Before|Because|If|As"
    r"|Since|Once|Until|Unless|Whereas)\b[^,.;:\n]*,"
)
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whose|whom|which|quien|quienes|que)\b[^,.;:\n]*")
_SPEECH_BEFORE = wordset("said says told asked added según dijo afirmó")


def _sentence_start(text: str, at: int) -> int:
    """Start of the sentence holding `at` (a rough cut at ". ", "? " or a line
    break; not at the full stop of a title or an initial: "Mr. Obama")."""
    at = max(0, at)
    cut = max(text.rfind("\n", 0, at), text.rfind("? ", 0, at))
    stop = text.rfind(". ", 0, at)
    while stop > cut and _abbreviation(text, stop):
        stop = text.rfind(". ", 0, stop)
    cut = max(cut, stop)
    return cut + 1 if cut >= 0 else 0


def _abbreviation(text: str, stop: int) -> bool:
    """The full stop at `stop` ends a title or an initial ("Mr.", "Sen.", "H.")."""
    word = _LAST_WORD.search(text, max(0, stop - 12), stop + 1)
    if word is None:
        return False
    bare = word.group(1).rstrip(".")
    return (len(bare) == 1 and bare.isupper()) or bare.casefold() + "." in TITLES


# "Smith, the senator", "Smith, a dairy farmer", "Smith, political science
# professor at ..." (without an article, only modifiers: not ", said the mayor").
_NOT_MODIFIERS = "said|says|told|and|or|but|the|a|an|of|to|in|on|at|for|with|who|which|that"
_APPOSITIVE_ROLE = re.compile(
    r",\s+(?:(?:the|a|an|el|la|his|her|su)\s+(?:[\w-]+\s+){0,3}?"
    rf"|(?:(?!(?:{_NOT_MODIFIERS})\b)[\w-]+\s+){{0,3}}?)("
    + "|".join(sorted(PERSON_NOUNS))
    + r"|[a-z]{3,}(?:ist|ian)s?)\b",
    re.IGNORECASE,
)
