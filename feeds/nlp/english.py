"""English speaker attribution over a spaCy parse.

For each quotation the frame is the narrator's text of its sentence: the
tokens outside quotation marks from the sentence start to the opening mark,
and from the closing mark to the sentence end (a short quoted phrase inside
the sentence is part of the narrator's text). A reporting verb in the frame
is a cue ("said", "told", "according to"; nouns such as "claim" when the
quote hangs from them). Cues with direct evidence win: one the quote depends
on in the dependency tree (the outermost, as in "X said Y called it '...'"),
one right after the quote with only its subject in between ('"...," the
senator said'), or one introducing it ('X said: "..."'). The speaker is the
cue's subject (or the object of "according to"), taken as the name it holds:
the appositive name of "an attorney for X, Mark Smith", the pronoun itself
for "he said". A quote without a cue of its own continues the speaker of
the quote before it (see `speakers.resolve_continuations`), or of the last
sentence before it in the paragraph that reports speech.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from feeds.nlp.lexicon import (
    ANONYMOUS_HEADS,
    EN_CUE_NOUNS,
    EN_FEMALE,
    EN_LINKED_CUES,
    EN_PARTICLE_CUES,
    EN_REPORTING_VERBS,
    EN_ROLES,
    ORG_WORDS,
    wordset,
)
from feeds.nlp.names import NameIndex, is_place, shaped_like_a_body, strip_titles
from feeds.nlp.scan import DOUBLE, Quoted
from feeds.nlp.speakers import Attribution, resolve_continuations

_SENTENCE_END = {".", "!", "?"}
_NAME_TAGS = {"NNP", "NNPS"}
_NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS", "PRP"}
_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
_PERSONAL = {"he", "she"}
_RELATIVE = {"who", "that", "which", "whom"}
_SPOKESPEOPLE = wordset("spokesman spokeswoman spokesperson representative")
_CAPITALISED = r"[A-Z][\w.&'’-]*"
_SPOKESPERSON = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<body>(?:{_CAPITALISED}\s+){{1,4}})?"
    r"(?P<role>spokesman|spokeswoman|spokesperson|representative)\b"
    rf"(?P<of>\s+(?:for|of|at|from)\s+(?:the\s+[a-z]+\b|(?:the\s+)?{_CAPITALISED}"
    rf"(?:\s+(?:of\s+)?{_CAPITALISED})*))?"
)
_DOCUMENTS = wordset("""
statement statements letter letters report memo memorandum release filing brief note
message email post tweet video ad advertisement column essay op-ed editorial
""")
_EXPLETIVES = {"it", "there", "this", "that", "these", "those", "what", "which"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_FRAME_LIMIT = 60
_CONTROL_DEPTH = 5  # clauses to climb for a subject: "forced to defend not paying"
_PHRASE_WORDS = 12  # an organisation's name, not a whole clause
_NOT_COMPLEMENTS = {"conj", "advcl", "relcl", "acl", "cc", "appos", "nsubj", "nsubjpass"}
_NOT_NOUN_COMPLEMENTS = {"conj", "relcl", "cc", "appos"}
# Heads of time expressions the parser sometimes takes for subjects ("said Monday").
_TIME_WORDS = wordset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december today yesterday tomorrow tonight
morning afternoon evening night week weekend month year day days weeks months years
""")
# What may stand between a closing mark and its cue: the subject noun phrase.
_NOMINAL_TAGS = {
    "DT", "NNP", "NNPS", "NN", "NNS", "JJ", "POS", "PRP", "PRP$", ",", "HYPH", "CD",
    "-LRB-", "-RRB-", "IN", "CC", "RB", "''", "``", "_SP",
}  # fmt: skip
# What may stand between an introducing cue and the opening mark.
_INTRO_TAGS = {",", ":", "IN", "RB", "NNP", "NN", "DT", "_SP", "WDT", "TO"}
# What may stand between a cue and a comma or colon that introduces the quote:
# its object and adverbials, no other verb ('told reporters at the White House
# on Friday, "...', 'saying during the debate last week, "...').
_ADVERBIAL_TAGS = _INTRO_TAGS | {"NNS", "NNPS", "JJ", "CD", "PRP", "PRP$", "POS", "HYPH"}


