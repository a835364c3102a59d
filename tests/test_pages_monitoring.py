"""The committee workflow in the real Streamlit runtime (AppTest): sign-in, roles, grid entry, rounds, results."""

import pytest
from sqlmodel import Session, select

from acplan import settings
from acplan.db import make_engine
from acplan.monitoring import entries, rounds
from acplan.monitoring.models import AppUser, AuditLog, EvaluationRound
from tests.apptest import clear_caches, run_page, signed_in, texts
from tests.conftest import loaded_store
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, plan_id, project_id, user


@pytest.fixture
def store(app_engine):
    """A store of this test's own: the loaded plan, four accounts and round 2567-1 open."""
    with Session(app_engine) as s:
        for name, role in (("sec", "secretary"), ("m1", "committee"), ("m2", "committee"), ("council1", "council")):
            user(s, name, role)
        rounds.create_round(session=s, actor=OPERATOR, plan_id=plan_id(s), fiscal_year_be=2567, round_no=1, today=TODAY)
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="open")
        s.commit()
    return app_engine


def score_all(engine, username: str = "m1", *, publish: bool = False) -> None:
    """Set-up, not under test: `username` drafts all 30 items (odd items 4, even 3); optionally submit and publish."""
    with Session(engine) as s:
        member = s.exec(select(AppUser).where(AppUser.username == username)).one()
        rnd = s.exec(select(EvaluationRound)).one()
        for n in range(1, 31):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values(score=4 if n % 2 else 3)), expected_version=None)
        if publish:
            entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
            for action in ("close", "publish"):
                rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        s.commit()
    clear_caches()


def test_wrong_password_is_refused_without_detail(store):
    at = run_page("pages/login.py")
    at.text_input(key="login_username").input("m1")
    at.text_input(key="login_password").input("wrong-password")
    next(b for b in at.button if b.label == "เข้าสู่ระบบ").click().run()
    assert at.error[0].value == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


@pytest.mark.parametrize(("page", "message"), [
    ("pages/score.py", "หน้านี้สำหรับผู้ที่ได้รับสิทธิ์: กรุณาเข้าสู่ระบบ"),
    ("pages/rounds.py", "หน้านี้สำหรับผู้ที่ได้รับสิทธิ์: กรุณาเข้าสู่ระบบ")])
def test_anonymous_reaching_a_private_page_by_url_gets_a_message(store, page, message):
    at = run_page(page)
    assert not at.exception
    assert at.warning[0].value == message
    assert at.get("data_editor") == [] and not [b for b in at.button if b.key and b.key.startswith("round_")]


@pytest.mark.parametrize(("username", "page"), [("council1", "pages/rounds.py"), ("council1", "pages/score.py"),
                                                ("sec", "pages/score.py"), ("m1", "pages/rounds.py")])
def test_role_without_permission_is_refused(store, username, page):
    at = signed_in(username, page)
    assert not at.exception
    assert at.warning[0].value.startswith("บทบาทของคุณ")


def test_member_submits_every_draft_from_the_score_page(store):
    at = signed_in("m1", "pages/score.py")
    assert not at.exception
    assert at.subheader[0].value == "ให้คะแนนแล้ว 0 จาก 30 รายการ (ส่งแล้ว 0)"
    assert len(at.get("data_editor")) == 1
    score_all(store)
    at.run()
    assert at.subheader[0].value == "ให้คะแนนแล้ว 30 จาก 30 รายการ (ส่งแล้ว 0)"
    at.button(key="submit_entries").click().run()
    assert "ส่ง 30 จาก 30 รายการ — อีก 0 รายการยังไม่ได้ให้คะแนน" in [e.value for e in at.text]
    at.button(key="submit_confirm_yes").click().run()
    assert at.subheader[0].value == "ให้คะแนนแล้ว 30 จาก 30 รายการ (ส่งแล้ว 30)"
    assert "ส่งแล้ว 30 รายการ" in texts(at)


