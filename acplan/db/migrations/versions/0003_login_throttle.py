"""login throttle: failed sign-ins counted per account name and per client, decided atomically

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
                    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
                    sa.Column('last_failure', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
                    sa.PrimaryKeyConstraint('key'))
    with op.batch_alter_table('appuser') as batch_op:  # the per-account counter moves to login_throttle
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade() -> None:
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.drop_table('login_throttle')
