"""The unit report page (AppTest, #14): a unit account sees its own items in the open round, saves a draft report,
is told what to fix when a field is wrong (the form keeps what was typed), and submits its reports."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from acplan import settings
from acplan.monitoring import evidence, rounds, unitreports
from acplan.monitoring.models import EvaluationRound
from tests.apptest import clear_caches, run_page, signed_in, texts
from tests.factories import OPERATOR, as_actor, plan_id, project_id, user
from tests.test_evidence import jpeg, pdf
from tests.test_unit_reports import unit_of, unit_round

PAGE = "pages/unit_report.py"


@pytest.fixture
def store(app_engine):
    with Session(app_engine) as s:
        unit_round(s)
    clear_caches()
    return app_engine


def form_key(at) -> str:
    return next(w.key for w in at.text_input if w.key and w.key.startswith("ur_") and w.key.endswith("_progress"))[:-9]


def test_a_unit_saves_a_draft_and_submits_its_reports(store):
    at = signed_in("unit1", PAGE)
    assert not at.exception
    with Session(store) as s:
        unit = unit_of(s, 1).name_th
    shown = texts(at)
    assert "ยังไม่รายงาน" in shown and unit in shown
    key = form_key(at)
    at.selectbox(key=f"{key}_status").set_value("in_progress")
    at.text_input(key=f"{key}_progress").input("60")
    at.text_input(key=f"{key}_spent").input("12,500")
    at.text_area(key=f"{key}_done").input("จัดอบรมพนักงาน 45 คน")
    at.text_area(key=f"{key}_problems").input("งบประมาณมาล่าช้า")
    next(b for b in at.button if b.label == "บันทึกร่าง").click().run()
    assert not at.exception
    assert "บันทึกร่างรายงานลำดับที่ 1 แล้ว" in [m.value for m in at.success]
    with Session(store) as s:
        report = unitreports.get_report(session=s, round_id=s.exec(select(EvaluationRound)).one().id,
                                        project_id=project_id(s, 1))
        assert (report.state, report.progress_pct, report.spent_thb, report.problems_th) == \
            ("draft", 60, 12500, "งบประมาณมาล่าช้า")
    at.button(key="unit_submit").click().run()
    at.button(key="unit_submit_confirm_yes").click().run()
    assert not at.exception
    assert "ส่งรายงาน 1 รายการแล้ว" in [m.value for m in at.success]
    assert "รายงานนี้ส่งแล้ว" in texts(at)  # locked now
    with Session(store) as s:
        assert unitreports.get_report(session=s, round_id=s.exec(select(EvaluationRound)).one().id,
                                      project_id=project_id(s, 1)).state == "submitted"


def test_a_wrong_field_is_said_and_the_form_keeps_what_was_typed(store):
    at = signed_in("unit1", PAGE)
    key = form_key(at)
    at.text_input(key=f"{key}_progress").input("150")
    at.text_input(key=f"{key}_spent").input("ห้าพัน")
    at.text_area(key=f"{key}_done").input("ทำแล้วบางส่วน")
    next(b for b in at.button if b.label == "บันทึกร่าง").click().run()
    assert not at.exception
    lines = [e.value for e in at.text]
    assert "• ความก้าวหน้า: ความก้าวหน้า “150” ต้องเป็นจำนวนเต็ม 0–100" in lines
    assert any(line.startswith("• ใช้จ่ายจริง: ค่าใช้จ่าย “ห้าพัน”") for line in lines), lines
    assert at.text_input(key=f"{key}_progress").value == "150"
    assert at.text_area(key=f"{key}_done").value == "ทำแล้วบางส่วน"
    with Session(store) as s:
        assert unitreports.get_report(session=s, round_id=s.exec(select(EvaluationRound)).one().id,
                                      project_id=project_id(s, 1)) is None


def test_other_roles_are_not_offered_the_page(store):
    at = signed_in("m1", PAGE)
    assert not at.exception and [w.value for w in at.warning] == ["บทบาทของคุณ (กรรมการ) ใช้หน้านี้ไม่ได้"]


def test_the_administrator_adds_a_unit_account_with_its_units_in_the_app(store):
    with Session(store) as s:
        user(s, "admin1", "admin")
        s.commit()
    at = signed_in("admin1", "pages/users.py")
    at.text_input(key="ua_username").input("finance")
    at.text_input(key="ua_name").input("กองคลัง")
    at.selectbox(key="ua_role").select("unit")
    at.text_input(key="ua_password").input("a-good-password")
    next(b for b in at.button if b.label == "บันทึก").click().run()
    assert at.error and "• หน่วยงาน: เลือกหน่วยงานที่บัญชีนี้รายงานให้ อย่างน้อยหนึ่งหน่วยงาน" in [e.value for e in at.text]
    assert at.text_input(key="ua_username").value == "finance"  # nothing written, nothing lost
    at.multiselect(key="ua_units").select("กองคลัง")
    next(b for b in at.button if b.label == "บันทึก").click().run()
    assert not at.exception and at.success[0].value == "บันทึกแล้ว"
    with Session(store) as s:
        account = s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "finance")).one()
        assert unitreports.unit_names_of(session=s, user_id=account.id) == ["กองคลัง"]
    at.selectbox(key="uc_user").select("finance").run()
    at.multiselect(key="uc_units_finance").select("สำนักปลัด")
    at.button(key="uc_set_units").click().run()
    with Session(store) as s:
        assert unitreports.unit_names_of(session=s, user_id=account.id) == ["กองคลัง", "สำนักปลัด"]


def test_the_secretary_sees_each_units_progress_and_returns_a_report(store):
    with Session(store) as s:
        user(s, "sec1", "secretary")
        account = s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "unit1")).one()
        r = s.exec(select(EvaluationRound)).one()
        unitreports.save_report(session=s, actor=as_actor(account), rnd=r, project_id=project_id(s, 1),
                                report_in=unitreports.parse_typed({"done_th": "อบรมแล้ว"}, [], {}),
                                expected_version=None)
        unitreports.submit_reports(session=s, actor=as_actor(account), rnd=r)
        name = unit_of(s, 1).name_th
        s.commit()
    at = signed_in("sec1", "pages/rounds.py")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "ยังไม่รายงาน" in d.value.columns)
    row = table.set_index("หน่วยงาน").loc[name]
    assert (row["ส่งแล้ว"], row["ร่าง/ส่งคืน"]) == (1, 0) and row["ยังไม่รายงาน"] == row["รายการ"] - 1
    at.text_area(key="return_reason_2568-1").input("ขอรายชื่อผู้เข้าอบรม")
    next(b for b in at.button if b.label == "ส่งคืน").click().run()
    assert not at.exception and "ส่งรายงานลำดับที่ 1 คืนให้หน่วยงานแล้ว" in [m.value for m in at.success]
    with Session(store) as s:
        report = unitreports.get_report(session=s, round_id=s.exec(select(EvaluationRound)).one().id,
                                        project_id=project_id(s, 1))
        assert (report.state, report.returned_reason_th) == ("returned", "ขอรายชื่อผู้เข้าอบรม")
    back = signed_in("unit1", PAGE)
    assert "ขอรายชื่อผู้เข้าอบรม" in texts(back) and "เลขานุการส่งรายงานนี้คืนให้แก้ไข" in texts(back)


def published_report(store, fields: dict, files=()) -> None:
    """Item 1's report with `fields` and `files` (name, bytes, public), submitted; the round published."""
    with Session(store) as s:
        account = as_actor(s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "unit1")).one())
        r = s.exec(select(EvaluationRound)).one()
        report = unitreports.save_report(session=s, actor=account, rnd=r, project_id=project_id(s, 1),
                                         report_in=unitreports.parse_typed(fields, [], {}), expected_version=None)
        for name, raw, public in files:
            evidence.attach(session=s, actor=account, subject="unit_report", subject_id=report.id, name=name, raw=raw,
                            public=public)
        unitreports.submit_reports(session=s, actor=account, rnd=r)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action=action, early=True,
                              reason="ทดสอบ")
        s.commit()
    clear_caches()


