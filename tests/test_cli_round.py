"""A whole round through the command line: accounts, round, Excel import (bad sheet first), close, reopen, publish."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring.models import AuditLog, ScoreEntry
from tests.conftest import loaded_store


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(cli, tmp_path, template_root):
    """`acplan …` in this process (acplan.cli.main) on a loaded store of this test's own."""
    url = loaded_store(tmp_path / "cli.db", template_root)

    def run(*args: str, stdin: str = "") -> Result:
        return Result(*cli(*args, stdin=stdin, env={"ACPLAN_DATABASE_URL": url}))
    run.url = url
    return run


def test_the_console_entry_point_runs_as_a_process(tmp_path):
    """One real process: `python -m acplan` starts, refuses a mistyped setting, and runs a command."""
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "acplan", "init"], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "acplan", "round", "list"], env={**env, "ACPLAN_MODE": "publc"},
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "ACPLAN_MODE='publc'" in bad.stderr and "Traceback" not in bad.stderr


def fill(template: Path, out: Path, rows: dict[int, tuple]) -> None:
    wb = load_workbook(template)
    ws = wb.active
    for number, (status, progress, score, spent) in rows.items():
        r = number + 1
        ws.cell(r, 3).value, ws.cell(r, 5).value, ws.cell(r, 6).value, ws.cell(r, 7).value = status, progress, score, spent
    wb.save(out)


def test_whole_round_through_the_cli(cli, tmp_path):
    for name, role in (("admin", "admin"), ("sec", "secretary"), ("m1", "committee"), ("m2", "committee")):
        r = cli("user", "add", name, "--role", role, "--name", f"คุณ {name}", "--password-stdin", stdin=f"{name}-pass-word\n")
        assert r.returncode == 0, r.stderr
    assert cli("round", "create", "2567", "1").stdout.strip() == "สร้างรอบ 2567-1 (ร่าง) แล้ว"
    assert cli("round", "open", "2567-1").returncode == 0

    template = tmp_path / "m1.xlsx"
    assert cli("scores", "template", "--round", "2567-1", "--member", "m1", "-o", str(template)).returncode == 0
    headers = [c.value for c in load_workbook(template).active[1]]
    assert [h.rsplit("(", 1)[1].rstrip(")") for h in headers] == [
        "project_no", "name", "status", "not_possible_reason", "progress_pct", "score", "spent_thb", "comment"]

    bad = tmp_path / "bad.xlsx"
    fill(template, bad, {1: ("ดำเนินการแล้วเสร็จ", 100, 5, 180000), 2: ("in_progress", 150, 9, -1), 3: ("??", 10, 2, 0)})
    r = cli("scores", "import", str(bad), "--round", "2567-1", "--member", "m1")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "แถว 3 คอลัมน์ ความก้าวหน้า (progress_pct): ความก้าวหน้า “150” ต้องเป็นจำนวนเต็ม 0–100",
        "แถว 3 คอลัมน์ คะแนน (score): คะแนน “9” ต้องเป็นเลขจำนวนเต็ม 1–5",
        "แถว 3 คอลัมน์ ใช้จ่ายจริง (spent_thb): ค่าใช้จ่าย “-1” ต้องเป็นจำนวนเต็มบาท ไม่ติดลบ",
        "แถว 4 คอลัมน์ สถานะ (status): สถานะ “??” ไม่รู้จัก: เลือก ยังไม่ดำเนินการ / อยู่ระหว่างดำเนินการ / "
        "ดำเนินการแล้วเสร็จ / ไม่สามารถดำเนินการได้"]
    engine = make_engine(cli.url)
    with Session(engine) as s:
        assert s.exec(select(ScoreEntry)).all() == []

    good = tmp_path / "good.xlsx"
    fill(template, good, {n: ("in_progress", 50, 4, 0) for n in range(1, 31)} | {1: ("completed", 100, 5, 180000),
                                                                                  7: ("ยังไม่ดำเนินการ", 0, 4, 0)})
    r = cli("scores", "import", str(good), "--round", "2567-1", "--member", "m1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1:] == ["คำเตือน: แถว 8 คอลัมน์ คะแนน (score): สถานะ “ยังไม่ดำเนินการ” แต่ได้คะแนน 4 "
                                         "(ตั้งแต่ 3 ขึ้นไป) — ตรวจสอบว่าสถานะหรือคะแนนถูกต้อง"]
    template2 = tmp_path / "m2.xlsx"
    assert cli("scores", "template", "--round", "2567-1", "--member", "m2", "-o", str(template2)).returncode == 0
    good2 = tmp_path / "good2.xlsx"
    fill(template2, good2, {n: ("in_progress", 40, 2, 0) for n in range(1, 31)} | {1: ("completed", 100, 3, 170000)})
    assert cli("scores", "import", str(good2), "--round", "2567-1", "--member", "m2").returncode == 0

    export = tmp_path / "results.xlsx"
    assert cli("scores", "export", "--round", "2567-1", "-o", str(export)).returncode == 0
    agg = load_workbook(export)["รายรายการ"]
    first = [c.value for c in agg[2]]
    assert first == [1, 4.0, 4.0, 3, 5, 2]  # (5 + 3) / 2 = 4.00, SCORING.md §3
    second = [c.value for c in agg[3]]
    assert second == [2, 3.0, 3.0, 2, 4, 2]
    assert len(list(load_workbook(export)["รายกรรมการ"].iter_rows(min_row=2))) == 60

    assert cli("round", "close", "2567-1").returncode == 0
    r = cli("scores", "import", str(good), "--round", "2567-1", "--member", "m1")
    assert r.returncode == 1 and "ไม่ได้เปิดรับการประเมิน" in r.stderr
    assert cli("round", "reopen", "2567-1", "--reason", "x").returncode == 1
    assert cli("round", "reopen", "2567-1", "--reason", "กรรมการขอแก้ไขคะแนนรายการที่ 1").returncode == 0
    assert cli("round", "close", "2567-1").returncode == 0
    published = cli("round", "publish", "2567-1").stdout.splitlines()
    assert published[0] == "รอบ 2567-1: เผยแพร่แล้ว"
    head = published[1].rsplit(": ", 1)[1]
    assert len(head) == 64
    verified = cli("audit", "verify", "--head", head)
    assert verified.returncode == 0 and verified.stdout.startswith("บันทึกการแก้ไขครบถ้วน:"), verified.stderr
    assert cli("audit", "verify", "--head", "0" * 63 + "1").returncode == 1

    with Session(engine) as s:
        actions = [a.action for a in s.exec(select(AuditLog))]
        assert actions.count("user.add") == 4 and actions.count("entry.save") == 60
        assert [a for a in actions if a.startswith("round.")] == [
            "round.create", "round.open", "round.close", "round.reopen", "round.close", "round.publish"]
        assert not any("password_hash" in json.dumps(a.after or {}) for a in s.exec(select(AuditLog)))
    engine.dispose()


