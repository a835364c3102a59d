"""Alembic environment: the Engine comes from acplan.db (no URL in an ini file)."""

from alembic import context
from sqlmodel import SQLModel

import acplan.monitoring.models  # noqa: F401  (registers every table on SQLModel.metadata)

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
