"""The app serving two organisations (AppTest, #13): the list to choose from, `?org=` scoping every page, and an
account seeing another organisation's pages only as the public does."""

import pytest
from sqlmodel import Session

from acplan.db import make_engine
from acplan.monitoring import users
from tests.apptest import clear_caches, run_page, signed_in, texts
from tests.conftest import loaded_store
from tests.factories import OPERATOR, example_org, open_round, user
from tests.test_pages import PAGES

EXAMPLE_NAME = "องค์การบริหารส่วนตำบลหนองข้าวหอม (ตัวอย่างสมมติ)"


@pytest.fixture(scope="module", autouse=True)
def two_orgs(tmp_path_factory, template_root):
    """เชียงม่วน with an open round and its secretary; the example อบต. with its plan and its administrator."""
    mp = pytest.MonkeyPatch()
    url = loaded_store(tmp_path_factory.mktemp("orgs") / 'acplan.db', template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        user(s, "sec1", "secretary")
        open_round(s, "2567-1")
        org = example_org(s, name_th=EXAMPLE_NAME)
        users.add_user(session=s, actor=OPERATOR, username="b-admin", display_name="ผู้ดูแล อบต.", role="admin",
                       password="b-admin-password-1", organisation_id=org.id)
        for name, province in (("ov-all", ""), ("ov-sample", "จังหวัดตัวอย่าง")):
            users.add_user(session=s, actor=OPERATOR, username=name, display_name=f"สำนักงาน {name}", role="oversight",
                           password=f"{name}-password-1", oversight_province_th=province)
        s.commit()
    engine.dispose()
    mp.setenv("ACPLAN_DATABASE_URL", url)
    mp.setenv("ACPLAN_TODAY", "2024-05-01")
    clear_caches()
    yield
    clear_caches()
    mp.undo()


def test_without_an_organisation_the_app_opens_on_the_list_of_them_and_opens_the_one_chosen():
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "องค์กรปกครองส่วนท้องถิ่นที่ใช้ระบบนี้"
    assert sorted(at.dataframe[0].value["องค์กร"]) == sorted(["เทศบาลตำบลเชียงม่วน", EXAMPLE_NAME])
    at.selectbox(key="org_pick").select("sao-example").run()
    assert not at.exception
    assert at.query_params["org"] == "sao-example"  # bookmarkable
    assert EXAMPLE_NAME in texts(at) and "เลือกองค์กรอื่น" in [b.label for b in at.button]
    at.button(key="org_other").click().run()
    assert "org" not in at.query_params
    assert at.title[0].value == "องค์กรปกครองส่วนท้องถิ่นที่ใช้ระบบนี้"


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("org", ["tt-chiang-muan", "sao-example"])
def test_every_page_runs_for_each_organisation(page, lang, org):
    at = run_page(page, lang=lang, org=org, no="1")
    assert not at.exception, at.exception
    shown = texts(at)
    other = "ตัวอย่างสมมติ" if org == "tt-chiang-muan" else "เชียงม่วน"
    assert other not in shown  # nothing of the other organisation's plan


def test_the_address_chooses_the_organisation_and_each_page_shows_its_plan():
    at = run_page("pages/projects.py", org="sao-example")
    assert "18" in texts(at) and "โครงการอบรมคุณธรรมจริยธรรมสำหรับพนักงานส่วนตำบล (ตัวอย่างสมมติ)" in texts(at)
    at = run_page("pages/projects.py", org="tt-chiang-muan")
    assert "ตัวอย่างสมมติ" not in texts(at) and "30" in texts(at)


def test_an_unknown_organisation_is_said_and_the_list_offered():
    at = run_page("pages/overview.py", org="nowhere")
    assert not at.exception
    assert at.warning[0].value == "ไม่มีองค์กรรหัส “nowhere” ในระบบนี้: เลือกจากรายชื่อด้านล่าง"
    assert len(at.dataframe[0].value) == 2


def test_an_account_sees_its_own_organisation_after_signing_in():
    at = signed_in("b-admin", "pages/users.py")
    assert not at.exception
    names = list(at.dataframe[0].value.iloc[:, 0])
    assert names == ["b-admin"]  # the administrator of the อบต. lists its own accounts, not เชียงม่วน's


def test_an_account_of_another_organisation_sees_its_pages_as_the_public_does():
    at = signed_in("sec1", "pages/rounds.py", org="sao-example")
    assert not at.exception
    assert at.warning[0].value.startswith("หน้านี้ใช้ได้เฉพาะในองค์กรของบัญชีคุณ")
    assert not [b for b in at.button if b.label == "สร้างรอบ"]  # nothing of the secretary's is offered there
    at.query_params["org"] = "tt-chiang-muan"
    at.switch_page("pages/rounds.py")
    at.run()
    assert not at.exception
    assert [b for b in at.button if b.label == "สร้างรอบ"]  # at home the secretary runs the rounds


def test_an_administrator_edits_only_its_own_organisations_plan():
    at = signed_in("b-admin", "pages/plan_edit.py", org="tt-chiang-muan")
    assert not at.exception and at.get("data_editor") == []
    assert at.warning[0].value.startswith("หน้านี้ใช้ได้เฉพาะในองค์กรของบัญชีคุณ")
    at = signed_in("b-admin", "pages/plan_edit.py")
    assert not at.exception and len(at.get("data_editor")) == 4
    items = at.session_state["plan_draft"]["tables"]["items"]
    assert len(items) == 18 and at.session_state["plan_draft"]["data"]["plan"]["start_fy_be"] == 2569  # the อบต.'s
    assert not items["name_th"].str.contains("เชียงม่วน").any()  # nothing of the other organisation's plan


@pytest.mark.parametrize(("username", "sees_open_round"), [("ov-all", True), ("ov-sample", False)])
def test_an_oversight_office_reads_unpublished_results_of_its_province_only(username, sees_open_round):
    at = signed_in(username, "pages/results.py", org="tt-chiang-muan")
    assert not at.exception
    assert ("2567-1" in texts(at)) is sees_open_round  # the open round, unpublished
