"""How briefings split into Discord messages, and what rendering costs.

    .venv/bin/python benchmarks/render_discord.py [--count 500] [--seed 1]

Renders random hostile briefings (up to 25 stories, long summaries and
quotes, mentions and markdown; tests/support/briefings.py) as Discord
messages and prints messages per briefing, the largest message against the
6,000-character limit, and the time per briefing next to the plain-text
console rendering of the same briefings (the baseline, measured in the same run).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.console.render import render_briefing as render_text
from bot.discord import limits
from bot.discord.render import render_briefing
from tests.support.briefings import random_briefing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    briefings = [random_briefing(rng) for _ in range(args.count)]

    started = time.perf_counter()
    rendered = [render_briefing(b, batch="0123456789ab") for b in briefings]
    discord_ms = (time.perf_counter() - started) * 1000 / args.count
    started = time.perf_counter()
    for b in briefings:
        render_text(b)
    text_ms = (time.perf_counter() - started) * 1000 / args.count

    messages = [len(parts) for parts in rendered]
    sizes = [sum(map(limits.embed_size, p.payload)) for parts in rendered for p in parts]
    embeds = [len(p.payload) for parts in rendered for p in parts]
    stories = [len(b.stories) for b in briefings]
    mean = statistics.mean
    print(f"briefings: {args.count} (stories: mean {mean(stories):.1f}, max {max(stories)})")
    print(f"messages per briefing: mean {mean(messages):.2f}, max {max(messages)}")
    print(f"largest message: {max(sizes)} of {limits.TOTAL} characters")
    print(f"most embeds in a message: {max(embeds)} of {limits.EMBEDS}")
    print(
        f"render per briefing: discord {discord_ms:.2f} ms, "
        f"console text (baseline) {text_ms:.2f} ms, ratio {discord_ms / text_ms:.2f}"
    )


if __name__ == "__main__":
    main()
