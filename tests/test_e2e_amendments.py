"""End to end in Chromium (#13): an organisation's administrator types a new budget into the plan editor's table,
looks at another page and comes back to find the edit kept, fills in the amendment, sees the difference and saves
amendment 1; the item's page then shows its history."""

import pytest
from sqlmodel import Session

from acplan.db import make_engine
from acplan.monitoring import amendments
from acplan.plan.dump import export_plan
from tests.conftest import loaded_store
from tests.factories import plan_id, user
from tests.server import ROOT, edit_cell, open_as, see, streamlit_server, wait_idle
from tests.test_e2e_dashboard import assert_healthy

SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory, template_root):
    tmp = tmp_path_factory.mktemp("e2e-amend")
    url = loaded_store(tmp / "amend.db", template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        user(s, "admin1", "admin")
        s.commit()
    with streamlit_server({"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2025-01-15"}, tmp / "streamlit.log") as app:
        yield app, engine
    engine.dispose()


def test_an_administrator_amends_the_budget_in_the_editor_and_the_item_shows_its_history(editor_app, browser):
    app, engine = editor_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "admin1", "แก้ไขแผน")
    see(page, "รายละเอียดการแก้ไข")
    assert_healthy(page)
    assert page.get_by_test_id("stTopNavSection").count() == 0  # the administrator's whole menu fits at 1280 px
    items = page.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").first  # the items table (first tab)
    items.scroll_into_view_if_needed()
    edit_cell(page, items, 1, 9, "55,555", x=100)  # number, kind, name, dimension, mission, sub-missions, unit, 2566, 2567, 2568
    see(page, "มีสิ่งที่แก้แต่ยังไม่บันทึกในตาราง: รายการ")  # the edit has reached the app
    wait_idle(page)
    page.get_by_role("link", name="ภาพรวม").click()  # away, and back: the edit is kept
    wait_idle(page)
    page.get_by_role("link", name="แก้ไขแผน").click()
    wait_idle(page)
    see(page, "มีสิ่งที่แก้แต่ยังไม่บันทึกในตาราง: รายการ")  # and is still there
    page.get_by_label("วันที่อนุมัติ").fill("10/12/2567")
    page.get_by_label("เหตุผล").fill("โอนงบประมาณตามมติสภา")
    page.get_by_label("อ้างอิง (มติสภา / คำสั่ง)").fill("มติสภา สมัยสามัญ สมัยที่ 4/2567")
    page.get_by_label("อ้างอิง (มติสภา / คำสั่ง)").press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="ดูความแตกต่างก่อนบันทึก").click()
    wait_idle(page)
    try:
        see(page, "สิ่งที่จะเปลี่ยน (1 จุด)")
    except Exception:  # say what the page said instead
        raise AssertionError(page.locator("[data-testid='stAlert'], [data-testid='stText']").all_inner_texts()) from None
    assert_healthy(page)
    page.get_by_text("สิ่งที่จะเปลี่ยน (1 จุด)").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "plan-edit-differences-1280x720.png"))
    with Session(engine) as s:
        assert not amendments.list_amendments(session=s, plan_id=plan_id(s))  # looking writes nothing
    page.get_by_role("button", name="บันทึกการแก้ไขครั้งที่ 1").click()
    wait_idle(page)
    see(page, "บันทึกการแก้ไขแผนครั้งที่ 1 แล้ว (1 จุด)")
    with Session(engine) as s:
        assert export_plan(session=s, plan_id=plan_id(s))["projects"][0]["budget_thb"]["2568"] == 55555
        assert [a.number for a in amendments.list_amendments(session=s, plan_id=plan_id(s))] == [1]
    page.goto(app + "/project?no=1")
    wait_idle(page)
    see(page, "ประวัติการแก้ไขแผน")
    page.get_by_text("ประวัติการแก้ไขแผน").scroll_into_view_if_needed()
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "project-amendment-history-1280x720.png"))
    page.get_by_role("link", name="งบประมาณ").click()  # the budget as first approved beside as amended
    wait_idle(page)
    see(page, "ตามแผนที่อนุมัติครั้งแรก")
    chart = page.locator("[data-testid='stVegaLiteChart']").nth(3)
    chart.scroll_into_view_if_needed()
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "budget-approved-vs-amended-1280x720.png"))


def test_a_wrong_cell_is_named_in_the_browser_and_the_editor_reads_in_english(editor_app, browser):
    """A budget typed in words is refused on preview, naming the table, row and column as the screen shows them;
    the same page in English."""
    app, engine = editor_app
    pages = []
    for query in ("", "?lang=en"):
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        open_as(page, app, "admin1", "แก้ไขแผน")
        if query:
            page.goto(page.url + ("&" if "?" in page.url else "?") + "lang=en")
            wait_idle(page)
        pages.append(page)
    thai, english = pages
    see(english, "Edit the plan")
    items = thai.get_by_role("tabpanel").locator("[data-testid='stDataFrame']").first
    items.scroll_into_view_if_needed()
    edit_cell(thai, items, 2, 10, "หนึ่งแสน", x=100)  # item 2's budget for 2569
    see(thai, "มีสิ่งที่แก้แต่ยังไม่บันทึกในตาราง: รายการ")
    thai.get_by_label("วันที่อนุมัติ").fill("11/12/2567")
    thai.get_by_label("เหตุผล").fill("แก้ไขงบประมาณ")
    thai.get_by_label("เหตุผล").press("Tab")
    wait_idle(thai)
    thai.get_by_role("button", name="ดูความแตกต่างก่อนบันทึก").click()
    wait_idle(thai)
    see(thai, "ตาราง “รายการ” แถวที่ 2 ช่อง “งบประมาณ ปี 2569 (บาท)”")  # the wrong cell, named as the table shows it
    assert_healthy(thai)
    thai.screenshot(path=str(SHOTS / "plan-edit-refused-cell-1280x720.png"))
    english.get_by_text("Edit the plan").first.scroll_into_view_if_needed()
    assert_healthy(english)
    english.screenshot(path=str(SHOTS / "plan-edit-en-1280x720.png"))
    with Session(engine) as s:
        assert len(amendments.list_amendments(session=s, plan_id=plan_id(s))) == 1  # nothing saved by the refusal
    for page in pages:
        page.context.close()
