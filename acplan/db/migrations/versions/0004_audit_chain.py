"""audit chain: each audit row carries the previous row's hash and its own; audit_head; REPLACE refused

Existing rows are chained in id order (the append-only triggers are lifted for that one backfill,
by the owner running the migration, and put back). Rounds record the chain's head when published.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlmodel import Session, select

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
    "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
SQLITE_NO_UPDATE = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def upgrade() -> None:
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    with op.batch_alter_table('evaluationround') as batch_op:
        batch_op.add_column(sa.Column('audit_head', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_table('audit_head',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
                    sa.Column('rows', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    _chain_existing_rows()
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_NO_REPLACE)


def _chain_existing_rows() -> None:
    from acplan.monitoring import chain
    from acplan.monitoring.models import AuditLog

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.execute("DROP TRIGGER audit_log_no_update" if sqlite else "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
    session = Session(bind=bind)
    previous, count = chain.GENESIS, 0
    for row in session.exec(select(AuditLog).order_by(AuditLog.id)).all():
        row.prev_hash = previous
        row.row_hash = previous = chain.digest(row)
        count += 1
    session.flush()
    op.execute(sa.text("INSERT INTO audit_head (id, hash, rows) VALUES (1, :hash, :rows)")
               .bindparams(hash=previous, rows=count))
    op.execute(SQLITE_NO_UPDATE if sqlite else "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_replace")
    op.drop_table('audit_head')
    with op.batch_alter_table('evaluationround') as batch_op:
        batch_op.drop_column('audit_head')
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