def test_a_sheet_made_for_another_round_or_member_is_refused_and_nothing_changes(cli, tmp_path):
    for name in ("m1", "m2"):
        assert cli("user", "add", name, "--role", "committee", "--name", f"คุณ {name}", "--password-stdin",
                   stdin=f"{name}-pass-word\n").returncode == 0
    for code in ("2567-1", "2567-2"):
        assert cli("round", "create", *code.split("-")).returncode == 0
        assert cli("round", "open", code).returncode == 0
    template = tmp_path / "m1.xlsx"
    assert cli("scores", "template", "--round", "2567-1", "--member", "m1", "-o", str(template)).returncode == 0
    filled = tmp_path / "m1-filled.xlsx"
    fill(template, filled, {n: ("in_progress", 50, 4, 0) for n in range(1, 31)})

    wrong_member = cli("scores", "import", str(filled), "--round", "2567-1", "--member", "m2")
    assert wrong_member.returncode == 1
    assert wrong_member.stderr.strip() == ("แบบฟอร์มนี้เป็นของผู้ประเมิน m1 แต่กำลังนำเข้าเป็นคะแนนของ คุณ m2 (m2): "
                                           "ไม่ได้นำเข้าสิ่งใด — นำเข้าในชื่อ m1 หรือใช้แบบฟอร์มของ m2")
    both = cli("scores", "import", str(filled), "--round", "2567-2", "--member", "m2")
    assert both.returncode == 1
    assert [line.split(":")[0] for line in both.stderr.splitlines()] == [
        "แบบฟอร์มนี้ทำไว้สำหรับรอบ 2567-1 แต่กำลังนำเข้าในรอบ 2567-2", "แบบฟอร์มนี้เป็นของผู้ประเมิน m1 แต่กำลังนำเข้าเป็นคะแนนของ คุณ m2 (m2)"]
    engine = make_engine(cli.url)
    with Session(engine) as s:
        assert s.exec(select(ScoreEntry)).all() == []
    engine.dispose()
    assert cli("scores", "import", str(filled), "--round", "2567-1", "--member", "m1").returncode == 0


def test_closing_or_publishing_before_the_period_ends_needs_early_and_a_reason(cli, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2026-11-29")  # 29 Nov 2569; round 2570-1 runs until 31 March 2570
    assert cli("round", "create", "2570", "1").returncode == 0
    assert cli("round", "open", "2570-1").returncode == 0
    refused = cli("round", "close", "2570-1")
    assert refused.returncode == 1
    assert refused.stderr.startswith("ช่วงเวลาของรอบ 2570-1 ยังไม่สิ้นสุด (ถึง 31 มีนาคม 2570)")
    no_reason = cli("round", "close", "2570-1", "--early")
    assert no_reason.returncode == 1 and "ต้องระบุเหตุผล" in no_reason.stderr
    why = "สภาขอรายงานในการประชุมสมัยสามัญเดือนธันวาคม"
    assert cli("round", "close", "2570-1", "--early", "--reason", why).returncode == 0
    assert cli("round", "publish", "2570-1").returncode == 1  # publishing early is its own choice
    assert cli("round", "publish", "2570-1", "--early", "--reason", why).returncode == 0
    engine = make_engine(cli.url)
    with Session(engine) as s:
        rows = s.exec(select(AuditLog).where(AuditLog.action.in_(["round.close", "round.publish"]))).all()
        assert [(r.action, r.reason) for r in rows] == [("round.close", why), ("round.publish", why)]
    engine.dispose()
    assert cli("round", "create", "2570", "2").returncode == 0
    assert cli("round", "open", "2570-2").returncode == 0
    monkeypatch.setenv("ACPLAN_TODAY", "2027-10-01")  # the day after round 2570-2's period: no question asked
    assert cli("round", "close", "2570-2").returncode == 0
