"""round deadlines: the day units report by and the day members score by

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evaluationround') as batch_op:
        batch_op.add_column(sa.Column('units_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('members_due_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('evaluationround') as batch_op:
        batch_op.drop_column('members_due_on')
        batch_op.drop_column('units_due_on')
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())