def test_the_results_page_shows_the_units_reports_to_the_public_once_published(store):
    published_report(store, {"done_th": "อบรมแล้ว 45 คน", "problems_th": "งบมาช้า"})
    at = run_page("pages/results.py")
    assert not at.exception
    assert [e.label for e in at.expander if e.label.startswith("ผลการดำเนินงานตามรายงาน")] == [
        "ผลการดำเนินงานตามรายงานของหน่วยงานรับผิดชอบ (1)"]
    assert "อบรมแล้ว 45 คน" in texts(at) and "งบมาช้า" in texts(at)


def test_the_public_sees_the_public_evidence_of_a_published_round(store, tmp_path, monkeypatch):
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))
    published_report(store, {"done_th": "อบรมแล้ว"}, [("ภาพอบรม.jpg", jpeg(), True), ("ใบเสร็จ.pdf", pdf(), False)])
    at = run_page("pages/results.py")
    assert not at.exception
    shown = texts(at)
    assert "ภาพอบรม.jpg" in shown and "ใบเสร็จ.pdf" not in shown  # only what the unit marked public
    assert len(at.get("image")) == 1  # the photo's thumbnail; the PDF has none
    assert [b.proto.label for b in at.get("download_button") if "ev_unit_report" in b.proto.id] == ["ดาวน์โหลด"]


