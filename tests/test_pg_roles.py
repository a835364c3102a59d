"""PostgreSQL: migrations run as an owner role; the app's role, set up by `grant-roles`, works in the data but can
neither change nor drop what keeps the audit log append-only."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from acplan.db import make_engine, migrate
from acplan.monitoring import audit, chain
from tests.conftest import PG_ADMIN_URL

ATTEMPTS = [
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
    "ALTER TABLE audit_log DISABLE TRIGGER USER",
    "DROP TRIGGER audit_log_no_update ON audit_log",
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    "UPDATE audit_log SET actor = 'x'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "DROP TABLE audit_log",
    "CREATE TABLE intruder (x int)",
    "UPDATE alembic_version SET version_num = '0001'",
]


@pytest.fixture
def roles(pg_url):
    """A database owned by a fresh owner role, migrated by it, and an app role granted by `grant-roles`."""
    tag = uuid.uuid4().hex[:8]
    owner, app = f"acplan_owner_{tag}", f"acplan_app_{tag}"
    admin = make_engine(PG_ADMIN_URL)
    database = pg_url.rsplit("/", 1)[1]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{app}" LOGIN'))
        conn.execute(text(f'ALTER DATABASE "{database}" OWNER TO "{owner}"'))
    base = pg_url.replace("postgres@", "{}@", 1)
    yield base.format(owner), base.format(app), app
    in_db = make_engine(pg_url)
    with in_db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'REASSIGN OWNED BY "{owner}" TO postgres'))
        conn.execute(text(f'DROP OWNED BY "{app}"'))
        conn.execute(text(f'DROP OWNED BY "{owner}"'))
    in_db.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" OWNER TO postgres'))
        conn.execute(text(f'DROP ROLE "{app}"'))
        conn.execute(text(f'DROP ROLE "{owner}"'))
    admin.dispose()


def test_the_app_role_writes_and_audits_but_cannot_undo_the_append_only_log(roles, cli):
    owner_url, app_url, app_role = roles
    owner = make_engine(owner_url)
    migrate(owner)
    owner.dispose()
    code, out, err = cli("grant-roles", "--app-role", app_role, env={"ACPLAN_DATABASE_URL": owner_url})
    assert code == 0, err
    app = make_engine(app_url)
    with Session(app) as s:
        audit.record(s, actor="m1", action="test.write", entity="test", entity_id=1, after={"v": 1})
        s.commit()
    refused = []
    for statement in ATTEMPTS:
        try:
            with app.begin() as conn:
                conn.execute(text(statement))
        except DatabaseError as exc:
            refused.append("permission denied" in str(exc) or "must be owner" in str(exc) or "append-only" in str(exc))
        else:
            refused.append(False)
    assert refused == [True] * len(ATTEMPTS)
    with Session(app) as s:
        verdict = chain.verify(s)
    assert (verdict.rows, verdict.problems) == (1, [])
    app.dispose()
