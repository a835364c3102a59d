"""amendments: a plan's numbered amendments, the fiscal years an item is in the plan, the plan's revision

An amendment (แผนฯ เพิ่มเติม/เปลี่ยนแปลง ครั้งที่ N) keeps its number, date, reason, reference, the fiscal year it
takes effect, its changes field by field and the plan as it stood before it. An item added by one is in the plan
from that year (`from_fy_be`); one it drops stays in the store, with its scores, until the year before
(`until_fy_be`). `plan.revision` counts the amendments applied: an edit started on an older revision is refused.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('project') as batch_op:
        batch_op.add_column(sa.Column('from_fy_be', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('until_fy_be', sa.Integer(), nullable=True))
    with op.batch_alter_table('plan') as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'planamendment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('approved_on', sa.Date(), nullable=False),
        sa.Column('effective_fy_be', sa.Integer(), nullable=False),
        sa.Column('reason_th', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('reference_th', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('before_data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('plan_id', 'number'),
    )
    op.create_index(op.f('ix_planamendment_plan_id'), 'planamendment', ['plan_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f('ix_planamendment_plan_id'), table_name='planamendment')
    op.drop_table('planamendment')
    with op.batch_alter_table('plan') as batch_op:
        batch_op.drop_column('revision')
    with op.batch_alter_table('project') as batch_op:
        batch_op.drop_column('until_fy_be')
        batch_op.drop_column('from_fy_be')
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())
