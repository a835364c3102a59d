"""Every page under the real Streamlit runtime (AppTest), in Thai and English."""

import pytest

from tests.apptest import clear_caches, run_page, texts


@pytest.fixture(scope="module", autouse=True)
def app_store(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    db = tmp_path_factory.mktemp("app") / "acplan.db"
    mp.setenv("ACPLAN_DATABASE_URL", f"sqlite:///{db}")
    clear_caches()
    yield db
    clear_caches()
    mp.undo()


def test_overview_in_thai_shows_plan_and_totals():
    at = run_page()
    assert not at.exception
    shown = texts(at)
    assert "แผนปฏิบัติการป้องกันการทุจริตเพื่อยกระดับคุณธรรมและความโปร่งใส" in shown
    assert "เทศบาลตำบลเชียงม่วน" in shown
    assert "1,100,000 บาท" in shown
    assert "ปีงบประมาณ 2567 (ต.ค. 2566 – ก.ย. 2567)" in shown
    assert "220,000 บาท" in shown
    assert "เชียงใหม่" not in shown


def test_overview_in_english():
    at = run_page(lang="en")
    assert not at.exception
    shown = texts(at)
    assert "Five-year budget THB 1,100,000" in shown
    assert "FY 2567 (Oct 2023 – Sep 2024)" in shown
    assert "Dimension 2" in shown
