"""oversight: the province an oversight account reads (empty: every province)

A province or national office's account belongs to no organisation; it reads the results of the organisations
in its province, or of all.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.add_column(sa.Column('oversight_province_th', sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=False, server_default=''))
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('appuser') as batch_op:
        batch_op.drop_column('oversight_province_th')
