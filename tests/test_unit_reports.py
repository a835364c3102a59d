"""The responsible units' reports (#14): a unit account reports on its own items in an open round — drafts with
optimistic locking, submitting locks them, the secretary returns one with a reason — every write audited; who
reads them when; what the public snapshot keeps."""

import io
import shutil
import sqlite3
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import Session, select

from acplan.db.snapshot import publish_snapshot
from acplan.errors import Conflict, InvalidInput, NotAllowed
from acplan.i18n import describe
from acplan.monitoring import entries, rounds, unitreports, unitsheet
from acplan.monitoring.models import AuditLog, EvaluationRound, ReportState
from acplan.plan.models import Indicator, PlanItem, Unit
from acplan.reporting import build_report
from acplan.ui import grid
from tests.conftest import need
from tests.factories import OPERATOR, TODAY, as_actor, plan_id, project_id, user
from tests.test_report import pdf_text

REPORT = {"status": "in_progress", "progress_pct": "๖๐", "spent_thb": "12,500", "done_th": "จัดอบรม 2 ครั้ง",
          "problems_th": "งบประมาณมาล่าช้า", "suggestions_th": "ควรเริ่มไตรมาสแรก"}
ACTIVITIES = [{"text_th": "อบรมพนักงาน", "start_on": "15/01/2568", "end_on": "16/01/2568", "place_th": "ห้องประชุม",
               "count": "45"},
              {"text_th": "", "start_on": None, "end_on": None, "place_th": None, "count": None}]  # an empty row


def unit_of(session, number: int) -> Unit:
    return session.get(Unit, session.get(PlanItem, project_id(session, number)).unit_id)


def unit_round(session) -> None:
    """Account unit1 reporting for item 1's unit, member m1, round 2568-1 open (committed)."""
    user(session, "unit1", "unit")
    unitreports.set_units(session=session, actor=OPERATOR, username="unit1", plan_id=plan_id(session),
                          unit_names=[unit_of(session, 1).name_th])
    user(session, "m1", "committee")
    open_round(session)
    session.commit()


def open_round(session, code="2568-1") -> EvaluationRound:
    fy, no = rounds.parse_code(code)
    rounds.create_round(session=session, actor=OPERATOR, plan_id=plan_id(session), fiscal_year_be=fy, round_no=no,
                        today=TODAY)
    return rounds.transition(session=session, actor=OPERATOR, plan_id=plan_id(session), code=code, action="open")


@pytest.fixture
def store(loaded_engine):
    with Session(loaded_engine) as s:
        account = user(s, "unit1", "unit")
        unitreports.set_units(session=s, actor=OPERATOR, username="unit1", plan_id=plan_id(s),
                              unit_names=[unit_of(s, 1).name_th])
        user(s, "sec1", "secretary")
        user(s, "m1", "committee")
        open_round(s)
        s.commit()
        yield s, as_actor(account)


def rnd(session) -> EvaluationRound:
    return session.exec(select(EvaluationRound)).first()


def save(session, actor, number=1, fields=None, activities=ACTIVITIES, values=None, version=None):
    report_in = unitreports.parse_typed({**REPORT, **(fields or {})}, activities, values or {})
    return unitreports.save_report(session=session, actor=actor, rnd=rnd(session), project_id=project_id(session, number),
                                   report_in=report_in, expected_version=version)


def test_a_unit_reports_on_its_item_with_activities_and_indicator_values(store):
    s, unit = store
    indicator = s.exec(select(Indicator.id).where(Indicator.project_id == project_id(s, 1))).first()
    report = save(s, unit, values={indicator: "๘๕.๕"})
    s.commit()
    assert (report.state, report.status, report.progress_pct, report.spent_thb) == ("draft", "in_progress", 60, 12500)
    activities, values = unitreports.report_details(session=s, actor=unit, report_id=report.id)
    assert [(a["text_th"], a["start_on"].isoformat(), a["count"]) for a in activities] == [("อบรมพนักงาน", "2025-01-15", 45)]
    assert values == {indicator: 85.5}
    mine = unitreports.my_items(session=s, actor=unit, rnd=rnd(s))
    assert set(mine["unit"]) == {unit_of(s, 1).name_th}  # only its own unit's items
    assert mine.set_index("number").loc[1, "state"] == "draft"
    log = s.exec(select(AuditLog).where(AuditLog.action == "unit_report.save")).one()
    assert log.after["activities"][0]["text_th"] == "อบรมพนักงาน" and log.after["done_th"] == "จัดอบรม 2 ครั้ง"


