"""web sessions: a signed-in browser survives reloads and new tabs through an HttpOnly cookie

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_session',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('last_seen', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('ended', sa.Boolean(), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['appuser.id']),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_web_session_token_hash'), 'web_session', ['token_hash'], unique=True)
    op.create_index(op.f('ix_web_session_user_id'), 'web_session', ['user_id'], unique=False)
    op.create_table('signin_ticket',
                    sa.Column('ticket_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['appuser.id']),
                    sa.PrimaryKeyConstraint('ticket_hash'))
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    op.drop_table('signin_ticket')
    op.drop_index(op.f('ix_web_session_user_id'), table_name='web_session')
    op.drop_index(op.f('ix_web_session_token_hash'), table_name='web_session')
    op.drop_table('web_session')