def _grid_edit(db_url: str, edited_rows: dict) -> None:
    """A script run by AppTest: the grid's own on_change (grid.save_edits) on the edits a member made in the editor."""
    import streamlit as st
    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring.models import AppUser, EvaluationRound
    from acplan.ui import grid
    from tests.factories import as_actor

    with Session(make_engine(db_url)) as s:
        actor = as_actor(s.exec(select(AppUser).where(AppUser.username == "m1")).one())
        rnd = s.exec(select(EvaluationRound)).one()
        frame = grid.member_frame(s, actor, rnd, "th")
    st.session_state["grid"] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    grid.save_edits("grid", frame, rnd.id, actor, "th")
    for level, message in st.session_state[grid.MESSAGES_KEY]:
        st.text(f"{level}: {message}")
    st.text(f"redrawn: {st.session_state.get('grid_generation', 0)}")


def test_grid_edits_are_saved_through_the_grids_own_save_path(store):
    from streamlit.testing.v1 import AppTest
    url = str(store.url)
    edits = {"0": {"status_label": "อยู่ระหว่างดำเนินการ", "progress_pct": 60, "score": 4, "spent_thb": 1200},
             "1": {"score": 9}}
    at = AppTest.from_function(_grid_edit, args=(url, edits), default_timeout=60).run()
    assert not at.exception
    shown = [e.value for e in at.text]
    assert shown[0] == "success: บันทึกร่างลำดับที่ 1 แล้ว"
    assert shown[1] == "error: ลำดับที่ 2: คะแนน: คะแนน “9” ต้องเป็นเลขจำนวนเต็ม 1–5"
    assert shown[-1] == "redrawn: 0"  # a refused cell keeps what was typed: the grid is not drawn anew
    with Session(store) as s:
        saved = entries.entries_frame(session=s, actor=OPERATOR, round_id=s.exec(select(EvaluationRound)).one().id)
    assert saved[["number", "status", "progress_pct", "score", "spent_thb"]].values.tolist() == \
        [[1, "in_progress", 60, 4, 1200]]


def test_results_internal_before_publishing_and_public_after(store):
    score_all(store)
    with Session(store) as s:
        member = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=s.exec(select(EvaluationRound)).one())
        s.commit()
    clear_caches()
    anon = run_page("pages/results.py")
    assert anon.info[0].value == "ยังไม่มีรอบที่เผยแพร่ผล"
    for viewer in ("council1", "m2", "sec"):  # while the round is open, members score independently
        at = signed_in(viewer, "pages/results.py")
        assert not at.exception
        shown = texts(at)
        assert at.info[0].value.startswith("รอบนี้ยังเปิดรับการประเมิน") and "คะแนนรายกรรมการ" not in shown
        assert "ผลประเมินภาพรวม (1–5) —" in shown and "ประเมินแล้ว 30 / 30" in shown  # how many, not what
        assert at.get("download_button") == []  # no "public edition" of a round not yet published
        assert "ฉบับเผยแพร่ต่อสาธารณะของรอบนี้ดาวน์โหลดได้เมื่อเผยแพร่รอบแล้ว" in shown
    with Session(store) as s:
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="close")
        s.commit()
    clear_caches()
    council = signed_in("council1", "pages/results.py")
    assert "คะแนนรายกรรมการ (ภายใน ไม่เผยแพร่)" in texts(council)
    with Session(store) as s:
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="publish")
        s.commit()
    clear_caches()
    anon = run_page("pages/results.py")
    assert not anon.exception
    shown = texts(anon)
    assert "ผลประเมินภาพรวม (1–5) 3.50" in shown  # 15 items scored 4 and 15 scored 3 by one member
    assert "nan" not in shown
    assert "m1" not in shown and "คะแนนรายกรรมการ" not in shown
    assert [b.proto.label for b in anon.get("download_button")] == ["ดาวน์โหลดรายงาน PDF", "ดาวน์โหลดรายงาน Excel"]