def test_the_administrator_sets_an_accounts_email_and_a_bad_one_is_refused_as_typed(store):
    with Session(store) as s:
        user(s, "admin1", "admin")
        s.commit()
    at = signed_in("admin1", "pages/users.py")
    at.selectbox(key="uc_user").select("m1").run()
    at.text_input(key="uc_email_m1").input("m1 at example")
    at.button(key="uc_set_email").click().run()
    assert "• อีเมล: อีเมล “m1 at example” ไม่ถูกต้อง" in [e.value for e in at.text]
    assert at.text_input(key="uc_email_m1").value == "m1 at example"
    at.text_input(key="uc_email_m1").input("m1@tt-chiang-muan.example")
    at.button(key="uc_set_email").click().run()
    assert not at.exception and at.success[0].value == "บันทึกแล้ว"
    with Session(store) as s:
        assert s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "m1")).one().email == \
            "m1@tt-chiang-muan.example"


def test_the_administrator_purges_evidence_withdrawn_long_ago_after_a_confirmation(store, tmp_path, monkeypatch):
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))
    with Session(store) as s:
        user(s, "admin1", "admin")
        account = as_actor(s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "unit1")).one())
        report = unitreports.save_report(session=s, actor=account, rnd=s.exec(select(EvaluationRound)).one(),
                                         project_id=project_id(s, 1), expected_version=None,
                                         report_in=unitreports.parse_typed({"done_th": "x"}, [], {}))
        row = evidence.attach(session=s, actor=account, subject="unit_report", subject_id=report.id, name="a.pdf",
                              raw=pdf())
        evidence.withdraw(session=s, actor=account, evidence_id=row.id, reason="ผิดไฟล์")
        evidence_id = row.id
        s.commit()
    monkeypatch.setenv("ACPLAN_TODAY", (date.today() + timedelta(days=400)).isoformat())
    settings.get.cache_clear()
    at = signed_in("admin1", "pages/users.py")
    at.button(key="purge_go").click().run()
    assert any("ลบเนื้อไฟล์หลักฐานที่ถอนไว้นานกว่า 180 วัน" in e.value for e in at.text)
    at.button(key="purge_confirm_yes").click().run()
    assert not at.exception and "ลบไฟล์หลักฐานที่ถอนไว้นานกว่า 180 วันแล้ว" in [m.value for m in at.success]
    assert [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == []
    with Session(store) as s:
        assert s.get(evidence.Evidence, evidence_id).purged_at is not None  # the record stays
