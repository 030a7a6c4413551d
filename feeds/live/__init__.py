"""Live stories: a channel follows a topic as it happens, one message per story that grows.

`policy` decides (pure), `service` gathers the facts and builds the views the
renderers show (`model`); the bot (bot/live.py) posts, edits and keeps the
ledger (feeds/store/_live.py). Import the service as `feeds.live.service`
(the store imports this package's model).
"""

from feeds.live.model import LiveItemSpec, LiveMessageSpec, LiveStory, LiveView
from feeds.live.policy import LivePolicy, QuietHours

__all__ = [
    "LiveItemSpec",
    "LiveMessageSpec",
    "LivePolicy",
    "LiveStory",
    "LiveView",
    "QuietHours",
]