def test_every_problem_of_a_report_is_said_at_once_and_nothing_is_written(store):
    s, unit = store
    bad = [{"text_th": "", "start_on": "15/01/2568", "end_on": None, "place_th": None, "count": None},
           {"text_th": "ประชุม", "start_on": "32/01/2568", "end_on": None, "place_th": None, "count": "สี่สิบ"},
           {"text_th": "ประชุม", "start_on": "15/02/2568", "end_on": "01/02/2568", "place_th": None, "count": None}]
    with pytest.raises(InvalidInput) as refused:
        save(s, unit, fields={"progress_pct": "150", "spent_thb": "-5"}, activities=bad, values={1: "ครึ่งหนึ่ง"})
    codes = [(i.code, i.row, i.column) for i in refused.value.issues]
    assert ("progress_invalid", None, "progress_pct") in codes and ("spent_invalid", None, "spent_thb") in codes
    assert ("activity_text_required", 1, "text_th") in codes and ("date_no_such_day", 2, "start_on") in codes
    assert ("indicator_value_invalid", None, "indicators") in codes
    with pytest.raises(InvalidInput) as refused:
        save(s, unit, activities=[bad[2]])
    assert [(i.code, i.row) for i in refused.value.issues] == [("activity_dates_order", 1)]
    with pytest.raises(InvalidInput) as refused:
        save(s, unit, activities=[{**bad[1], "start_on": None}])
    assert [i.code for i in refused.value.issues] == ["activity_count_invalid"]
    s.rollback()
    assert unitreports.my_items(session=s, actor=unit, rnd=rnd(s))["report_id"].isna().all()


def test_a_report_saved_meanwhile_is_not_overwritten(store):
    s, unit = store
    first = save(s, unit)
    s.commit()
    save(s, unit, fields={"done_th": "แก้จากอีกเครื่อง"}, version=first.version)
    s.commit()
    with pytest.raises(Conflict):
        save(s, unit, fields={"done_th": "ฉบับเก่า"}, version=1)
    s.rollback()
    assert unitreports.get_report(session=s, round_id=rnd(s).id, project_id=project_id(s, 1)).done_th == "แก้จากอีกเครื่อง"


def test_submitting_locks_a_report_until_the_secretary_returns_it_with_a_reason(store):
    s, unit = store
    report = save(s, unit)
    assert unitreports.submit_reports(session=s, actor=unit, rnd=rnd(s)) == 1
    s.commit()
    with pytest.raises(NotAllowed) as refused:
        save(s, unit, version=report.version)
    assert refused.value.issues[0].code == "report_submitted"
    s.rollback()
    secretary = as_actor(s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "sec1")).one())
    with pytest.raises(InvalidInput):
        unitreports.return_report(session=s, actor=secretary, rnd=rnd(s), number=1, reason="  ")
    returned = unitreports.return_report(session=s, actor=secretary, rnd=rnd(s), number=1,
                                         reason="ขอรายชื่อผู้เข้าอบรม")
    s.commit()
    assert (returned.state, returned.returned_reason_th) == (ReportState.RETURNED, "ขอรายชื่อผู้เข้าอบรม")
    again = save(s, unit, fields={"done_th": "แนบรายชื่อแล้ว"}, version=returned.version)
    assert unitreports.submit_reports(session=s, actor=unit, rnd=rnd(s)) == 1
    s.commit()
    assert (again.state, again.returned_reason_th) == (ReportState.SUBMITTED, "")
    actions = list(s.exec(select(AuditLog.action).where(AuditLog.entity == "unit_report").order_by(AuditLog.id)))
    assert actions == ["unit_report.save", "unit_report.submit", "unit_report.return", "unit_report.save",
                       "unit_report.submit"]


