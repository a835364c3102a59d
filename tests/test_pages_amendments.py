"""The plan editor page and the plan's history on the item and budget pages (AppTest, #13).

AppTest cannot type into a data editor's cells, so these tests edit the draft the page keeps in the session while
the page is left (as a person who edited, looked at another page and came back): the page then draws its tables
from that draft. Typing into the cells themselves is the browser test's (tests/test_e2e_amendments.py)."""

import pytest
from sqlmodel import Session

from acplan.monitoring import amendments
from acplan.plan import models as m
from acplan.plan.dump import export_plan
from acplan.ui import plan_editor
from tests.apptest import clear_caches, run_page, signed_in, texts
from tests.factories import OPERATOR, plan_id, user
from tests.test_amendments import DETAILS, amended_plan, parse

PAGE = "pages/plan_edit.py"


@pytest.fixture
def store(app_engine, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2025-01-15")
    with Session(app_engine) as s:
        user(s, "admin1", "admin")
        user(s, "sec1", "secretary")
        s.commit()
    clear_caches()
    return app_engine


def edit_while_away(at, sheet: str, row: int, column: str, value: str):
    """Leave the editor, change one cell of the kept draft, and come back."""
    at.switch_page("pages/overview.py")
    at.run()
    draft = at.session_state[plan_editor.DRAFT_KEY]
    table = draft["edited"].get(sheet, draft["tables"][sheet]).copy()
    table.loc[row, column] = value
    draft["edited"][sheet] = table
    at.switch_page(PAGE)
    at.run()
    return at


def fill_details(at, **values):
    for key, value in {"pe_date": DETAILS["approved_on"], "pe_reason": DETAILS["reason_th"],
                       "pe_reference": DETAILS["reference_th"], **values}.items():
        (at.text_area if key == "pe_reason" else at.text_input)(key=key).input(value)
    at.run()


def test_only_an_administrator_is_offered_the_editor(store):
    at = signed_in("sec1", PAGE)
    assert not at.exception and [w.value for w in at.warning] == ["บทบาทของคุณ (เลขานุการ) ใช้หน้านี้ไม่ได้"]
    assert at.get("data_editor") == []
    at = signed_in("admin1", PAGE)
    assert not at.exception and len(at.get("data_editor")) == 4  # items, indicators, risk links, yearly targets
    assert not at.info  # nothing edited yet


def test_an_edit_is_shown_as_its_differences_then_saved_as_a_numbered_amendment(store):
    at = signed_in("admin1", PAGE)
    with Session(store) as s:
        before = export_plan(session=s, plan_id=plan_id(s))
    at = edit_while_away(at, "items", 0, "budget_2568", "๕๕,๕๕๕")  # Thai digits and a thousands separator
    assert [i.value for i in at.info] == ["มีสิ่งที่แก้แต่ยังไม่บันทึกในตาราง: รายการ"]
    fill_details(at)
    next(b for b in at.button if b.key == "pe_preview").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = texts(at)
    assert "สิ่งที่จะเปลี่ยน (1 จุด)" in shown and "55,555" in shown and "180,000" in shown
    with Session(store) as s:
        assert export_plan(session=s, plan_id=plan_id(s)) == before  # nothing is written by looking
    next(b for b in at.button if b.key == "pe_apply").click().run()
    assert not at.exception
    assert "บันทึกการแก้ไขแผนครั้งที่ 1 แล้ว (1 จุด)" in [s.value for s in at.success]
    with Session(store) as s:
        done = amendments.list_amendments(session=s, plan_id=plan_id(s))
        assert [(a.number, a.reason_th, a.reference_th) for a in done] == [(1, DETAILS["reason_th"], DETAILS["reference_th"])]
        assert export_plan(session=s, plan_id=plan_id(s))["projects"][0]["budget_thb"]["2568"] == 55555
    assert at.text_input(key="pe_number").value == "2" and at.text_input(key="pe_date").value == ""
    item = run_page("pages/project.py", no="1")
    shown = texts(item)
    assert "ประวัติการแก้ไขแผน" in shown and "งบประมาณ ปี 2568" in shown and DETAILS["reason_th"] in shown
    budget_page = run_page("pages/budget.py")
    assert "ตามแผนที่อนุมัติครั้งแรก" in texts(budget_page) and not budget_page.exception


def test_a_bad_cell_is_named_by_table_row_and_column_and_the_draft_keeps_what_was_typed(store):
    at = signed_in("admin1", PAGE)
    at = edit_while_away(at, "items", 1, "budget_2569", "หนึ่งแสน")
    fill_details(at)
    next(b for b in at.button if b.key == "pe_preview").click().run()
    assert not at.exception
    lines = [e.value for e in at.text]
    assert any(line.startswith("• ตาราง “รายการ” แถวที่ 2 ช่อง “งบประมาณ ปี 2569 (บาท)”") for line in lines), lines
    assert at.session_state[plan_editor.DRAFT_KEY]["edited"]["items"].loc[1, "budget_2569"] == "หนึ่งแสน"
    at.text_input(key="pe_date").input("1/1/2570").run()
    next(b for b in at.button if b.key == "pe_preview").click().run()
    assert "• วันที่อนุมัติ: วันที่อนุมัติ “1/1/2570” ยังมาไม่ถึง — ใส่วันที่สภาหรือผู้บริหารอนุมัติแล้ว" in \
        [e.value for e in at.text]
    assert at.text_input(key="pe_date").value == "1/1/2570"  # what was typed stays
    with Session(store) as s:
        assert not amendments.list_amendments(session=s, plan_id=plan_id(s))


def test_an_amendment_saved_meanwhile_is_not_overwritten_and_the_draft_is_kept(store):
    at = signed_in("admin1", PAGE)
    at = edit_while_away(at, "items", 0, "name_th", "ชื่อที่แก้ในหน้าจอ")
    fill_details(at)
    next(b for b in at.button if b.key == "pe_preview").click().run()
    with Session(store) as s:  # another administrator saves amendment 1 first
        pid = plan_id(s)
        amendments.apply(session=s, actor=OPERATOR, plan_id=pid, proposed=amended_plan(amendments.current_data(s, pid)),
                         amendment=parse(s), base_revision=0)
        s.commit()
    clear_caches()
    at.text_input(key="pe_number").input("2").run()
    next(b for b in at.button if b.key == "pe_preview").click().run()
    next(b for b in at.button if b.key == "pe_apply").click().run()
    assert not at.exception
    assert any("ถูกแก้ไขไปแล้ว (ครั้งที่ 1)" in e.value for e in at.text), [e.value for e in at.text]
    with Session(store) as s:
        assert len(amendments.list_amendments(session=s, plan_id=plan_id(s))) == 1
        assert s.get(m.Plan, plan_id(s)).revision == 1
    assert at.session_state[plan_editor.DRAFT_KEY]["edited"]["items"].loc[0, "name_th"] == "ชื่อที่แก้ในหน้าจอ"
    next(b for b in at.button if b.key == "pe_rebase_now").click().run()
    next(b for b in at.button if b.key == "pe_preview").click().run()
    shown = texts(at)
    assert "ชื่อที่แก้ในหน้าจอ" in shown  # compared with the latest plan, the draft's own edit is listed


def test_the_editor_in_english_and_the_history_download(store):
    with Session(store) as s:
        pid = plan_id(s)
        amendments.apply(session=s, actor=OPERATOR, plan_id=pid, proposed=amended_plan(amendments.current_data(s, pid)),
                         amendment=parse(s), base_revision=0)
        s.commit()
    clear_caches()
    at = signed_in("admin1", PAGE, lang="en")
    assert not at.exception
    shown = texts(at)
    assert [e.label for e in at.expander][0] == "Amendments so far (1) and plan downloads"
    assert [tab.label for tab in at.tabs] == ["Items", "Indicators", "Risks", "Targets"]
    assert "Item 3" in shown and "Budget 2568" in shown and "Dropped (in the plan until)" in shown
    download = next(b for b in at.get("download_button") if b.proto.id and "pe_download" in b.proto.id)
    assert download.proto.label == "Download the plan (Excel)"
