"""Commands whose capability has not landed yet: they say so instead of pretending."""

from __future__ import annotations

import click

from feeds.errors import NotAvailableError


def pending(name: str, summary: str, arrives_with: str) -> click.Command:
    """A command that explains it is not available yet and exits with status 1."""

    @click.command(
        name,
        help=f"{summary} (not available yet: arrives with {arrives_with}).",
        short_help=f"{summary} [not available yet]",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def command() -> None:
        raise NotAvailableError(
            f"`newsbrief {name}` is not available yet: it arrives with {arrives_with}"
        )

    return command