def test_a_unit_writes_only_its_own_items_in_an_open_round(store):
    s, unit = store
    other = next(n for n in range(1, 31) if unit_of(s, n).id != unit_of(s, 1).id)
    with pytest.raises(NotAllowed) as refused:
        save(s, unit, number=other)
    assert refused.value.issues[0].code == "report_not_your_unit"
    s.rollback()
    rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action="close", early=True,
                      reason="ทดสอบ")
    s.commit()
    with pytest.raises(NotAllowed) as refused:
        save(s, unit)
    assert refused.value.issues[0].code == "round_not_open"


def test_who_reads_a_units_report_and_when(store):
    s, unit = store
    save(s, unit)
    save(s, unit, number=_second_item(s))
    unitreports.submit_reports(session=s, actor=unit, rnd=rnd(s))
    save(s, unit, number=_third_item(s))  # a draft, never read by others
    s.commit()
    member = as_actor(s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "m1")).one())
    seen = unitreports.reports_frame(session=s, actor=member, rnd=rnd(s))
    assert set(seen["state"]) == {"submitted"} and len(seen) == 2
    with pytest.raises(NotAllowed):
        unitreports.reports_frame(session=s, actor=unitreports.Actor.anonymous(), rnd=rnd(s))
    for action in ("close", "publish"):
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action=action, early=True,
                          reason="ทดสอบ")
    s.commit()
    public = unitreports.reports_frame(session=s, actor=unitreports.Actor.anonymous(), rnd=rnd(s))
    assert len(public) == 2 and set(public["state"]) == {"submitted"}


def _second_item(s) -> int:
    unit = unit_of(s, 1).id
    return next(n for n in range(2, 31) if s.get(PlanItem, project_id(s, n)).unit_id == unit)


def _third_item(s) -> int:
    unit = unit_of(s, 1).id
    return [n for n in range(2, 31) if s.get(PlanItem, project_id(s, n)).unit_id == unit][1]


def test_the_public_snapshot_keeps_submitted_reports_of_published_rounds_only(store, tmp_path):
    s, unit = store
    save(s, unit)
    unitreports.submit_reports(session=s, actor=unit, rnd=rnd(s))
    for action in ("close", "publish"):
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action=action, early=True,
                          reason="ทดสอบ")
    open_round(s, "2568-2")
    r2 = s.exec(select(EvaluationRound).where(EvaluationRound.round_no == 2)).one()
    unitreports.save_report(session=s, actor=unit, rnd=r2, project_id=project_id(s, 1), expected_version=None,
                            report_in=unitreports.parse_typed({"done_th": "ร่างรอบสอง"}, [], {}))
    s.commit()
    source = s.get_bind().url.database
    target = tmp_path / "public.db"
    publish_snapshot(source, target)
    conn = sqlite3.connect(target)
    try:
        rows = conn.execute("SELECT state, done_th, updated_by_id FROM unit_report").fetchall()
        assert rows == [("submitted", "จัดอบรม 2 ครั้ง", None)]
        assert conn.execute("SELECT count(*) FROM unit_report_activity").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM account_unit").fetchone() == (0,)
    finally:
        conn.close()


def test_tying_an_account_to_units(store, cli, loaded_engine):
    s, _unit = store
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    code, out, err = cli("user", "add", "unit2", "--role", "unit", "--name", "กองคลัง", "--unit", "กองคลัง",
                         "--password-stdin", stdin="a-long-password-for-unit2\n", env=env)
    assert code == 0, err
    code, _, err = cli("user", "set-units", "unit2", "--unit", "กองที่ไม่มี", env=env)
    assert code == 1 and "ไม่รู้จักหน่วยงาน “กองที่ไม่มี” ในแผนนี้ (มี:" in err and "กองคลัง" in err
    code, out, _ = cli("user", "set-units", "unit2", "--unit", "กองคลัง", "--unit", "สำนักปลัด", env=env)
    assert code == 0 and "กองคลัง" in out and "สำนักปลัด" in out
    code, _, err = cli("user", "set-units", "m1", "--unit", "กองคลัง", env=env)
    assert code == 1 and "ไม่ใช่บัญชีหน่วยงานรับผิดชอบ" in err


