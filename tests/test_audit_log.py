"""The audit log is append-only at the database level and chained, on SQLite and PostgreSQL: changing, removing,
inserting or replacing a row is refused, and `audit verify` finds it even when the triggers were bypassed."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, InternalError, ProgrammingError
from sqlmodel import Session, select

from acplan.db import make_engine, migrate
from acplan.monitoring import audit, chain
from acplan.monitoring.models import AuditLog
from tests.conftest import store_url

REFUSED = (DatabaseError, ProgrammingError, InternalError)


def chained_store(url: str):
    """The migrated store at `url`, its audit log given five rows written by `audit.record`."""
    eng = make_engine(url)
    with Session(eng) as session:
        for i in range(1, 6):
            audit.record(session, actor="tester", action="test.write", entity="test", entity_id=i, after={"value": i})
        session.commit()
    return eng


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    eng = chained_store(store_url(request, request.param, loaded=False))
    yield eng
    eng.dispose()


def verdict(engine, head: str | None = None) -> chain.Verdict:
    with Session(engine) as s:
        return chain.verify(s, expected_head=head)


def owner_bypass(engine, statement: str) -> None:
    """What only the database's owner can do: lift the append-only triggers, run `statement`, put them back."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text(statement))
            for trigger, event in (("audit_log_no_update", "UPDATE"), ("audit_log_no_delete", "DELETE")):
                conn.execute(text(f"CREATE TRIGGER {trigger} BEFORE {event} ON audit_log "
                                  "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"))
        else:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            conn.execute(text(statement))
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
], ids=["update", "delete"])
def test_database_refuses_changing_audit_rows(engine, statement):
    with pytest.raises(REFUSED, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["tester"] * 5


@pytest.mark.parametrize("statement", [
    "INSERT OR REPLACE INTO audit_log (id, at, actor, action, entity, entity_id) "
    "VALUES (1, CURRENT_TIMESTAMP, 'x', 'x', 'x', 'x')",
    "REPLACE INTO audit_log (id, at, actor, action, entity, entity_id) VALUES (1, CURRENT_TIMESTAMP, 'x', 'x', 'x', 'x')",
], ids=["insert-or-replace", "replace-into"])
def test_sqlite_refuses_replacing_an_audit_row(request, statement):
    """REPLACE deletes the old row without firing DELETE triggers (PostgreSQL has no such statement)."""
    engine = chained_store(store_url(request, "sqlite", loaded=False))
    with pytest.raises(REFUSED, match="append-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    assert verdict(engine).problems == []


def test_the_chain_of_rows_written_by_the_services_verifies(engine):
    result = verdict(engine)
    assert (result.rows, result.problems) == (5, [])
    with Session(engine) as s:
        rows = s.exec(select(AuditLog).order_by(AuditLog.id)).all()
        assert rows[0].prev_hash == chain.GENESIS and rows[1].prev_hash == rows[0].row_hash
        assert result.head == rows[-1].row_hash == chain.head_hash(s)


@pytest.mark.parametrize(("statement", "expected"), [
    ("UPDATE audit_log SET after = '{\"value\": 99}' WHERE id = 3", [(3, "content")]),
    ("DELETE FROM audit_log WHERE id = 3", [(4, "link")]),
    ("DELETE FROM audit_log WHERE id = 5", [(None, "head")]),
], ids=["changed", "removed", "removed-at-the-end"])
def test_verify_finds_a_row_changed_or_removed_behind_the_triggers(engine, statement, expected):
    owner_bypass(engine, statement)
    assert verdict(engine).problems == expected


def test_verify_finds_a_row_inserted_without_the_chain(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action, entity, entity_id) "
                          "VALUES (CURRENT_TIMESTAMP, 'intruder', 'x', 'x', '1')"))
    assert verdict(engine).problems == [(6, "link"), (6, "content"), (None, "head")]


def test_a_printed_head_is_found_until_the_record_behind_it_is_rewritten(engine):
    head = verdict(engine).head
    with Session(engine) as s:
        audit.record(s, actor="tester", action="test.write", entity="test", entity_id=6)
        s.commit()
    assert verdict(engine, head).head_found is True
    # an intruder with the owner's rights changes row 2 and recomputes the whole chain so that it verifies
    owner_bypass(engine, "UPDATE audit_log SET actor = 'someone else' WHERE id = 2")
    with Session(engine) as s:
        previous = chain.GENESIS
        rows = s.exec(select(AuditLog).order_by(AuditLog.id)).all()
        for row in rows:
            row.prev_hash, row.row_hash = previous, None
            row.row_hash = previous = chain.digest(row)
        fixes = [(r.id, r.prev_hash, r.row_hash) for r in rows]
    for row_id, prev_hash, row_hash in fixes:
        owner_bypass(engine, f"UPDATE audit_log SET prev_hash = '{prev_hash}', row_hash = '{row_hash}' WHERE id = {row_id}")
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE audit_head SET hash = '{previous}'"))
    rewritten = verdict(engine, head)
    assert rewritten.problems == []  # the rewritten chain is consistent in itself …
    assert rewritten.head_found is False  # … but no longer holds the head printed before


def test_change_text_names_only_changed_fields():
    assert audit.change_text({"score": 3, "status": "in_progress"}, {"score": 5, "status": "in_progress"}) == "score: 3 → 5"
    assert audit.change_text(None, {"score": 4}) == "score: — → 4"
    assert audit.change_text({"score": 4}, {"score": 4}) == ""


def test_migration_chains_the_rows_written_before_it(sqlite_url):
    eng = make_engine(sqlite_url)
    migrate(eng, "0003")
    with eng.begin() as conn:
        for i in range(3):
            conn.execute(text("INSERT INTO audit_log (at, actor, action, entity, entity_id, after) VALUES "
                              f"('2026-01-0{i + 1} 10:00:00.000000', 'old', 'x', 'x', '{i}', '{{\"v\": {i}}}')"))
    migrate(eng)
    result = verdict(eng)
    assert (result.rows, result.problems) == (3, [])
    eng.dispose()
