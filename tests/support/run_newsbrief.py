"""`newsbrief` for end-to-end tests, with the stand-in compose until issue 5 is merged.

Run as `python -m tests.support.run_newsbrief [newsbrief arguments]` from the
repository root. It is the real CLI (bot.cli.main) with two changes: the
capabilities carry `compose_stored` (briefings from the stored stories), and
discord.py waits less for GUILD_CREATEs. The lead replaces this with the real
`newsbrief` entry point once compose is wired in bot.core.capabilities.wired().
"""

import sys

from bot.core import capabilities
from bot.discord import client
from tests.support.newsroom import compose_stored


def main() -> int:
    capabilities.wired = lambda settings=None: capabilities.Capabilities(compose=compose_stored)
    client.GUILD_READY_TIMEOUT = 0.1
    from bot.cli import main as newsbrief

    return newsbrief()


if __name__ == "__main__":
    sys.exit(main())