def test_overview_and_project_page_show_the_published_round(store):
    score_all(store, publish=True)
    overview = run_page()
    assert "รอบล่าสุด 2567-1: เผยแพร่แล้ว" in texts(overview)
    present = run_page(present="1", screen="1")  # the presentation shows the latest published round's results
    table = present.table[0].value
    assert table["ผลประเมิน 2567-1"].tolist() == ["4.00", "3.00", "4.00"]
    assert table["สถานะ 2567-1"].tolist() == ["อยู่ระหว่างดำเนินการ"] * 3
    project = run_page("pages/project.py", no="1")
    history = project.dataframe[-1].value
    assert history.iloc[0, 0] == "2567-1"
    assert "ประวัติการแก้ไข (audit log)" not in texts(project)
    council = signed_in("council1", "pages/project.py", no="1")
    audit = council.dataframe[-1].value
    assert "entry.save" in audit.iloc[:, 2].tolist()


def test_admin_adds_a_user_in_the_app_and_bad_input_is_refused_keeping_what_was_typed(store):
    with Session(store) as s:
        user(s, "admin1", "admin")
        s.commit()
    at = signed_in("admin1", "pages/users.py")
    assert not at.exception
    assert at.selectbox(key="ua_role").value is None  # no default role: an admin account is never one slip away
    at.text_input(key="ua_username").input("newmember")
    at.text_input(key="ua_name").input("สมาชิกใหม่")
    at.text_input(key="ua_password").input("short")
    next(b for b in at.button if b.label == "บันทึก").click().run()
    assert at.error[0].value == "ยังไม่ได้บันทึก: แก้ไขตามรายการด้านล่าง"
    assert [e.value for e in at.text][-2:] == ["• บทบาท: เลือกบทบาทของบัญชี", "• รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"]
    assert (at.text_input(key="ua_username").value, at.text_input(key="ua_name").value) == ("newmember", "สมาชิกใหม่")
    at.selectbox(key="ua_role").select("committee")
    at.text_input(key="ua_password").input("a-good-password")
    next(b for b in at.button if b.label == "บันทึก").click().run()
    assert at.success[0].value == "บันทึกแล้ว"
    assert "newmember" in at.dataframe[0].value.iloc[:, 0].tolist()
    assert at.text_input(key="ua_username").value == ""  # saved: the form starts empty again
    at.selectbox(key="uc_user").select("newmember").run()
    assert at.selectbox(key="uc_role_newmember").value == "committee"  # starts at the account's own role
    at.button(key="uc_disable").click().run()
    assert "ระงับแล้ว" in at.dataframe[0].value.iloc[:, 3].tolist()
    at.button(key="uc_enable").click().run()  # a disabled account can be enabled again
    assert "ระงับแล้ว" not in at.dataframe[0].value.iloc[:, 3].tolist()
    refused = signed_in("m1", "pages/users.py")
    assert refused.warning[0].value.startswith("บทบาทของคุณ")


def test_prefilled_round_marks_carried_and_changed_entries(tmp_path, monkeypatch):
    from acplan.ui import grid
    engine = make_engine(loaded_store(tmp_path / "p.db", tmp_path))
    with Session(engine) as s:
        m = user(s, "m1")
        first = rounds.create_round(session=s, actor=OPERATOR, plan_id=plan_id(s), fiscal_year_be=2568, round_no=1, today=TODAY)
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action="open")
        for n in (1, 2):
            entries.save_entry(session=s, actor=as_actor(m), member=m, rnd=first, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values(status="in_progress", progress=40)), expected_version=None)
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action="close")
        second = rounds.create_round(session=s, actor=OPERATOR, plan_id=plan_id(s), fiscal_year_be=2568, round_no=2, today=TODAY)
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-2", action="open")
        carried = entries.get_entry(session=s, round_id=second.id, project_id=project_id(s, 2), member_id=m.id)
        entries.save_entry(session=s, actor=as_actor(m), member=m, rnd=second, project_id=project_id(s, 2),
                           entry_in=entries.parse_entry(entry_values(status="completed", progress=100)), expected_version=carried.version)
        frame = grid.member_frame(s, as_actor(m), second, "th")
    assert frame.loc[1, ["previous_label", "carried_label"]].tolist() == ["อยู่ระหว่างดำเนินการ 40%", "↻"]
    assert frame.loc[2, ["previous_label", "carried_label"]].tolist() == ["อยู่ระหว่างดำเนินการ 40%", "✎"]
    assert frame.loc[3, ["previous_label", "carried_label"]].tolist() == ["", ""]


