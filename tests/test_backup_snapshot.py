"""Backup and restore keep every table identical; the public snapshot holds published data only."""

import sqlite3
import subprocess
import sys

import pytest
from sqlmodel import Session, SQLModel, select

from acplan.db import backup, make_engine
from acplan.db.snapshot import publish_snapshot
from acplan.errors import InvalidInput
from acplan.monitoring import entries, findings, rounds
from acplan.monitoring.models import AppUser, ScoreEntry
from acplan.monitoring.yearly import parse_yearly, set_yearly_result
from tests.conftest import loaded_store, store_url
from tests.factories import OPERATOR, as_actor, entry_values, open_round, plan_id, project_id, user
from tests.test_store import snapshot as table_rows


@pytest.fixture
def busy_store(tmp_path, template_root):
    """A store with users, a published round with entries and findings, an open round, results and an audit trail."""
    url = loaded_store(tmp_path / "live.db", template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        m1, sec = user(s, "m1"), user(s, "sec", "secretary")
        rnd = open_round(s, "2567-1")
        for n in (1, 2, 3):
            entries.save_entry(session=s, actor=as_actor(m1), member=m1, rnd=rnd, project_id=project_id(s, n), entry_in=entries.parse_entry(entry_values(score=n + 1)),
                               expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(m1), member=m1, rnd=rnd)
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({"text": "เผยแพร่ได้", "severity": "low",
                                                                   "project_id": project_id(s, 1), "visibility": "public"}))
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({"text": "ภายในเท่านั้น", "severity": "high",
                                                                   "project_id": project_id(s, 2)}))
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        nxt = open_round(s, "2567-2")
        entries.save_entry(session=s, actor=as_actor(m1), member=m1, rnd=nxt, project_id=project_id(s, 4), entry_in=entries.parse_entry(entry_values(score=1)),
                           expected_version=None)
        set_yearly_result(session=s, actor=OPERATOR, plan_id=plan_id(s), result_in=parse_yearly(
            {"fiscal_year_be": 2566, "ita_score": 66.5, "corruption_cases": 1}))
        s.commit()
    yield engine, tmp_path
    engine.dispose()


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_backup_restore_round_trip_keeps_every_table_identical(busy_store, request, target):
    engine, tmp_path = busy_store
    data, rows = backup.backup(engine, metadata=SQLModel.metadata)
    assert rows > 200
    url = f"sqlite:///{tmp_path / 'restored.db'}" if target == "sqlite" else request.getfixturevalue("pg_url")
    restored = make_engine(url)
    backup.restore(restored, data, metadata=SQLModel.metadata)
    assert table_rows(restored) == table_rows(engine)
    with pytest.raises(InvalidInput) as err:
        backup.restore(restored, data, metadata=SQLModel.metadata)
    assert err.value.issues[0].code == "restore_target_not_empty"
    restored.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    with pytest.raises(InvalidInput) as err:
        backup.restore(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), b"not a backup", metadata=SQLModel.metadata)
    assert err.value.issues[0].code == "backup_unreadable"


PLAN_TABLES = {"organisation", "plan", "dimension", "mission", "subitem", "project", "projectsubitem", "budgetline",
               "indicator", "indicatortarget", "riskarea", "riskissue", "controlmeasure", "controlmeasureproject",
               "yearlytarget", "committee", "committeemember", "sourcenote", "yearlyresult", "alembic_version", "unit",
               "audit_head", "planamendment"}  # the published plan, its amendments and yearly figures, the schema version, the chain's public head


