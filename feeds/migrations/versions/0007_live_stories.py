"""live stories

Live subscriptions post each new story once and edit that message as more
outlets report it. `livemessage` is their ledger (one row per message: a
story, or a list of "more stories"; pending before the post, sent after, each
edit recorded), `liveitem` the stories each message shows and how much of
them it showed. A subscription gets `live_since` (stories polled before are
not news to it), `mention_role_id` (the role a new live story pings) and
`quiet_hours`. Nothing to migrate: no subscription was live before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:28:51.719731
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import feeds.models


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('livemessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('mention_role_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', feeds.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', feeds.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('edited_at', feeds.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('edits', sa.Integer(), nullable=False),
    sa.Column('shown_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_livemessage_subscription_id_subscription'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livemessage')),
    sa.UniqueConstraint('token', name=op.f('uq_livemessage_token'))
    )
    with op.batch_alter_table('livemessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livemessage_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livemessage_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_livemessage_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('liveitem',
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('added_at', feeds.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('polled_at', feeds.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('covers_from', feeds.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('shown_articles', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['livemessage.id'], name=op.f('fk_liveitem_message_id_livemessage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], name=op.f('fk_liveitem_story_id_story'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], name=op.f('fk_liveitem_subscription_id_subscription'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('message_id', 'story_id', name=op.f('pk_liveitem'))
    )
    with op.batch_alter_table('liveitem', schema=None) as batch_op:
        batch_op.create_index('ix_liveitem_channel_story', ['channel_id', 'story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_liveitem_story_id'), ['story_id'], unique=False)

    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.add_column(sa.Column('live_since', feeds.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('mention_role_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('quiet_hours', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_column('quiet_hours')
        batch_op.drop_column('mention_role_id')
        batch_op.drop_column('live_since')

    with op.batch_alter_table('liveitem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_liveitem_story_id'))
        batch_op.drop_index('ix_liveitem_channel_story')

    op.drop_table('liveitem')
    with op.batch_alter_table('livemessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livemessage_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_livemessage_created_at'))
        batch_op.drop_index(batch_op.f('ix_livemessage_channel_id'))

    op.drop_table('livemessage')