def test_the_committee_scores_beside_the_units_report_and_may_take_its_values(store):
    s, unit = store
    save(s, unit, fields={"status": "completed", "progress_pct": "100", "spent_thb": "9000"})
    save(s, unit, number=_second_item(s))
    unitreports.submit_reports(session=s, actor=unit, rnd=rnd(s))
    s.commit()
    member = s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "m1")).one()
    me = as_actor(member)
    entries.save_entry(session=s, actor=me, member=member, rnd=rnd(s), project_id=project_id(s, 1), expected_version=None,
                       entry_in=entries.parse_entry({"status": "in_progress", "progress_pct": 80, "score": 4}))
    s.commit()
    frame = grid.member_frame(s, me, rnd(s), "th")
    assert frame.loc[1, "unit_label"] == "ดำเนินการแล้วเสร็จ · 100% · 9,000 บาท"
    assert frame.loc[1, "unit_diff"] == "≠"  # the member says in progress, 80 %
    other = next(n for n in frame.index if unit_of(s, n).id != unit_of(s, 1).id)
    assert frame.loc[_second_item(s), "unit_diff"] == "" and frame.loc[other, "unit_label"] == ""  # nothing reported
    assert unitreports.take_unit_values(session=s, actor=me, member=member, rnd=rnd(s)) == 1  # item 1 is the member's own
    s.commit()
    taken = entries.get_entry(session=s, round_id=rnd(s).id, project_id=project_id(s, _second_item(s)), member_id=member.id)
    assert (taken.status, taken.progress_pct, taken.spent_thb, taken.state, taken.score) == \
        ("in_progress", 60, 12500, "draft", None)
    mine = entries.get_entry(session=s, round_id=rnd(s).id, project_id=project_id(s, 1), member_id=member.id)
    assert (mine.status, mine.progress_pct) == ("in_progress", 80)  # what the member entered is never replaced


def test_the_meeting_pack_carries_the_units_reports_and_the_public_edition_only_once_published(store, tmp_path):
    s, unit = store
    save(s, unit, fields={"done_th": "จัดอบรมพนักงานครบทุกกอง", "problems_th": "ห้องประชุมไม่พอ",
                          "suggestions_th": "เช่าสถานที่ภายนอก"})
    unitreports.submit_reports(session=s, actor=unit, rnd=rnd(s))
    save(s, unit, number=_third_item(s), fields={"done_th": "ร่างที่ยังไม่ส่ง"})
    for action in ("close", "publish"):
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action=action, early=True,
                          reason="ทดสอบ")
    s.commit()
    for internal in (True, False):
        text = pdf_text(build_report(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", internal=internal,
                                     fmt="pdf", today=TODAY))
        assert "ผลการดำเนินงานตามรายงานของหน่วยงานรับผิดชอบ" in text and "ห้องประชุมไม่พอ" in text
        assert "ร่างที่ยังไม่ส่ง" not in text  # a draft is the unit's own
    book = load_workbook(io.BytesIO(build_report(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1",
                                                 internal=False, fmt="xlsx", today=TODAY)))
    cells = [c for row in book["รายงานหน่วยงาน"].iter_rows(values_only=True) for c in row]
    assert "เช่าสถานที่ภายนอก" in cells and "ร่างที่ยังไม่ส่ง" not in cells
    doc = Document(io.BytesIO(build_report(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", internal=True,
                                           fmt="docx", today=TODAY)))
    assert "ข้อเสนอแนะ: เช่าสถานที่ภายนอก" in [p.text for p in doc.paragraphs]