def test_public_snapshot_holds_published_data_and_nothing_that_names_or_links_a_member(busy_store):
    """Every table of the snapshot is inspected; what is not the published plan has its own rule."""
    engine, tmp_path = busy_store
    target = tmp_path / "public.db"
    counts = publish_snapshot(tmp_path / "live.db", target)
    assert counts == {"evaluationround": 1, "scoreentry": 3, "finding": 1, "appuser": 1, "audit_log": 0}
    conn = sqlite3.connect(target)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rest = tables - PLAN_TABLES
    assert rest == {"evaluationround", "scoreentry", "indicatorresult", "finding", "appuser", "audit_log",
                    "login_throttle", "web_session", "signin_ticket", "unit_report", "unit_report_activity",
                    "unit_report_indicator", "account_unit", "evidence", "reminder_log", "round_summary"}
    assert conn.execute("SELECT DISTINCT status FROM evaluationround").fetchall() == [("published",)]
    published = conn.execute("SELECT published_at FROM evaluationround").fetchone()[0]
    assert conn.execute("SELECT DISTINCT state, comment, version, created_at, updated_at FROM scoreentry").fetchall() \
        == [("submitted", "", 1, published, published)]
    assert conn.execute("SELECT count(*) FROM indicatorresult WHERE note != ''").fetchone() == (0,)
    assert conn.execute("SELECT text, visibility, created_by_id FROM finding").fetchall() == [("เผยแพร่ได้", "public", None)]
    users = conn.execute("SELECT id, username, display_name, password_hash, role, created_at FROM appuser").fetchall()
    assert [u[1:] for u in users] == [("member-1", "", "", "committee", published)]
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)
    for table in ("login_throttle", "web_session", "signin_ticket"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)  # noqa: S608 (fixed names)
    with Session(engine) as s:  # the member's id and the entries' ids are not the store's
        live_member = s.exec(select(AppUser.id).where(AppUser.username == "m1")).one()
        live_entries = set(s.exec(select(ScoreEntry.id)))
    public_entries = {r[0] for r in conn.execute("SELECT id FROM scoreentry")}
    assert users[0][0] != live_member and not public_entries & live_entries
    conn.close()
    raw = target.read_bytes()
    for secret in (b"$argon2", "ภายในเท่านั้น".encode(), "ผู้ใช้ m1".encode(), "ผู้ใช้ sec".encode(), b"m1-password"):
        assert secret not in raw
    again = tmp_path / "public-2.db"
    publish_snapshot(tmp_path / "live.db", again)
    second = sqlite3.connect(again)
    assert second.execute("SELECT id FROM appuser").fetchone()[0] != users[0][0]  # not linkable across snapshots
    assert not {r[0] for r in second.execute("SELECT id FROM scoreentry")} & public_entries
    second.close()
    with pytest.raises(InvalidInput):
        publish_snapshot(tmp_path / "live.db", target)


