"""Slash command extensions, one per feature. Each is a thin adapter over bot.core."""
