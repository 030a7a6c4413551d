"""Typed settings, read from one TOML file plus secrets from the environment.

Where the file comes from: `--config PATH`, else $NEWSBRIEF_CONFIG, else
./newsbrief.toml if present, else built-in defaults. `DISCORD_TOKEN` and
`DATABASE_URL` come from the environment (the latter overrides [database].url).
Everything is validated at start; a bad file gives one `ConfigError` that names
the file and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from feeds.briefs.query import QuerySyntaxError
from feeds.briefs.query import parse as parse_query
from feeds.errors import InvalidInputError, NewsbriefError
from feeds.live.policy import LivePolicy, QuietHours
from feeds.models import Feed
from feeds.store import MAX_TOPIC_NAME
from feeds.store._engine import normalize_url
from feeds.timeutil import parse_duration, parse_size
from feeds.wording import plural

DEFAULT_PATH = Path("newsbrief.toml")
ENV_CONFIG = "NEWSBRIEF_CONFIG"
ENV_TOKEN = "DISCORD_TOKEN"
ENV_DATABASE = "DATABASE_URL"
_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ConfigError(NewsbriefError):
    """The configuration cannot be used; the message names the file and key."""


def _duration(value: object) -> timedelta:
    try:
        return parse_duration(value)  # type: ignore[arg-type]
    except InvalidInputError as error:
        raise ValueError(str(error)) from None


def _size(value: object) -> int:
    try:
        return parse_size(value)  # type: ignore[arg-type]
    except InvalidInputError as error:
        raise ValueError(str(error)) from None


Duration = Annotated[timedelta, BeforeValidator(_duration)]
ByteSize = Annotated[int, BeforeValidator(_size)]


def check_timezone(name: str) -> str:
    """Return an IANA zone name unchanged, or raise ValueError naming it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Madrid"
        ) from None
    return name


def check_time_of_day(value: str) -> str:
    if not _HH_MM.match(value):
        raise ValueError(f"not a time of day: {value!r}; use HH:MM, e.g. 08:00")
    return value


def check_http_url(value: str) -> str:
    if not re.match(r"^https?://[^/\s]+", value, re.IGNORECASE):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


TimeZoneName = Annotated[str, AfterValidator(check_timezone)]
TimeOfDay = Annotated[str, AfterValidator(check_time_of_day)]
HttpUrl = Annotated[str, AfterValidator(check_http_url)]


def _column_length(model, column: str) -> int:
    """The most characters a database column takes (PostgreSQL refuses more)."""
    return model.__table__.c[column].type.length


def _shard_count(value: object) -> object:
    if value == "auto" or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return value
    raise ValueError(f'shards must be a whole number of at least 1, or "auto" (got {value!r})')


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, validate_default=True)


class DatabaseSettings(Section):
    url: str = "sqlite:///newsbrief.db"

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        try:
            normalize_url(value)  # the Store's own rules
        except InvalidInputError as error:
            raise ValueError(str(error)) from None
        return value


class DiscordSettings(Section):
    token: SecretStr | None = Field(default=None, exclude=True)  # only from $DISCORD_TOKEN
    api_base: str | None = None  # REST base, e.g. a proxy; None = Discord's
    gateway_url: str | None = None  # None = ask Discord for it
    sync_commands: bool = True  # sync slash commands at start when the set changed
    shards: Annotated[int | Literal["auto"], BeforeValidator(_shard_count)] = 1
    guild_ids: list[int] = []  # also sync to these guilds at once (for testing)

    @field_validator("api_base", "gateway_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(https?|wss?)://", value):
            raise ValueError(f"not an http(s)/ws(s) URL: {value!r}")
        return value


MAX_POLL_INTERVAL = timedelta(days=365)
# A story takes no article more than 72 hours after its first (feeds.briefs.grouping).
MAX_LIVE_UPDATES = timedelta(hours=72)


