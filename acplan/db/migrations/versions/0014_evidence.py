"""evidence: files attached to unit reports, members' entries and findings (their bytes kept apart, by SHA-256)

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('subject', TEXT(length=16), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('sha256', TEXT(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content_type', TEXT(length=100), nullable=False),
        sa.Column('original_name', TEXT(length=255), nullable=False),
        sa.Column('thumbnail_sha256', TEXT(length=64), nullable=True),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
        sa.Column('withdrawn_reason', TEXT(), nullable=False),
        sa.Column('purged_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['evaluationround.id']),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['appuser.id']),
        sa.ForeignKeyConstraint(['withdrawn_by_id'], ['appuser.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    for column in ('round_id', 'subject_id', 'sha256'):
        op.create_index(op.f(f'ix_evidence_{column}'), 'evidence', [column], unique=False)
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    op.drop_table('evidence')
    if op.get_bind().dialect.name == "postgresql":
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())
