"""The store: engines (read-write and read-only), Alembic migrations, column types, backup and public snapshot."""

from acplan.db.engine import (
    alembic_config,
    current_revision,
    downgrade_to_nothing,
    known_revisions,
    make_engine,
    migrate,
    require_current_schema,
)

__all__ = ["alembic_config", "current_revision", "downgrade_to_nothing", "known_revisions", "make_engine", "migrate",
           "require_current_schema"]
