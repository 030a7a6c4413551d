"""`newsbrief quotes` and `newsbrief summarize` through the real entry point."""

import json
import subprocess
import sys
from pathlib import Path

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")
ARTICLES = Path(__file__).resolve().parent.parent / "feeds" / "nlp" / "articles"
KEYS = ["text", "start", "end", "speaker", "speaker_start", "speaker_end", "rank"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # A config that does not exist: these commands must not need one (nor a database).
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "NEWSBRIEF_CONFIG": "/nonexistent.toml"}
    return subprocess.run(
        [str(NEWSBRIEF), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180
    )


def test_quotes_jsonl_contract(tmp_path):
    # Multi-byte characters before the quote: offsets are str indices, not bytes.
    (tmp_path / "one.txt").write_text(
        "Ñandú — México’s President Claudia Sheinbaum spoke.\n\n"
        "“No, President Trump, our territory is inalienable,” Sheinbaum stated.\n",
        encoding="utf-8",
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.txt").write_text("No quotes in this one at all.\n", encoding="utf-8")
    english = ARTICLES / "en_sovereignty.txt"
    result = run(
        "quotes", "--format", "jsonl", "one.txt", "sub/two.txt", str(english), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == ["one.txt", "sub/two.txt", str(english)]
    for record in records:
        assert list(record) == ["file", "quotes"]
        for quote in record["quotes"]:
            assert list(quote) == KEYS
            assert isinstance(quote["start"], int) and isinstance(quote["rank"], int)

    text = (tmp_path / "one.txt").read_text(encoding="utf-8")
    (quote,) = records[0]["quotes"]
    assert text[quote["start"] : quote["end"]] == quote["text"]
    assert quote["text"] == "No, President Trump, our territory is inalienable"
    assert text[quote["speaker_start"] : quote["speaker_end"]] == "Sheinbaum"
    assert (quote["speaker"], quote["rank"]) == ("Claudia Sheinbaum", 1)
    assert records[1]["quotes"] == []
    speakers = {q["speaker"] for q in records[2]["quotes"]}
    assert {"Claudia Sheinbaum", "the White House", None} <= speakers
    assert not (tmp_path / "newsbrief.db").exists()


def test_a_split_quote_shows_each_part_verbatim(tmp_path):
    """The parts are joined by an elision mark, never by words the speaker did not say;
    the offsets span the whole quote, attribution included."""
    text = (
        "Mexican President Claudia Sheinbaum spoke on Monday.\n\n"
        "“We are not going to accept,” she said, “any kind of intervention in our country.”\n"
    )
    (tmp_path / "split.txt").write_text(text, encoding="utf-8")
    result = run("quotes", "--format", "jsonl", "split.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (quote,) = json.loads(result.stdout)["quotes"]
    assert quote["text"] == "We are not going to accept … any kind of intervention in our country."
    assert text[quote["start"] : quote["end"]] == (
        "We are not going to accept,” she said, “any kind of intervention in our country."
    )
    assert text[quote["speaker_start"] : quote["speaker_end"]] == "she"
    assert quote["speaker"] == "Claudia Sheinbaum"


def test_quotes_text_format_and_summarize(tmp_path):
    spanish = ARTICLES / "es_seguridad.txt"
    result = run("quotes", str(spanish), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{spanish} (es, " in result.stdout
    assert "#1 “No vamos a aceptar ninguna injerencia" in result.stdout
    assert "— Claudia Sheinbaum Pardo" in result.stdout
    summary = run("summarize", str(spanish), cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith("La presidenta Claudia Sheinbaum Pardo rechazó")
    assert "CIUDAD DE MÉXICO" not in summary.stdout


def test_unreadable_files_give_a_clear_error(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Canción “música”".encode("latin-1", "replace"))
    (tmp_path / "folder").mkdir()
    for name, message in [
        ("missing.txt", "missing.txt: no such file"),
        ("folder", "folder: is a directory"),
        ("latin1.txt", "latin1.txt: not UTF-8 text"),
    ]:
        result = run("quotes", "--format", "jsonl", name, cwd=tmp_path)
        assert result.returncode == 1
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    result = run("summarize", "missing.txt", cwd=tmp_path)
    assert result.returncode == 1 and "missing.txt: no such file" in result.stderr


def test_a_bad_file_is_named_and_the_others_are_still_read(tmp_path):
    spanish = ARTICLES / "es_seguridad.txt"
    (tmp_path / "folder").mkdir()
    result = run(
        "quotes", "--format", "jsonl", str(spanish), "missing.txt", "folder", str(spanish),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == [str(spanish)] * 2
    assert result.stderr.splitlines() == [
        "newsbrief: missing.txt: no such file",
        "newsbrief: folder: is a directory, not a text file",
    ]


def test_help_explains_the_contract(tmp_path):
    result = run("quotes", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--format [jsonl|text]" in result.stdout and "speaker_start" in result.stdout
    help_text = " ".join(result.stdout.split())
    assert "newlines normalised to \\n)." in help_text  # the escape as written, not a line break
    assert "named on stderr and skipped" in help_text
