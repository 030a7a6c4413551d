"""The `newsbrief` command line: one group, one module of subcommands per capability."""

from __future__ import annotations

import logging
import sys
from functools import cached_property

import click

from bot.app import App
from bot.config import ConfigError, load_settings
from bot.log import configure_logging
from feeds import __version__
from feeds.errors import NewsbriefError

log = logging.getLogger("newsbrief")


class CliState:
    """Global options, and the App built from them on first use."""

    def __init__(self, config_path: str | None, verbosity: int, quiet: bool):
        self.config_path, self.verbosity, self.quiet = config_path, verbosity, quiet

    @cached_property
    def app(self) -> App:
        settings = load_settings(self.config_path)
        configure_logging(settings.logging.level, verbosity=self.verbosity, quiet=self.quiet)
        log.debug("settings from %s", settings.source)
        return App(settings)

    def close(self) -> None:
        if "app" in self.__dict__:
            self.app.close()


pass_state = click.make_pass_decorator(CliState)


class QueryCommand(click.Command):
    """A command whose arguments are query words: `-football` is an exclusion, not an option.

    Click reads every argument that starts with '-' as an option, so
    `newsbrief brief -sports mexico` would fail with "No such option". Here
    only the command's own options (and their values) and '--names' are
    options; any other '-word' is a query word, kept in its place. `--`
    still ends the options (needed only for a word like `-h`).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._words_last(ctx, args))

    def _words_last(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The options first, then '--' and the words in their order."""
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        index = 0
        while index < len(args):
            arg = args[index]
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if arg == "--":
                words += args[index + 1 :]
                break
            if name in takes_value or arg.startswith("--"):  # an unknown --name stays an error
                # "--since 3d": the value follows (even if it starts with '-'); "--since=3d" not.
                value_follows = takes_value.get(name, False) and name == arg
                options += args[index : index + 1 + value_follows]
                index += value_follows
            else:
                words.append(arg)
            index += 1
        return [*options, "--", *words]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="newsbrief")
@click.option(
    "-c",
    "--config",
    "config_path",
    metavar="PATH",
    help="TOML config file (default: $NEWSBRIEF_CONFIG, else ./newsbrief.toml, else built-ins).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv: libraries too).")
@click.option("-q", "--quiet", is_flag=True, help="Only log errors.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int, quiet: bool) -> None:
    """newsbrief follows news feeds and posts briefings with key quotes to chat.

    Start with `newsbrief demo`, or `newsbrief run` with your own config.
    """
    configure_logging(verbosity=verbose, quiet=quiet)
    state = CliState(config_path, verbose, quiet)
    ctx.obj = state
    ctx.call_on_close(state.close)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: user errors become one line on stderr and an exit code."""
    try:
        result = cli.main(args=argv, prog_name="newsbrief", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except ConfigError as error:
        click.echo(f"newsbrief: config error in {error}", err=True)
        return 2
    except NewsbriefError as error:
        click.echo(f"newsbrief: {error}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    return result if isinstance(result, int) else 0


def _register() -> None:
    from bot.cli import cmd_briefs, cmd_db, cmd_feeds, cmd_nlp, cmd_run

    for module in (cmd_run, cmd_feeds, cmd_nlp, cmd_briefs, cmd_db):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()

if __name__ == "__main__":
    sys.exit(main())
