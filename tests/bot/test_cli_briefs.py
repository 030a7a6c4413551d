"""`newsbrief brief` and `newsbrief topics`, through the real entry point."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import apply_config
from bot.cli import main
from bot.config import load_settings
from feeds.store import Store, open_store
from feeds.timeutil import utcnow
from tests.support.articles import add_article, add_feed, add_quote

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")
NOW = utcnow()
HEADLINE = "Sheinbaum rejects U.S. military help against cartels"
QUOTE = "No, President Trump, our territory is inalienable, sovereignty is inalienable."


def fill(store: Store) -> dict:
    """Two outlets, one story told twice with a key quote, a baseline story, a football match."""
    wire, diario = add_feed(store, "Wire"), add_feed(store, "Diario")
    ids = {
        "troops": add_article(
            store,
            wire,
            HEADLINE,
            "Mexican President Claudia Sheinbaum turned down an offer of U.S. troops to fight "
            "drug cartels.",
            at=NOW - timedelta(hours=3),
        ),
        "tropas": add_article(
            store,
            diario,
            "Sheinbaum rechaza el envío de tropas de EU contra los cárteles",
            "La presidenta Claudia Sheinbaum rechazó enviar tropas a México contra los cárteles.",
            at=NOW - timedelta(hours=2),
        ),
        "baseline": add_article(
            store,
            diario,
            "La Guardia Nacional llega a Culiacán",
            "Elementos de la Guardia Nacional reforzarán la seguridad en Culiacán, Sinaloa.",
            at=NOW - timedelta(hours=1),
            announce=False,
        ),
        "football": add_article(
            store, wire, "Mexico beat Ecuador 2-0", "A friendly.", at=NOW - timedelta(hours=1)
        ),
    }
    add_quote(store, ids["troops"], QUOTE, "Claudia Sheinbaum", score=0.9)
    return ids


@pytest.fixture
def database(tmp_path, monkeypatch) -> tuple[Store, dict]:
    """A SQLite file with articles (not yet grouped), used by the CLI via DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'newsbrief.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("NEWSBRIEF_CONFIG", raising=False)
    store = open_store(url)
    ids = fill(store)
    yield store, ids
    store.close()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_brief_on_a_topic_groups_first_and_prints_the_story(database, capsys):
    code, out, err = run(capsys, "brief", "Mexico security", "--since", "24h")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Mexico security — ") and "2 stories from 2 sources" in lines[0]
    assert f"1. {HEADLINE}  (2 sources)" in lines
    assert "   > “No, President Trump, our territory is inalienable, sovereignty is" in lines
    assert "   > inalienable.” — Claudia Sheinbaum · Wire" in lines
    assert "La Guardia Nacional llega a Culiacán" in out  # on demand: the baseline too
    assert "Ecuador" not in out


def test_formats(database, capsys):
    code, out, _ = run(capsys, "brief", "Mexico security", "--format", "json", "--limit", "1")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1 and data["total_stories"] == 2
    assert [story["headline"] for story in data["stories"]] == [HEADLINE]
    assert data["stories"][0]["quotes"][0]["speaker"] == "Claudia Sheinbaum"
    assert data["notes"] == ["1 more matching story not shown"]
    code, out, _ = run(capsys, "brief", "Mexico security", "--format", "markdown")
    assert code == 0 and out.startswith("## Mexico security — ")
    assert f"**[{HEADLINE}](https://news.example/" in out


def test_unknown_topic_names_are_searches_and_say_so(database, capsys):
    code, out, _ = run(capsys, "brief", "guardia", "nacional", "--timezone", "America/Mexico_City")
    assert code == 0
    assert "La Guardia Nacional llega a Culiacán" in out
    assert "(“guardia nacional” is not a saved topic: showing stories that match it)" in out
    assert "CST" in out


