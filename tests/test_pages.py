"""Every page under the real Streamlit runtime (AppTest), in Thai and English."""

import pytest

from acplan import settings
from acplan.ui import state
from tests.apptest import clear_caches, run_page, texts

PAGES = ["pages/overview.py", "pages/projects.py", "pages/project.py", "pages/budget.py", "pages/risks.py",
         "pages/targets.py", "pages/results.py", "pages/findings.py"]


@pytest.fixture(scope="module", autouse=True)
def app_store(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    db = tmp_path_factory.mktemp("app") / "acplan.db"
    mp.setenv("ACPLAN_DATABASE_URL", f"sqlite:///{db}")
    mp.setenv("ACPLAN_TODAY", "2024-05-01")
    clear_caches()
    yield db
    clear_caches()
    mp.undo()


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page, lang):
    at = run_page(page, lang=lang, no="1")
    assert not at.exception, at.exception
    assert "เชียง" + "ใหม่" not in texts(at)


def test_overview_in_thai_shows_plan_totals_and_this_years_targets():
    at = run_page()
    assert not at.exception
    shown = texts(at)
    assert "แผนปฏิบัติการป้องกันการทุจริตเพื่อยกระดับคุณธรรมและความโปร่งใส" in shown
    assert "เทศบาลตำบลเชียงม่วน" in shown
    assert "งบประมาณรวม 5 ปี 1,100,000 บาท" in shown
    assert "งบประมาณ ปีงบ 2567 220,000 บาท" in shown
    assert "เป้าหมาย ITA ปีงบ 2567 70 คะแนน" in shown
    assert "เป้าหมายคดีลดลง ปีงบ 2567 ร้อยละ 20" in shown
    assert "ปีงบประมาณ 2567 (ต.ค. 2566 – ก.ย. 2567)" in shown
    assert "**30 รายการ**: มาตรการ 12 · โครงการ 11 · กิจกรรม 6 · ไม่ระบุประเภท 1 · รายการที่ไม่ใช้งบประมาณ 27" in shown
    assert "3 รายการ · 950,000 บาท" in shown and "15 รายการ · 0 บาท" in shown
    links = [link.proto.page for link in at.get("page_link")]
    assert links.count("projects") == 4


def test_overview_in_english():
    at = run_page(lang="en")
    shown = texts(at)
    assert "Five-year budget THB 1,100,000" in shown
    assert "FY 2567 (Oct 2023 – Sep 2024)" in shown
    assert "ITA target, FY 2567 70 points" in shown


@pytest.mark.parametrize(("params", "count"), [
    ({"dim": "2"}, 15), ({"dim": "1"}, 3), ({"dim": "3"}, 5), ({"dim": "4"}, 7), ({}, 30),
    ({"kind": "activity"}, 6), ({"kind": "none"}, 1), ({"mission": "2.2"}, 7), ({"unit": "กองคลัง"}, 1),
    ({"fy": "2568"}, 30), ({"q": "ร้องเรียน"}, 4), ({"q": "19"}, 1), ({"dim": "1", "kind": "measure"}, 0),
    ({"dim": "99"}, 30),
], ids=lambda v: str(v))
def test_projects_filter_from_url(params, count):
    at = run_page("pages/projects.py", **params)
    assert not at.exception
    assert at.subheader[0].value.startswith(f"พบ {count} จาก 30 รายการ")
    if count:
        assert len(at.dataframe[0].value) == count


def test_projects_changing_a_filter_updates_the_url_and_count():
    at = run_page("pages/projects.py", dim="2")
    at.selectbox(key="url_dim").select(1).run()
    assert at.query_params["dim"] == "1"
    assert at.subheader[0].value == "พบ 3 จาก 30 รายการ"
    at.text_input(key="url_q").input("ธรรมาภิบาล").run()
    assert at.query_params["q"] == "ธรรมาภิบาล"
    assert at.subheader[0].value == "พบ 1 จาก 30 รายการ"
    at.selectbox(key="url_dim").select_index(0).run()
    assert "dim" not in at.query_params


def test_project_19_shows_30000_baht_each_year():
    at = run_page("pages/project.py", no="19")
    assert not at.exception
    budget = at.table[1].value
    assert budget.iloc[:, 1].tolist() == ["30,000 บาท"] * 5
    assert budget.iloc[:, 0].tolist() == [f"ปีงบ {y}" for y in range(2566, 2571)]
    shown = texts(at)
    assert "โครงการจัดเวทีประชาคม" in shown
    assert "ตารางส่วนที่ 2 มิติที่ 3 ภารกิจ 3.1 รวมลำดับ 19) 20) 21)" in shown


def test_project_page_shows_indicators_and_risk_links():
    at = run_page("pages/project.py", no="1")
    indicators = at.table[2].value
    assert "ไม่น้อยกว่า 1 ครั้ง ต่อปี" in indicators.iloc[:, 2].tolist()
    assert "ไม่น้อยกว่า 80%" in indicators.iloc[:, 2].tolist()
    assert any("ขั้นตอนที่ 1" in e.value and "มาตรการที่ 4" in e.value for e in at.text)


