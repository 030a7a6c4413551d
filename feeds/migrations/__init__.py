"""Alembic migration scripts for the newsbrief schema (run through feeds.store)."""