class PollingSettings(Section):
    interval_min: Duration = timedelta(minutes=5)
    interval_max: Duration = timedelta(hours=24)
    max_failures: int = Field(default=8, ge=1)
    allow_private_hosts: bool = False  # True lets config/CLI feeds live on loopback/LAN hosts
    concurrency: int = Field(default=32, ge=1)
    per_host: int = Field(default=2, ge=1)
    connect_timeout: Duration = timedelta(seconds=10)
    timeout: Duration = timedelta(seconds=30)
    max_body_size: ByteSize = 5 * 1024 * 1024
    parse_workers: int = Field(default=2, ge=1)
    full_text: bool = True  # fetch article pages when the feed gives only a teaser
    check_every: Duration = timedelta(minutes=1)  # how often `run` looks for due feeds

    @field_validator("interval_min", "interval_max")
    @classmethod
    def _at_most_a_year(cls, value: timedelta) -> timedelta:
        if value > MAX_POLL_INTERVAL:
            raise ValueError(
                f"a feed is polled at least once a year: at most {MAX_POLL_INTERVAL.days}d"
            )
        return value

    @model_validator(mode="after")
    def _ordered(self):
        if self.interval_min > self.interval_max:
            raise ValueError("interval_min must not be larger than interval_max")
        return self


class ScheduleSettings(Section):
    time: TimeOfDay = "08:00"  # default local time of daily briefings
    timezone: TimeZoneName = "UTC"  # default zone for new subscriptions
    grace_period: Duration = timedelta(hours=6)  # post a missed briefing on start within this


class BriefingSettings(Section):
    window: Duration = timedelta(hours=24)  # default look-back of /brief
    max_stories: int = Field(default=8, ge=1, le=25)
    quotes_per_story: int = Field(default=2, ge=0, le=2)


DEFAULT_LIVE_DELAY = timedelta(minutes=10)


class LiveSettings(Section):
    update_for: Duration = timedelta(hours=24)  # a live message is edited this long
    # A new story is posted this soon, or listed; unset: 10 minutes, or [polling]
    # check_every when that is longer (live rounds follow the poll cycle).
    max_delay: Duration | None = None
    max_per_hour: int = Field(default=5, ge=1, le=50)  # story posts per channel in any hour
    quiet_hours: str = ""  # "23:00-07:00" in each subscription's zone; "" none

    @field_validator("update_for")
    @classmethod
    def _edit_window(cls, value: timedelta) -> timedelta:
        if not timedelta(hours=1) <= value <= MAX_LIVE_UPDATES:
            raise ValueError(
                f"must be between 1h and {MAX_LIVE_UPDATES.days * 24}h (a story takes no "
                "article later than that)"
            )
        return value

    @field_validator("max_delay")
    @classmethod
    def _delay(cls, value: timedelta | None, info: ValidationInfo) -> timedelta | None:
        if value is None:
            return None
        longest = info.data.get("update_for", MAX_LIVE_UPDATES)
        if not timedelta(minutes=1) <= value <= longest:
            raise ValueError("must be between 1m and update_for")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        try:
            QuietHours.parse(value)
        except InvalidInputError as error:
            raise ValueError(str(error)) from None
        return value

    def policy(self, check_every: timedelta = timedelta(0)) -> LivePolicy:
        """The live rules; an unset max_delay follows the poll interval (`check_every`)."""
        return LivePolicy(
            max_delay=self.max_delay or max(DEFAULT_LIVE_DELAY, check_every),
            update_for=self.update_for,
            max_per_hour=self.max_per_hour,
            quiet_hours=QuietHours.parse(self.quiet_hours),
        )


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class FeedEntry(Section):
    url: HttpUrl = Field(max_length=_column_length(Feed, "url"))
    name: str | None = Field(default=None, max_length=_column_length(Feed, "name"))


class TopicEntry(Section):
    name: str = Field(min_length=1, max_length=MAX_TOPIC_NAME)
    query: str = Field(min_length=1)

    @field_validator("query")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            parse_query(value)
        except QuerySyntaxError as error:
            raise ValueError(f"not a valid query: {error}") from None
        return value