def test_an_empty_briefing_says_so(database, capsys):
    code, out, _ = run(capsys, "brief", "huachicol", "--since", "2h")
    assert code == 0 and out.startswith("No new stories matching huachicol since ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", 'cartel "Sinaloa'], "invalid query: unclosed quotation mark (at column 8)"),
        (["brief", "x", "--since", "banana"], "not a duration: 'banana'"),
        (["brief", "x", "--since", "0h"], "--since must be longer than zero"),
        (["brief", "x", "--timezone", "Nowhere/Town"], "unknown time zone 'Nowhere/Town'"),
        (["topics", "show", "Nothing", "here"], "no topic named 'Nothing here'"),
        (["topics", "why", "Mexico security", "9999"], "no article with id 9999"),
    ],
)
def test_user_errors_exit_1_with_a_message(database, capsys, args, message):
    code, _, err = run(capsys, *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_query_errors_point_at_the_problem(database, capsys):
    _, _, err = run(capsys, "brief", 'cartel "Sinaloa')
    assert '  cartel "Sinaloa\n         ^ unclosed quotation mark' in err


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "-Ecuador", "Mexico", "--since", "24h"],  # options after the words
        ["brief", "--since", "24h", "-Ecuador", "Mexico"],
        ["brief", "--since=24h", "--", "-Ecuador", "Mexico"],  # `--` works too
        ["brief", "-Ecuador Mexico"],
    ],
)
def test_a_query_may_start_with_an_exclusion(database, capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "(“-Ecuador Mexico” is not a saved topic: showing stories that match it)" in out
    assert "Sheinbaum rechaza" in out and "Ecuador 2-0" not in out


def test_without_the_exclusion_the_match_is_in(database, capsys):
    code, out, _ = run(capsys, "brief", "Mexico", "--since", "24h")
    assert code == 0 and "Sheinbaum rechaza" in out and "Ecuador 2-0" in out


def test_options_are_still_options_among_query_words(database, capsys):
    code, out, _ = run(capsys, "brief", "-Ecuador", "Mexico", "--format", "json", "--limit", "1")
    assert code == 0 and json.loads(out)["query"] == "-Ecuador Mexico"
    code, _, err = run(capsys, "brief", "-Ecuador", "Mexico", "--sinse", "2d")
    assert code == 2 and "No such option '--sinse'" in err  # a mistyped --option is no word
    code, out, _ = run(capsys, "brief", "-h")
    assert code == 0 and "A query may start with an exclusion" in " ".join(out.split())


def test_topics_test_and_why_take_a_leading_exclusion(database, capsys):
    _, ids = database
    for args in (
        ["-Ecuador", "Mexico", "--limit", "5"],
        ["--limit", "5", "--", "-Ecuador", "Mexico"],
    ):
        code, out, err = run(capsys, "topics", "test", *args)
        assert code == 0, err
        assert "Sheinbaum rechaza" in out and "Ecuador 2-0" not in out
    code, out, err = run(capsys, "topics", "why", "-Ecuador Mexico", str(ids["football"]))
    assert code == 0, err
    assert "no match: excluded by Ecuador (title)" in out


def test_topics_list_and_show(database, capsys):
    code, out, _ = run(capsys, "topics", "list")
    assert code == 0
    names = [line.split("  ")[0] for line in out.splitlines()]
    assert names == ["Mexico migration", "Mexico security"]
    assert "  preset  (" in out
    code, out, _ = run(capsys, "topics", "show", "mexico", "SECURITY")
    assert code == 0
    assert out.startswith("Mexico security (preset)\nCartels, fentanyl")
    assert '"Guardia Nacional"' in out and "query:" in out


def test_topics_test_shows_matches_and_why(database, capsys):
    _, ids = database
    code, out, _ = run(capsys, "topics", "test", '"Guardia Nacional" Culiacán')
    assert code == 0
    assert out.startswith("1 matching article (best first):")
    assert f"#{ids['baseline']} [ungrouped]" in out
    assert 'matches (score 6.0): "Guardia Nacional" (title), Culiacán (title)' in out
    code, out, _ = run(capsys, "topics", "test", "Mexico security")
    assert out.startswith("testing the query of topic 'Mexico security'")
    assert "Ecuador" not in out and HEADLINE in out
    code, out, _ = run(capsys, "topics", "test", "huachicol")
    assert code == 0 and out == "no stored article matches\n"


def test_topics_why(database, capsys):
    _, ids = database
    code, out, _ = run(capsys, "topics", "why", "Mexico security", str(ids["football"]))
    assert code == 0
    assert out.splitlines()[1].startswith("  no match: found Mexico (title)")
    code, out, _ = run(capsys, "topics", "why", "cartel -fútbol", str(ids["tropas"]))
    assert "matches (score 3.0): cartel (title)" in out


def test_config_topics_are_validated_and_replace_presets(database, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[topics]]\nname = "Broken"\nquery = \'cartel "open\'\n')
    code, _, err = run(capsys, "--config", str(bad), "topics", "list")
    assert code == 2
    assert "[[topics]] #1 query: not a valid query: unclosed quotation mark" in err
    good = tmp_path / "good.toml"
    good.write_text('[[topics]]\nname = "Mexico security"\nquery = "cartel Sinaloa"\n')
    code, out, _ = run(capsys, "--config", str(good), "topics", "list")
    assert code == 0 and "Mexico security   config  cartel Sinaloa" in out


def test_apply_config_syncs_presets(database):
    store, _ = database
    apply_config(store, load_settings(environ={}))
    apply_config(store, load_settings(environ={}))  # idempotent
    assert {(t.name, t.origin) for t in store.list_topics()} == {
        ("Mexico security", "preset"),
        ("Mexico migration", "preset"),
    }


def test_the_installed_command_end_to_end(tmp_path):
    """The real `newsbrief` executable reads what the Store holds: headline, quote, speaker."""
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    store = open_store(url)
    try:
        fill(store)
    finally:
        store.close()
    result = subprocess.run(
        [str(NEWSBRIEF), "brief", "Mexico security", "--since", "12h"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert HEADLINE in result.stdout
    assert "our territory is inalienable" in result.stdout
    assert "— Claudia Sheinbaum" in result.stdout
    assert "grouped 4 articles into stories" in result.stderr
