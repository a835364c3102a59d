"""The roll-up page (AppTest, #16): the public sees published figures across organisations, an oversight account its
province with rounds held; filters and the figure drilled into are kept in the address; each organisation links to
its own pages."""

import pytest
from sqlmodel import Session

from acplan.db import make_engine
from acplan.monitoring import orgs, users
from acplan.plan import queries
from tests.apptest import clear_caches, run_page, signed_in, texts
from tests.conftest import loaded_store
from tests.factories import OPERATOR, example_org
from tests.test_rollup import finish, score_round

PAGE = "pages/rollup.py"


@pytest.fixture(scope="module", autouse=True)
def store(tmp_path_factory, template_root):
    """เชียงม่วน (เชียงใหม่) with round 2567-1 published late; the example อบต. (จังหวัดตัวอย่าง) with a round open."""
    mp = pytest.MonkeyPatch()
    url = loaded_store(tmp_path_factory.mktemp("rollup") / 'acplan.db', template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        a = orgs.sole_org(session=s)
        orgs.set_org(session=s, actor=OPERATOR, code=a.code, org_in=orgs.parse_org(
            {"province_th": "เชียงใหม่", "district_th": "เชียงม่วน"}))
        b = example_org(s)
        for org in (a, b):
            members = [users.add_user(session=s, actor=OPERATOR, username=f"{org.code}-{n}", display_name=n,
                                      role="committee", password="a-long-password-9x", organisation_id=org.id)
                       for n in ("m1", "m2", "m3")]
            pid = queries.get_plan(session=s, org_code=org.code).id
            if org is a:
                score_round(s, pid, "2567-1", members)
                finish(s, pid, "2567-1")
            else:
                score_round(s, pid, "2570-1", members)
        users.add_user(session=s, actor=OPERATOR, username="prov", display_name="สำนักงานจังหวัด", role="oversight",
                       password="prov-password-1", oversight_province_th="จังหวัดตัวอย่าง")
        users.add_user(session=s, actor=OPERATOR, username="b-admin", display_name="ผู้ดูแล", role="admin",
                       password="b-admin-password-1", organisation_id=b.id)
        s.commit()
    engine.dispose()
    mp.setenv("ACPLAN_DATABASE_URL", url)
    mp.setenv("ACPLAN_TODAY", "2027-06-01")
    clear_caches()
    yield
    clear_caches()
    mp.undo()


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_the_public_sees_published_figures_across_organisations():
    at = run_page(PAGE)
    assert not at.exception
    assert at.header[0].value == "ภาพรวมการติดตามแผนของหลายองค์กร"
    assert metrics(at) == {"องค์กร": "2", "มีแผนในระบบ (จาก 2)": "2", "จัดรอบติดตามแล้ว (จาก 2)": "1",
                           "ตรงเวลา รอบ 2567-1": "0"}  # B's open round is not public
    publication = at.dataframe[0].value
    assert publication.to_dict("records") == [{"รอบ": "2567-1", "เผยแพร่แล้ว": 1, "ตรงเวลา": 0, "ล่าช้า": 1,
                                               "ยังไม่เผยแพร่": 1}]
    assert len(at.get("vega_lite_chart")) == 2  # the dimensions' spread and the budget by year
    shown = texts(at)
    assert "ผลการประเมินรายมิติของแต่ละองค์กร รอบ 2567-1" in shown and "ไม่ได้รับงบประมาณ" in shown


def test_each_figure_drills_down_to_its_organisations_with_links_and_the_address_keeps_it():
    at = run_page(PAGE)
    at.selectbox(key="url_show").select("late:2567-1").run()
    assert not at.exception and at.query_params["show"] == "late:2567-1"
    table = at.dataframe[-1].value
    assert list(table["องค์กร"]) == ["เทศบาลตำบลเชียงม่วน"] and list(table["จังหวัด"]) == ["เชียงใหม่"]
    assert list(table["เปิดหน้าองค์กร"]) == ["./?org=tt-chiang-muan&lang=th"]
    again = run_page(PAGE, show="not_published:2567-1")  # a shared address opens on the same figure
    assert list(again.dataframe[-1].value["องค์กร"]) == ["อบต.ตัวอย่าง"]
    dim = run_page(PAGE, show="dimension:2567-1:1")
    assert list(dim.dataframe[-1].value["องค์กร"]) == ["เทศบาลตำบลเชียงม่วน"]


def test_filters_are_kept_in_the_address_and_an_unknown_value_there_is_ignored():
    at = run_page(PAGE)
    at.selectbox(key="url_province").select("จังหวัดตัวอย่าง").run()
    assert not at.exception and at.query_params["province"] == "จังหวัดตัวอย่าง"
    assert metrics(at)["องค์กร"] == "1" and "ยังไม่มีองค์กรใดเผยแพร่ผลการติดตาม" in texts(at)
    typed = run_page(PAGE, type="sao")
    assert metrics(typed)["องค์กร"] == "1"
    unknown = run_page(PAGE, province="<b>ไม่มีจังหวัดนี้</b>")
    assert not unknown.exception and metrics(unknown)["องค์กร"] == "2" and "province" not in unknown.query_params


def test_an_oversight_account_reads_its_province_with_the_rounds_held():
    at = signed_in("prov", PAGE)
    assert not at.exception
    assert metrics(at) == {"องค์กร": "1", "มีแผนในระบบ (จาก 1)": "1", "จัดรอบติดตามแล้ว (จาก 1)": "1"}
    assert "ขอบเขต: จังหวัดตัวอย่าง" in texts(at)
    box = at.selectbox(key="url_province")
    assert box.options == ["ทั้งหมด", "จังหวัดตัวอย่าง"] and box.placeholder == "ทั้งหมด"


def test_the_roll_up_offers_no_presentation_nor_an_organisation_of_its_own():
    """Presenting shows one organisation's plan; from the roll-up it led to the list of organisations, with no menu."""
    at = run_page("pages/overview.py", org="tt-chiang-muan")  # an organisation chosen earlier in the session
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "โหมดนำเสนอ" not in labels and "เลือกองค์กรอื่น" not in labels
    assert "โหมดนำเสนอ" in [b.label for b in run_page(None, org="tt-chiang-muan").button]  # an organisation's page


def test_in_english():
    at = run_page(PAGE, lang="en")
    assert not at.exception and at.header[0].value == "Plan monitoring across organisations"
    assert metrics(at)["Holding rounds (of 2)"] == "1"
    at.selectbox(key="url_show").select("late:2567-1").run()
    assert list(at.dataframe[-1].value["Open the organisation"]) == ["./?org=tt-chiang-muan&lang=en"]
    assert "(BE 25" in at.dataframe[-1].value["Value"].iloc[0]  # the day it was published, read in English


def test_one_organisation_has_no_roll_up_in_its_menu_and_the_page_still_answers(loaded_engine, monkeypatch):
    monkeypatch.setenv("ACPLAN_DATABASE_URL", str(loaded_engine.url))
    clear_caches()
    at = run_page(PAGE)
    assert not at.exception and metrics(at)["องค์กร"] == "1"
    clear_caches()