@dataclass
class _Cue:
    token: object  # spacy Token
    side: str  # "left" or "right"
    distance: int  # frame tokens between the cue and the quote
    linked: bool  # the quote depends on it in the parse
    beside: bool  # right after the quote ('"...," X said') or introducing it ('X said: "...')
    opens: bool  # introduces it with a comma or colon ('X told reporters on Friday, "...')
    depth: float  # distance to the sentence root (outer cues are shallower)
    strong: bool  # a verb of saying (not one of thinking or finding)


class EnglishAttributor:
    """Attributes the quotes of one parsed article."""

    def __init__(self, doc, quotes: list[Quoted], names: NameIndex, reported: list[bool]):
        """`reported[i]` is False for quotes too short to report; they are
        attributed (a continuation may need them) but are narrator's text for
        the frames of the others."""
        self.doc, self.quotes, self.names, self.reported = doc, quotes, names, reported
        self.starts = [t.idx for t in doc]
        self.inside = [-1] * len(doc)
        self.tokens: list[range] = []  # each quote's tokens, marks included
        self.tops: list[list] = []  # its tokens whose head is outside it
        for number, quote in enumerate(quotes):
            last = quote.close_at if quote.close_at is not None else quote.end - 1
            span = range(self._token_at(quote.open_at), self._token_at(last) + 1)
            for i in span:
                self.inside[i] = number
            self.tokens.append(span)
            self.tops.append(
                [doc[i] for i in span if doc[i].head.i not in span or doc[i].head.i == i]
            )

    def attribute(self) -> list[Attribution]:
        self._confirm_speakers()
        found, fallbacks = [], []
        for number in range(len(self.quotes)):
            attribution = self._attribute(number)
            found.append(attribution)
            fallbacks.append(None if attribution.found else self._preceding_sentence(number))
        return resolve_continuations(self.names.text, self.quotes, found, fallbacks, self.names)

    def _confirm_speakers(self) -> None:
        """Names that are subjects of verbs of saying are people's ("DuVernay
        said"), which the pronouns after them can refer to. The tagger takes some
        surnames for common nouns ("Sanders said", "said Hester"): a capitalised
        noun the article names as a person is a name."""
        for token in self.doc:
            if (
                token.tag_ in ("NN", "NNS")
                and token.text[:1].isupper()
                and self.inside[token.i] == -1
                and self.names.is_person(token.text)
            ):
                token.tag_ = "NNPS" if token.tag_ == "NNS" else "NNP"
        for token in self.doc:
            if (
                token.tag_ in _NAME_TAGS
                and token.dep_ in _SUBJECTS
                and self.inside[token.i] == -1
                and token.head.lower_ in EN_REPORTING_VERBS
            ):
                start, end = _name_span(token)
                self.names.confirm_person(self.doc.text[start.idx : end.idx + len(end.text)])

    def _token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def _is_boundary(self, i: int, number: int) -> bool:
        """Token i is inside another quotation that ends the narrator's frame."""
        other = self.inside[i]
        return other != -1 and other != number and self.reported[other]

    # Frames and cues.

    def _frame(self, number: int, side: str) -> list:
        """Narrator tokens next to the quote, up to the sentence end on that side."""
        quote = self.quotes[number]
        if side == "left":
            i, step = self._token_at(quote.open_at) - 1, -1
        else:
            if quote.close_at is None or self._new_sentence_after(quote):
                return []
            i, step = self._token_at(quote.close_at) + 1, 1
        frame = []
        while 0 <= i < len(self.doc) and len(frame) < _FRAME_LIMIT:
            token = self.doc[i]
            if self._is_boundary(i, number) or self.inside[i] == number:
                break
            if "\n" in token.text:
                if side == "left" and not frame and self._colon_before(i):
                    i += step  # an introduction ending the paragraph before
                    continue
                break
            if self.inside[i] != -1:  # a short quoted phrase: narrator's text
                if token.text in _SENTENCE_END and self._capital_after(i):
                    break  # ... goal of "Peace Through Strength." He told ...
                i += step
                continue
            if token.text in _SENTENCE_END and token.tag_ == ".":
                if side == "right":
                    frame.append(token)
                break
            frame.append(token)
            i += step
        return frame if side == "right" else frame[::-1]

    def _new_sentence_after(self, quote: Quoted) -> bool:
        """'"… for him." She says' : a full stop inside the marks and a capital
        after them start the next sentence."""
        text = self.names.text
        if text[quote.end - 1 : quote.end] != ".":
            return False
        rest = text[quote.close_at + 1 : quote.close_at + 40].lstrip()
        return rest[:1].isupper()

    def _capital_after(self, i: int) -> bool:
        """The first word after token i (past closing marks) starts a sentence."""
        for token in self.doc[i + 1 : i + 4]:
            if token.is_alpha:
                return token.text[0].isupper()
        return False

    def _colon_before(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.doc[j].is_space:
            j -= 1
        return j >= 0 and self.doc[j].text == ":" and self.inside[j] == -1

    def _cues(self, number: int, left: list, right: list) -> list[_Cue]:
        cues = []
        for side, frame in (("left", left), ("right", right)):
            for position, token in enumerate(frame):
                linked = self._linked(token, number)
                if not _is_cue(token, linked):
                    continue
                between = frame[position + 1 :] if side == "left" else frame[:position]
                distance = len(between)
                opens = side == "left" and _opens(between)
                beside = _adjacent(between) if side == "right" else opens or _introduces(between)
                strong = token.lower_ not in EN_LINKED_CUES or token.lower_ in EN_REPORTING_VERBS
                cues.append(
                    _Cue(token, side, distance, linked, beside, opens, _depth(token), strong)
                )
        return cues

    def _linked(self, cue, number: int) -> bool:
        """The quote depends on the cue, or on the clause a parenthetical cue
        comments on ("Obama said, a majority believe '...'", "according to X")."""
        anchor = cue.head if cue.lower_ == "according" or cue.dep_ == "parataxis" else cue
        if anchor.i in self.tokens[number]:
            return False
        for token in self.tops[number]:
            while token.head.i != token.i and token.head.i != anchor.i:
                token = token.head
            # Reached through a complement, not a clause merely joined to it:
            # in 'she said, but as Trump went on about "...",' the quote is not hers.
            if token.head.i == anchor.i and token.i != anchor.i:
                if anchor is not cue:
                    return True
                if cue.tag_.startswith("NN"):
                    return token.dep_ not in _NOT_NOUN_COMPLEMENTS
                # '"...," X said' is often parsed with the quote as an adverbial clause.
                return token.dep_ not in _NOT_COMPLEMENTS or (
                    token.dep_ == "advcl" and cue.i > token.i
                )
        return False

    @staticmethod
    def _best_cue(cues: list[_Cue]) -> _Cue | None:
        direct = [c for c in cues if c.beside or c.linked]
        if direct:
            # Verbs of saying before verbs of thinking; then the cue whose comma or
            # colon opens the quote (the parse may hang it from an outer verb:
            # 'The spot concludes with footage of Trump saying, "..."'); then the
            # outermost: 'Holm said the ad "wrongfully" suggests' gives Holm.
            return min(
                direct,
                key=lambda c: (not c.strong, not c.opens, c.depth, c.side == "right", c.distance),
            )
        near = [c for c in cues if c.distance <= 12]
        return min(near, key=lambda c: c.distance) if near else None

    # Speakers.

    def _attribute(self, number: int) -> Attribution:
        left, right = self._frame(number, "left"), self._frame(number, "right")
        dash = self._dash_attribution(number)
        if dash is not None:
            return dash
        cues = self._cues(number, left, right)
        cue = self._best_cue(cues)
        if cue is not None:
            head = self._speaker_of(number, cue, right)
            if head is not None and head.lower_ in _PERSONAL:
                head = self._named_instead(number, head, cue, cues, right)
            if head is not None:
                return self._mention(head, "cue", cue.token.text)
            return Attribution(how="cue-without-subject", cue=cue.token.text)
        colon = self._colon_intro(left)
        return colon if colon.found else self._clause_subject(number) or colon

    def _clause_subject(self, number: int) -> Attribution | None:
        """No verb of saying, but the quote is part of the narrator's clause: its
        subject is the one characterised as saying it ('Reid has gone after Trump
        as a "human leech who will bleed the country"'). Not for a quote that
        is a sentence of its own, which the parse may hang from the one before."""
        text, quote = self.names.text, self.quotes[number]
        before = text[max(0, quote.open_at - 80) : quote.open_at].rstrip(" \t")
        if not before or before[-1] in ".!?\n" or before[-1] in DOUBLE:
            return None
        for top in self.tops[number]:
            verb = top.head
            if verb.i == top.i or self.inside[verb.i] != -1:
                continue
            verb = _clause_of(verb)
            if self.inside[verb.i] != -1 or not verb.tag_.startswith("VB"):
                continue
            head = _subject(verb)
            if head is not None and head.lower_ in _RELATIVE and head.dep_ in _SUBJECTS:
                head = _relative_antecedent(head)
            if head is not None and self._fits(head) and head.lower_ not in _EXPLETIVES:
                return self._mention(head, "subject", None)
        return None

    def _named_instead(self, number: int, pronoun, chosen: _Cue, cues: list[_Cue], right: list):
        """'DuVernay said ... because "...," she said': the sentence names the
        speaker the pronoun stands for; the name is the better mention."""
        antecedent = self.names.antecedent(pronoun.idx, None)
        for cue in cues:
            if cue is chosen or cue.side != "left" or cue.token.i > pronoun.i:
                continue
            head = self._speaker_of(number, cue, right)
            if (
                head is not None
                and head.tag_ in _NAME_TAGS
                and antecedent is not None
                and antecedent.start <= head.idx < antecedent.end + 1
            ):
                return head
        return pronoun

    def _speaker_of(self, number: int, cue: _Cue, right: list):
        head = _subject(cue.token)
        if head is not None and head.lower_ in _RELATIVE and head.dep_ in _SUBJECTS:
            head = _relative_antecedent(head)
        if head is not None and not self._fits(head):
            head = None
        if cue.token.tag_ == "VBG":
            head = self._name_before(cue.token) or head  # "footage of Clinton asking, '...'"
        if head is None:
            head = self._adjacent_subject(number, cue, right)
        if head is not None:
            head = self._issuer_of(head) or head
        return head

    def _issuer_of(self, document):
        """A document speaks for whoever issued it in the same sentence: "the
        Council issued a statement calling it '...'", "He released a letter
        that says '...'"."""
        if document.lower_ not in _DOCUMENTS or document.dep_ != "dobj":
            return None
        verb = document.head
        issuer = _subject(verb) if verb.tag_.startswith("VB") else None
        if issuer is None or not self._fits(issuer) or issuer.lower_ in _EXPLETIVES:
            return None
        if issuer.lower_ in _RELATIVE:
            issuer = _relative_antecedent(issuer)
        return issuer

    def _fits(self, token) -> bool:
        """A plausible speaker: outside quotes, a noun or pronoun, not a time."""
        return (
            self.inside[token.i] == -1
            and token.lower_ not in _TIME_WORDS
            and (token.tag_ in _NOUN_TAGS or token.lower_ in _PRONOUNS)
            and any(c.isalpha() for c in token.text)
        )

    def _name_before(self, cue):
        token = self.doc[cue.i - 1] if cue.i > 0 else None
        if token is not None and token.tag_ in _NAME_TAGS and self._fits(token):
            return _name_head(token)
        return None

    def _adjacent_subject(self, number: int, cue: _Cue, right: list):
        """The parse gave no usable subject: take the name or pronoun next to the
        cue, first between the quote and the cue ('"...," Jane Doe said'), then
        after it ('"...," said Jane Doe')."""
        doc, at = self.doc, cue.token.i
        if at + 1 < len(doc) and doc[at + 1].tag_ in _NAME_TAGS and self._fits(doc[at + 1]):
            return _name_head(doc[at + 1])  # "Said Ellis:", "..., said Jane Doe"
        if cue.side == "right":
            order = [t.i for t in right if t.i < at] + list(range(at + 1, min(len(doc), at + 6)))
        else:
            order = list(range(at - 1, max(-1, at - 6), -1)) + list(
                range(at + 1, min(len(doc), at + 4))
            )
        for i in order:
            token = doc[i]
            if token.text in _SENTENCE_END or self._is_boundary(i, number):
                break
            if (token.tag_ in _NAME_TAGS or token.lower_ in _PERSONAL) and self._fits(token):
                return _name_head(token)
        return None

    def _dash_attribution(self, number: int) -> Attribution | None:
        """'"…" ― Jane Doe': a name after a dash right behind the closing mark."""
        quote, text = self.quotes[number], self.names.text
        if quote.close_at is None:
            return None
        after = text[quote.close_at + 1 : quote.close_at + 4].lstrip(" \u00a0")
        if not after or after[0] not in "―—–":
            return None
        i = self._token_at(quote.close_at + 1)
        for token in self.doc[i : i + 4]:
            if token.tag_ in _NAME_TAGS and self.inside[token.i] == -1:
                return self._mention(_name_head(token), "dash", None)
        return None

    def _colon_intro(self, left: list) -> Attribution:
        """No verb of saying, but an introduction ending with a colon:
        'Obama is rolling out a new message: "..."' gives its subject."""
        words = [t for t in left if not t.is_space]
        if not words or words[-1].text != ":":
            return Attribution(how="none")
        # The subject of the last clause before the colon, a verb's rather than a
        # small clause's ('Jones has made his position clear: "..."').
        subjects = [t for t in words if t.dep_ in _SUBJECTS and self._fits(t)]
        of_verbs = [t for t in subjects if t.head.tag_.startswith("VB")]
        for token in of_verbs[-1:] or subjects[-1:]:
            return self._mention(self._prefer_name(token), "colon", None)
        for token in words:
            if (token.tag_ in _NAME_TAGS or token.lower_ in _PERSONAL) and self._fits(token):
                return self._mention(_name_head(token), "colon", None)
        return Attribution(how="none")

    def _preceding_sentence(self, number: int) -> Attribution | None:
        """For a quote with no cue: the speaker of the last sentence before it in
        the same paragraph that reports speech ("Smith said. '...'")."""
        i = self._token_at(self.quotes[number].open_at) - 1
        seen = 0
        while i >= 0 and seen < _FRAME_LIMIT:
            token = self.doc[i]
            if "\n" in token.text or self._is_boundary(i, number):
                return None
            if self.inside[i] == -1 and _is_cue(token, False) and token.tag_.startswith("VB"):
                head = _subject(token)
                if head is not None and self._fits(head):
                    return self._mention(self._prefer_name(head), "preceding", token.text)
            i, seen = i - 1, seen + 1
        return None

    def _mention(self, head, how: str, cue: str | None) -> Attribution:
        head = self._prefer_name(head)
        start_token, end_token = _name_span(head)
        start = start_token.idx
        end = end_token.idx + len(end_token.text)
        surface = self.doc.text[start:end]
        speaker, kind = self._resolve(head, surface, start)
        return Attribution(start, end, speaker, kind, how=how, cue=cue)

    def _resolve(self, head, surface: str, at: int) -> tuple[str | None, str | None]:
        lower = head.lower_
        if lower in _PERSONAL:
            name = self.names.antecedent(at, "f" if lower in EN_FEMALE else "m")
            if name is None:
                return None, None
            return self.names.full_name(name.text) or name.text, "person"
        if lower in _PRONOUNS:
            return None, None
        if head.tag_ in _NAME_TAGS:
            if lower in ORG_WORDS or (
                (is_place(surface.split()) or shaped_like_a_body(surface))
                and not self.names.is_person(surface)
            ):  # "the White House", "The Post", "Japan", "PolitiFact", "NATO"
                return _phrase(head), "organization"
            _, bare = strip_titles(surface.split())
            self.names.confirm_person(" ".join(bare))
            return self.names.full_name(surface) or " ".join(bare), "person"
        if lower in EN_ROLES:
            holder = self.names.role_holder(lower, at)
            if holder:
                return holder, "person"
        if lower not in ANONYMOUS_HEADS and self._organization_of(head) is not None:
            return _phrase(head), "organization"
        if lower in _SPOKESPEOPLE and _definite(head):
            earlier = _spokesperson_before(self.names.text, lower, at)
            if earlier:  # "A spokesperson for the council said ... the spokesperson said"
                return earlier, "organization"
        return None, None

    def _prefer_name(self, head):
        """A description with an appositive name gives the name: "an attorney for
        Pagliano, Mark MacDougall" -> MacDougall."""
        if head.tag_ in _NAME_TAGS or head.lower_ in _PRONOUNS:
            return head
        for token in head.subtree:  # also "His partner at Lenox, Lawrence B. Cummings"
            if (
                token.dep_ == "appos"
                and token.tag_ in _NAME_TAGS
                and token.lower_ not in ORG_WORDS
                and not is_place([token.text])
            ):
                return token
        return head

    def _organization_of(self, head):
        """ "a spokesperson for the Pentagon" -> Pentagon; "a White House spokesman"
        -> House; "a statement from the governor's office" -> office; "the
        campaign" -> campaign."""
        if head.lower_ in ORG_WORDS:
            return head
        for child in head.children:
            if (
                child.dep_ == "compound"
                and child.tag_ in _NAME_TAGS
                and (child.lower_ in ORG_WORDS or is_place([child.text]))
            ):
                return child
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at", "from"):
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    if obj.lower_ in ORG_WORDS or (
                        obj.tag_ in _NAME_TAGS and not self.names.is_person(obj.text)
                    ):
                        return obj
        return None


def _definite(head) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in head.children)


