"""unit reports: the responsible units' accounts and their reports on each item of a round

A `unit` account is tied to one or more of the plan's units (`account_unit`); in an open round it reports on each
item of its units (`unit_report`, with the activities it did and its indicators' actual values).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'account_unit',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.ForeignKeyConstraint(['user_id'], ['appuser.id']),
        sa.PrimaryKeyConstraint('user_id', 'unit_id'),
    )
    op.create_table(
        'unit_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('state', TEXT(length=16), nullable=False),
        sa.Column('status', TEXT(length=16), nullable=True),
        sa.Column('progress_pct', sa.Integer(), nullable=True),
        sa.Column('spent_thb', sa.Integer(), nullable=True),
        sa.Column('done_th', TEXT(), nullable=False),
        sa.Column('problems_th', TEXT(), nullable=False),
        sa.Column('suggestions_th', TEXT(), nullable=False),
        sa.Column('returned_reason_th', TEXT(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id']),
        sa.ForeignKeyConstraint(['round_id'], ['evaluationround.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['appuser.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'project_id'),
    )
    for column in ('round_id', 'project_id', 'unit_id'):
        op.create_index(op.f(f'ix_unit_report_{column}'), 'unit_report', [column], unique=False)
    op.create_table(
        'unit_report_activity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('text_th', TEXT(), nullable=False),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('end_on', sa.Date(), nullable=True),
        sa.Column('place_th', TEXT(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['report_id'], ['unit_report.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_unit_report_activity_report_id'), 'unit_report_activity', ['report_id'], unique=False)
    op.create_table(
        'unit_report_indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('actual_value', sa.Float(), nullable=True),
        sa.Column('note', TEXT(), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id']),
        sa.ForeignKeyConstraint(['report_id'], ['unit_report.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('report_id', 'indicator_id'),
    )
    op.create_index(op.f('ix_unit_report_indicator_report_id'), 'unit_report_indicator', ['report_id'], unique=False)
    op.create_index(op.f('ix_unit_report_indicator_indicator_id'), 'unit_report_indicator', ['indicator_id'],
                    unique=False)
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    op.drop_table('unit_report_indicator')
    op.drop_table('unit_report_activity')
    op.drop_table('unit_report')
    op.drop_table('account_unit')
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())
