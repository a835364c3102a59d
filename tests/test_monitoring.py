"""Accounts, permissions, rounds, entries, findings and yearly results against a real SQLite store."""

import pytest
from sqlmodel import Session, select

from acplan.errors import Conflict, InvalidInput, NotAllowed
from acplan.monitoring import entries, findings, rounds, signin, users
from acplan.monitoring.models import AuditLog, ScoreEntry
from acplan.monitoring.yearly import parse_yearly, set_yearly_result
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, open_round, plan_id, project_id, user


@pytest.fixture
def session(loaded_engine):
    with Session(loaded_engine) as s:
        yield s


def test_password_is_stored_as_argon2_hash_and_verifies(session):
    u = user(session, "member1")
    assert u.password_hash.startswith("$argon2id$")
    session.commit()
    assert signin.login(session=session, username="member1", password="member1-password-1", client="a").user.id == u.id
    assert signin.login(session=session, username="member1", password="wrong-password", client="a").user is None
    audit = session.exec(select(AuditLog).where(AuditLog.action == "user.add")).one()
    assert "password_hash" not in audit.after


def test_disabled_user_cannot_sign_in(session):
    user(session, "member1")
    users.disable_user(session=session, actor=OPERATOR, username="member1")
    session.commit()
    assert signin.login(session=session, username="member1", password="member1-password-1", client="a").user is None


@pytest.mark.parametrize(("username", "role", "password", "code"), [
    ("A", "committee", "long-enough-1", "username_invalid"), ("ok", "boss", "long-enough-1", "role_invalid"),
    ("ok", "committee", "short", "password_too_short")])
def test_bad_account_input_is_refused(session, username, role, password, code):
    with pytest.raises(InvalidInput) as err:
        users.add_user(session=session, actor=OPERATOR, username=username, display_name="x", role=role, password=password)
    assert err.value.issues[0].code == code


def test_round_periods_and_after_the_fact():
    assert rounds.period(2567, 1) == (rounds.date(2023, 10, 1), rounds.date(2024, 3, 31))
    assert rounds.period(2570, 2) == (rounds.date(2026, 10, 1), rounds.date(2027, 9, 30))


def test_round_lifecycle_and_reopen_reason(session):
    rnd = open_round(session)
    assert rnd.recorded_after_fact is True
    pid = plan_id(session)
    with pytest.raises(NotAllowed):
        rounds.transition(session=session, actor=OPERATOR, plan_id=pid, code="2567-1", action="publish")
    rounds.transition(session=session, actor=OPERATOR, plan_id=pid, code="2567-1", action="close")
    with pytest.raises(InvalidInput) as err:
        rounds.transition(session=session, actor=OPERATOR, plan_id=pid, code="2567-1", action="reopen", reason="short")
    assert err.value.issues[0].code == "reopen_reason_required"
    rounds.transition(session=session, actor=OPERATOR, plan_id=pid, code="2567-1", action="reopen",
                      reason="กรรมการส่งหลักฐานเพิ่มเติม")
    log = session.exec(select(AuditLog).where(AuditLog.action == "round.reopen")).one()
    assert log.reason == "กรรมการส่งหลักฐานเพิ่มเติม"


def test_rounds_outside_plan_and_duplicates_are_refused(session):
    open_round(session)
    for fy, no, code in ((2571, 1, "round_outside_plan"), (2567, 3, "round_outside_plan"), (2567, 1, "round_exists")):
        with pytest.raises(InvalidInput) as err:
            rounds.create_round(session=session, actor=OPERATOR, plan_id=plan_id(session), fiscal_year_be=fy, round_no=no,
                                today=TODAY)
        assert err.value.issues[0].code == code


