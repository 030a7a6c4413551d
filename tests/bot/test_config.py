"""Settings: the example file, defaults, environment and every kind of mistake."""

import os
import re
import tomllib
from datetime import timedelta

import pytest

from bot.config import ConfigError, Settings, load_settings
from tests.conftest import REPO

EXAMPLE = REPO / "config.example.toml"


def write(tmp_path, text: str):
    path = tmp_path / "newsbrief.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_loads_and_shows_the_defaults():
    settings = load_settings(EXAMPLE, environ={})
    defaults = Settings()
    for section in ("database", "discord", "polling", "schedule", "briefing", "logging"):
        assert getattr(settings, section) == getattr(defaults, section), section
    assert settings.feeds == [] and settings.topics == []  # copying it follows nothing made up


def test_example_file_commented_examples_are_valid(tmp_path):
    """The [[feeds]] and [[topics]] examples work once uncommented."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    tail = [line.removeprefix("# ") for line in lines[lines.index("# [[feeds]]") :]]
    block = [line for line in tail if re.match(r"\[\[\w+\]\]$|\w+ = ", line)]
    settings = load_settings(write(tmp_path, "\n".join(block)), environ={})
    assert settings.feeds[0].url.startswith("https://")
    assert settings.topics[0].name == "Energy in Mexico"


def test_example_file_documents_every_key():
    text = EXAMPLE.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for section, model in Settings.model_fields.items():
        annotation = model.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        for key in getattr(inner, "model_fields", {}):
            if key == "token":
                continue  # a secret: environment only
            documented = (
                key in data.get(section, {})
                or (isinstance(data.get(section), list) and key in data[section][0])
                or f"# {key} =" in text
            )
            assert documented, f"config.example.toml does not document [{section}] {key}"


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.source == "built-in defaults"
    assert settings.database.url == "sqlite:///newsbrief.db"
    assert settings.polling.allow_private_hosts is False
    assert settings.polling.max_body_size == 5 * 1024 * 1024
    assert settings.schedule.grace_period == timedelta(hours=6)


def test_file_lookup_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[database]\nurl = "sqlite:///local.db"\n')
    assert load_settings(environ={}).database.url == "sqlite:///local.db"
    other = tmp_path / "other.toml"
    other.write_text('[database]\nurl = "sqlite:///env.db"\n')
    assert (
        load_settings(environ={"NEWSBRIEF_CONFIG": str(other)}).database.url == "sqlite:///env.db"
    )
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[database]\nurl = "sqlite:///explicit.db"\n')
    chosen = load_settings(explicit, environ={"NEWSBRIEF_CONFIG": str(other)})
    assert chosen.database.url == "sqlite:///explicit.db"
    assert chosen.source == str(explicit)


def test_environment_overrides_secrets_and_database(tmp_path):
    path = write(tmp_path, '[database]\nurl = "sqlite:///file.db"\n')
    settings = load_settings(
        path, environ={"DATABASE_URL": "postgresql://x@y/z", "DISCORD_TOKEN": "t0k"}
    )
    assert settings.database.url == "postgresql://x@y/z"
    assert settings.discord.token.get_secret_value() == "t0k"
    assert "t0k" not in repr(settings) and "t0k" not in settings.model_dump_json()


def test_values_are_parsed(tmp_path):
    path = write(
        tmp_path,
        """
[polling]
interval_min = "10m"
max_body_size = "1MiB"
allow_private_hosts = true
[discord]
shards = "auto"
[schedule]
timezone = "America/Mexico_City"
time = "07:30"
""",
    )
    settings = load_settings(path, environ={})
    assert settings.polling.interval_min == timedelta(minutes=10)
    assert settings.polling.max_body_size == 1024 * 1024
    assert settings.discord.shards == "auto"
    assert settings.schedule.timezone == "America/Mexico_City"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[polling]\nmax_failure = 3\n", "[polling] max_failure: unknown key"),
        ("colour = 'red'\n", "colour: unknown key"),
        (
            "[polling]\nmax_failures = 'three'\n",
            "[polling] max_failures: Input should be a valid integer",
        ),
        (
            "[polling]\nallow_private_hosts = 'yes'\n",
            "[polling] allow_private_hosts: Input should be a valid boolean",
        ),
        ("[polling]\ninterval_min = 'soon'\n", "[polling] interval_min: not a duration"),
        (
            "[polling]\ninterval_min = '2d'\ninterval_max = '1d'\n",
            "interval_min must not be larger",
        ),
        (
            "[schedule]\ntimezone = 'Mars/Olympus'\n",
            "[schedule] timezone: unknown time zone 'Mars/Olympus'",
        ),
        ("[schedule]\ntime = '8am'\n", "[schedule] time: not a time of day"),
        ("[discord]\nshards = 0\n", "[discord] shards: shards must be a whole number"),
        ("[[feeds]]\nurl = 'file:///etc/passwd'\n", "[[feeds]] #1 url: not an http(s) URL"),
        ("[[topics]]\nname = 'x'\n", "[[topics]] #1 query: Field required"),
        (
            "[[feeds]]\nurl = 'https://a.example/'\nname = '" + "n" * 201 + "'\n",
            "[[feeds]] #1 name: String should have at most 200 characters",
        ),
        (
            "[[feeds]]\nurl = 'https://a.example/" + "x" * 2048 + "'\n",
            "[[feeds]] #1 url: String should have at most 2048 characters",
        ),
        ("[live]\nquiet_hours = '23:00'\n", "[live] quiet_hours: quiet hours look like"),
        ("[live]\nupdate_for = '4d'\n", "[live] update_for: must be between 1h and 72h"),
        ("[live]\nmax_delay = '30s'\n", "[live] max_delay: must be between 1m and update_for"),
        ("[live]\nmax_delay = '3h'\nupdate_for = '2h'\n", "[live] max_delay: must be between"),
        ("[live]\nmax_per_hour = 0\n", "[live] max_per_hour: Input should be greater"),
        (
            "[live]\nmax_delay = '2m'\n[polling]\ncheck_every = '5m'\n",
            "[live] max_delay is shorter than [polling] check_every",
        ),
        ("[database\nurl = 1\n", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message


def test_unreadable_files(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "missing.toml", environ={})
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings(tmp_path, environ={})
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match=str(binary)):
        load_settings(binary, environ={})


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "")
    if os.geteuid() == 0:  # root reads any file: make the open fail as it would for a user

        def refuse(*_args, **_kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(type(path), "open", refuse)
    else:
        path.chmod(0)
    with pytest.raises(ConfigError, match="not readable"):
        load_settings(path, environ={})


def test_live_settings_make_the_policy(tmp_path):
    path = write(
        tmp_path,
        "[live]\nmax_delay = '5m'\nupdate_for = '12h'\nmax_per_hour = 3\n"
        "quiet_hours = '23:00-07:00'\n",
    )
    policy = load_settings(path, environ={}).live.policy()
    assert (policy.max_delay, policy.update_for) == (timedelta(minutes=5), timedelta(hours=12))
    assert (policy.max_per_hour, str(policy.quiet_hours)) == (3, "23:00-07:00")
    assert Settings().live.policy().quiet_hours is None


def test_unset_live_delay_follows_a_longer_poll_interval(tmp_path):
    """An operator polling every 30 minutes without live settings still starts."""
    settings = load_settings(write(tmp_path, "[polling]\ncheck_every = '30m'\n"), environ={})
    assert settings.live_policy().max_delay == timedelta(minutes=30)
    assert Settings().live_policy().max_delay == timedelta(minutes=10)
