"""units: one row per responsible unit of a plan; items point to it and keep the document's wording

Existing plans get one unit per wording their items use; `python -m acplan init` then applies the data
file's `units` section (other wordings of the same unit) to the stored plan.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('plan_id', sa.Integer(), nullable=False),
                    sa.Column('name_th', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('aliases', sa.JSON(), nullable=False),
                    sa.Column('note_th', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''),
                    sa.ForeignKeyConstraint(['plan_id'], ['plan.id']),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('plan_id', 'name_th'))
    op.create_index(op.f('ix_unit_plan_id'), 'unit', ['plan_id'], unique=False)
    with op.batch_alter_table('project') as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_project_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key('fk_project_unit_id_unit', 'unit', ['unit_id'], ['id'])
    bind = op.get_bind()
    unit = sa.table('unit', sa.column('plan_id'), sa.column('name_th'), sa.column('aliases', sa.JSON),
                    sa.column('note_th'))
    wordings = bind.execute(sa.text("SELECT DISTINCT plan_id, responsible_unit FROM project")).all()
    if wordings:
        bind.execute(unit.insert(), [{"plan_id": plan_id, "name_th": name, "aliases": [], "note_th": ""}
                                     for plan_id, name in wordings])
    op.execute("UPDATE project SET unit_id = (SELECT u.id FROM unit u WHERE u.plan_id = project.plan_id "
               "AND u.name_th = project.responsible_unit)")
    if op.get_bind().dialect.name == "postgresql":  # the public role's views follow the tables
        from acplan.db.published import recreate_views
        recreate_views(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('project') as batch_op:
        batch_op.drop_constraint('fk_project_unit_id_unit', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_project_unit_id'))
        batch_op.drop_column('unit_id')
    op.drop_index(op.f('ix_unit_plan_id'), table_name='unit')
    op.drop_table('unit')
