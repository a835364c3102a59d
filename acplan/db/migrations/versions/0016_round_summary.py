"""round summaries: a published round's figures for the roll-up across organisations, filled for those published

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'round_summary',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('fiscal_year_be', sa.Integer(), nullable=False),
        sa.Column('round_no', sa.Integer(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('on_time', sa.Boolean(), nullable=False),
        sa.Column('result', sa.Float(), nullable=True),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.Column('items_scored', sa.Integer(), nullable=False),
        sa.Column('completed', sa.Integer(), nullable=False),
        sa.Column('in_progress', sa.Integer(), nullable=False),
        sa.Column('not_started', sa.Integer(), nullable=False),
        sa.Column('not_possible', sa.Integer(), nullable=False),
        sa.Column('not_scored', sa.Integer(), nullable=False),
        *[sa.Column(f'reason_{r}', sa.Integer(), nullable=False)
          for r in ('no_budget', 'policy_change', 'staffing', 'other', 'unstated')],
        sa.Column('planned_thb', sa.Integer(), nullable=False),
        sa.Column('spent_thb', sa.Integer(), nullable=True),
        *[c for d in (1, 2, 3, 4) for c in (sa.Column(f'dim{d}_result', sa.Float(), nullable=True),
                                              sa.Column(f'dim{d}_scored', sa.Integer(), nullable=False),
                                              sa.Column(f'dim{d}_items', sa.Integer(), nullable=False))],
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id']),
        sa.ForeignKeyConstraint(['round_id'], ['evaluationround.id']),
        sa.PrimaryKeyConstraint('round_id'),
    )
    op.create_index(op.f('ix_round_summary_plan_id'), 'round_summary', ['plan_id'], unique=False)
    from sqlmodel import Session

    from acplan.monitoring import rollup
    from acplan.monitoring.models import RoundSummary
    # The rounds published before: their figures, as a publish writes them, by today's code. Only while the model still
    # has this migration's columns: a later migration that changes the table fills it again at its own end.
    table = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("round_summary")}
    if table == {c.name for c in RoundSummary.__table__.columns}:
        with Session(bind=op.get_bind()) as session:
            rollup.refresh_all(session)
            session.flush()
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f('ix_round_summary_plan_id'), table_name='round_summary')
    op.drop_table('round_summary')
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())
