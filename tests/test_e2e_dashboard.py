"""End to end: the real app under `streamlit run`, driven in Debian's Chromium through Playwright."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import loaded_store
from tests.server import ROOT, edit_score, open_as, see, sign_in, streamlit_server, wait_idle

SHOTS = ROOT / "artifacts" / "screenshots"
ROUNDS_LINK = "รอบประเมิน"
PAGES = {"overview": "/", "projects": "/projects", "projects-dim2": "/projects?dim=2", "project-19": "/project?no=19",
         "project-99": "/project?no=99", "budget": "/budget", "risks": "/risks", "targets": "/targets",
         "present": "/?present=1", "overview-en": "/?lang=en", "project-30-en": "/project?no=30&lang=en"}
# Headings, metric labels and values, captions and buttons whose text is cut (ellipsis or hidden overflow).
CLIPPED_TEXT = """[...document.querySelectorAll(
    "h1, h2, h3, [data-testid=stMetricLabel], [data-testid=stMetricValue], [data-testid=stCaptionContainer], button p")]
  .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.innerText.slice(0, 60))"""
VIEWPORTS = [(1280, 720), (1920, 1080)]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}", "ACPLAN_TODAY": "2026-11-27"}
    with streamlit_server(env, tmp / "streamlit.log") as url:
        yield url


def assert_healthy(page) -> None:
    """No Streamlit exception box, no traceback, and nothing wider than the window."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"horizontal overflow of {overflow}px"
    assert page.evaluate(CLIPPED_TEXT) == [], "text cut off on the page"


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=lambda v: str(v))
def test_every_page_renders_and_is_saved_as_screenshot(app_url, browser, width, height):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    for name, path in PAGES.items():
        page.goto(app_url + path)
        wait_idle(page)
        assert_healthy(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"))
    page.close()


def test_overview_headline_is_above_the_fold(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app_url + "/")
    wait_idle(page)
    for text in ("1,100,000 บาท", "220,000 บาท", "85 คะแนน", "ร้อยละ 50", "มิติที่ 4"):
        box = page.get_by_text(text, exact=True).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 720, text
    page.close()


def test_filter_changes_url_and_count_then_a_row_opens_the_project(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app_url + "/projects?dim=2")
    wait_idle(page)
    see(page, "พบ 15 จาก 30 รายการ")
    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="มิติที่ 1 การสร้างวัฒนธรรมสุจริต").click()
    page.wait_for_url("**dim=1*", timeout=30_000)
    wait_idle(page)
    see(page, "พบ 3 จาก 30 รายการ")
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.click(position={"x": 16, "y": 44 + 22})  # selection checkbox of the first row (item 1), once settled
    page.wait_for_url("**/project?no=1*", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("heading", name="โครงการพัฒนาความรู้ด้านกฎหมาย").first).to_be_visible()
    assert_healthy(page)
    page.close()


def test_presentation_mode_toggle_and_steps(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app_url + "/")
    wait_idle(page)
    page.get_by_role("button", name="โหมดนำเสนอ").click()
    page.wait_for_url("**present=1*", timeout=30_000)
    wait_idle(page)
    assert page.locator("header[data-testid='stHeader']").is_hidden()
    see(page, "ภาพรวมแผน")
    page.get_by_role("button", name="ถัดไป").click()
    page.wait_for_url("**screen=1*", timeout=30_000)
    wait_idle(page)
    see(page, "มิติที่ 1 การสร้างวัฒนธรรมสุจริต")
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "present-dimension1-1280x720.png"))
    page.keyboard.press("PageDown")  # what a presenter's clicker sends
    page.wait_for_url("**screen=2*", timeout=30_000)
    wait_idle(page)
    see(page, "(1/3)")
    fits = page.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]');"
                         " return m.scrollHeight <= m.clientHeight + 2; })()")
    page.screenshot(path=str(SHOTS / "present-dimension2-1280x720.png"))
    assert fits, "the dimension 2 screen does not fit 1280×720"
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**screen=1*", timeout=30_000)
    page.get_by_role("button", name="ออกจากโหมดนำเสนอ").click()
    page.wait_for_function("!location.search.includes('present')", timeout=30_000)
    page.close()


