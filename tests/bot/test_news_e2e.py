"""The real `newsbrief` from served feeds: `poll --once`, then `brief`, then the console chat."""

from __future__ import annotations

import pytest

from tests.support.cli import newsbrief, unwrap
from tests.support.newsdesk import (
    FOOTBALL,
    GUARD,
    REPORTS,
    TROOPS,
    TROOPS_QUOTE,
    TROOPS_SPEAKER,
    serve,
)


@pytest.fixture
def workdir(tmp_path, feed_server):
    url = serve(feed_server, "/wire.xml", REPORTS, title="Test Wire")
    (tmp_path / "newsbrief.toml").write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "news.db"}"\n'
        '[polling]\nallow_private_hosts = true\nparse_workers = 1\ntimeout = "5s"\n'
        f'[[feeds]]\nurl = "{url}"\nname = "Test Wire"\n'
    )
    return tmp_path


async def test_poll_then_brief_shows_headline_quote_and_speaker(workdir, feed_server):
    code, out, err = await newsbrief("poll", "--once", cwd=workdir)
    assert code == 0, err
    assert out.startswith(
        "1 feed polled: 3 new articles, 0 changed, 0 not modified, 0 failed; "
        "full text: 3 ok; 3 analysed, 3 grouped, 3 matched ("
    )

    code, out, err = await newsbrief("brief", "Mexico security", "--since", "1d", cwd=workdir)
    assert code == 0, err
    flat = unwrap(out)
    assert TROOPS.title in flat and GUARD.title in flat
    assert f"“{TROOPS_QUOTE}” — {TROOPS_SPEAKER}" in flat
    assert "— Omar García Harfuch" in flat
    assert FOOTBALL.title not in flat

    # The same news through the console chat of `newsbrief run` (stdin: a pipe; EOF ends it).
    troops_url = feed_server.url(f"/news/{TROOPS.slug}.html")
    code, out, err = await newsbrief(
        "run", cwd=workdir, input=f"/brief Mexico security\n/why {troops_url}\n"
    )
    assert code == 0, err
    flat = unwrap(out)
    assert f". {TROOPS.title}" in flat and f"“{TROOPS_QUOTE}” — {TROOPS_SPEAKER}" in flat
    assert f"{TROOPS.title}: not posted here." in out
    assert "This channel has no daily briefing" in out
