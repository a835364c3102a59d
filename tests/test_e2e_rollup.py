"""The roll-up in Chromium (#16): forty fictional organisations (demo-data) behind one address; a visitor opens the
roll-up from the top menu, reads it at 1280×720 with nothing cut off and no serious accessibility fault, chooses a
figure and follows an organisation's link to its own pages; an oversight account sees its province; an organisation's
own administrator is not offered the roll-up in the menu."""

import re
from urllib.parse import urljoin

import pytest
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring import users
from acplan.plan import models as m
from tests.factories import OPERATOR
from tests.server import ROOT, see, sign_in, streamlit_server, wait_idle
from tests.test_e2e_dashboard import assert_healthy

pytestmark = pytest.mark.browser
SHOTS = ROOT / "artifacts" / "screenshots"
TODAY = "2030-12-01"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    from acplan import settings
    from acplan.cli import main

    tmp = tmp_path_factory.mktemp("e2e-rollup")
    url = f"sqlite:///{tmp / 'rollup.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("ACPLAN_DATABASE_URL", url)
    mp.setenv("ACPLAN_TODAY", TODAY)
    settings.get.cache_clear()
    assert main(["init", "--no-plan"]) == 0
    assert main(["demo-data", "--orgs", "40", "--rounds", "4", "--members", "3"]) == 0
    mp.undo()
    settings.get.cache_clear()
    engine = make_engine(url)
    with Session(engine) as s:
        first = s.exec(select(m.Organisation).where(m.Organisation.code == "demo-00001")).one()
        users.add_user(session=s, actor=OPERATOR, username="prov", display_name="สำนักงานจังหวัด", role="oversight",
                       password="prov-password-1", oversight_province_th=first.province_th)
        users.add_user(session=s, actor=OPERATOR, username="admin1", display_name="ผู้ดูแล", role="admin",
                       password="admin1-password-1", organisation_id=first.id)
        s.commit()
        province, in_province = first.province_th, len(s.exec(select(m.Organisation).where(
            m.Organisation.province_th == first.province_th)).all())
    engine.dispose()
    with streamlit_server({"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": TODAY}, tmp / "streamlit.log") as app:
        yield app, province, in_province


def test_a_visitor_reads_the_roll_up_and_follows_a_figure_to_an_organisation(national, browser):
    from axe_playwright_python.sync_playwright import Axe

    app, _province, _n = national
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app + "/")
    wait_idle(page)
    page.get_by_role("link", name="ภาพรวมหลายองค์กร").click()  # offered in the top menu once there are several
    wait_idle(page)
    see(page, "ภาพรวมการติดตามแผนของหลายองค์กร")
    assert "/rollup" in page.url
    see(page, "40")  # organisations
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "rollup-1280x720.png"))
    violations = [(v["id"], v["impact"]) for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == []

    box = page.get_by_role("combobox", name="เลือกตัวเลขที่ต้องการ")  # (the open list carries the label too)
    box.click()
    box.press_sequentially("ล่าช้า")
    box.press("Enter")
    wait_idle(page)
    assert "show=late" in page.url  # the figure drilled into is kept in the address
    names = page.get_by_role("gridcell", name=re.compile(r"\(ข้อมูลสมมติ\)"), include_hidden=True)  # the grid's cells (drawn on a canvas)
    names.first.wait_for(state="attached")
    assert names.count() > 0
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.screenshot(path=str(SHOTS / "rollup-drill-1280.png"))
    target = page.get_by_role("gridcell", name=re.compile(r"org=demo-\d+"), include_hidden=True).first.text_content()
    page.goto(urljoin(page.url, target))  # where the cell's link leads
    wait_idle(page)
    assert "org=demo-" in page.url
    see(page, "เลือกองค์กรอื่น")  # the organisation's own overview
    page.close()


def test_an_oversight_account_sees_its_province_and_an_organisation_admin_is_not_offered_the_roll_up(national, browser):
    app, province, in_province = national
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    sign_in(page, app, "prov", "prov-password-1")
    page.goto(app + "/rollup")
    wait_idle(page)
    see(page, f"ขอบเขต: {province}")
    assert page.get_by_test_id("stMetricValue").first.inner_text() == str(in_province)
    assert_healthy(page)
    page.context.close()

    admin = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    sign_in(admin, app, "admin1", "admin1-password-1")
    admin.goto(app + "/?org=demo-00001")
    wait_idle(admin)
    see(admin, "เลือกองค์กรอื่น")
    assert admin.get_by_role("link", name="ภาพรวมหลายองค์กร").count() == 0
    admin.context.close()