@pytest.fixture(scope="module")
def scoring_app(tmp_path_factory, template_root):
    """A running app whose store has a committee member and an open round 2570-1."""
    from sqlmodel import Session

    from acplan.db import make_engine
    from tests.factories import open_round, user

    tmp = tmp_path_factory.mktemp("e2e-score")
    url = loaded_store(tmp / "score.db", template_root)
    engine = make_engine(url)
    with Session(engine) as s:
        user(s, "m1", "committee")
        user(s, "sec", "secretary")
        open_round(s, "2570-1")
        s.commit()
    engine.dispose()
    with streamlit_server({"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2026-11-27"}, tmp / "streamlit.log") as app:
        yield app, url


def test_member_signs_in_scores_an_item_in_the_grid_and_sees_it_saved(scoring_app, browser):
    app, url = scoring_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "m1", "ให้คะแนน")
    see(page, "ให้คะแนนแล้ว 0 จาก 30 รายการ (ส่งแล้ว 0)")
    page.screenshot(path=str(SHOTS / "score-entry-1280x720.png"))
    edit_score(page, 1, "4")
    wait_idle(page)
    page.screenshot(path=str(SHOTS / "score-after-edit-1280x720.png"))
    see(page, "บันทึกร่างลำดับที่ 1 แล้ว")
    see(page, "ให้คะแนนแล้ว 1 จาก 30 รายการ (ส่งแล้ว 0)")
    assert_healthy(page)
    page.screenshot(path=str(SHOTS / "score-saved-1280x720.png"))
    page.close()

    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import ScoreEntry
    engine = make_engine(url)
    with Session(engine) as s:
        saved = s.exec(select(ScoreEntry)).all()
        assert [(e.score, e.state) for e in saved] == [(4, "draft")]
    engine.dispose()


def test_a_score_outside_the_rules_is_refused_in_thai_and_nothing_is_stored(scoring_app, browser):
    app, url = scoring_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "m1", "ให้คะแนน")  # within the session: a reload would sign out (issue #11.6)
    see(page, "ให้คะแนนแล้ว")
    edit_score(page, 1, "7")
    wait_idle(page)
    see(page, "คะแนน “7” ต้องเป็นเลขจำนวนเต็ม 1–5")
    page.screenshot(path=str(SHOTS / "score-refused-1280x720.png"))
    assert_healthy(page)
    page.close()
    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import ScoreEntry
    engine = make_engine(url)
    with Session(engine) as s:
        assert [e.score for e in s.exec(select(ScoreEntry))] in ([], [4])  # nothing new stored for the 7
    engine.dispose()


def test_closing_a_round_asks_in_a_dialog_with_the_numbers_first(scoring_app, browser):
    app, url = scoring_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "sec", ROUNDS_LINK)
    page.get_by_role("button", name="ปิดรอบ").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=30_000)
    expect(dialog.get_by_text("กรรมการส่งครบ 0 จาก 1 คน", exact=False)).to_be_visible()
    page.screenshot(path=str(SHOTS / "round-close-confirm-1280x720.png"))
    confirm = dialog.get_by_role("button", name="ปิดรอบ")
    expect(confirm).to_be_disabled()
    dialog.get_by_text("ทราบแล้วว่ายังไม่ครบ").click()
    # Today (27 Nov 2569 in this app) falls inside round 2570-1's period, which runs until 31 March 2570.
    expect(dialog.get_by_text("ช่วงเวลาของรอบนี้ยังไม่สิ้นสุด (ถึง 31 มีนาคม 2570)", exact=False)).to_be_visible()
    expect(confirm).to_be_disabled()
    dialog.get_by_text("ทราบแล้วว่ายังไม่สิ้นสุดช่วงเวลาของรอบ").click()
    expect(confirm).to_be_enabled(timeout=30_000)
    dialog.get_by_label("เหตุผลที่ดำเนินการก่อนสิ้นสุดช่วงเวลา", exact=False).fill("ทดสอบปิดรอบก่อนกำหนดเพื่อรายงานสภา")
    page.screenshot(path=str(SHOTS / "round-close-early-1280x720.png"))
    confirm.click()
    see(page, "เปลี่ยนสถานะแล้ว: รอบ 2570-1 ปิดรอบแล้ว")
    assert_healthy(page)
    page.close()


