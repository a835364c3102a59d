"""Alembic environment: the Engine comes from acplan.db (no URL in an ini file).

SQLite: a migration that changes a table's constraints rebuilds the table (Alembic's batch mode), which
drops the old table while other tables still reference it; foreign-key enforcement is therefore off while
the migrations run, and every reference is checked once they are done (a broken one stops the upgrade).
"""

from alembic import context
from sqlmodel import SQLModel

import acplan.monitoring.models  # noqa: F401  (registers every table on SQLModel.metadata)

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction, where it takes effect
        connection.commit()
    with connection.begin():
        context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
            raise RuntimeError(f"the migration left {len(broken)} broken references")
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
