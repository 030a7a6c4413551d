"""analysis due by trigger

An article is due for quote analysis while `analyzed_hash` is NULL. Until
now the due ones were found by hashing every article's text on each call;
now a trigger clears the hash whenever summary, content or full text change
(whoever changes them), and a partial index finds the due rows.

- Rows whose stored hash no longer matches their text are cleared once here.
- SQLite: AFTER UPDATE OF those columns; PostgreSQL: a BEFORE UPDATE row
  trigger (plpgsql). As with the triggers of 0003 and 0004, a later
  migration that makes SQLite recreate the `article` table must create it
  again (tests check the triggers exist).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 06:12:02.476592
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = ("summary", "content", "full_text")
DUE = "analyzed_hash IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_article_analysis_due",
        "article",
        ["id"],
        unique=False,
        sqlite_where=sa.text(DUE),
        postgresql_where=sa.text(DUE),
    )
    _clear_stale_hashes()
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"new.{c} IS NOT old.{c}" for c in TEXT_COLUMNS)
        op.execute(
            f"CREATE TRIGGER article_analysis_stale AFTER UPDATE OF {', '.join(TEXT_COLUMNS)} "
            f"ON article WHEN new.analyzed_hash IS NOT NULL AND ({changed}) BEGIN "
            "UPDATE article SET analyzed_hash = NULL WHERE id = new.id; END"
        )
    else:
        new = ", ".join(f"NEW.{c}" for c in TEXT_COLUMNS)
        old = ", ".join(f"OLD.{c}" for c in TEXT_COLUMNS)
        op.execute(
            "CREATE FUNCTION article_analysis_stale() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF ({new}) IS DISTINCT FROM ({old}) THEN NEW.analyzed_hash := NULL; "
            "END IF; RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER article_analysis_stale BEFORE UPDATE ON article "
            "FOR EACH ROW EXECUTE FUNCTION article_analysis_stale()"
        )


def _clear_stale_hashes() -> None:
    """Clear hashes that no longer match the text (body_text(): the first non-empty one)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, analyzed_hash, coalesce(nullif(full_text, ''), nullif(content, ''), "
            "nullif(summary, ''), '') FROM article WHERE analyzed_hash IS NOT NULL"
        )
    )
    stale = [
        {"id": article_id}
        for article_id, stored, text in rows
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != stored
    ]
    if stale:
        connection.execute(
            sa.text("UPDATE article SET analyzed_hash = NULL WHERE id = :id"), stale
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS article_analysis_stale")
    else:
        op.execute("DROP TRIGGER IF EXISTS article_analysis_stale ON article")
        op.execute("DROP FUNCTION IF EXISTS article_analysis_stale()")
    op.drop_index("ix_article_analysis_due", table_name="article")
