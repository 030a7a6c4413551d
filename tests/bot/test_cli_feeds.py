"""`newsbrief feeds …` and `newsbrief poll` as a subprocess, against the loopback feed server."""

import asyncio
from datetime import UTC, datetime

import pytest

from feeds.store import open_store
from tests.support.cli import newsbrief, spawn


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "newsbrief.toml").write_text(
        '[database]\nurl = "sqlite:///feeds.db"\n\n'
        '[polling]\nallow_private_hosts = true\ntimeout = "3s"\ncheck_every = "1s"\n'
    )
    return tmp_path


async def test_add_list_poll_remove(workdir, feed_server):
    code, out, err = await newsbrief("feeds", "add", feed_server.url("/rss.xml"), cwd=workdir)
    assert code == 0, err
    assert "added feed 1: Test Wire — 5 entries, RSS 2.0" in out

    code, out, err = await newsbrief("poll", "--once", cwd=workdir)
    assert code == 0, err
    assert "1 feed polled: 5 new articles, 0 changed, 0 not modified, 0 failed" in out
    assert "full text: 5 ok; 5 analysed, 5 grouped, 5 matched (" in out
    assert "[1/1]" in err and "updated, 5 new" in err  # not a terminal: one log line per feed

    code, out, _ = await newsbrief("poll", "--feed", "1", cwd=workdir)
    assert "1 not modified" in out

    code, out, _ = await newsbrief("feeds", "list", cwd=workdir)
    assert code == 0 and f"Test Wire  <{feed_server.url('/rss.xml')}>  [cli · 0 followers]" in out
    assert "ok · last success" in out and "5 articles (5 with full text)" in out

    code, out, _ = await newsbrief("feeds", "remove", feed_server.url("/rss.xml"), cwd=workdir)
    assert code == 0 and "removed feed 1 (Test Wire) and 5 articles" in out
    code, out, _ = await newsbrief("feeds", "list", cwd=workdir)
    assert "no feeds yet" in out


async def test_add_refuses_what_is_not_a_feed(workdir, feed_server):
    page = b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom">'
    feed_server.set("/page.html", page + b"</head><body>Hi</body></html>", content_type="text/html")
    code, _out, err = await newsbrief("feeds", "add", feed_server.url("/page.html"), cwd=workdir)
    assert code == 1 and "Traceback" not in err
    assert "not added:" in err and "is an HTML page, not a feed" in err
    assert feed_server.url("/atom") in err  # it names the feed the page links to
    code, _, err = await newsbrief("feeds", "add", feed_server.url("/status/404"), cwd=workdir)
    assert code == 1 and "HTTP 404" in err
    assert open_store(f"sqlite:///{workdir}/feeds.db").list_feeds() == []


async def test_add_twice_and_unknown_feed(workdir, feed_server):
    await newsbrief("feeds", "add", feed_server.url("/rss.xml"), "--name", "Mine", cwd=workdir)
    code, _, err = await newsbrief("feeds", "add", feed_server.url("/rss.xml"), cwd=workdir)
    assert code == 1 and "already following" in err
    code, _, err = await newsbrief("feeds", "remove", "42", cwd=workdir)
    assert code == 1 and "no feed '42'; `newsbrief feeds list` shows them" in err
    long_name = "n" * 201
    atom = feed_server.url("/atom.xml")
    code, _, err = await newsbrief("feeds", "add", atom, "--name", long_name, cwd=workdir)
    assert code == 1 and "a feed name can have at most 200 characters" in err
    assert feed_server.hits("/atom.xml") == 0  # refused before fetching


async def test_enable_a_disabled_feed(workdir):
    store = open_store(f"sqlite:///{workdir}/feeds.db")
    gone = store.add_feed("https://gone.example/rss", name="Gone")
    store.update_feed(
        gone.id, disabled_reason="http_410", disabled_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    fine = store.add_feed("https://fine.example/rss", origin="chat", follower="g1")
    code, out, err = await newsbrief("feeds", "enable", "https://gone.example/rss", cwd=workdir)
    assert code == 0, err
    assert out == (
        "enabled feed 1 (Gone), disabled since 01 Mar 2026 (http_410): the next poll checks it\n"
    )
    again = store.get_feed(gone.id)
    assert (again.disabled_reason, again.error_count) == (None, 0)
    code, out, _ = await newsbrief("feeds", "enable", str(fine.id), cwd=workdir)
    assert code == 0 and "is not disabled: nothing to do" in out
    code, out, _ = await newsbrief("feeds", "list", cwd=workdir)
    assert "[chat · 1 follower]" in out and "[cli · 0 followers]" in out
    code, _, err = await newsbrief("feeds", "enable", "9", cwd=workdir)
    assert code == 1 and "no feed '9'" in err
    store.close()


async def test_poll_reports_failures_and_list_shows_them(workdir, feed_server):
    store = open_store(f"sqlite:///{workdir}/feeds.db")
    store.add_feed(feed_server.url("/status/500"), name="Broken")
    store.close()
    code, out, err = await newsbrief("poll", "--once", cwd=workdir)
    assert code == 0 and "1 failed" in out and "http_5xx" in err
    code, out, _ = await newsbrief("feeds", "list", cwd=workdir)
    assert "failing ×1: http_5xx" in out and "last success never" in out
    assert "last error: HTTP 500" in out


async def test_poll_once_exits_non_zero_naming_a_step_that_failed(workdir, feed_server):
    store = open_store(f"sqlite:///{workdir}/feeds.db")
    store.add_feed(feed_server.url("/rss.xml"))
    with store.session() as session:  # a real failure: the grouping step's table is gone
        session.connection().exec_driver_sql("DROP TABLE articlekey")
    store.close()
    code, out, err = await newsbrief("poll", "--once", "--no-full-text", cwd=workdir)
    assert code == 1
    assert "1 feed polled: 5 new articles" in out and "5 analysed" in out
    assert "grouped FAILED (" in out
    assert "newsbrief poll: the 'grouped' step failed: " in err and "articlekey" in err
    assert "Traceback" in err  # logged with its traceback (at ERROR) for whoever debugs it


async def test_poll_keeps_going_until_interrupted(workdir, feed_server):
    store = open_store(f"sqlite:///{workdir}/feeds.db")
    store.add_feed(feed_server.url("/rss.xml"))
    store.close()
    process = await spawn("poll", cwd=workdir)
    first = await asyncio.wait_for(process.stdout.readline(), 60)
    assert b"5 new articles" in first
    process.send_signal(2)  # Ctrl-C
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode in (0, 130) and b"Traceback" not in err