@pytest.mark.parametrize(("values", "column", "code"), [
    (entry_values(score=0), "score", "score_invalid"), (entry_values(score=6), "score", "score_invalid"),
    (entry_values(progress=101), "progress_pct", "progress_invalid"),
    (entry_values(progress=-1), "progress_pct", "progress_invalid"),
    (entry_values(spent=-1), "spent_thb", "spent_invalid"), (entry_values(status="done"), "status", "status_invalid"),
    (entry_values(status="not_possible"), "not_possible_reason", "reason_required"),
    (entry_values(comment="ก" * 4001), "comment", "comment_too_long"),
])
def test_entry_validation(values, column, code):
    issues = entries.entry_issues(values)
    assert [(i.column, i.code) for i in issues] == [(column, code)]


def test_entry_edges_are_valid():
    assert entries.entry_issues(entry_values(score=1, progress=0, spent=0)) == []
    assert entries.entry_issues(entry_values(score=5, progress=100, status="not_possible",
                                                not_possible_reason="no_budget")) == []


def test_member_saves_draft_then_submits(session):
    rnd = open_round(session)
    m = user(session, "member1")
    e = entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=project_id(session, 1),
                           entry_in=entries.parse_entry(entry_values(score=4)), expected_version=None)
    assert (e.state, e.version) == ("draft", 1)
    assert entries.submit_entries(session=session, actor=as_actor(m), member=m, rnd=rnd) == 1
    assert session.get(ScoreEntry, e.id).state == "submitted"


def test_incomplete_draft_blocks_submission(session):
    rnd = open_round(session)
    m = user(session, "member1")
    entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=project_id(session, 2),
                       entry_in=entries.parse_entry(entry_values(score=None)), expected_version=None)
    with pytest.raises(InvalidInput) as err:
        entries.submit_entries(session=session, actor=as_actor(m), member=m, rnd=rnd)
    assert [(i.code, i.row) for i in err.value.issues] == [("score_required", 2)]


@pytest.mark.parametrize("role", ["secretary", "council", "admin"])
def test_only_committee_members_score(session, role):
    rnd = open_round(session)
    u = user(session, f"{role}1", role)
    with pytest.raises(NotAllowed):
        entries.save_entry(session=session, actor=as_actor(u), member=u, rnd=rnd, project_id=project_id(session, 1),
                           entry_in=entries.parse_entry(entry_values()), expected_version=None)


def test_closed_round_rejects_new_scores(session):
    rnd = open_round(session)
    m = user(session, "member1")
    rounds.transition(session=session, actor=OPERATOR, plan_id=plan_id(session), code="2567-1", action="close")
    with pytest.raises(NotAllowed) as err:
        entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=project_id(session, 1),
                           entry_in=entries.parse_entry(entry_values()), expected_version=None)
    assert err.value.issues[0].code == "round_not_open"


def test_stale_version_is_refused_and_nothing_overwritten(session):
    rnd = open_round(session)
    m = user(session, "member1")
    pid = project_id(session, 3)
    entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=pid, entry_in=entries.parse_entry(entry_values(score=3)), expected_version=None)
    entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=pid, entry_in=entries.parse_entry(entry_values(score=5)), expected_version=1)
    with pytest.raises(Conflict) as err:
        entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=pid, entry_in=entries.parse_entry(entry_values(score=1)),
                           expected_version=1)
    assert err.value.issues[0].code == "entry_conflict"
    assert entries.get_entry(session=session, round_id=rnd.id, project_id=pid, member_id=m.id).score == 5


def test_prefill_carries_status_and_progress_not_scores(session):
    rnd = open_round(session)
    m = user(session, "member1")
    entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=project_id(session, 1),
                       entry_in=entries.parse_entry(entry_values(score=4, status="in_progress", progress=60)), expected_version=None)
    rounds.transition(session=session, actor=OPERATOR, plan_id=plan_id(session), code="2567-1", action="close")
    nxt = rounds.create_round(session=session, actor=OPERATOR, plan_id=plan_id(session), fiscal_year_be=2567, round_no=2,
                              today=TODAY)
    carried = session.exec(select(ScoreEntry).where(ScoreEntry.round_id == nxt.id)).one()
    assert (carried.status, carried.progress_pct, carried.score, carried.carried_forward) == ("in_progress", 60, None, True)
    assert nxt.prefilled_from_id == rnd.id


