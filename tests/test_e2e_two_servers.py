"""Two app processes on one PostgreSQL, as behind a load balancer (#16): a person signed in through one stays signed
in on the other, what is saved through one is shown by the other on its next run, with no restart, and wrong
guesses are counted across both."""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from acplan.db import make_engine
from tests.factories import user
from tests.server import see, sign_in, streamlit_server, wait_idle

pytestmark = pytest.mark.browser


def test_a_sign_in_a_write_and_wrong_guesses_through_one_process_hold_on_the_other(pg_loaded_url, browser, tmp_path):
    engine = make_engine(pg_url := pg_loaded_url)
    with Session(engine) as s:
        user(s, "sec", "secretary")
        s.commit()
    env = {"ACPLAN_DATABASE_URL": pg_url, "ACPLAN_TODAY": "2026-11-27"}
    with streamlit_server(env, tmp_path / "a.log") as a, streamlit_server(env, tmp_path / "b.log") as b:
        context = browser.new_context(viewport={"width": 1280, "height": 720})  # one browser: one cookie jar
        on_a = context.new_page()
        sign_in(on_a, a, "sec", "sec-password-1")
        on_b = context.new_page()
        on_b.goto(b + "/rounds")  # the other process: the session cookie A set signs the person in here too
        wait_idle(on_b)
        expect(on_b.get_by_role("button", name="บันทึกผลรายปี")).to_be_visible()
        on_b.goto(b + "/")  # B reads (and caches) this year's targets: no ITA score recorded yet
        wait_idle(on_b)
        expect(on_b.get_by_text("ผลจริง: 88.5")).to_have_count(0)

        on_a.goto(a + "/rounds")
        wait_idle(on_a)
        year = on_a.get_by_role("combobox", name="ปีงบประมาณ (2565 คือปีฐาน)")
        year.click()
        year.press_sequentially("2570")  # typed, as a keyboard user picks it
        year.press("Enter")
        on_a.get_by_label("คะแนน ITA ที่ได้ (0–100)").fill("88.5")
        on_a.get_by_role("button", name="บันทึกผลรายปี").click()
        see(on_a, "บันทึกผลปี 2570 แล้ว")

        on_b.reload()
        wait_idle(on_b)
        see(on_b, "ผลจริง: 88.5")  # B shows A's write on its next run, with no restart
        context.close()

        guesser = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        for base in (a, b, a, b, a):  # five wrong guesses from one address, spread over both processes
            attempt(guesser, base, "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
        attempt(guesser, b, "ลองผิดหลายครั้ง")  # the sixth waits, whichever process it reaches
        guesser.context.close()
    engine.dispose()


def attempt(page, base: str, told: str) -> None:
    """One sign-in with a wrong password through the form, and what the page then says."""
    page.goto(base + "/login")
    wait_idle(page)
    page.get_by_label("ชื่อผู้ใช้").fill("sec")
    page.get_by_label("รหัสผ่าน").fill("not-the-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    see(page, told)
