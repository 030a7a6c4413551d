"""`newsbrief db …` and `newsbrief config …`: schema and settings housekeeping."""

from __future__ import annotations

import json

import click

from bot.cli import CliState, pass_state
from feeds.store import _migrate
from feeds.store._engine import normalize_url
from feeds.wording import plural


@click.group("db")
def db() -> None:
    """Database schema: upgrade it, show its revision."""


@db.command("upgrade")
@pass_state
def db_upgrade(state: CliState) -> None:
    """Bring the database schema to the newest revision (also done at every start)."""
    store = state.app.store()
    click.echo(f"{store.describe()}: schema at revision {store.schema_revision()}")


@db.command("current")
@pass_state
def db_current(state: CliState) -> None:
    """Show the database's schema revision and the newest one this version knows."""
    from feeds.store import Store

    store = Store(state.app.settings.database.url)
    try:
        current = store.schema_revision()
    finally:
        store.close()
    head = _migrate.head_revision()
    status = "up to date" if current == head else "needs `newsbrief db upgrade`"
    click.echo(f"{store.describe()}: revision {current or '(empty)'}, newest {head} ({status})")


@db.command("revision", hidden=True)
@click.option("-m", "--message", required=True, help="What the migration changes.")
@pass_state
def db_revision(state: CliState, message: str) -> None:
    """(developers) Autogenerate the next migration from the models."""
    store = state.app.store()
    with store.engine.begin() as connection:
        _migrate.make_revision(connection, message)


@click.group("config")
def config() -> None:
    """Configuration: check a file, show the effective settings."""


@config.command("check")
@pass_state
def config_check(state: CliState) -> None:
    """Validate the configuration (exit code 2 and the problems if it is wrong)."""
    settings = state.app.settings
    click.echo(
        f"{settings.source}: ok ({plural(len(settings.feeds), 'feed')}, "
        f"{plural(len(settings.topics), 'topic')}, "
        f"database {normalize_url(settings.database.url).render_as_string(hide_password=True)})"
    )


@config.command("show")
@pass_state
def config_show(state: CliState) -> None:
    """Print the effective settings as JSON (secrets left out)."""
    settings = state.app.settings
    click.echo(json.dumps(settings.model_dump(mode="json"), indent=2))


COMMANDS = [db, config]