def _spokesperson_before(text: str, role: str, at: int) -> str | None:
    """The last description before `at` of a spokesperson of a named body: "a
    spokesperson for the council", "a White House spokesman"."""
    found = None
    for match in _SPOKESPERSON.finditer(text, 0, at):
        if match.group("role").casefold().rstrip("s") == role.rstrip("s") and (
            match.group("body") or match.group("of")
        ):
            found = match.group().strip()
    return found


def _is_cue(token, linked: bool) -> bool:
    lower = token.lower_
    if lower == "according":
        return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if lower in EN_PARTICLE_CUES:
        return following is not None and following.lower_ == EN_PARTICLE_CUES[lower]
    if lower == "put":  # "as she put it"
        return following is not None and following.lower_ == "it"
    if lower in EN_REPORTING_VERBS and (token.tag_.startswith("VB") or lower in ("said", "says")):
        return True
    if not linked:
        return False
    if lower in EN_LINKED_CUES:
        return token.tag_.startswith("VB")
    if lower in EN_CUE_NOUNS and token.tag_.startswith("NN"):
        return any(child.dep_ == "poss" for child in token.children)
    return False


def _adjacent(between: list) -> bool:
    """Only the subject between the closing mark and the cue ('"...," the senator said')."""
    words = [t for t in between if t.text not in ",—–-"]
    if words and words[0].tag_ == "CC":
        return False  # '"...," but he said' starts another clause
    return len(between) <= 12 and all(t.tag_ in _NOMINAL_TAGS for t in between)


