"""The runtime's poll cycle: a step that fails is logged at ERROR and shown by /status."""

import logging

from bot.config import Settings
from bot.core.capabilities import Capabilities
from bot.core.commands import ChatContext
from bot.runtime import Runtime
from feeds.timeutil import utcnow
from tests.support.newsdesk import EVENTS, REPORTS, loopback_ingest, serve
from tests.support.transport import MemoryTransport

MEMBER = ChatContext("console", "console", "operator")


def rename_table(store, old: str, new: str) -> None:
    with store.session() as session:
        session.connection().exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")


async def test_a_failed_step_is_logged_at_error_and_stays_in_status_until_it_runs(
    sqlite_store, feed_server, caplog
):
    store = sqlite_store
    feed = store.add_feed(serve(feed_server, "/wire.xml", REPORTS), origin="config")
    rename_table(store, "articlekey", "articlekey_away")  # a real failure for the grouping step
    ingest = loopback_ingest()
    capabilities = Capabilities(poll_cycle=ingest.poll_cycle)
    runtime = Runtime(Settings(), store, capabilities, MemoryTransport())
    caplog.set_level(logging.INFO)
    try:
        await runtime.run_poll_cycle()
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert "ingest step 'grouped' failed" in errors
        assert any(m.startswith("ingest cycle: ") and "grouped FAILED" in m for m in errors)
        status = (await runtime.core.status(MEMBER)).text
        assert "- the grouped step failed: " in status and "articlekey" in status

        await runtime.run_poll_cycle()  # nothing is due: the steps do not run, nothing is fixed
        assert "the grouped step failed" in (await runtime.core.status(MEMBER)).text

        rename_table(store, "articlekey_away", "articlekey")
        serve(feed_server, "/wire.xml", (*REPORTS, EVENTS[0]))
        store.update_feed(feed.id, next_check_at=utcnow())
        await runtime.run_poll_cycle()  # a new article: the steps run, and grouping works again
        assert "step failed" not in (await runtime.core.status(MEMBER)).text
        assert all(article.story_id for article in store.list_articles())
    finally:
        await runtime.stop(timeout=1)
        ingest.close()
