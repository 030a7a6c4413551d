"""feed followers

Feeds were shared by every Discord server: any server's admin could remove a
feed another server added from chat. Now a chat scope (a guild id, or
"console") follows the feeds it adds (`feedfollow`), chat commands see only
their scope's feeds, and a chat feed is deleted when its last follower lets
it go.

Existing chat feeds: the database never recorded which server added them.
When exactly one chat scope has ever used this database (every subscription
and server topic belongs to it), that scope added them all, and it follows
them from now on. Otherwise their server cannot be told, and they get no
follower: they keep being polled and serving briefings, chat counts them
with the operator's feeds (not listed, not removable from chat), a server
that `/feed add`s one's URL follows it again, and `newsbrief feeds list`
shows them as followed by no server (`newsbrief feeds remove` deletes one).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 06:50:54.043928
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import feeds.models


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('feedfollow',
    sa.Column('feed_id', sa.Integer(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', feeds.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['feed_id'], ['feed.id'], name=op.f('fk_feedfollow_feed_id_feed'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('feed_id', 'scope', name=op.f('pk_feedfollow'))
    )
    with op.batch_alter_table('feedfollow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedfollow_scope'), ['scope'], unique=False)
    _adopt_chat_feeds()


def _adopt_chat_feeds() -> None:
    """The one chat scope that ever used this database follows the existing chat feeds."""
    connection = op.get_bind()
    # ChatContext.scope: the guild id, or the platform where there is no guild (console).
    scopes = connection.execute(
        sa.text(
            "SELECT coalesce(guild_id, platform) FROM subscription "
            "UNION SELECT scope FROM topic WHERE scope <> ''"
        )
    ).scalars().all()
    if len(scopes) != 1:
        return
    connection.execute(
        sa.text(
            "INSERT INTO feedfollow (feed_id, scope, created_at) "
            "SELECT id, :scope, added_at FROM feed WHERE origin = 'chat'"
        ),
        {"scope": scopes[0]},
    )


def downgrade() -> None:
    with op.batch_alter_table('feedfollow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedfollow_scope'))

    op.drop_table('feedfollow')