def _introduces(between: list) -> bool:
    """The cue introduces the quote ('X said: "...', 'X said Monday that "...')."""
    return len(between) <= 4 and all(t.tag_ in _INTRO_TAGS for t in between)


def _opens(between: list) -> bool:
    """The cue's own comma or colon opens the quote: 'X said, "...', 'X told
    reporters at the White House on Friday: "...'."""
    words = [t for t in between if not t.is_space]
    return (
        bool(words)
        and words[-1].text in (",", ":")
        and len(words) <= 10
        and all(t.tag_ in _ADVERBIAL_TAGS and t.dep_ != "mark" for t in words)
    )  # not indirect speech: 'he said Wednesday that under Obama, "..."' nests in it


def _depth(token) -> float:
    depth = sum(1 for _ in token.ancestors)
    # "according to X" frames the whole sentence: as outer as its clause.
    return depth - 1.5 if token.lower_ == "according" else depth


def _subject(cue, depth: int = 0):
    """The speaker token of a cue, following coordination and control."""
    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                return next((c for c in to.children if c.dep_ == "pobj"), None)
        return None
    if cue.tag_.startswith("NN"):  # "Trump's claim that ..."
        return next((c for c in cue.children if c.dep_ == "poss"), None)
    for child in cue.children:
        if child.dep_ in _SUBJECTS:
            return child
    if cue.lower_ == "put":  # "as a memo put it"
        return None
    if depth < _CONTROL_DEPTH and _matrix_participle(cue):
        return _subject(_clause_of(cue.head.head), depth + 1)
    if depth < _CONTROL_DEPTH and cue.dep_ in ("relcl", "acl") and cue.head.tag_.startswith("N"):
        return cue.head  # "Smith, who said ..."
    if depth < _CONTROL_DEPTH and cue.dep_ in ("conj", "xcomp", "advcl", "ccomp", "pcomp", "prep"):
        return _subject(cue.head, depth + 1)
    return None


