"""The real engines are wired into the bot's capabilities, with the [polling] settings."""

from bot.config import load_settings
from bot.core.capabilities import NAMES, wired
from bot.core.specs import SPECS, available
from feeds.pipeline import Ingest
from tests.support.newsroom import add_feed, add_story


def test_every_capability_is_wired(tmp_path):
    (tmp_path / "c.toml").write_text("[polling]\nparse_workers = 1\ntimeout = '7s'\n")
    capabilities = wired(load_settings(tmp_path / "c.toml", environ={}))
    try:
        assert capabilities.missing() == [] and len(NAMES) == 6
        assert len(available(capabilities)) == len(SPECS)  # every command is registered
        ingest = capabilities.poll_cycle.__self__
        assert isinstance(ingest, Ingest) and capabilities.add_feed.__self__ is ingest
        assert (ingest.options.parse_workers, ingest.options.timeout) == (1, 7.0)
        assert ingest.options.allow_private_hosts is False
    finally:
        capabilities.close()
    assert wired().has("poll_cycle")  # built-in defaults when no settings are given


def test_explain_says_whether_the_article_matches(sqlite_store):
    store = sqlite_store
    feed = add_feed(store)
    add_story(store, feed, "Cartel boss extradited to Texas", url="https://news.example/a")
    add_story(store, feed, "Mexico beat Ecuador 2-0", url="https://news.example/b")
    topic = store.add_topic("Mexico security", "cartel OR fentanyl")
    explain = wired().explain
    hit = explain(store, store.article_by_url("https://news.example/a"), topic)
    miss = explain(store, store.article_by_url("https://news.example/b"), topic)
    assert hit.matched and hit.text.startswith("matches (score")
    assert not miss.matched and miss.text.startswith("no match")
