"""The topic query language: parse, match, explain, and compile for full-text search.

    sinaloa fentanyl             both words (implicit AND; `AND` may be written)
    cartel OR narco              either word (`|` works too)
    "Guardia Nacional"           the words together, in this order
    -football  NOT football      leave out articles containing the word
    (troops OR tropas) Mexico    parentheses group
    fentan*                      words beginning with "fentan"

Matching ignores case and accents (cártel = cartel) and plural endings
(cartels, cárteles = cartel). A match in the title counts more than one in
the opening, which counts more than one deep in the body.

The Python matcher is the authority. `to_fts5` and `to_tsquery` turn a query
into a looser full-text query (exclusions dropped, words as prefixes) that
finds a superset of the matches quickly; the matcher then decides.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from feeds.briefs.text import fold, stem, tokens
from feeds.errors import InvalidInputError

MAX_QUERY_CHARS = 4000
MAX_TERMS = 300

# How much a match counts, by where it is found.
FIELD_WEIGHTS = {"title": 3.0, "opening": 2.0, "body": 1.0}
FIELDS = tuple(FIELD_WEIGHTS)


class QuerySyntaxError(InvalidInputError):
    """A query that cannot be parsed; `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, query: str, position: int):
        self.query, self.position, self.reason = query, position, message
        super().__init__(f"{message} (at column {position + 1})")

    def pointer(self) -> str:
        """The query with a caret under the problem, for terminals and code blocks."""
        return f"{self.query}\n{' ' * self.position}^ {self.reason}"


# The syntax tree.


@dataclass(frozen=True)
class Term:
    """A word, a prefix (`fentan*`) or a phrase; `words` are stems (the prefix stays raw)."""

    text: str  # as written, for explanations
    words: tuple[str, ...]
    prefix: bool = False
    position: int = 0

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class All:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node
    position: int = 0


Node = Term | All | Any | Not


@dataclass(frozen=True)
class Query:
    text: str
    root: Node

    def __str__(self) -> str:
        return self.text

    def terms(self) -> list[Term]:
        return list(_walk_terms(self.root))

    @cached_property
    def compiled(self) -> _Compiled:
        return _Compiled(self.root)


def _walk_terms(node: Node):
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from _walk_terms(node.item)
    else:
        for item in node.items:
            yield from _walk_terms(item)


# Lexing.

_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
_SPECIAL = set('()"“”„«»')


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD, PHRASE, LPAREN, RPAREN, OR, AND, NOT
    text: str
    position: int


def _lex(query: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            out.append(_Token("LPAREN" if char == "(" else "RPAREN", char, i))
            i += 1
        elif char in _QUOTES:
            end = query.find(_QUOTES[char], i + 1)
            if end < 0 and char != '"':
                end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed quotation mark", query, i)
            out.append(_Token("PHRASE", query[i + 1 : end], i))
            i = end + 1
        elif char == "|":
            out.append(_Token("OR", char, i))
            i += 1
        elif char == "-" and (i + 1 == n or query[i + 1].isspace()):
            raise QuerySyntaxError("'-' must be followed by what to leave out", query, i)
        elif char == "-":
            out.append(_Token("NOT", char, i))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            word = query[start:i]
            upper = word.upper()
            if upper in ("OR", "AND"):
                out.append(_Token(upper, word, start))
            elif word == "NOT":
                out.append(_Token("NOT", word, start))
            else:
                out.append(_Token("WORD", word, start))
    return out


# Parsing.

_UNMATCHED = "unmatched ')': no '(' before it to close"


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.items = _lex(query)
        self.index = 0
        self.term_count = 0
        self.open_parens: list[int] = []  # positions of the '(' not closed yet

    def error(self, message: str, position: int | None = None) -> QuerySyntaxError:
        if position is None:
            position = self.peek().position if self.peek() else len(self.query)
        return QuerySyntaxError(message, self.query, position)

    def peek(self) -> _Token | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def take(self) -> _Token:
        token = self.items[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.items:
            raise self.error("empty query: give at least one word", 0)
        node = self.parse_or()
        token = self.peek()
        if token is not None:  # only a stray ')' can stop parse_or early
            raise self.error(_UNMATCHED, token.position)
        return node

    def parse_or(self) -> Node:
        branches = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            branches.append(self.parse_and(after=token))
        return branches[0] if len(branches) == 1 else Any(tuple(branches))

    def parse_and(self, after: _Token | None = None) -> Node:
        items: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("OR", "RPAREN"):
            if token.kind == "AND":
                if not items:
                    raise self.error("AND needs a term before it", token.position)
                self.take()
                after = token
                continue
            items.append(self.parse_unary())
            after = None
        if after is not None and (not items or after.kind == "AND"):
            where = self.peek()
            if where is None:
                raise self.error(f"{after.text} needs a term after it", after.position)
            raise self.error(f"{after.text} needs a term after it", where.position)
        if not items:
            token = self.peek()
            if token is not None and token.kind == "OR":
                raise self.error(f"{token.text} needs a term before it", token.position)
            if token is not None and token.kind == "RPAREN":
                if not self.open_parens:
                    raise self.error(_UNMATCHED, token.position)
                raise self.error("empty parentheses: put a term inside", self.open_parens[-1])
            if token is None and self.open_parens:
                raise self.error(
                    "missing ')' for this '(', and nothing inside it", self.open_parens[-1]
                )
            raise self.error("expected a word, a \"phrase\" or '('")
        return items[0] if len(items) == 1 else All(tuple(items))

    def parse_unary(self) -> Node:
        token = self.peek()
        if token.kind == "NOT":
            self.take()
            following = self.peek()
            if following is None or following.kind not in ("WORD", "PHRASE", "LPAREN"):
                what = "NOT" if token.text == "NOT" else "an exclusion"
                raise self.error(f"{what} must be followed by what to leave out", token.position)
            return Not(self.parse_primary(), position=token.position)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "LPAREN":
            self.open_parens.append(token.position)
            inner = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "RPAREN":
                raise self.error("missing ')' for this '('", token.position)
            self.take()
            self.open_parens.pop()
            return inner
        if token.kind in ("WORD", "PHRASE"):
            return self.make_term(token)
        if token.kind == "RPAREN":
            raise self.error(_UNMATCHED, token.position)
        raise self.error(f"unexpected {token.text}", token.position)

    def make_term(self, token: _Token) -> Term:
        self.term_count += 1
        if self.term_count > MAX_TERMS:
            raise self.error(f"too many terms (at most {MAX_TERMS})", token.position)
        raw = token.text
        prefix = token.kind == "WORD" and raw.endswith("*")
        words = tokens(raw.rstrip("*") if prefix else raw)
        if not words:
            what = "empty phrase" if token.kind == "PHRASE" else f"no letters or digits in {raw!r}"
            raise self.error(what, token.position)
        stems = [stem(word) for word in words]
        if prefix:
            stems[-1] = words[-1]  # a prefix is matched as written
        text = f'"{raw}"' if token.kind == "PHRASE" else raw
        return Term(text=text, words=tuple(stems), prefix=prefix, position=token.position)


def _check_exclusions(node: Node, query: str) -> None:
    """Every AND group and OR branch needs something to look for, not only exclusions."""
    if isinstance(node, Not):
        if isinstance(node.item, Not):
            raise QuerySyntaxError("cannot exclude an exclusion", query, node.position)
        raise QuerySyntaxError(
            "an exclusion needs something to look for, e.g. 'cartel -football'",
            query,
            node.position,
        )
    if isinstance(node, Term):
        return
    if isinstance(node, All):
        positive = [item for item in node.items if not isinstance(item, Not)]
        if not positive:
            first = node.items[0]
            raise QuerySyntaxError(
                "a group of only exclusions matches nothing: add a term to look for",
                query,
                first.position,
            )
        for item in positive:
            _check_exclusions(item, query)
        for item in node.items:
            if isinstance(item, Not):
                _check_nested(item.item, query)
        return
    for item in node.items:
        _check_exclusions(item, query)


def _check_nested(node: Node, query: str) -> None:
    if isinstance(node, Not):
        raise QuerySyntaxError("cannot exclude an exclusion", query, node.position)
    if isinstance(node, All | Any):
        for item in node.items:
            _check_nested(item, query)


@lru_cache(maxsize=512)
def parse(text: str) -> Query:
    """Parse a query; QuerySyntaxError says what is wrong and where."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"query too long (at most {MAX_QUERY_CHARS} characters)", text, MAX_QUERY_CHARS
        )
    root = _Parser(text).parse()
    _check_exclusions(root, text)
    return Query(text=" ".join(text.split()), root=root)


# Matching.


class Document:
    """An article's text analysed once for matching: folded words and stems per field.

    Built for speed (compose matches hundreds of candidates): sets of
    distinct words and stems per field, word order only when a phrase needs it.
    """

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields  # field -> folded words, in order
        self.words = {name: set(words) for name, words in fields.items()}
        self.stem_sets = {name: set(map(stem, words)) for name, words in self.words.items()}
        self.all_stems = set().union(*self.stem_sets.values())
        self._stems: dict[str, list[str]] = {}
        self._sorted: dict[str, list[str]] = {}
        self._found: dict[int, str | None] = {}

    @classmethod
    def from_text(cls, title: str = "", opening: str = "", body: str = "") -> Document:
        return cls({"title": tokens(title), "opening": tokens(opening), "body": tokens(body)})

    def stems(self, name: str) -> list[str]:
        """The field's stems in order (for phrases)."""
        if name not in self._stems:
            self._stems[name] = list(map(stem, self.fields[name]))
        return self._stems[name]

    def stem_set(self, name: str) -> set[str]:
        return self.all_stems if name == "*" else self.stem_sets[name]

    def sorted_words(self, name: str) -> list[str]:
        if name not in self._sorted:
            words = set().union(*self.words.values()) if name == "*" else self.words[name]
            self._sorted[name] = sorted(words)
        return self._sorted[name]

    def first_field(self, word_stem: str) -> str:
        """The most important field containing a stem known to be in the document."""
        return next(name for name in FIELDS if word_stem in self.stem_sets[name])

    def find(self, term: Term) -> str | None:
        """The most important field containing `term`, or None."""
        key = id(term)
        if key not in self._found:
            found = None
            if self._in_field(term, "*", sequence=False):  # anywhere at all? (cheap)
                found = next((name for name in FIELDS if self._in_field(term, name)), None)
            self._found[key] = found
        return self._found[key]

    def _has_prefix(self, prefix: str, name: str) -> bool:
        words = self.sorted_words(name)
        index = bisect.bisect_left(words, prefix)
        return index < len(words) and words[index].startswith(prefix)

    def _in_field(self, term: Term, name: str, *, sequence: bool = True) -> bool:
        words = term.words
        present = self.stem_set(name)
        if term.prefix:
            if not self._has_prefix(words[-1], name):
                return False
            words_needed = words[:-1]
        else:
            words_needed = words
        if any(word not in present for word in words_needed):
            return False
        if len(words) == 1 or not sequence:
            return True
        return _has_sequence(self.stems(name), self.fields[name], words, term.prefix)


def _has_sequence(stems: list[str], raw: list[str], words: tuple[str, ...], prefix: bool) -> bool:
    last = len(words) - 1
    for start in range(len(stems) - last):
        if all(stems[start + k] == words[k] for k in range(last)) and (
            raw[start + last].startswith(words[last])
            if prefix
            else stems[start + last] == words[last]
        ):
            return True
    return False


@dataclass(frozen=True)
class Hit:
    """A query term found in an article (or an exclusion that ruled it out)."""

    term: str
    field: str  # "title", "opening" or "body"


@dataclass(frozen=True)
class Match:
    matched: bool
    score: float
    # Matched: the terms that made it match. Not matched: the terms found
    # in the part of the query that came closest. Best field first.
    hits: tuple[Hit, ...] = ()
    excluded_by: tuple[Hit, ...] = ()  # exclusions that ruled it out
    missing: tuple[str, ...] = ()  # parts of the query not satisfied

    def describe(self) -> str:
        """One line for /why and `topics test`."""
        found = ", ".join(f"{hit.term} ({hit.field})" for hit in self.hits)
        if self.matched:
            return f"matches (score {self.score:.1f}): {found}"
        if self.excluded_by:
            why = ", ".join(f"{hit.term} ({hit.field})" for hit in self.excluded_by)
            return f"no match: excluded by {why}"
        wanted = "; ".join(self.missing[:3])
        if found:
            return f"no match: found {found}, but nothing for {wanted}"
        return f"no match: nothing found for {wanted}"


def match(query: Query, document: Document, *, explain: bool = True) -> Match:
    """Does the document match, how well, and why.

    With explain=False a non-matching document gets a bare Match(False, 0.0)
    (much faster when filtering many candidates).
    """
    compiled = query.compiled
    found = compiled.find_all(document)
    score = compiled.score(query.root, found)
    if score is not None:
        terms = compiled.matching_terms(query.root, found)
        hits = [Hit(term.text, found[id(term)]) for term in terms]
        return Match(True, score, hits=_unique(sorted(hits, key=lambda h: FIELDS.index(h.field))))
    if not explain:
        return Match(False, 0.0)
    result = _evaluate(query.root, document)
    hits = _unique(sorted(result.hits, key=lambda hit: FIELDS.index(hit.field)))
    if result.ok:
        return Match(True, result.score, hits=hits)
    return Match(
        False,
        0.0,
        hits=hits,
        excluded_by=_unique(result.excluded),
        missing=tuple(dict.fromkeys(result.missing)),
    )


def score(query: Query, document: Document) -> float | None:
    """The document's match score, or None when it does not match (no explanation: fast)."""
    compiled = query.compiled
    return compiled.score(query.root, compiled.find_all(document))


def _unique(hits) -> tuple[Hit, ...]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(fold(hit.term), hit)
    return tuple(seen.values())


@dataclass
class _Result:
    ok: bool
    score: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    excluded: list[Hit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _evaluate(node: Node, document: Document) -> _Result:
    if isinstance(node, Term):
        where = document.find(node)
        if where is None:
            return _Result(False, missing=[node.text])
        return _Result(True, FIELD_WEIGHTS[where], hits=[Hit(node.text, where)])
    if isinstance(node, Any):
        results = [_evaluate(item, document) for item in node.items]
        matched = [result for result in results if result.ok]
        if not matched:
            closest = max(results, key=lambda result: len(result.hits))
            if closest.hits or closest.excluded:
                return _Result(
                    False, hits=closest.hits, excluded=closest.excluded, missing=closest.missing
                )
            return _Result(False, missing=[_one_of(node)])
        return _Result(
            True,
            sum(result.score for result in matched),
            hits=[hit for result in matched for hit in result.hits],
        )
    if isinstance(node, Not):  # only reachable inside All, which handles it
        return _Result(True)
    combined = _Result(True)
    for item in node.items:
        if isinstance(item, Not):
            blocker = _evaluate(item.item, document)
            if blocker.ok:
                combined.ok = False
                combined.excluded.extend(blocker.hits[:1] or [Hit(render(item.item), "body")])
            continue
        result = _evaluate(item, document)
        combined.ok = combined.ok and result.ok
        combined.score += result.score
        combined.hits.extend(result.hits)
        combined.missing.extend(result.missing)
        combined.excluded.extend(result.excluded)
    if not combined.ok:
        combined.score = 0.0
    return combined


def _one_of(node: Any, shown: int = 6) -> str:
    """'one of cartel, narco*, "drug trafficking" … (+40 more)' for explanations."""
    names = [render(item) for item in node.items]
    more = f" … (+{len(names) - shown} more)" if len(names) > shown else ""
    return "one of " + ", ".join(names[:shown]) + more


class _Compiled:
    """A query prepared for fast filtering: terms indexed by stem, term groups as sets.

    Terms are keyed by id() (cheap to hash) in `found` maps.
    """

    def __init__(self, root: Node):
        self.by_word: dict[str, list[Term]] = {}  # one word, matched by stem
        self.by_first: dict[str, list[Term]] = {}  # phrases, by the stem of the first word
        self.scanned: list[Term] = []  # anything starting with a prefix
        self.term_children: dict[int, frozenset[int]] = {}
        self.other_children: dict[int, tuple[Node, ...]] = {}
        self.terms: dict[int, Term] = {}
        for term in _walk_terms(root):
            self.terms[id(term)] = term
            if term.prefix and len(term.words) == 1:
                self.scanned.append(term)
            elif len(term.words) == 1:
                self.by_word.setdefault(term.words[0], []).append(term)
            else:
                self.by_first.setdefault(term.words[0], []).append(term)
        self.word_keys = frozenset(self.by_word)
        self.first_keys = frozenset(self.by_first)
        self._index_groups(root)

    def _index_groups(self, node: Node) -> None:
        if isinstance(node, Not):
            self._index_groups(node.item)
        elif isinstance(node, Any):
            self.term_children[id(node)] = frozenset(
                id(item) for item in node.items if isinstance(item, Term)
            )
            self.other_children[id(node)] = tuple(i for i in node.items if not isinstance(i, Term))
            for item in node.items:
                self._index_groups(item)
        elif isinstance(node, All):
            for item in node.items:
                self._index_groups(item)

    def find_all(self, document: Document) -> dict[int, str]:
        """id() of every term of the query present in the document -> its best field."""
        present = document.all_stems
        found: dict[int, str] = {}
        for word in present & self.word_keys:
            where = document.first_field(word)
            for term in self.by_word[word]:
                found[id(term)] = where
        candidates = [t for w in present & self.first_keys for t in self.by_first[w]]
        for term in candidates + self.scanned:
            where = document.find(term)
            if where is not None:
                found[id(term)] = where
        return found

    def matching_terms(self, node: Node, found: dict[int, str]) -> list[Term]:
        """The terms that make a matching `node` match (exclusions left out)."""
        if isinstance(node, Term):
            return [node] if id(node) in found else []
        if isinstance(node, Not):
            return []
        if isinstance(node, Any):
            terms = [self.terms[key] for key in self.term_children[id(node)] & found.keys()]
            for item in self.other_children[id(node)]:
                if self.score(item, found) is not None:
                    terms.extend(self.matching_terms(item, found))
            return terms
        return [term for item in node.items for term in self.matching_terms(item, found)]

    def score(self, node: Node, found: dict[int, str]) -> float | None:
        """The match score of `node`, or None when it does not match."""
        if isinstance(node, Term):
            where = found.get(id(node))
            return None if where is None else FIELD_WEIGHTS[where]
        if isinstance(node, Any):
            hits = self.term_children[id(node)] & found.keys()
            total = sum(FIELD_WEIGHTS[found[term]] for term in hits)
            matched = bool(hits)
            for item in self.other_children[id(node)]:
                value = self.score(item, found)
                if value is not None:
                    matched, total = True, total + value
            return total if matched else None
        total = 0.0
        for item in node.items:
            if isinstance(item, Not):
                if self.score(item.item, found) is not None:
                    return None
                continue
            value = self.score(item, found)
            if value is None:
                return None
            total += value
        return total


def render(node: Node) -> str:
    """A node back as query text (normalised spacing and parentheses)."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Not):
        return "-" + _grouped(node.item)
    joiner = " " if isinstance(node, All) else " OR "
    return joiner.join(
        _grouped(item) if isinstance(node, All) else render(item) for item in node.items
    )


def _grouped(node: Node) -> str:
    text = render(node)
    return f"({text})" if isinstance(node, Any | All) else text


# Full-text search compilation: a superset of the matcher's results.

_SHORT = 2  # stems this short are matched exactly, not as prefixes


def _positive(node: Node) -> Node | None:
    if isinstance(node, Not):
        return None
    if isinstance(node, Term):
        return node
    items = tuple(filter(None, (_positive(item) for item in node.items)))
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return type(node)(items)


@dataclass(frozen=True)
class _Syntax:
    exact: str
    prefix: str
    phrase: str
    all: str
    any: str


_FTS5 = _Syntax(exact='"{}"', prefix='"{}"*', phrase=" + ", all=" AND ", any=" OR ")
_TSQUERY = _Syntax(exact="'{}'", prefix="'{}':*", phrase=" <-> ", all=" & ", any=" | ")


def to_fts5(query: Query) -> str:
    """An SQLite FTS5 MATCH expression finding every article the query can match."""
    return _full_text(_positive(query.root), _FTS5)


def to_tsquery(query: Query) -> str:
    """A PostgreSQL tsquery (for to_tsquery) finding every article the query can match."""
    return _full_text(_positive(query.root), _TSQUERY)


def _full_text(node: Node, syntax: _Syntax) -> str:
    if isinstance(node, Term):
        parts = []
        for index, word in enumerate(node.words):
            exact = len(word) <= _SHORT and not (node.prefix and index == len(node.words) - 1)
            parts.append((syntax.exact if exact else syntax.prefix).format(word))
        return syntax.phrase.join(parts)
    joiner = syntax.all if isinstance(node, All) else syntax.any
    return joiner.join(f"({_full_text(item, syntax)})" for item in node.items)


_SNIPPET_WORD = re.compile(r"[^\W_]+")


def snippet(text: str, term: Term, *, width: int = 60) -> str | None:
    """A short excerpt of `text` around the first occurrence of `term`, or None."""
    spans = [(m.start(), m.end(), fold(m.group())) for m in _SNIPPET_WORD.finditer(text)]
    count = len(term.words)
    for index in range(len(spans) - count + 1):
        window = spans[index : index + count]
        if all(
            (w[2].startswith(word) if term.prefix and k == count - 1 else stem(w[2]) == word)
            for k, (w, word) in enumerate(zip(window, term.words, strict=True))
        ):
            start, end = window[0][0], window[-1][1]
            left = max(0, start - width // 2)
            right = min(len(text), end + width // 2)
            if left > 0:  # start and end on word boundaries
                space = text.find(" ", left, start)
                left = space + 1 if space >= 0 else start
            if right < len(text):
                space = text.rfind(" ", end, right)
                right = space if space >= 0 else end
            excerpt = " ".join(text[left:right].split())
            return ("…" if left else "") + excerpt + ("…" if right < len(text) else "")
    return None
