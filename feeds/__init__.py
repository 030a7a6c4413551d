"""newsbrief's library layer: fetch, parse, store, extract, topics and briefings.

Nothing in this package imports a chat platform; `bot/` adapts it to Discord
and to the console.
"""

__version__ = "0.1.0"
