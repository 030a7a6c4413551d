"""The real `newsbrief` entry point, run as a subprocess."""

import subprocess
import sys
from pathlib import Path

import pytest

from feeds import __version__
from feeds.store._migrate import head_revision

NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


def run(*args: str, cwd: Path, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **(env_extra or {})}
    return subprocess.run(
        [str(NEWSBRIEF), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in (
        "run",
        "demo",
        "poll",
        "feeds",
        "quotes",
        "summarize",
        "brief",
        "topics",
        "db",
        "config",
    ):
        assert f"\n  {command} " in result.stdout, command


def test_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and __version__ in result.stdout


def test_db_upgrade_creates_the_schema_with_defaults(tmp_path):
    result = run("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"revision {head_revision()}" in result.stdout
    assert (tmp_path / "newsbrief.db").exists()
    current = run("db", "current", cwd=tmp_path)
    assert "up to date" in current.stdout


def test_database_url_from_the_environment(tmp_path):
    result = run(
        "db", "upgrade", cwd=tmp_path, env_extra={"DATABASE_URL": f"sqlite:///{tmp_path}/env.db"}
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists() and not (tmp_path / "newsbrief.db").exists()


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[polling]\nmax_failure = 3\n", "[polling] max_failure: unknown key"),
        ("[schedule]\ntimezone = 'Nowhere/Town'\n", "unknown time zone 'Nowhere/Town'"),
        ("[polling\n", "not valid TOML"),
    ],
)
def test_bad_config_exits_2_without_a_traceback(tmp_path, config, expected):
    path = tmp_path / "bad.toml"
    path.write_text(config)
    result = run("--config", str(path), "config", "check", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_config_named_by_environment(tmp_path):
    result = run("db", "upgrade", cwd=tmp_path, env_extra={"NEWSBRIEF_CONFIG": "/nonexistent.toml"})
    assert result.returncode == 2
    assert "/nonexistent.toml: config file not found" in result.stderr


def test_config_check_and_show(tmp_path):
    (tmp_path / "newsbrief.toml").write_text("[[feeds]]\nurl = 'https://example.org/rss'\n")
    check = run("config", "check", cwd=tmp_path)
    assert check.returncode == 0 and "(1 feed, 0 topics, " in check.stdout
    show = run("config", "show", cwd=tmp_path, env_extra={"DISCORD_TOKEN": "secret-token"})
    assert '"allow_private_hosts": false' in show.stdout
    assert "secret-token" not in show.stdout


def test_usage_errors_exit_2(tmp_path):
    result = run("no-such-command", cwd=tmp_path)
    assert result.returncode == 2 and "No such command" in result.stderr


def test_verbose_logs_debug(tmp_path):
    result = run("-v", "db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0
    assert "DEBUG" in result.stderr and "settings from built-in defaults" in result.stderr
    quiet = run("-q", "db", "upgrade", cwd=tmp_path)
    assert "INFO" not in quiet.stderr
