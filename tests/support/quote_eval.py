"""Speaker figures on our own annotated articles (tests/feeds/nlp/styles/).

Each file is an article of our own writing, in a style PolNeAR's dev set has
little of (wire copy, long features, interviews, alternating speakers,
spokespeople, British single quotes, `''…''`), then a line `=== expected`
and one line per quotation worth reporting:

    first words of the quote | mention | speaker [| org]

`mention` is the words the quote is attributed to, as PolNeAR annotates a
source: the subject of its own verb of saying ("she" in '“…,” she said'), or
for a quote without one, the mention of the attribution it continues. It is
located as the occurrence nearest the quote. `speaker` is the resolved name
("-" for none, "*" for any); with `org` it is a part of the organisation's
phrase. `dev/` was used while writing the rules; `heldout/` holds ten
articles written before the rules and first run at the end (their errors
then led to a few last fixes) and five written after those fixes and run once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from feeds.nlp import analyze_text
from feeds.nlp.scan import find_quotes

STYLES = Path(__file__).resolve().parent.parent / "feeds" / "nlp" / "styles"
DEV = STYLES / "dev"
HELD_OUT = STYLES / "heldout"
_SEPARATOR = "\n=== expected\n"


@dataclass(frozen=True)
class Expected:
    prefix: str
    mention: str | None
    speaker: str | None  # None: no speaker; "*": any
    organization: bool


@dataclass(frozen=True)
class Styled:
    name: str
    text: str
    expected: list[Expected]


def read_article(path: Path) -> Styled:
    raw = path.read_text(encoding="utf-8")
    text, _, table = raw.partition(_SEPARATOR)
    expected = []
    for line in table.splitlines():
        if not line.strip():
            continue
        prefix, mention, speaker, *flags = [cell.strip() for cell in line.split("|")]
        expected.append(
            Expected(
                prefix,
                None if mention == "-" else mention,
                None if speaker == "-" else speaker,
                "org" in flags,
            )
        )
    return Styled(path.stem, text + "\n", expected)


def read_folder(folder: Path) -> list[Styled]:
    return [read_article(path) for path in sorted(folder.glob("*.txt"))]


@dataclass
class Scores:
    expected: int = 0
    found: int = 0  # expected quotes the extractor reported
    extra: int = 0  # reported quotes that are not expected
    mention_ok: int = 0  # of the found: the mention overlaps the expected one
    speaker_ok: int = 0  # of the found: the resolved speaker is the expected one
    errors: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name in ("expected", "found", "extra", "mention_ok", "speaker_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def summary(self) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part / whole:.3f}" if whole else "n/a"

        return (
            f"quotes found {self.found}/{self.expected}, extra {self.extra}; "
            f"speaker_acc={share(self.mention_ok, self.found)} "
            f"name_acc={share(self.speaker_ok, self.found)}"
        )


def score_article(article: Styled) -> Scores:
    text = article.text
    analysis = analyze_text(text)
    scores = Scores(expected=len(article.expected))
    used = set()
    for want in article.expected:
        hit = next(
            (i for i, q in enumerate(analysis.quotes) if want.prefix in q.text and i not in used),
            None,
        )
        if hit is None:
            scores.errors.append(f"{article.name}: missed {want.prefix!r}")
            continue
        used.add(hit)
        scores.found += 1
        quote = analysis.quotes[hit]
        span = _mention_span(text, want.mention, quote.start, quote.end)
        got = text[quote.speaker_start : quote.speaker_end] if quote.speaker_start else None
        mention_ok = (
            quote.speaker_start is None
            if span is None
            else quote.speaker_start is not None
            and min(span[1], quote.speaker_end) > max(span[0], quote.speaker_start)
        )
        speaker_ok = _speaker_matches(want, quote.speaker)
        scores.mention_ok += mention_ok
        scores.speaker_ok += speaker_ok
        if not (mention_ok and speaker_ok):
            scores.errors.append(
                f"{article.name}: {want.prefix!r} wanted {want.mention!r} ({want.speaker}), "
                f"got {got!r} ({quote.speaker})"
            )
    for i, quote in enumerate(analysis.quotes):
        if i not in used:
            scores.extra += 1
            scores.errors.append(f"{article.name}: extra {quote.text[:60]!r}")
    return scores


def score_folder(folder: Path) -> Scores:
    total = Scores()
    for article in read_folder(folder):
        total.add(score_article(article))
    return total


def _speaker_matches(want: Expected, speaker: str | None) -> bool:
    if want.speaker == "*":
        return True
    if want.speaker is None or speaker is None:
        return want.speaker == speaker
    if want.organization:
        return want.speaker.casefold() in speaker.casefold()
    return want.speaker == speaker


def _mention_span(text: str, mention: str | None, start: int, end: int) -> tuple[int, int] | None:
    """The occurrence of `mention` nearest the quote, outside quotation marks."""
    if mention is None:
        return None
    quoted = [piece for q in find_quotes(text) for piece in q.pieces]
    spans = [
        (m.start(), m.end())
        for m in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", text)
        if not any(a <= m.start() < b for a, b in quoted)
    ]
    if not spans:
        raise ValueError(
            f"mention {mention!r} is not in the text near {text[start : start + 40]!r}"
        )
    paragraph = (text.rfind("\n", 0, start) + 1, text.find("\n", end) % (len(text) + 1))
    return min(
        spans,
        key=lambda s: (
            not paragraph[0] <= s[0] < paragraph[1],
            start - s[1] if s[1] <= start else max(0, s[0] - end),
        ),
    )