@pytest.mark.parametrize(("no", "message"), [
    ("99", "ไม่มีรายการลำดับที่ 99 ในแผนนี้ (แผนมีรายการที่ 1–30)"),
    ("abc", "“abc” ไม่ใช่เลขลำดับรายการ: ใช้เลข 1–30"),
    ("", "ไม่ได้ระบุเลขลำดับรายการ"),
])
def test_project_bad_number_gets_clear_message_and_way_back(no, message):
    at = run_page("pages/project.py", no=no)
    assert not at.exception
    assert message in at.warning[0].value
    assert [link.proto.page for link in at.get("page_link")] == ["projects"]


def test_budget_page_has_charts_tables_and_csv():
    at = run_page("pages/budget.py")
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 3
    assert len(at.get("download_button")) == 3
    assert "ยังไม่มีการบันทึกการใช้จ่ายจริง" in at.info[0].value
    first = at.dataframe[0].value
    assert first.iloc[0].tolist() == ["ปีงบ 2566", "190,000", "0", "30,000", "0"]  # read as people read them


def test_risks_page_shows_gaps_and_attention():
    at = run_page("pages/risks.py")
    assert not at.exception
    summary_table = at.dataframe[0].value
    assert summary_table.iloc[:, 3:6].values.tolist() == [[7, 4, 3], [4, 3, 1], [6, 2, 4], [6, 3, 3]]
    assert summary_table.iloc[:, 2].tolist() == ["", "", "⚠ ต้องติดตาม", "⚠ ต้องติดตาม"]
    assert "มาตรการ 4 จาก 7 มีรายการในแผนรองรับ" in texts(at)
    gaps = "\n".join(w.value for w in at.warning)
    assert gaps.count("— ไม่มีรายการในแผน") == 11
    assert "3. มาตรการป้องกันผลประโยชน์ทับซ้อนของหน่วยงาน — ไม่มีรายการในแผน" in gaps
    links = [link.proto.label for link in at.get("page_link")]
    assert "6. มาตรการจัดให้มีระบบและช่องทางการรับเรื่องร้องเรียนเกี่ยวกับการทุจริตของหน่วยงาน → ลำดับที่ 30 (ตรงกัน)" in links
    assert [e.value for e in at.error] == ["ความเสี่ยงสูง แต่มาตรการส่วนใหญ่ไม่มีรายการในแผนรองรับ"] * 2


def test_targets_page_shows_not_yet_recorded():
    at = run_page("pages/targets.py", lang="en")
    table = at.table[0].value
    assert table.iloc[:, 1].tolist() == [f"{v} points" for v in (65, 70, 75, 80, 85)]
    assert set(table.iloc[:, 2]) == {"Not yet recorded"}


def test_presentation_mode_steps_through_dimensions():
    at = run_page(present="1")
    assert not at.exception
    assert at.header[0].value == "ภาพรวมแผน"
    at.button(key="present_next").click().run()
    assert at.query_params["screen"] == "1"
    assert at.header[0].value.startswith("มิติที่ 1 การสร้างวัฒนธรรมสุจริต")
    assert len(at.table[0].value) == 3
    at.button(key="present_next").click().run()  # dimension 2 has 15 items: three screens that fit 1280×720
    assert at.header[0].value.startswith("มิติที่ 2") and at.header[0].value.endswith("(1/3)")
    assert len(at.table[0].value) == 5
    at.button(key="present_next").click().run()
    assert at.header[0].value.endswith("(2/3)") and len(at.table[0].value) == 5
    budgets = at.table[0].value.iloc[:, 2].tolist()
    assert "0" not in budgets and "ไม่ใช้งบประมาณ" in budgets  # no bare 0 for an item that needs no money
    for _ in range(4):
        at.button(key="present_next").click().run()
    assert at.header[0].value.startswith("มิติที่ 4")
    assert at.button(key="present_next").disabled


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_fault_in_a_page_is_told_in_the_readers_language_and_logged_not_shown_as_a_traceback(
        lang, monkeypatch, caplog):
    def broken(plan_id, actor):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(state, "evaluation", broken)  # a fault the overview cannot foresee
    monkeypatch.setenv("ACPLAN_SHOW_ERRORS", "0")  # as deployed
    settings.get.cache_clear()
    with caplog.at_level("ERROR", logger="acplan"):
        at = run_page(lang=lang)  # the overview, run through app.py's frame
    assert not at.exception
    expected = "หน้านี้ขัดข้อง" if lang == "th" else "This page ran into a fault"
    assert [e.value for e in at.error if expected in e.value]
    assert "secret detail" not in texts(at) and "Traceback" not in texts(at)
    assert "secret detail from deep inside" in caplog.text  # the operator has it in the log

    monkeypatch.setenv("ACPLAN_SHOW_ERRORS", "1")  # development and tests: the fault in full
    settings.get.cache_clear()
    at = run_page(lang=lang)
    assert at.exception  # raised to Streamlit (which shows it as `client.showErrorDetails` says), not swallowed