def test_signing_in_from_a_bookmarked_page_comes_back_to_it(scoring_app, browser):
    app, _ = scoring_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app + "/score?round=2570-1")
    wait_idle(page)
    see(page, "หน้านี้สำหรับผู้ที่ได้รับสิทธิ์: กรุณาเข้าสู่ระบบ")
    page.get_by_role("link", name="เข้าสู่ระบบ").last.click()
    page.wait_for_url("**/login?next=*", timeout=30_000)
    wait_idle(page)
    page.get_by_label("ชื่อผู้ใช้").fill("m1")
    page.get_by_label("รหัสผ่าน").fill("m1-password-1")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/score?round=2570-1", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("heading", name="ให้คะแนน", exact=True)).to_be_visible(timeout=30_000)  # whatever the round's state
    assert_healthy(page)
    page.close()


def test_english_stays_english_when_moving_through_the_top_menu(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app_url + "/?lang=en")
    wait_idle(page)
    page.get_by_role("link", name="Budget").click()
    page.wait_for_url("**/budget*", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Planned budget", exact=True)).to_be_visible(timeout=30_000)
    page.wait_for_url("**lang=en*", timeout=30_000)  # the address says it again, so it can be shared
    page.get_by_role("link", name="Items").click()
    page.wait_for_url("**/projects*", timeout=30_000)
    wait_idle(page)
    see(page, "Items")
    assert "lang=en" in page.url
    assert_healthy(page)
    page.close()


def test_a_signed_in_member_stays_signed_in_across_reloads_and_tabs_until_signing_out(scoring_app, browser):
    app, _ = scoring_app
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    sign_in(page, app, "m1", "m1-password-1")
    see(page, "เข้าสู่ระบบแล้ว")
    cookie = next(c for c in context.cookies() if c["name"] == "acplan_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"  # scripts on the page cannot read it
    page.goto(app + "/score")  # a reload or a bookmark
    wait_idle(page)
    expect(page.get_by_role("heading", name="ให้คะแนน", exact=True)).to_be_visible(timeout=30_000)
    other = context.new_page()  # a second tab
    other.goto(app + "/login")
    wait_idle(other)
    see(other, "เข้าสู่ระบบแล้ว")
    other.get_by_role("button", name="ออกจากระบบ").click()
    wait_idle(other)
    see(other, "ชื่อผู้ใช้")
    page.goto(app + "/score")  # signed out everywhere: the cookie no longer signs anyone in
    wait_idle(page)
    see(page, "หน้านี้สำหรับผู้ที่ได้รับสิทธิ์: กรุณาเข้าสู่ระบบ")
    context.close()


def test_one_unit_however_the_plan_words_it_in_the_browser(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(app_url + "/project?no=24")
    wait_idle(page)
    see(page, "หน่วยตรวจสอบภายใน (แผนเขียนว่า “หน่วยงานตรวจสอบภายใน”")
    assert_healthy(page)
    page.close()


def test_members_see_only_counts_of_an_open_round_in_the_browser(scoring_app, browser):
    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import EvaluationRound
    from tests.factories import open_round
    app, url = scoring_app
    engine = make_engine(url)
    with Session(engine) as s:  # an open round of its own, whatever earlier tests did to 2570-1
        if not s.exec(select(EvaluationRound).where(EvaluationRound.round_no == 2)).first():
            open_round(s, "2570-2", prefill=False)
            s.commit()
    engine.dispose()
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "m1", "ผลประเมิน")
    see(page, "2570-2")
    see(page, "รอบนี้ยังเปิดรับการประเมิน กรรมการให้คะแนนโดยอิสระจากกัน")
    assert "คะแนนรายกรรมการ" not in page.inner_text("[data-testid='stMain']")
    page.close()


def test_a_christian_era_due_date_is_refused_in_thai_keeping_what_was_typed_in_the_browser(scoring_app, browser):
    app, _ = scoring_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "sec", "ข้อค้นพบ")
    form = page.locator("[data-testid='stForm']").first
    form.get_by_role("textbox", name="ข้อค้นพบ").fill("ยังไม่ได้ติดประกาศรายงานการประชุม")
    form.get_by_role("textbox", name="กำหนดเสร็จ").fill("31/03/2027")
    form.get_by_role("button", name="บันทึกข้อค้นพบ").click()
    see(page, "“31/03/2027” ไม่ได้ใช้ปี พ.ศ.")
    expect(form.get_by_role("textbox", name="กำหนดเสร็จ")).to_have_value("31/03/2027")  # what was typed stays
    assert_healthy(page)  # (the Buddhist Era date saved and shown: tests/test_pages_findings.py)
    page.close()


def test_two_browsers_saving_the_same_entry_one_is_refused_not_overwritten(scoring_app, browser):
    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import EvaluationRound
    from tests.factories import open_round
    app, url = scoring_app
    engine = make_engine(url)
    with Session(engine) as s:  # an open round of its own, whatever earlier tests did to 2570-1
        if not s.exec(select(EvaluationRound).where(EvaluationRound.round_no == 2)).first():
            open_round(s, "2570-2", prefill=False)
            s.commit()
    engine.dispose()
    pages = []
    for _ in range(2):  # the same member in two browsers, both showing the grid before either saves
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        sign_in(page, app, "m1", "m1-password-1")
        page.goto(app + "/score?round=2570-2")  # a bookmark: the session cookie keeps the member signed in
        wait_idle(page)
        see(page, "ให้คะแนนแล้ว 0 จาก 30")
        pages.append(page)
    edit_score(pages[0], 1, "3")
    wait_idle(pages[0])
    see(pages[0], "ให้คะแนนแล้ว 1 จาก 30")
    edit_score(pages[1], 1, "5")
    wait_idle(pages[1])
    see(pages[1], "ถูกบันทึกจากที่อื่นหลังจากที่คุณเปิดดู")
    engine = make_engine(url)
    with Session(engine) as s:
        from acplan.monitoring.models import ScoreEntry
        rnd = s.exec(select(EvaluationRound).where(EvaluationRound.round_no == 2)).one()
        assert [e.score for e in s.exec(select(ScoreEntry).where(ScoreEntry.round_id == rnd.id))] == [3]
    engine.dispose()
    for page in pages:
        page.context.close()


def test_uploading_a_sheet_made_for_another_member_is_refused_naming_both(scoring_app, browser, tmp_path):
    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import ScoreEntry
    from acplan.monitoring.scoresheet.workbook import template

    app, url = scoring_app
    sheet = tmp_path / "m2-2570-1.xlsx"  # another member's sheet, every row filled
    made = load_workbook(io.BytesIO(template(round_code="2570-1", member="m2", items=[(n, f"รายการ {n}") for n in range(1, 31)])))
    for row in made.active.iter_rows(min_row=2):
        row[2].value, row[4].value, row[5].value = "อยู่ระหว่างดำเนินการ", 50, 3
    made.save(sheet)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "m1", "ให้คะแนน")
    page.get_by_text("กรอกด้วย Excel").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").last.set_input_files(str(sheet))
    page.get_by_role("button", name="นำเข้า", exact=True).click()
    wait_idle(page)
    see(page, "แบบฟอร์มนี้เป็นของผู้ประเมิน m2 แต่กำลังนำเข้าเป็นคะแนนของ ผู้ใช้ m1 (m1)")
    assert page.get_by_text("ยืนยันนำเข้าและส่งผล").count() == 0  # refused before any confirmation is offered
    page.get_by_text("แบบฟอร์มนี้เป็นของผู้ประเมิน m2").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "score-upload-other-member-1280x720.png"))
    assert_healthy(page)
    page.close()
    engine = make_engine(url)
    with Session(engine) as s:
        assert [e for e in s.exec(select(ScoreEntry)) if e.state == "submitted"] == []  # nothing imported
    engine.dispose()


