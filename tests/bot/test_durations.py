"""Absurd durations and unusable database URLs: a message and an exit code, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_settings

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


def run(args: list[str], cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NEWSBRIEF), *args],
        input=stdin,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("since", ["1000000d", "99999999999d"])
def test_brief_refuses_a_window_longer_than_100_years(tmp_path, since):
    result = run(["brief", "cartel", "--since", since], tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"newsbrief: --since: duration too long: {since!r}; at most 100 years (36525d)\n"
    )


def test_brief_and_topics_test_take_a_century(tmp_path):
    brief = run(["brief", "cartel", "--since", "36525d"], tmp_path)
    assert brief.returncode == 0, brief.stderr
    assert brief.stdout.startswith("No new stories matching cartel since ")
    test = run(["topics", "test", "cartel", "--since", "99999999999d"], tmp_path)
    assert test.returncode == 1 and "--since: duration too long" in test.stderr


def test_console_brief_answers_a_huge_since_with_a_message(tmp_path):
    result = run(["run"], tmp_path, "/brief cartel --since 99999999999d\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "duration too long: '99999999999d'; at most 100 years (36525d)" in result.stdout
    assert "Something went wrong" not in result.stdout
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            '[polling]\ninterval_max = "99999999999d"\n',
            "[polling] interval_max: duration too long: '99999999999d'",
        ),
        ('[polling]\ninterval_max = "400d"\n', "[polling] interval_max: a feed is polled"),
        ('[briefing]\nwindow = "1e9d"\n', "[briefing] window: not a duration"),
        (
            '[database]\nurl = "mysql://x"\n',
            "[database] url: unsupported database 'mysql': use sqlite:///PATH or "
            "postgresql+psycopg://",
        ),
        ('[database]\nurl = "not a url"\n', "[database] url: not a database URL"),
    ],
)
def test_config_check_names_the_key_and_exits_2(tmp_path, config, expected):
    path = tmp_path / "bad.toml"
    path.write_text(config)
    result = run(["--config", str(path), "config", "check"], tmp_path)
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_database_url_from_the_environment_is_checked_and_named(tmp_path):
    result = run(["db", "upgrade"], tmp_path, DATABASE_URL="postgresql+psycopg2://u@h/db")
    assert result.returncode == 2
    assert "[database] url (from $DATABASE_URL): unsupported driver 'psycopg2'" in result.stderr


@pytest.mark.parametrize(
    "url", ["sqlite:///x.db", "sqlite://", "postgresql://u:p@h/db", "postgres://h/db"]
)
def test_supported_database_urls_pass(url):
    assert load_settings(environ={"DATABASE_URL": url}).database.url == url


def test_config_check_hides_the_database_password(tmp_path):
    path = tmp_path / "pg.toml"
    path.write_text('[database]\nurl = "postgresql://me:s3cret@db.example/news"\n')
    result = run(["--config", str(path), "config", "check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database postgresql+psycopg://me:***@db.example/news" in result.stdout
    assert "s3cret" not in result.stdout
