"""The feed polling engine: fetch, parse, dedupe, store and full text.

Entry points (imported lazily, so worker processes stay light):
`Poller`, `PollOptions`, `PollReport`, `FeedResult`, `PollingService`, `poll_due`
and `run_poll` from `feeds.polling.engine`.
"""

_ENGINE = (
    "FeedResult",
    "PollOptions",
    "PollReport",
    "Poller",
    "PollingService",
    "poll_due",
    "run_poll",
)


def __getattr__(name: str):
    if name in _ENGINE:
        from feeds.polling import engine

        return getattr(engine, name)
    raise AttributeError(name)


__all__ = list(_ENGINE)
