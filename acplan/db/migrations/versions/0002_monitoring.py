"""monitoring

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 20:24:46.142361
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
PG_TRIGGERS = [
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]


def _append_only_audit_log() -> None:
    """The database itself refuses UPDATE and DELETE on audit_log, whatever the application does."""
    for statement in SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity_id'), ['entity_id'], unique=False)

    op.create_table('appuser',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('appuser', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appuser_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appuser_username'), ['username'], unique=True)

    op.create_table('evaluationround',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_be', sa.Integer(), nullable=False),
    sa.Column('round_no', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('recorded_after_fact', sa.Boolean(), nullable=False),
    sa.Column('prefilled_from_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ),
    sa.ForeignKeyConstraint(['prefilled_from_id'], ['evaluationround.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'fiscal_year_be', 'round_no')
    )
    with op.batch_alter_table('evaluationround', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluationround_plan_id'), ['plan_id'], unique=False)

    op.create_table('yearlyresult',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_be', sa.Integer(), nullable=False),
    sa.Column('ita_score', sa.Float(), nullable=True),
    sa.Column('corruption_cases', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'fiscal_year_be')
    )
    with op.batch_alter_table('yearlyresult', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_yearlyresult_plan_id'), ['plan_id'], unique=False)

    op.create_table('finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('risk_area_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('recommendation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('responsible_unit', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('unit_response', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('visibility', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('brought_forward_from_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['brought_forward_from_id'], ['finding.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['appuser.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.ForeignKeyConstraint(['risk_area_id'], ['riskarea.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['evaluationround.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_round_id'), ['round_id'], unique=False)

    op.create_table('scoreentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('not_possible_reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('progress_pct', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('spent_thb', sa.Integer(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('carried_forward', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['appuser.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['evaluationround.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'project_id', 'member_id')
    )
    with op.batch_alter_table('scoreentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scoreentry_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scoreentry_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scoreentry_round_id'), ['round_id'], unique=False)

    op.create_table('indicatorresult',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('score_entry_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('actual_value', sa.Float(), nullable=True),
    sa.Column('achieved', sa.Boolean(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], ),
    sa.ForeignKeyConstraint(['score_entry_id'], ['scoreentry.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('score_entry_id', 'indicator_id')
    )
    with op.batch_alter_table('indicatorresult', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicatorresult_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicatorresult_score_entry_id'), ['score_entry_id'], unique=False)
    _append_only_audit_log()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table('indicatorresult', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicatorresult_score_entry_id'))
        batch_op.drop_index(batch_op.f('ix_indicatorresult_indicator_id'))

    op.drop_table('indicatorresult')
    with op.batch_alter_table('scoreentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scoreentry_round_id'))
        batch_op.drop_index(batch_op.f('ix_scoreentry_project_id'))
        batch_op.drop_index(batch_op.f('ix_scoreentry_member_id'))

    op.drop_table('scoreentry')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_round_id'))
        batch_op.drop_index(batch_op.f('ix_finding_project_id'))

    op.drop_table('finding')
    with op.batch_alter_table('yearlyresult', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_yearlyresult_plan_id'))

    op.drop_table('yearlyresult')
    with op.batch_alter_table('evaluationround', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluationround_plan_id'))

    op.drop_table('evaluationround')
    with op.batch_alter_table('appuser', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appuser_username'))
        batch_op.drop_index(batch_op.f('ix_appuser_organisation_id'))

    op.drop_table('appuser')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
