"""The findings page and service: the form starts from the finding as it is, keeps what is not changed, refuses a
save that would overwrite someone else's, and a published round's findings are the secretary's to follow up."""

import pytest
from sqlmodel import Session, select

from acplan.errors import NotAllowed
from acplan.monitoring import findings, rounds
from acplan.monitoring.models import AppUser, EvaluationRound, Finding
from tests.apptest import signed_in
from tests.factories import OPERATOR, as_actor, open_round, plan_id, project_id, user


@pytest.fixture
def store(app_engine):
    """Round 2567-1 open with one public finding that has a unit's response; a secretary and a member."""
    with Session(app_engine) as s:
        user(s, "sec1", "secretary")
        user(s, "m1")
        rnd = open_round(s)
        findings.add_finding(session=s, actor=OPERATOR, rnd=rnd, finding_in=findings.parse_finding({
            "text": "ไม่มีรายงานการประชุม", "severity": "high", "project_id": project_id(s, 1), "visibility": "public",
            "unit_response": "ส่งรายงานแล้ว"}))
        s.commit()
    return app_engine


def on_findings(username: str):
    return signed_in(username, "pages/findings.py")


def saved(engine) -> Finding:
    with Session(engine) as s:
        return s.exec(select(Finding)).one()


def test_the_update_form_starts_from_the_finding_and_keeps_what_was_not_changed(store):
    at = on_findings("sec1")
    assert not at.exception
    assert at.text_area(key="fu_resp_1_1").value == "ส่งรายงานแล้ว"
    assert at.radio(key="fu_vis_1_1").value == "public"
    at.selectbox(key="fu_status_1_1").select("in_progress")
    next(b for b in at.button if b.label == "บันทึกข้อค้นพบ" and "finding_update_1_1" in str(b.proto.form_id)).click().run()
    assert not at.exception and "บันทึกข้อค้นพบแล้ว" in [s.value for s in at.success]
    row = saved(store)
    assert (row.status, row.unit_response, row.visibility, row.version) == ("in_progress", "ส่งรายงานแล้ว", "public", 2)


def test_a_save_made_elsewhere_since_the_form_opened_is_not_overwritten(store):
    at = on_findings("sec1")
    with Session(store) as s:  # someone else saves the same finding meanwhile
        findings.update_finding(session=s, actor=OPERATOR, finding_id=1, changes={"unit_response": "คำตอบใหม่"},
                                expected_version=1)
        s.commit()
    at.text_area(key="fu_resp_1_1").input("คำตอบของฉัน")
    next(b for b in at.button if b.label == "บันทึกข้อค้นพบ" and "finding_update_1_1" in str(b.proto.form_id)).click().run()
    assert at.error[0].value == "ยังไม่ได้บันทึก: มีการแก้ไขจากที่อื่นก่อนหน้า ดูรายละเอียดด้านล่าง"
    assert any("ถูกแก้ไขจากที่อื่นแล้ว" in e.value for e in at.text)
    assert at.text_area(key="fu_resp_1_1").value == "คำตอบของฉัน"  # what was typed is still there
    assert saved(store).unit_response == "คำตอบใหม่"


def test_findings_of_a_published_round_are_the_secretarys_to_follow_up(store):
    with Session(store) as s:
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        s.commit()
        m1 = as_actor(s.exec(select(AppUser).where(AppUser.username == "m1")).one())
        sec = as_actor(s.exec(select(AppUser).where(AppUser.username == "sec1")).one())
        rnd = s.exec(select(EvaluationRound)).one()
        with pytest.raises(NotAllowed):
            findings.add_finding(session=s, actor=sec, rnd=rnd, finding_in=findings.parse_finding(
                {"text": "เพิ่มหลังเผยแพร่", "severity": "low", "project_id": project_id(s, 2)}))
        with pytest.raises(NotAllowed):
            findings.update_finding(session=s, actor=m1, finding_id=1, changes={"status": "closed"}, expected_version=1)
        s.rollback()
        done = findings.update_finding(session=s, actor=sec, finding_id=1, changes={"status": "resolved"},
                                       expected_version=1)
        s.commit()
        assert (done.status, done.unit_response) == ("resolved", "ส่งรายงานแล้ว")


def _add(at, text: str, due: str) -> None:
    at.selectbox(key="fa_item").select(2)
    at.text_area(key="fa_text").input(text)
    at.text_input(key="fa_due").input(due)
    next(b for b in at.button if b.label == "บันทึกข้อค้นพบ" and "finding_add" in str(b.proto.form_id)).click().run()


def test_a_buddhist_era_due_date_is_read_and_a_christian_era_one_is_refused_keeping_what_was_typed(store):
    at = on_findings("sec1")
    _add(at, "ยังไม่ได้ติดประกาศ", "31/03/2027")
    assert at.error[0].value == "ยังไม่ได้บันทึก: แก้ไขตามรายการด้านล่าง"
    assert "• กำหนดเสร็จ: “31/03/2027” ไม่ได้ใช้ปี พ.ศ.: ใส่ปีพุทธศักราช เช่น 31/03/2570" in \
        [e.value for e in at.text]
    assert (at.text_area(key="fa_text").value, at.text_input(key="fa_due").value) == ("ยังไม่ได้ติดประกาศ", "31/03/2027")
    with Session(store) as s:
        assert len(s.exec(select(Finding)).all()) == 1  # nothing was written
    _add(at, "ยังไม่ได้ติดประกาศ", "2570/03/31")
    assert at.success[0].value == "บันทึกข้อค้นพบแล้ว"
    assert at.text_area(key="fa_text").value == ""  # saved: the form is empty again, no duplicate invited
    table = at.dataframe[0].value.to_string()
    assert "ยังไม่ได้ติดประกาศ" in table and "31 มีนาคม 2570" in table  # shown at once, its date in BE
    with Session(store) as s:
        added = s.exec(select(Finding).where(Finding.text == "ยังไม่ได้ติดประกาศ")).one()
        assert added.due_date.isoformat() == "2027-03-31"


@pytest.mark.parametrize(("typed", "iso"), [("31/03/2570", "2027-03-31"), ("31 มี.ค. 2570", "2027-03-31"),
                                            ("1 ตุลาคม 2569", "2026-10-01"), ("๓๑/๐๓/๒๕๗๐", "2027-03-31"), ("", None)])
def test_buddhist_era_dates_are_read_in_the_forms_people_type(typed, iso):
    from acplan.format import parse_be_date
    parsed = parse_be_date(typed)
    assert (parsed.isoformat() if parsed else None) == iso
