"""reminders: an account's e-mail address, and the log of every reminder sent

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.add_column(sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False,
                                      server_default=''))
    op.create_table(
        'reminder_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('about', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['evaluationround.id']),
        sa.ForeignKeyConstraint(['user_id'], ['appuser.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'user_id', 'about'),
    )
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    op.drop_table('reminder_log')
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.drop_column('email')
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())