def test_findings_validate_update_with_locking_and_bring_forward(session):
    rnd = open_round(session)
    sec = user(session, "sec1", "secretary")
    with pytest.raises(InvalidInput) as err:
        findings.add_finding(session=session, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({"text": " ", "severity": "huge"}))
    assert {i.code for i in err.value.issues} == {"finding_text_required", "finding_subject_required", "severity_invalid"}
    f = findings.add_finding(session=session, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({
        "text": "ยังไม่เผยแพร่รายงาน", "severity": "high", "project_id": project_id(session, 5)}))
    findings.update_finding(session=session, actor=as_actor(sec), finding_id=f.id, changes={"status": "in_progress"}, expected_version=1)
    with pytest.raises(Conflict):
        findings.update_finding(session=session, actor=as_actor(sec), finding_id=f.id, changes={"status": "closed"}, expected_version=1)
    rounds.transition(session=session, actor=OPERATOR, plan_id=plan_id(session), code="2567-1", action="close")
    nxt = rounds.create_round(session=session, actor=OPERATOR, plan_id=plan_id(session), fiscal_year_be=2567, round_no=2,
                              today=TODAY)
    assert findings.bring_forward(session=session, actor=OPERATOR, source=rnd, target=nxt) == 1
    assert findings.bring_forward(session=session, actor=OPERATOR, source=rnd, target=nxt) == 0


def test_council_cannot_add_findings(session):
    rnd = open_round(session)
    council = user(session, "council1", "council")
    with pytest.raises(NotAllowed):
        findings.add_finding(session=session, actor=as_actor(council), rnd=rnd, finding_in=findings.parse_finding({"text": "x", "severity": "low",
                                                                            "project_id": project_id(session, 1)}))


def test_yearly_result_is_validated_and_audited(session):
    sec = user(session, "sec1", "secretary")
    with pytest.raises(InvalidInput) as err:
        parse_yearly({"fiscal_year_be": 2567, "ita_score": 120, "corruption_cases": -1})
    assert [(i.column, i.code) for i in err.value.issues] == [("ita_score", "ita_invalid"),
                                                              ("corruption_cases", "cases_invalid")]
    row = set_yearly_result(session=session, actor=as_actor(sec), plan_id=plan_id(session), result_in=parse_yearly(
        {"fiscal_year_be": 2567, "ita_score": 72.456, "corruption_cases": 2}))
    assert (row.ita_score, row.corruption_cases, row.version) == (72.46, 2, 1)
    assert session.exec(select(AuditLog).where(AuditLog.action == "yearly_result.set")).one().actor == "sec1"


def test_every_write_is_in_the_audit_log(session):
    rnd = open_round(session)
    m = user(session, "member1")
    entries.save_entry(session=session, actor=as_actor(m), member=m, rnd=rnd, project_id=project_id(session, 1), entry_in=entries.parse_entry(entry_values()),
                       expected_version=None)
    entries.submit_entries(session=session, actor=as_actor(m), member=m, rnd=rnd)
    rows = [(a.action, a.actor) for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert rows == [("round.create", "test"), ("round.open", "test"), ("user.add", "test"),
                    ("entry.save", "member1"), ("entry.submit", "member1")]


def test_filter_findings_by_round_status_and_severity():
    import pandas as pd
    table = pd.DataFrame({"round": ["2567-1", "2567-1", "2567-2"], "status": ["open", "closed", "open"],
                          "severity": ["high", "high", "low"], "id": [1, 2, 3]})
    pick = findings.filter_findings
    assert pick(table, round_code=None, status=None, severity=None)["id"].tolist() == [1, 2, 3]
    assert pick(table, round_code="2567-1", status="open", severity=None)["id"].tolist() == [1]
    assert pick(table, round_code=None, status=None, severity="low")["id"].tolist() == [3]
