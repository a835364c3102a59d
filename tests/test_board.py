"""The round's board and deadlines (#14): per unit, member and item how far the round has got, who is overdue,
as a page (AppTest) and a workbook; deadlines set with their rules and audited."""

from datetime import date
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from acplan.errors import InvalidInput
from acplan.monitoring import board, entries, rounds, unitreports
from acplan.monitoring.models import AppUser, AuditLog, EvaluationRound
from tests.apptest import clear_caches, run_page, signed_in, texts
from tests.factories import OPERATOR, as_actor, entry_values, plan_id, project_id, user
from tests.test_unit_reports import open_round, unit_of


@pytest.fixture
def store(app_engine):
    with Session(app_engine) as s:
        account = user(s, "unit1", "unit")
        unitreports.set_units(session=s, actor=OPERATOR, username="unit1", plan_id=plan_id(s),
                              unit_names=[unit_of(s, 1).name_th])
        for name in ("m1", "m2"):
            user(s, name, "committee")
        user(s, "council1", "council")
        user(s, "sec1", "secretary")
        rnd = open_round(s)
        unitreports.save_report(session=s, actor=as_actor(account), rnd=rnd, project_id=project_id(s, 1),
                                report_in=unitreports.parse_typed({"done_th": "ทำแล้ว"}, [], {}), expected_version=None)
        unitreports.submit_reports(session=s, actor=as_actor(account), rnd=rnd)
        m1 = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        for n in (1, 2):
            entries.save_entry(session=s, actor=as_actor(m1), member=m1, rnd=rnd, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values()), expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(m1), member=m1, rnd=rnd)
        rounds.set_deadlines(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", units_due="15/01/2568",
                             members_due="31/01/2568")
        s.commit()
    clear_caches()
    return app_engine


def test_the_board_counts_what_each_unit_and_member_has_done_and_who_is_overdue(store):
    with Session(store) as s:
        rnd = s.exec(select(EvaluationRound)).one()
        before = board.round_board(session=s, actor=OPERATOR, rnd=rnd, today=date(2025, 1, 10))
        after = board.round_board(session=s, actor=OPERATOR, rnd=rnd, today=date(2025, 2, 1))
        unit = unit_of(s, 1).name_th
    row = before.units.set_index("unit").loc[unit]
    assert (row["submitted"], row["in_progress"], row["missing"], row["overdue"]) == (1, 0, row["items"] - 1, False)
    assert after.units.set_index("unit").loc[unit, "overdue"]  # short of its items after 15 Jan 2568
    members = after.members.set_index("member")
    assert (members.loc["ผู้ใช้ m1", "submitted"], members.loc["ผู้ใช้ m2", "submitted"]) == (2, 0)
    assert members["overdue"].all()  # neither has submitted all 30 by 31 Jan 2568
    assert not before.members["overdue"].any()
    items = after.items.set_index("number")
    assert (items.loc[1, "unit_report"], items.loc[1, "members_submitted"], items.loc[1, "members"]) == ("submitted", 1, 2)
    assert pd.isna(items.loc[3, "unit_report"]) and items.loc[3, "members_submitted"] == 0
    book = load_workbook(BytesIO(board.workbook(after, "2568-1")))
    assert [ws.title for ws in book.worksheets] == ["หน่วยงาน 2568-1", "กรรมการ 2568-1", "รายการ 2568-1"]
    assert ("ผู้ใช้ m2", 0, 0, 30, "ใช่") in [tuple(r) for r in book.worksheets[1].iter_rows(values_only=True)]


def test_deadlines_are_checked_and_audited(store):
    with Session(store) as s:
        with pytest.raises(InvalidInput) as refused:
            rounds.set_deadlines(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", units_due="31/01/2568",
                                 members_due="15/01/2568")
        assert [i.code for i in refused.value.issues] == ["deadline_order"]
        with pytest.raises(InvalidInput) as refused:
            rounds.set_deadlines(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", units_due="15/01/2025",
                                 members_due="")
        assert [i.code for i in refused.value.issues] == ["date_not_be"]
        s.rollback()
        log = s.exec(select(AuditLog).where(AuditLog.action == "round.deadlines")).one()
        assert log.after["units_due_on"] == "2025-01-15" and log.before["units_due_on"] is None


def test_deadlines_from_the_command_line(store, cli):
    env = {"ACPLAN_DATABASE_URL": str(store.url)}
    code, out, err = cli("round", "deadlines", "2568-1", "--units", "20/01/2568", "--members", "10/02/2568", env=env)
    assert code == 0 and "บันทึกกำหนดส่งของรอบ 2568-1 แล้ว" in out, err
    code, _, err = cli("round", "deadlines", "2568-1", "--units", "30/02/2568", env=env)
    assert code == 1 and "30/02/2568" in err


def test_the_board_page_for_the_council_and_the_secretary_and_not_the_public(store, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2025-02-01")
    at = signed_in("council1", "pages/board.py")
    assert not at.exception
    shown = texts(at)
    assert "หน่วยงานรายงานภายใน 15 มกราคม 2568" in shown and "⚠ เลยกำหนด" in shown
    assert at.warning[0].value.startswith("เลยกำหนดแล้ว")
    assert not [c for d in at.dataframe for c in d.value.columns if "คะแนน" in c]  # counts only, never a score
    public = run_page("pages/board.py")
    assert public.warning and not public.dataframe
    sec = signed_in("sec1", "pages/rounds.py")
    assert sec.text_input(key="units_due_2568-1").value == "15/01/2568"
    sec.text_input(key="members_due_2568-1").input("05/01/2568")
    next(b for b in sec.button if b.label == "บันทึกกำหนดส่ง").click().run()
    assert "• กรรมการให้คะแนนภายใน (พ.ศ.): วันที่กรรมการให้คะแนนต้องไม่ก่อนวันที่หน่วยงานรายงาน" in [e.value for e in sec.text]
    assert sec.text_input(key="members_due_2568-1").value == "05/01/2568"