def test_a_busy_database_says_in_thai_that_nothing_was_saved(store, monkeypatch):
    """Another process holds SQLite's write lock beyond the busy timeout: a Thai message, no traceback, no write."""
    import sqlite3

    from acplan.db import engine as engine_module
    score_all(store)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0.2)
    clear_caches()
    at = signed_in("m1", "pages/score.py")
    holder = sqlite3.connect(str(store.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    at.button(key="submit_entries").click().run()
    try:
        at.button(key="submit_confirm_yes").click().run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception
    assert at.error[0].value == "ยังไม่ได้บันทึก: ดูเหตุผลด้านล่าง"
    assert "• ฐานข้อมูลไม่ว่างหรือเชื่อมต่อไม่ได้ชั่วขณะ: ยังไม่ได้บันทึก กรุณาลองอีกครั้ง" in [e.value for e in at.text]
    with Session(store) as s:
        assert {e.state for e in s.exec(select(entries.ScoreEntry))} == {"draft"}


def _grid_run(store, edits: dict) -> list[str]:
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_grid_edit, args=(str(store.url), edits), default_timeout=60).run()
    assert not at.exception
    return [e.value for e in at.text]


def test_the_grid_refuses_values_outside_the_rules_and_stores_none_of_them(store):
    shown = _grid_run(store, {"0": {"status_label": "อยู่ระหว่างดำเนินการ", "score": 7},
                              "1": {"status_label": "อยู่ระหว่างดำเนินการ", "progress_pct": 150, "score": 3},
                              "2": {"status_label": "อยู่ระหว่างดำเนินการ", "score": 3, "spent_thb": -5000}})
    assert shown == [
        "error: ลำดับที่ 1: คะแนน: คะแนน “7” ต้องเป็นเลขจำนวนเต็ม 1–5",
        "error: ลำดับที่ 2: ความก้าวหน้า: ความก้าวหน้า “150” ต้องเป็นจำนวนเต็ม 0–100",
        "error: ลำดับที่ 3: ใช้จ่ายจริง: ค่าใช้จ่าย “-5000” ต้องเป็นจำนวนเต็มบาท ไม่ติดลบ",
        "redrawn: 0"]
    with Session(store) as s:
        assert s.exec(select(entries.ScoreEntry)).all() == []


def test_an_edit_writes_only_the_rows_whose_values_changed(store):
    first = {"0": {"status_label": "อยู่ระหว่างดำเนินการ", "score": 4}}
    assert _grid_run(store, first)[0] == "success: บันทึกร่างลำดับที่ 1 แล้ว"
    # the editor's state still holds the first edit when the second is made
    shown = _grid_run(store, first | {"1": {"status_label": "อยู่ระหว่างดำเนินการ", "score": 3}})
    assert shown == ["success: บันทึกร่างลำดับที่ 2 แล้ว", "redrawn: 0"]  # the grid stays where the member is
    with Session(store) as s:
        saved = entries.entries_frame(session=s, actor=OPERATOR, round_id=s.exec(select(EvaluationRound)).one().id)
        assert saved[["number", "score", "version"]].values.tolist() == [[1, 4, 1], [2, 3, 1]]
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "entry.save")).all()) == 2


def test_a_high_score_for_an_item_not_started_is_saved_with_a_warning_in_the_grid(store):
    from streamlit.testing.v1 import AppTest
    edits = {"0": {"status_label": "ยังไม่ดำเนินการ", "progress_pct": 0, "score": 4, "spent_thb": 0}}
    at = AppTest.from_function(_grid_edit, args=(str(store.url), edits), default_timeout=60).run()
    assert [e.value for e in at.text][:2] == [
        "success: บันทึกร่างลำดับที่ 1 แล้ว",
        "warning: ลำดับที่ 1: สถานะ “ยังไม่ดำเนินการ” แต่ได้คะแนน 4 (ตั้งแต่ 3 ขึ้นไป) — ตรวจสอบว่าสถานะหรือคะแนนถูกต้อง"]
    clear_caches()
    page = signed_in("m1", "pages/score.py")
    assert not page.exception
    assert page.warning[0].value.startswith("สถานะกับคะแนนขัดกัน")
    assert "• ลำดับที่ 1: สถานะ “ยังไม่ดำเนินการ” แต่ได้คะแนน 4" in texts(page)
    with Session(store) as s:
        saved = entries.entries_frame(session=s, actor=OPERATOR, round_id=s.exec(select(EvaluationRound)).one().id)
    assert saved[["number", "status", "score"]].values.tolist() == [[1, "not_started", 4]]