def test_backup_and_restore_commands(busy_store):
    engine, tmp_path = busy_store
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'live.db'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "acplan", "backup", "-o", str(tmp_path / "b.json.gz")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "สำรองข้อมูลไปที่" in out.stdout
    env["ACPLAN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'new.db'}"
    refused = subprocess.run([sys.executable, "-m", "acplan", "restore", str(tmp_path / "b.json.gz")], env=env,
                             input="no\n", capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "ยกเลิกการกู้คืน" in refused.stderr
    done = subprocess.run([sys.executable, "-m", "acplan", "restore", str(tmp_path / "b.json.gz")], env=env,
                          input="RESTORE\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert table_rows(make_engine(env["ACPLAN_DATABASE_URL"])) == table_rows(engine)


def _corrupt(good: bytes) -> dict[str, bytes]:
    """Damaged backups as a disk, a transfer or a hand edit leaves them."""
    import gzip
    import json

    payload = json.loads(gzip.decompress(good))

    def pack(value) -> bytes:
        return gzip.compress(json.dumps(value, ensure_ascii=False).encode())
    first_table = next(name for name, rows in payload["tables"].items() if rows)
    return {
        "truncated gzip": good[: len(good) // 2],
        "bit flipped": good[:40] + bytes([good[40] ^ 0xFF]) + good[41:],
        "empty": b"",
        "json list": pack([1, 2, 3]),
        "no tables": pack({k: v for k, v in payload.items() if k != "tables"}),
        "unknown revision": pack(payload | {"revision": "9999"}),
        "tables not a dict": pack(payload | {"tables": [1]}),
        "unknown table": pack(payload | {"tables": payload["tables"] | {"intruder": [{"x": 1}]}}),
        "unknown column": pack(payload | {"tables": payload["tables"] | {first_table: [{"nonsense": 1}]}}),
        "row not a dict": pack(payload | {"tables": payload["tables"] | {first_table: [1, 2]}}),
        "bad date": pack(payload | {"tables": payload["tables"] | {"evaluationround": [
            r | {"period_start": {"$d": "2567-13-45"}} for r in payload["tables"]["evaluationround"]]}}),
        "broken foreign key": pack(payload | {"tables": payload["tables"] | {"scoreentry": [
            r | {"round_id": 999} for r in payload["tables"]["scoreentry"]]}}),
        "duplicate key": pack(payload | {"tables": payload["tables"] | {
            first_table: payload["tables"][first_table] * 2}}),
        "deeply nested": gzip.compress(b"[" * 100_000 + b"]" * 100_000),
        "other format": pack(payload | {"format": "something-else"}),
        "revision null": pack(payload | {"revision": None}),
        "text for an id": pack(payload | {"tables": payload["tables"] | {first_table: [
            r | {"id": "abc"} for r in payload["tables"][first_table]]}}),
    }


def test_corrupted_backups_are_refused_with_a_message_and_leave_the_target_untouched(busy_store, tmp_path):
    from sqlalchemy import inspect
    engine, _ = busy_store
    good, _ = backup.backup(engine, metadata=SQLModel.metadata)
    for name, data in _corrupt(good).items():
        target = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
        with pytest.raises(InvalidInput) as err:
            backup.restore(target, data, metadata=SQLModel.metadata)
        assert err.value.issues[0].code == "backup_unreadable", name
        assert inspect(target).get_table_names() == [], name  # no half-made schema
        target.dispose()
        (tmp_path / "target.db").unlink(missing_ok=True)


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_backups_taken_while_the_app_writes_all_restore(request, db, tmp_path):
    """A writer saves entries without pause while backups are taken; every backup restores with its foreign keys."""
    import threading

    from sqlalchemy import text
    from sqlmodel import select

    from acplan.monitoring.models import AppUser, EvaluationRound
    engine = make_engine(store_url(request, db))
    with Session(engine) as s:
        user(s, "m1")
        open_round(s, "2567-1")
        s.commit()
    stop = threading.Event()

    def write() -> None:
        with Session(engine) as s:
            member, rnd = s.exec(select(AppUser)).one(), s.exec(select(EvaluationRound)).one()
            s.commit()
            n, versions = 0, {}
            while not stop.is_set():
                number = n % 30 + 1
                entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd,
                                   project_id=project_id(s, number), expected_version=versions.get(number),
                                   entry_in=entries.parse_entry(entry_values(score=n % 5 + 1)))
                s.commit()
                versions[number] = versions.get(number, 0) + 1
                n += 1
    writer = threading.Thread(target=write)
    writer.start()
    try:
        files = [backup.backup(engine, metadata=SQLModel.metadata)[0] for _ in range(BACKUPS_UNDER_WRITES)]
    finally:
        stop.set()
        writer.join()
    restored_ok = 0
    for i, data in enumerate(files):
        target = make_engine(f"sqlite:///{tmp_path / f'r{i}.db'}")
        backup.restore(target, data, metadata=SQLModel.metadata)
        with target.connect() as conn:
            restored_ok += conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        target.dispose()
    assert restored_ok == BACKUPS_UNDER_WRITES
    engine.dispose()


BACKUPS_UNDER_WRITES = 3  # bench/backup_under_writes.py takes 25 of each for README's figure
