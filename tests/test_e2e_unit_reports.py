"""End to end in Chromium (#14): a responsible unit reports on its item and submits it; a committee member then
sees the unit's report beside the grid and in the item form. Screenshots of both, looked at."""

import pytest
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring import unitreports
from acplan.monitoring.models import EvaluationRound
from tests.conftest import loaded_store
from tests.factories import OPERATOR
from tests.server import ROOT, open_as, see, streamlit_server, wait_idle
from tests.test_e2e_dashboard import assert_healthy
from tests.test_evidence import jpeg
from tests.test_unit_reports import unit_round

SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def unit_app(tmp_path_factory, template_root):
    tmp = tmp_path_factory.mktemp("e2e-unit")
    url = loaded_store(tmp / "unit.db", template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        unit_round(s)
    with streamlit_server({"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2025-01-15"}, tmp / "streamlit.log") as app:
        yield app, engine
    engine.dispose()


def test_a_unit_reports_and_the_member_scores_beside_its_report(unit_app, browser):
    app, engine = unit_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "unit1", "รายงานผลของหน่วยงาน")
    see(page, "รายการของหน่วยงาน")
    assert_healthy(page)
    page.get_by_label("ความก้าวหน้า (%)").fill("100")
    page.get_by_label("ใช้จ่ายจริงในปีงบประมาณ 2568 (บาท)").fill("18,000")
    page.get_by_label("ผลการดำเนินงาน").fill("จัดอบรมพนักงานเทศบาล 2 รุ่น รวม 45 คน")
    page.get_by_label("ปัญหาอุปสรรค").fill("งบประมาณได้รับจัดสรรล่าช้า")
    page.get_by_role("button", name="บันทึกร่าง").click()
    wait_idle(page)
    see(page, "บันทึกร่างรายงานลำดับที่ 1 แล้ว")
    page.get_by_label("ผลการดำเนินงาน").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "unit-report-saved-1280x720.png"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").last.set_input_files(
        files=[{"name": "อบรม.jpg", "mimeType": "image/jpeg", "buffer": jpeg(size=(320, 200), gps=True)}])
    wait_idle(page)
    page.get_by_role("button", name="แนบ 1 ไฟล์").click()
    wait_idle(page)
    see(page, "แนบหลักฐาน 1 ไฟล์แล้ว")
    assert page.get_by_role("button", name="แนบ 1 ไฟล์").count() == 0  # the box is empty again: nothing attached twice
    page.get_by_text("หลักฐาน 1 ไฟล์", exact=True).scroll_into_view_if_needed()
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "unit-report-evidence-1280x720.png"))
    page.get_by_role("button", name="ส่งรายงาน (1 รายการ)").click()
    wait_idle(page)
    page.get_by_role("dialog").get_by_role("button", name="ส่งรายงาน (1 รายการ)").click()
    wait_idle(page)
    see(page, "ส่งรายงาน 1 รายการแล้ว")
    with Session(engine) as s:
        rows = unitreports.reports_frame(session=s, actor=OPERATOR, rnd=s.exec(select(EvaluationRound)).one())
        assert rows["state"].tolist() == ["submitted"] and rows["spent_thb"].tolist() == [18000]

    member = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(member, app, "m1", "ให้คะแนน")
    see(member, "เติมค่าจากรายงานของหน่วยงาน (1 รายการ)")
    assert_healthy(member)
    member.screenshot(path=str(SHOTS / "score-with-unit-report-1280x720.png"))
    member.get_by_text("กรอกรายละเอียดรายรายการ (ตัวชี้วัดและหลักฐาน)").click()  # the item form, item 1
    wait_idle(member)
    see(member, "จัดอบรมพนักงานเทศบาล 2 รุ่น รวม 45 คน")
    member.get_by_text("งบประมาณได้รับจัดสรรล่าช้า").scroll_into_view_if_needed()
    assert_healthy(member)
    member.screenshot(path=str(SHOTS / "score-item-form-unit-report-1280x720.png"))
    with member.expect_response(lambda r: "/media/" in r.url) as served:
        member.get_by_role("button", name="ดาวน์โหลด").first.click()
    headers = served.value.headers
    assert headers["content-disposition"].startswith("attachment") and headers["content-type"] == "image/jpeg", headers
    assert headers.get("x-content-type-options") == "nosniff", headers
    body = served.value.body()
    assert b"Phone X" not in body and body[:3] == b"\xff\xd8\xff"  # the cleaned photo, not what was uploaded