def test_the_secretary_words_the_rounds_conclusion_in_the_browser(scoring_app, browser):
    """Typed Thai over several lines reaches the store exactly as typed, and the box still shows it after saving."""
    app, url = scoring_app
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    open_as(page, app, "sec", ROUNDS_LINK)
    box = page.get_by_role("textbox", name="บทสรุปที่พิมพ์ในรายงาน")
    typed = "คณะกรรมการเห็นว่าการดำเนินการเป็นไปตามแผน ร้อยละ 80\nควรเร่งรัดมิติที่ 3 ในรอบถัดไป"
    box.fill(typed)
    page.get_by_role("button", name="บันทึกบทสรุป").click()
    see(page, "บันทึกบทสรุปของรอบ 2570-")  # the newest round, which the page selects (another test may add one)
    expect(page.get_by_role("textbox", name="บทสรุปที่พิมพ์ในรายงาน")).to_have_value(typed)
    assert_healthy(page)
    page.get_by_role("button", name="บันทึกบทสรุป").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "round-conclusion-1280x720.png"))
    page.close()

    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import EvaluationRound
    engine = make_engine(url)
    with Session(engine) as s:
        assert len(s.exec(select(EvaluationRound).where(EvaluationRound.conclusion_th == typed)).all()) == 1
    engine.dispose()