def test_the_round_page_offers_what_the_state_allows_and_confirms_with_the_numbers(store):
    with Session(store) as s:  # m1 scores and submits items 1–10 only; m2 nothing
        member = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        rnd = s.exec(select(EvaluationRound)).one()
        for n in range(1, 11):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values()), expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        s.commit()
    clear_caches()
    at = signed_in("sec", "pages/rounds.py")
    assert not at.exception
    assert [b.key for b in at.button if (b.key or "").startswith("round_")] == ["round_close"]  # open: only close
    at.button(key="round_close").click().run()
    shown = [e.value for e in at.text]
    assert "ให้คะแนนแล้ว 10 จาก 30 รายการ · กรรมการส่งครบ 0 จาก 2 คน" in shown
    assert "รายการที่ยังไม่มีผู้ให้คะแนน: ลำดับที่ " + ", ".join(str(n) for n in range(11, 31)) in shown
    assert "กรรมการที่ยังส่งไม่ครบ: ผู้ใช้ m1, ผู้ใช้ m2" in shown
    assert at.button(key="round_confirm_yes").disabled  # incomplete: the secretary must say so first
    with Session(store) as s:
        assert s.exec(select(EvaluationRound)).one().status == "open"
    at.checkbox(key="round_confirm_ack0").check().run()
    at.button(key="round_confirm_yes").click().run()
    assert not at.exception
    assert at.success[0].value == "เปลี่ยนสถานะแล้ว: รอบ 2567-1 ปิดรอบแล้ว"
    with Session(store) as s:
        assert s.exec(select(EvaluationRound)).one().status == "closed"
    assert [b.key for b in at.button if (b.key or "").startswith("round_")] == ["round_publish", "round_reopen"]


