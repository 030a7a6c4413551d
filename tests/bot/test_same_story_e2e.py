"""One story from two outlets that word it differently, end to end (tests/support/two_outlets).

`newsbrief poll --once` then `newsbrief brief`: one story with both sources,
the quotation with its speaker's full name, a summary that is not the
headline, and none of the everyday news of the same feeds. Then `newsbrief
run` against the fake Discord: a channel subscribed right after the feeds'
first poll gets those stories in its first daily briefing.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta

from bot.app import apply_config
from bot.config import Settings
from feeds.briefs.text import repeats_title
from feeds.store import open_store
from tests.bot.test_run_e2e import TOKEN, start
from tests.support.cli import newsbrief, unwrap
from tests.support.fake_discord import FakeDiscord, message_text
from tests.support.newsdesk import loopback_ingest
from tests.support.two_outlets import (
    DISTRACTORS,
    OUTLET_A,
    OUTLET_B,
    QUOTE,
    REJECTS,
    SPEAKER,
    TURNS_DOWN,
    serve,
)
from tests.support.waiting import eventually


def feeds_config(url_a: str, url_b: str) -> str:
    return (
        f'[[feeds]]\nurl = "{url_a}"\nname = "{OUTLET_A}"\n'
        f'[[feeds]]\nurl = "{url_b}"\nname = "{OUTLET_B}"\n'
    )


async def test_two_outlets_one_story_with_its_quote_and_no_distractors(tmp_path, feed_server):
    url_a, url_b = serve(feed_server)
    (tmp_path / "newsbrief.toml").write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "news.db"}"\n'
        '[polling]\nallow_private_hosts = true\nparse_workers = 1\ntimeout = "5s"\n'
        + feeds_config(url_a, url_b)
    )
    code, out, err = await newsbrief("poll", "--once", cwd=tmp_path)
    assert code == 0, err
    assert out.startswith("2 feeds polled: 5 new articles, 0 changed, 0 not modified, 0 failed")
    assert "full text: 3 ok" in out or "full text: 4 ok" in out, out

    code, out, err = await newsbrief("brief", "Mexico security", "--since", "48h", cwd=tmp_path)
    assert code == 0, err
    flat = unwrap(out)
    assert "1 story from 2 sources" in out.splitlines()[0], out
    (headline,) = [h for h in (REJECTS.title, TURNS_DOWN.title) if f"1. {h}  (2 sources)" in flat]
    assert f"“{QUOTE}” — {SPEAKER}" in flat
    assert f"{OUTLET_A} · {OUTLET_B}" in flat
    summary = flat.split(f"{headline}  (2 sources)", 1)[1].split("“", 1)[0].strip()
    assert summary and not repeats_title(summary, headline), out
    for item in DISTRACTORS:
        assert item.title not in flat


def write_config(tmp_path, fake: FakeDiscord, url_a: str, url_b: str) -> str:
    path = tmp_path / "newsbrief.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "e2e.db"}"\n'
        f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
        '[polling]\nallow_private_hosts = true\nparse_workers = 1\ntimeout = "5s"\n'
        + feeds_config(url_a, url_b)
    )
    return str(path)


def next_minute(now: datetime, lead: timedelta = timedelta(seconds=20)) -> datetime:
    """The next whole minute at least `lead` away (subscriptions are set to the minute)."""
    return (now + lead).replace(second=0, microsecond=0) + timedelta(minutes=1)


async def test_a_channel_subscribed_right_after_the_first_poll_gets_its_first_briefing(
    tmp_path, feed_server
):
    url_a, url_b = serve(feed_server)
    fake = await FakeDiscord(token=TOKEN).start()
    process = None
    try:
        channel_id = fake.add_channel(fake.add_guild())
        config = write_config(tmp_path, fake, url_a, url_b)
        store = open_store(f"sqlite:///{tmp_path / 'e2e.db'}")
        ingest = loopback_ingest()
        try:
            apply_config(store, Settings())
            for url, name in ((url_a, OUTLET_A), (url_b, OUTLET_B)):
                store.add_feed(url, name=name, origin="config")
            report = await ingest.cycle(store)  # the feeds' first poll: their baseline
            assert all(not a.announce for a in store.list_articles())
            slot = next_minute(datetime.now(UTC))
            store.subscribe(
                platform="discord",
                channel_id=str(channel_id),
                topic_id=store.get_topic("Mexico security").id,
                time_of_day=slot.strftime("%H:%M"),
            )  # right after the first poll, for a minute or two later
        finally:
            ingest.close()
            store.close()
        assert report.summary().startswith("2 feeds polled: 5 new articles"), report.summary()

        process = await start(config, tmp_path)
        wait = (slot - datetime.now(UTC)).total_seconds() + 60
        await eventually(lambda: fake.posts(channel_id), timeout=wait)
        process.send_signal(signal.SIGTERM)
        output = (await asyncio.wait_for(process.communicate(), 30))[0].decode()
        assert process.returncode == 0, output

        (post,) = fake.posts(channel_id)
        text = message_text(post)
        assert sum(text.count(item.title) for item in (REJECTS, TURNS_DOWN)) == 1, text
        assert "(2 sources)" in text and f"— {SPEAKER}" in text and QUOTE in text
        for item in DISTRACTORS:
            assert item.title not in text
    finally:
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()
