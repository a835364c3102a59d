"""organisations: province and district of an organisation, a clerk's note on a plan item

One store holds many organisations (อปท.); the public list groups them by province. A plan entered from the
plan workbook may carry a note per item.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.add_column(sa.Column('province_th', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('district_th', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('project') as batch_op:
        batch_op.add_column(sa.Column('note_th', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))
    # accounts made while the store served one organisation belong to it
    op.execute("UPDATE appuser SET organisation_id = (SELECT MIN(id) FROM organisation) "
               "WHERE organisation_id IS NULL AND (SELECT COUNT(*) FROM organisation) = 1")
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('project') as batch_op:
        batch_op.drop_column('note_th')
    with op.batch_alter_table('organisation') as batch_op:
        batch_op.drop_column('district_th')
        batch_op.drop_column('province_th')