def test_closing_before_the_period_ends_says_so_asks_why_and_keeps_the_reason(store, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2024-03-15")  # round 2567-1 runs until 31 March 2567 (2024)
    settings.get.cache_clear()
    clear_caches()
    at = signed_in("sec", "pages/rounds.py")
    at.button(key="round_close").click().run()
    assert "⚠ ช่วงเวลาของรอบนี้ยังไม่สิ้นสุด (ถึง 31 มีนาคม 2567): หน่วยงานอาจยังดำเนินการและรายงานผลไม่ครบ" in \
        [e.value for e in at.text]
    at.checkbox(key="round_confirm_ack0").check().run()  # nothing scored yet
    assert at.button(key="round_confirm_yes").disabled
    at.checkbox(key="round_confirm_ack1").check().run()  # and early
    at.text_area(key="round_confirm_reason").input("เร็ว").run()
    at.button(key="round_confirm_yes").click().run()
    assert not at.exception
    assert "ต้องระบุเหตุผลเป็นลายลักษณ์อักษร อย่างน้อย 10 ตัวอักษร" in texts(at)
    assert at.text_area(key="round_confirm_reason").value == "เร็ว"  # what was typed stays
    with Session(store) as s:
        assert s.exec(select(EvaluationRound)).one().status == "open"
    why = "ประชุมสภาสมัยสามัญวันที่ 20 มีนาคม ต้องรายงานก่อน"
    at.text_area(key="round_confirm_reason").input(why).run()
    at.button(key="round_confirm_yes").click().run()
    assert at.success[0].value == "เปลี่ยนสถานะแล้ว: รอบ 2567-1 ปิดรอบแล้ว"
    with Session(store) as s:
        assert s.exec(select(EvaluationRound)).one().status == "closed"
        row = s.exec(select(AuditLog).where(AuditLog.action == "round.close")).one()
        assert row.reason == why


def test_a_round_in_the_url_that_the_viewer_may_not_see_is_said_so_not_swapped(store):
    score_all(store, publish=True)
    with Session(store) as s:
        rounds.create_round(session=s, actor=OPERATOR, plan_id=plan_id(s), fiscal_year_be=2567, round_no=2, today=TODAY)
        s.commit()
    clear_caches()
    at = run_page("pages/results.py", round="2567-2")  # a draft round, asked for on the public side
    assert not at.exception
    assert at.warning[0].value == ("ไม่มีรอบ “2567-2” ที่คุณดูได้ (ยังไม่เผยแพร่ หรือไม่มีรอบนี้): "
                                   "รอบที่ดูได้คือ 2567-1 — เลือกด้านล่าง")
    assert at.metric == [] and at.dataframe == []  # no other round's results shown in its place
    at.selectbox(key="url_round").select("2567-1").run()
    assert "ผลประเมินภาพรวม (1–5) 3.50" in texts(at)


def test_years_without_reported_spending_read_as_a_dash_never_none(store):
    score_all(store, publish=True)
    at = run_page("pages/budget.py")
    assert not at.exception
    table = at.dataframe[-1].value  # planned vs actual, by fiscal year
    from acplan.i18n import t
    actual = table[t("series_actual", "th")].tolist()
    assert "—" in actual and "0" in actual  # 2567 reported (0 baht), the other years not
    assert "None" not in table.to_string() and "nan" not in table.to_string()


def test_results_name_figures_that_contradict_themselves(store):
    with Session(store) as s:
        member = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        rnd = s.exec(select(EvaluationRound)).one()
        entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 1),
                           entry_in=entries.parse_entry(entry_values(status="not_possible", progress=100, spent=45_000,
                                                                     not_possible_reason="no_budget", score=1)),
                           expected_version=None)
        entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 2),
                           entry_in=entries.parse_entry(entry_values(status="not_started", progress=0, score=4)),
                           expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="close")
        s.commit()
    clear_caches()
    at = signed_in("council1", "pages/results.py")
    table = at.dataframe[1].value
    first = table[table.iloc[:, 0] == 1].iloc[0]
    assert first["ข้อสังเกต"] == "⚠ สถานะ “ไม่สามารถดำเนินการได้” แต่รายงานความก้าวหน้าร้อยละ 100 และใช้จ่าย 45,000 บาท"
    second = table[table.iloc[:, 0] == 2].iloc[0]
    assert second["ข้อสังเกต"].startswith("⚠ สถานะ “ยังไม่ดำเนินการ” แต่ได้คะแนน 4 (ตั้งแต่ 3 ขึ้นไป)")


def test_a_year_spent_above_its_plan_is_flagged_on_the_budget_page(store):
    score_all(store, publish=True)  # 2567: members report 0 baht for every item
    with Session(store) as s:  # …then the round is reopened and one item reports 258,000 against 220,000 planned
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="reopen",
                          reason="แก้ไขยอดใช้จ่ายตามหลักฐานการเบิกจ่าย")
        member = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        rnd = s.exec(select(EvaluationRound)).one()
        entry = entries.get_entry(session=s, round_id=rnd.id, project_id=project_id(s, 1), member_id=member.id)
        entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 1),
                           entry_in=entries.parse_entry(entry_values(spent=258_000)), expected_version=entry.version)
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        s.commit()
    clear_caches()
    at = run_page("pages/budget.py")
    table = at.dataframe[-1].value
    row = table[table.iloc[:, 0] == "ปีงบ 2567"].iloc[0]
    assert row["ข้อสังเกต"] == "⚠ ใช้จ่ายจริง 258,000 บาท เกินงบประมาณทั้งปีตามแผน 220,000 บาท"


PAGES_TO_READ = ("pages/overview.py", "pages/projects.py", "pages/budget.py", "pages/risks.py", "pages/targets.py",
                 "pages/results.py", "pages/findings.py", "pages/rounds.py", "pages/score.py")


