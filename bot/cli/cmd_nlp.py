"""`newsbrief quotes` and `newsbrief summarize`: the NLP on plain text files.

Neither needs a database or a config file. Offsets in the output are Python
string indices into the file's text as read in UTF-8 (newlines normalised,
as Python's `open()` does).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import click

from feeds.errors import InvalidInputError
from feeds.wording import plural

_LANGUAGES = click.Choice(["auto", "en", "es"])


def read_text(path: str) -> str:
    """A file's text, or InvalidInputError that names the file and the problem."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path}: is a directory, not a text file") from None
    except PermissionError:
        raise InvalidInputError(f"{path}: not readable (permission denied)") from None
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot read: {error.strerror or error}") from error


def quote_record(path: str, analysis) -> dict:
    """The JSON object of one file (the documented contract; other tools parse it)."""
    return {
        "file": path,
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "rank": q.rank,
            }
            for q in analysis.quotes
        ],
    }


def read_texts(paths: tuple[str, ...]) -> tuple[list[tuple[str, str]], list[InvalidInputError]]:
    """(path, text) of the readable files, in order, and the errors of the others."""
    texts: list[tuple[str, str]] = []
    errors: list[InvalidInputError] = []
    for path in paths:
        try:
            texts.append((path, read_text(path)))
        except InvalidInputError as error:
            errors.append(error)
    return texts, errors


def _analyses(texts: list[tuple[str, str]], language: str) -> Iterator[tuple[str, object]]:
    if not texts:
        return
    from feeds.nlp import analyze_texts  # loads spaCy: only for the commands that need it

    hint = None if language == "auto" else language
    analyses = analyze_texts([text for _, text in texts], [hint] * len(texts))
    yield from zip((path for path, _ in texts), analyses, strict=True)


@click.command("quotes")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "text"]),
    default="text",
    show_default=True,
    help="jsonl: one JSON object per file (for scripts); text: for people.",
)
@click.option(
    "--language",
    type=_LANGUAGES,
    default="auto",
    show_default=True,
    help="Language of the files; auto detects English or Spanish per file.",
)
def quotes(files: tuple[str, ...], output_format: str, language: str) -> int:
    r"""Print the direct quotations in plain-text articles, with their speakers.

    Each quote has its character offsets in the file, the speaker mention's
    offsets, the speaker's resolved name, and a rank (1 = best key quote;
    0 = not a key quote: fragment, anonymous or repeated). With --format
    jsonl each line is {"file", "quotes": [{"text", "start", "end",
    "speaker", "speaker_start", "speaker_end", "rank"}]}. Offsets index the
    text as Python reads the file (UTF-8, newlines normalised to \n).

    A file that cannot be read is named on stderr and skipped; the others
    are still printed, and the exit code is then 1.
    """
    texts, errors = read_texts(files)
    for error in errors:
        click.echo(f"newsbrief: {error}", err=True)
    for path, analysis in _analyses(texts, language):
        if output_format == "jsonl":
            click.echo(json.dumps(quote_record(path, analysis), ensure_ascii=False))
        else:
            click.echo(_as_text(path, analysis))
    return 1 if errors else 0


def _as_text(path: str, analysis) -> str:
    lines = [f"{path} ({analysis.language}, {plural(len(analysis.quotes), 'quote')})"]
    for q in sorted(analysis.quotes, key=lambda q: (q.rank == 0, q.rank, q.start)):
        label = f"#{q.rank}" if q.rank else "--"
        who = q.speaker or "(unattributed)"
        lines.append(f"  {label:>3} “{q.text}” — {who}  [{q.start}-{q.end}]")
    return "\n".join(lines)


@click.command("summarize")
@click.argument("file", metavar="FILE")
def summarize_command(file: str) -> None:
    """Print the summary of a plain-text article: its opening sentence or two
    (at most 300 characters), without dateline, byline or page furniture."""
    from feeds.nlp.summary import summarize

    click.echo(summarize(read_text(file)))


COMMANDS = [quotes, summarize_command]
