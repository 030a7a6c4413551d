"""Briefings: topics, story grouping and composition into platform-neutral Briefings."""

from feeds.briefs.model import Briefing, KeyQuote, Source, StoryBrief

__all__ = ["Briefing", "KeyQuote", "Source", "StoryBrief"]
