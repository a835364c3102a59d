"""End to end in Chromium (#13): a site serving two organisations opens on the list of them; a visitor finds one by
typing, lands on its pages with `?org=` in the address (a bookmark and a reload keep it, the top menu keeps it),
reads it in English, and goes back to the list."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from acplan.db import make_engine
from acplan.monitoring import orgs
from tests.conftest import loaded_store
from tests.factories import OPERATOR, example_org
from tests.server import ROOT, choose, see, streamlit_server, wait_idle
from tests.test_e2e_dashboard import assert_healthy

SHOTS = ROOT / "artifacts" / "screenshots"
EXAMPLE_NAME = "องค์การบริหารส่วนตำบลหนองข้าวหอม (ตัวอย่างสมมติ)"


@pytest.fixture(scope="module")
def orgs_app(tmp_path_factory, template_root):
    tmp = tmp_path_factory.mktemp("e2e-orgs")
    url = loaded_store(tmp / "orgs.db", template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        orgs.set_org(session=s, actor=OPERATOR, code="tt-chiang-muan",
                     org_in=orgs.parse_org({"province_th": "พะเยา", "district_th": "เชียงม่วน"}))
        example_org(s, name_th=EXAMPLE_NAME, name_en="Nong Khao Hom SAO (fictional example)",
                    district_th="อำเภอตัวอย่าง")
        s.commit()
    engine.dispose()
    with streamlit_server({"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2026-11-27"}, tmp / "streamlit.log") as app:
        yield app


def test_a_visitor_finds_an_organisation_by_typing_and_its_address_keeps_it(orgs_app, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(orgs_app)
    wait_idle(page)
    see(page, "องค์กรปกครองส่วนท้องถิ่นที่ใช้ระบบนี้")
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "orgs-list-1280x720.png"))
    box = page.get_by_label("เปิดหน้าขององค์กร")
    box.fill("หนองข้าว")  # the select box searches as one types
    choose(page, box, f"{EXAMPLE_NAME} · อำเภอตัวอย่าง · จังหวัดตัวอย่าง")
    wait_idle(page)
    see(page, "เลือกองค์กรอื่น")
    assert "org=sao-example" in page.url
    see(page, EXAMPLE_NAME)
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "orgs-example-overview-1280x720.png"))

    page.get_by_role("link", name="รายการ", exact=True).click()  # the top menu keeps the organisation
    wait_idle(page)
    expect(page.locator("[role=gridcell]", has_text="โครงการอบรมคุณธรรมจริยธรรมสำหรับพนักงานส่วนตำบล")) \
        .to_have_count(1)  # the grid's accessible cells (the grid itself is drawn)
    assert "org=sao-example" in page.url
    bookmark = page.url
    page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 720})  # a bookmark, in a new session
    page.goto(bookmark + "&lang=en")
    wait_idle(page)
    see(page, "Nong Khao Hom SAO (fictional example)")
    expect(page.get_by_text("เชียงม่วน")).to_have_count(0)
    page.reload()
    wait_idle(page)
    see(page, "Nong Khao Hom SAO (fictional example)")
    page.get_by_role("button", name="Another organisation").click()
    wait_idle(page)
    see(page, "Local governments using this site")
    assert "org=" not in page.url
    assert_healthy(page)
    page.close()
