"""The audit log is append-only at the database level, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, InternalError, ProgrammingError
from sqlmodel import Session

from acplan.db import make_engine, migrate
from acplan.monitoring.models import AuditLog


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    eng = make_engine(url)
    migrate(eng)
    with Session(eng) as session:
        session.add(AuditLog(at=datetime.now(UTC), actor="tester", action="test.write", entity="test", entity_id="1",
                             before=None, after={"value": 1}))
        session.commit()
    yield eng
    eng.dispose()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
], ids=["update", "delete"])
def test_database_refuses_changing_audit_rows(engine, statement):
    with pytest.raises((DatabaseError, ProgrammingError, InternalError), match="append-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["tester"]


def test_database_accepts_new_audit_rows(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action, entity, entity_id) "
                          "VALUES (CURRENT_TIMESTAMP, 'a', 'b', 'c', '2')"))
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 2


@pytest.mark.parametrize(("before", "after", "text"), [
    ({"score": 3, "status": "in_progress"}, {"score": 5, "status": "in_progress"}, "score: 3 → 5"),
    (None, {"score": 4}, "score: — → 4"),
    ({"score": 4}, {"score": 4}, ""),
])
def test_change_text_names_only_changed_fields(before, after, text):
    from acplan.monitoring.audit import change_text
    assert change_text(before, after) == text
