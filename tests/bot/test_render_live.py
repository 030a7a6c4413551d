"""Live messages as Discord renders them: within every limit whatever the articles say, and
the only mention the one role a channel chose."""

from __future__ import annotations

import random
import re

import pytest

from bot.discord.render_live import render_live
from feeds.briefs.model import KeyQuote, Source
from feeds.live import LiveStory, LiveView
from tests.support.briefings import random_text
from tests.support.fake_discord import message_text, validate_message

MARKER = "ref 0123456789ab.1"


def random_story(rng: random.Random, story_id: int, *, development=False) -> LiveStory:
    def quote():
        if rng.random() < 0.3:
            return None
        return KeyQuote(random_text(rng, 900), random_text(rng, 300) or None, None, "Out @here")

    return LiveStory(
        story_id=story_id,
        headline=random_text(rng, rng.choice([20, 300, 5000])),
        summary=random_text(rng, rng.choice([0, 200, 5000])),
        url=rng.choice([None, "https://news.example/a", "javascript:alert(1)", "x" * 3000]),
        sources=tuple(
            Source(random_text(rng, 80) or "src", rng.choice([None, "https://o.example/"]))
            for _ in range(rng.randint(1, 60))
        ),
        article_count=rng.randint(1, 80),
        quote=quote(),
        new_quote=quote(),
        development=development,
        reason=rng.choice(["new", "cap", "late"]),
    )


def payload(message) -> dict:
    body = {"embeds": message.embeds}
    if message.content:
        body["content"] = message.content
    return body


@pytest.mark.parametrize("seed", range(40))
def test_hostile_live_messages_fit_and_ping_only_the_role(seed):
    rng = random.Random(seed)
    role = "123456789012345678" if seed % 2 else None
    topic = random_text(rng, 300) or "t"
    story = LiveView("story", (topic,), (random_story(rng, 1, development=seed % 3 == 0),), role)
    more = LiveView(
        "more", (topic, "@everyone"), tuple(random_story(rng, n) for n in range(15)), None, 5
    )
    for view in (story, more):
        message = render_live(view, marker_text=MARKER)
        assert validate_message(payload(message)) == {}
        assert message.embeds[-1]["footer"]["text"].endswith(MARKER)
        text = message_text({"embeds": message.embeds})
        assert "@everyone" not in text and "@here" not in text
        assert not re.search(r"<[@#&]", text)
    posted = render_live(story, marker_text=MARKER)
    assert posted.content == (f"<@&{role}>" if role else None)
    assert posted.role_ids == ((role,) if role else ())
    assert render_live(more, marker_text=MARKER).role_ids == ()


def test_a_story_message_counts_its_sources_and_shows_the_new_quote():
    said = KeyQuote("We will not accept it", "Ana Ruiz", "https://wire.example/a", "Wire")
    later = KeyQuote("It was refused at once", "Luis Vega", "https://daily.example/b", "Daily")
    story = LiveStory(
        1,
        "Offer refused",
        "The offer was refused.",
        "https://wire.example/a",
        (Source("Wire", "https://wire.example/a"), Source("Daily", "https://daily.example/b")),
        2,
        said,
        later,
    )
    (embed,) = render_live(LiveView("story", ("Cartels",), (story,)), marker_text=MARKER).embeds
    assert embed["author"]["name"] == "Live · Cartels"
    assert embed["footer"]["text"] == f"2 sources · newsbrief live · {MARKER}"
    assert (
        "> “We will not accept it”\n> — Ana Ruiz · [Wire](https://wire.example/a)"
        in (embed["description"])
    )
    assert "New, from Daily:\n> “It was refused at once”" in embed["description"]
    assert embed["description"].endswith(
        "2 sources: [Wire](https://wire.example/a) · [Daily](https://daily.example/b)"
    )


def test_a_story_whose_articles_are_gone_still_renders():
    message = render_live(LiveView("story", ("Cartels",), ()), marker_text=MARKER)
    assert validate_message(payload(message)) == {}
    assert message.embeds[0]["footer"]["text"].endswith(MARKER)
