"""committee and conclusion: an account's position and duty on the committee, a round's conclusion

The meeting pack lists the committee (name, position, duty) and ends with the committee's conclusion and a
signature block for the chair and the secretary.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.add_column(sa.Column('position_th', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('committee_duty', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    with op.batch_alter_table('evaluationround') as batch_op:
        batch_op.add_column(sa.Column('conclusion_th', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('evaluationround') as batch_op:
        batch_op.drop_column('conclusion_th')
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.drop_column('committee_duty')
        batch_op.drop_column('position_th')
