"""topic matches at ingest

Saved topics are matched when articles arrive, not when a briefing is
composed: TopicMatch becomes an index of matches (topic, article, score, the
article's time) read by (topic_id, at); Article.topics_matched_at says which
articles are due; Topic.matched_query / matched_from say which part of the
store a topic's matches cover.

- topicmatch was a memo: it is dropped and created anew (nothing is lost;
  briefings back-fill what they need).
- Articles already stored count as matched (topics_matched_at = now), and no
  topic covers anything yet (matched_from NULL): the first briefing of each
  topic back-fills its own window instead of the next ingest matching the
  whole store.
- A trigger sets topics_matched_at back to NULL whenever the title, the text,
  the lead or the times of an article change, whoever changes them (polling,
  full-text extraction, quote analysis). SQLite: AFTER UPDATE OF those
  columns; PostgreSQL: a BEFORE UPDATE row trigger (plpgsql). As with the
  full-text triggers of 0003, a later migration that makes SQLite recreate
  the `article` table must create it again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 05:12:05.643952
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import feeds.models


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns a topic match depends on (ArticleText: title, opening, body, time).
MATCHED_COLUMNS = ("title", "summary", "content", "full_text", "lead", "published_at",
                   "first_seen_at")


def upgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topics_matched_at', feeds.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_article_topics_matched_at'), ['topics_matched_at'], unique=False)

    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('matched_query', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('matched_from', feeds.models.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('topicmatch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topicmatch_article_id'))
    op.drop_table('topicmatch')
    op.create_table('topicmatch',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('at', feeds.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_topicmatch_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topicmatch_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'article_id', name=op.f('pk_topicmatch'))
    )
    with op.batch_alter_table('topicmatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topicmatch_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_topicmatch_topic_id_at', ['topic_id', 'at'], unique=False)

    op.get_bind().execute(
        sa.text("UPDATE article SET topics_matched_at = :now").bindparams(
            sa.bindparam("now", datetime.now(UTC), type_=feeds.models.UTCDateTime())
        )
    )
    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_trigger()
    else:
        _create_postgres_trigger()


def _create_sqlite_trigger() -> None:
    changed = " OR ".join(f"new.{c} IS NOT old.{c}" for c in MATCHED_COLUMNS)
    op.execute(
        f"CREATE TRIGGER article_topics_stale AFTER UPDATE OF {', '.join(MATCHED_COLUMNS)} "
        f"ON article WHEN new.topics_matched_at IS NOT NULL AND ({changed}) BEGIN "
        "UPDATE article SET topics_matched_at = NULL WHERE id = new.id; END"
    )


def _create_postgres_trigger() -> None:
    new = ", ".join(f"NEW.{c}" for c in MATCHED_COLUMNS)
    old = ", ".join(f"OLD.{c}" for c in MATCHED_COLUMNS)
    op.execute(
        "CREATE FUNCTION article_topics_stale() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF ({new}) IS DISTINCT FROM ({old}) THEN NEW.topics_matched_at := NULL; "
        "END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER article_topics_stale BEFORE UPDATE ON article "
        "FOR EACH ROW EXECUTE FUNCTION article_topics_stale()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS article_topics_stale")
    else:
        op.execute("DROP TRIGGER IF EXISTS article_topics_stale ON article")
        op.execute("DROP FUNCTION IF EXISTS article_topics_stale()")
    with op.batch_alter_table('topicmatch', schema=None) as batch_op:
        batch_op.drop_index('ix_topicmatch_topic_id_at')
        batch_op.drop_index(batch_op.f('ix_topicmatch_article_id'))
    op.drop_table('topicmatch')
    op.create_table('topicmatch',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('query_hash', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text_hash', sa.BigInteger(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_topicmatch_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topicmatch_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'article_id', name=op.f('pk_topicmatch'))
    )
    with op.batch_alter_table('topicmatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topicmatch_article_id'), ['article_id'], unique=False)

    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_column('matched_from')
        batch_op.drop_column('matched_query')

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_topics_matched_at'))
        batch_op.drop_column('topics_matched_at')