class Settings(Section):
    database: DatabaseSettings = DatabaseSettings()
    discord: DiscordSettings = DiscordSettings()
    polling: PollingSettings = PollingSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    briefing: BriefingSettings = BriefingSettings()
    live: LiveSettings = LiveSettings()
    logging: LoggingSettings = LoggingSettings()
    feeds: list[FeedEntry] = []
    topics: list[TopicEntry] = []
    # Where these settings came from ("built-in defaults" or a path); not a key.
    _source: str = PrivateAttr(default="built-in defaults")

    @property
    def source(self) -> str:
        return self._source

    @model_validator(mode="after")
    def _live_checked_in_time(self):
        # Live stories go out after a poll cycle: one must come within a max_delay set
        # by the operator (left unset, it follows check_every).
        delay = self.live.max_delay
        if delay is not None and self.polling.check_every > delay:
            raise ValueError(
                "[live] max_delay is shorter than [polling] check_every: new stories are "
                "looked for once per check"
            )
        return self

    def live_policy(self) -> LivePolicy:
        return self.live.policy(self.polling.check_every)


def resolve_path(explicit: str | os.PathLike | None, environ: dict[str, str]) -> Path | None:
    """The config file to read, or None for built-in defaults."""
    if explicit:
        return Path(explicit)
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG])
    return DEFAULT_PATH if DEFAULT_PATH.is_file() else None


def load_settings(
    path: str | os.PathLike | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Read, merge and validate the configuration; raise ConfigError on any problem."""
    environ = dict(os.environ if environ is None else environ)
    resolved = resolve_path(path, environ)
    data = _read_toml(resolved) if resolved else {}
    source = str(resolved) if resolved else "built-in defaults"
    _apply_environment(data, environ)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, source, _from_environment(environ))) from None
    settings._source = source
    return settings


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except PermissionError:
        raise ConfigError(f"{path}: config file is not readable (permission denied)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _apply_environment(data: dict, environ: dict[str, str]) -> None:
    if environ.get(ENV_DATABASE):
        data.setdefault("database", {})
        if isinstance(data["database"], dict):
            data["database"]["url"] = environ[ENV_DATABASE]
    if environ.get(ENV_TOKEN):
        data.setdefault("discord", {})
        if isinstance(data["discord"], dict):
            data["discord"]["token"] = environ[ENV_TOKEN]


def _from_environment(environ: dict[str, str]) -> dict[tuple, str]:
    """Keys whose value came from an environment variable, and its name."""
    return {("database", "url"): ENV_DATABASE} if environ.get(ENV_DATABASE) else {}


def _describe(error: ValidationError, source: str, from_environment: dict[tuple, str]) -> str:
    problems = []
    for item in error.errors():
        key = _key_name(item["loc"])
        if tuple(item["loc"]) in from_environment:
            key += f" (from ${from_environment[tuple(item['loc'])]})"
        problems.append(f"{key}: {_message(item)}")
    return f"{source}: {plural(len(problems), 'config problem')}:\n  " + "\n  ".join(problems)


def _key_name(location: tuple) -> str:
    """('polling', 'interval_min') -> "[polling] interval_min";
    ('feeds', 0, 'url') -> "[[feeds]] #1 url"."""
    parts = [p for p in location if not _is_type_tag(p)]
    if not parts:
        return "(top level)"
    section, rest = parts[0], parts[1:]
    if rest and isinstance(rest[0], int):
        prefix = f"[[{section}]] #{rest[0] + 1}"
        rest = rest[1:]
    elif rest:
        prefix = f"[{section}]"
    else:
        return str(section)
    return f"{prefix} {'.'.join(map(str, rest))}".rstrip()


def _is_type_tag(part: object) -> bool:
    """Pydantic puts union members ('int', "literal['auto']") in error locations."""
    return isinstance(part, str) and ("[" in part or part in {"int", "str", "bool", "float"})


def _message(item: dict) -> str:
    if item["type"] == "extra_forbidden":
        return "unknown key (check the spelling; config.example.toml lists every key)"
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] not in ("value_error", "missing"):
        message += f" (got {item.get('input')!r})"
    return message