def _filled(session, unit_name: str, edit) -> bytes:
    wb = load_workbook(io.BytesIO(unitsheet.template(session=session, actor=OPERATOR, rnd=rnd(session),
                                                     unit_name=unit_name)))
    edit(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_units_workbook_goes_round_through_excel_and_libreoffice(store, tmp_path):
    s, unit = store
    name = unit_of(s, 1).name_th

    def fill(wb):
        reports, activities, indicators = wb.worksheets[:3]
        reports["C2"], reports["D2"], reports["E2"], reports["F2"] = "ดำเนินการแล้วเสร็จ", 100, "๑๘,๐๐๐", "อบรมครบ"
        activities.append([1, "อบรมรุ่น 1", "15/01/2568", "16/01/2568", "ห้องประชุม", 45])
        indicators["D2"] = 90
    raw = _filled(s, name, fill)
    if not shutil.which("soffice"):
        need("LibreOffice (soffice) is not installed; run: apt-get install -y libreoffice-calc-nogui")
    (tmp_path / "in.xlsx").write_bytes(raw)
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"),
                    str(tmp_path / "in.xlsx")], check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    resaved = (tmp_path / "out" / "in.xlsx").read_bytes()
    assert unitsheet.import_sheet(session=s, actor=unit, rnd=rnd(s), unit_name=name, raw=resaved) == 1
    s.commit()
    report = unitreports.get_report(session=s, round_id=rnd(s).id, project_id=project_id(s, 1))
    assert (report.state, report.status, report.progress_pct, report.spent_thb) == ("draft", "completed", 100, 18000)
    activities, values = unitreports.report_details(session=s, actor=unit, report_id=report.id)
    assert [(a["text_th"], a["count"]) for a in activities] == [("อบรมรุ่น 1", 45)] and list(values.values()) == [90.0]
    again = unitsheet.template(session=s, actor=unit, rnd=rnd(s), unit_name=name)  # what was reported comes back
    assert "อบรมครบ" in [c for ws in load_workbook(io.BytesIO(again)).worksheets
                         for row in ws.iter_rows(values_only=True) for c in row]


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda wb: wb.worksheets[0].__setitem__("D2", 150),
     "แผ่นงาน “รายงาน (reports)” แถว 2 คอลัมน์ D (progress_pct): ความก้าวหน้า “150” ต้องเป็นจำนวนเต็ม 0–100"),
    (lambda wb: wb.worksheets[0].__setitem__("C2", "เสร็จแล้วมั้ง"),
     "แผ่นงาน “รายงาน (reports)” แถว 2 คอลัมน์ C (status):"),
    (lambda wb: wb.worksheets[1].append([99, "x"]),
     "แผ่นงาน “กิจกรรม (activities)” แถว 2 คอลัมน์ A (project_no): ลำดับที่ “99” ไม่ใช่รายการของ"),
    (lambda wb: wb.worksheets[1].append([1, "อบรม", "31/02/2568"]),
     "แผ่นงาน “กิจกรรม (activities)” แถว 2 คอลัมน์ C (start_on):"),
    (lambda wb: wb.worksheets[2].__setitem__("B2", 9),
     "แผ่นงาน “ตัวชี้วัด (indicators)” แถว 2 คอลัมน์ B (indicator_no):"),
    (lambda wb: wb.worksheets[3].__setitem__("B1", "2567-2"), "แบบรายงานนี้ทำไว้สำหรับรอบ 2567-2 ไม่ใช่รอบ 2568-1"),
    (lambda wb: wb.worksheets[3].__setitem__("B2", "กองช่าง"), "แบบรายงานนี้ทำไว้สำหรับ กองช่าง ไม่ใช่"),
])
def test_a_bad_unit_workbook_is_refused_whole_naming_sheet_row_and_column(store, edit, expected):
    s, unit = store
    name = unit_of(s, 1).name_th

    def fill(wb):
        wb.worksheets[0]["F3"] = "รายการที่สองกรอกถูก"
        wb.worksheets[2]["D2"] = 90 if wb.worksheets[2]["D2"].value is None else wb.worksheets[2]["D2"].value
        edit(wb)
    with pytest.raises(InvalidInput) as refused:
        unitsheet.import_sheet(session=s, actor=unit, rnd=rnd(s), unit_name=name, raw=_filled(s, name, fill))
    said = [describe(i) for i in refused.value.issues]
    assert any(line.startswith(expected) for line in said), said
    s.rollback()
    assert unitreports.my_items(session=s, actor=unit, rnd=rnd(s))["report_id"].isna().all()  # nothing partial