def _matrix_participle(cue) -> bool:
    """A participle set off by a comma at the end of a sentence ('..., saying, "...')
    is said by the subject of the main clause, even when the parse hangs it from
    a relative clause just before it ('Trump defended not paying an architect
    who said he was stiffed, saying, "..."')."""
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    return (
        cue.tag_ == "VBG"
        and cue.dep_ == "advcl"
        and cue.head.dep_ == "relcl"
        and before is not None
        and before.text == ","
    )


def _clause_of(token):
    """The nearest verb that `token` hangs from (itself if it is one)."""
    while not token.tag_.startswith("VB") and token.head.i != token.i:
        token = token.head
    return token


def _relative_antecedent(pronoun):
    """ "a woman who said" -> woman."""
    clause = pronoun.head
    if clause.dep_ in ("relcl", "acl") and clause.head.tag_.startswith("N"):
        return clause.head
    return pronoun


def _name_head(token):
    """The head of the name a token belongs to ("Elijah" -> "Cummings")."""
    while token.dep_ in ("compound", "flat") and token.head.tag_ in _NAME_TAGS:
        token = token.head
    return token


def _name_span(head):
    """First and last token of a mention around its head: "Rep. Elijah
    Cummings", "he", "the president"."""
    doc = head.doc
    start = head.i

    def joins(token) -> bool:
        return token.head.i == head.i and _wordlike(token)

    while start > 0 and doc[start - 1].tag_ in _NAME_TAGS and joins(doc[start - 1]):
        start -= 1
    while start > 0 and doc[start - 1].dep_ == "compound" and joins(doc[start - 1]):
        start -= 1
    while start < head.i and doc[start].lower_ in EN_REPORTING_VERBS:
        start += 1  # 'Said Smith: "..."' (the tagger may take "Said" for part of the name)
    if head.tag_ not in _NAME_TAGS and head.lower_ not in _PRONOUNS:
        start = min(start, head.left_edge.i)
        while start < head.i and not _wordlike(doc[start]):
            start += 1
    return doc[start], doc[head.i]


def _wordlike(token) -> bool:
    """Not whitespace, punctuation or a mark glued to a dash ('”―')."""
    return any(c.isalnum() for c in token.text) and not any(c in token.text for c in '“”"―—')


def _phrase(head) -> str:
    """The noun phrase of an organisation speaker, without trailing clauses."""
    doc = head.doc
    start, end = head.left_edge.i, head.i
    for child in head.children:
        if child.i > head.i and child.dep_ in ("prep", "compound", "pobj"):
            end = max(end, child.right_edge.i)
    words = [t for t in doc[start : end + 1] if not t.is_space][:_PHRASE_WORDS]
    while words and not _wordlike(words[0]):
        words = words[1:]
    return " ".join(t.text for t in words).replace(" 's", "'s").replace(" ’s", "’s").strip(" ,")
