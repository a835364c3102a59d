"""Backup and restore keep every table identical; the public snapshot holds published data only."""

import sqlite3
import subprocess
import sys

import pytest
from sqlmodel import Session, SQLModel

from acplan.db import backup, make_engine
from acplan.db.snapshot import publish_snapshot
from acplan.errors import InvalidInput
from acplan.monitoring import entries, findings, rounds
from acplan.monitoring.yearly import parse_yearly, set_yearly_result
from acplan.plan.load import init_store
from tests.conftest import PLAN_FILE
from tests.factories import OPERATOR, as_actor, entry_values, open_round, plan_id, project_id, user
from tests.test_store import snapshot as table_rows


@pytest.fixture
def busy_store(tmp_path):
    """A store with users, a published round with entries and findings, an open round, results and an audit trail."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    init_store(engine, PLAN_FILE, actor=OPERATOR)
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


def test_public_snapshot_has_no_accounts_audit_or_unpublished_data(busy_store):
    engine, tmp_path = busy_store
    target = tmp_path / "public.db"
    counts = publish_snapshot(tmp_path / "live.db", target)
    assert counts == {"evaluationround": 1, "scoreentry": 3, "finding": 1, "appuser": 2, "audit_log": 0}
    conn = sqlite3.connect(target)
    users_rows = conn.execute("SELECT username, display_name, password_hash FROM appuser ORDER BY id").fetchall()
    assert users_rows == [("member-1", "", ""), ("member-2", "", "")]
    raw = target.read_bytes()
    for secret in (b"$argon2", "ภายในเท่านั้น".encode(), "ผู้ใช้ m1".encode(), b"m1-password"):
        assert secret not in raw
    assert conn.execute("SELECT text FROM finding").fetchall() == [("เผยแพร่ได้",)]
    conn.close()
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