def test_no_page_shows_none_or_nan_to_anyone(store):
    """Missing values read "—" everywhere: checked on every page, for the roles that see the most, with a round."""
    import re
    score_all(store)
    with Session(store) as s:
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        rounds.create_round(session=s, actor=OPERATOR, plan_id=plan_id(s), fiscal_year_be=2567, round_no=2, today=TODAY)
        s.commit()
    clear_caches()
    found = []
    for who in ("sec", "m1", "council1"):
        for page in PAGES_TO_READ:
            at = signed_in(who, page)
            assert not at.exception, (who, page)
            found += [(who, page, m) for m in re.findall(r".{0,30}\b(?:None|nan|NaN|NaT)\b.{0,30}", texts(at))]
    assert found == []


def test_the_secretary_words_the_rounds_conclusion_and_a_refused_save_keeps_the_text(store):
    at = signed_in("sec", "pages/rounds.py")
    assert not at.exception
    box = at.text_area(key="conclusion_2567-1")
    assert box.value == "" and not box.disabled
    typed = "คณะกรรมการเห็นว่าการดำเนินการเป็นไปตามแผน\nควรเร่งรัดมิติที่ 3"
    box.input(typed)
    next(b for b in at.button if b.label == "บันทึกบทสรุป").click().run()
    assert not at.exception and at.success[0].value == "บันทึกบทสรุปของรอบ 2567-1 แล้ว"
    with Session(store) as s:
        assert s.exec(select(EvaluationRound)).one().conclusion_th == typed
        rounds.set_conclusion(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", text="แก้จากที่อื่น")
        s.commit()
    at.text_area(key="conclusion_2567-1").input(typed + "\nเพิ่มเติม")
    next(b for b in at.button if b.label == "บันทึกบทสรุป").click().run()
    assert "ถูกแก้ไขจากที่อื่นหลังจากที่คุณเปิดดู" in texts(at)
    assert at.text_area(key="conclusion_2567-1").value == typed + "\nเพิ่มเติม"  # what was typed stays
    with Session(store) as s:
        assert s.exec(select(EvaluationRound)).one().conclusion_th == "แก้จากที่อื่น"
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        s.commit()
    clear_caches()
    at = signed_in("sec", "pages/rounds.py")
    assert at.text_area(key="conclusion_2567-1").disabled
    assert "รอบนี้เผยแพร่แล้ว บทสรุปจึงแก้ไม่ได้" in texts(at)


def test_the_administrator_sets_a_members_position_and_committee_duty(store):
    with Session(store) as s:
        user(s, "admin1", "admin")
        s.commit()
    at = signed_in("admin1", "pages/users.py")
    at.selectbox(key="uc_user").select("m1").run()
    at.text_input(key="uc_position_m1").input("ผู้ทรงคุณวุฒิ")
    at.selectbox(key="uc_duty_m1").select("chair")
    at.button(key="uc_set_place").click().run()
    assert not at.exception and at.success[0].value == "บันทึกแล้ว"
    table = at.dataframe[0].value
    row = table[table.iloc[:, 0] == "m1"].iloc[0]
    assert (row["ตำแหน่ง"], row["หน้าที่ในคณะกรรมการ"]) == ("ผู้ทรงคุณวุฒิ", "ประธานกรรมการ")
    with Session(store) as s:
        m1 = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        assert (m1.position_th, m1.committee_duty) == ("ผู้ทรงคุณวุฒิ", "chair")
        assert s.exec(select(AuditLog).where(AuditLog.action == "user.set_committee_place")).one().entity_id == "m1"


def test_the_item_form_shows_the_whole_name_the_grid_cuts(store):
    """The grid's name column shows about 60 characters; the item form below it gives the whole name as text."""
    from acplan.plan.queries import list_item_refs
    with Session(store) as s:
        name = next(i.name_th for i in list_item_refs(session=s, plan_id=plan_id(s)) if i.number == 1)
    assert len(name) > 100
    at = signed_in("m1", "pages/score.py")
    at.selectbox(key="detail_item").select(1).run()
    assert not at.exception
    assert f"ลำดับที่ 1 {name}" in [e.value for e in at.text]
