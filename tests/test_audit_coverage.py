"""Every row a service writes has its audit row, carrying the values written: rows are read from the database
before and after each service call, not counted from the code's own idea of what it wrote."""

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

from acplan.monitoring import entries, findings, rounds, scoresheet, signin, users
from acplan.monitoring.models import AppUser, AuditLog, EvaluationRound
from acplan.monitoring.yearly import parse_yearly, set_yearly_result
from acplan.plan.queries import list_indicators
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, plan_id, project_id, user

# the log and its head, sign-in counters and browser sessions (authentication state, not records); the roll-up's round
# summaries (figures derived from audited records in the same transaction as the publish, reopen or amendment that
# changes them; tests/test_rollup.py recomputes them from those records after every kind of write)
NOT_RECORDS = {"audit_log", "audit_head", "login_throttle", "web_session", "signin_ticket", "alembic_version",
               "round_summary"}


def _rows(session: Session) -> dict[str, dict[tuple, dict]]:
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_RECORDS:
            continue
        keys = [c.name for c in table.primary_key.columns]
        out[table.name] = {tuple(r[k] for k in keys): dict(r) for r in session.execute(table.select()).mappings()}
    return out


def _entity(table: str, row: dict) -> tuple[str, str]:
    """The audit entity a written row belongs to."""
    match table:
        case "scoreentry":
            return "entry", str(row["id"])
        case "indicatorresult":
            return "entry", str(row["score_entry_id"])
        case "finding":
            return "finding", str(row["id"])
        case "evaluationround":
            return "round", f"{row['fiscal_year_be']}-{row['round_no']}"
        case "appuser":
            return "user", row["username"]
        case "yearlyresult":
            return "yearly_result", f"{row['plan_id']}:{row['fiscal_year_be']}"
    raise AssertionError(f"a service wrote {table}, which has no audit entity")


def written_and_audited(session: Session, service) -> tuple[dict[tuple[str, str], list[dict]], list[AuditLog]]:
    """Run `service(session)` and commit; the rows it wrote by audit entity, and the audit rows it added."""
    last = session.exec(select(AuditLog.id).order_by(AuditLog.id.desc())).first() or 0
    before = _rows(session)
    service(session)
    session.commit()
    after = _rows(session)
    written: dict[tuple[str, str], list[dict]] = {}
    for table, rows in after.items():
        for key, row in rows.items():
            if before[table].get(key) != row:
                written.setdefault(_entity(table, row), []).append({"table": table, **row})
        for key in before[table].keys() - rows.keys():
            written.setdefault(_entity(table, before[table][key]), []).append({"table": table, "deleted": key})
    audit_rows = list(session.exec(select(AuditLog).where(AuditLog.id > last).order_by(AuditLog.id)))
    return written, audit_rows


def check(session: Session, service) -> None:
    written, audit_rows = written_and_audited(session, service)
    assert written, "the service wrote nothing: the scenario is wrong"
    audited = [(a.entity, a.entity_id) for a in audit_rows]
    assert sorted(audited) == sorted(written), "one audit row per written record, no more, no fewer"
    by_entity = {(a.entity, a.entity_id): a for a in audit_rows}
    for entity, rows in written.items():
        after = by_entity[entity].after or {}
        for row in rows:
            if row["table"] == "indicatorresult":
                logged = after["indicators"][str(row["indicator_id"])]
                assert (logged["actual_value"], logged["achieved"]) == (row["actual_value"], row["achieved"])
            elif "deleted" not in row:
                for column in ("status", "score", "progress_pct", "spent_thb", "state", "text", "role", "is_active",
                               "ita_score", "unit_response", "visibility"):
                    if column in row:
                        assert after.get(column) == row[column], (entity, column)


@pytest.fixture
def session(loaded_engine):
    with Session(loaded_engine) as s:
        user(s, "sec1", "secretary")
        user(s, "m1")
        user(s, "m2")
        s.commit()
        yield s


def _sec(s):
    return as_actor(s.exec(select(AppUser).where(AppUser.username == "sec1")).one())


def _member(s, name="m1"):
    return s.exec(select(AppUser).where(AppUser.username == name)).one()


def _round(s, code="2567-1"):
    fy, no = rounds.parse_code(code)
    return s.exec(select(EvaluationRound).where(EvaluationRound.fiscal_year_be == fy, EvaluationRound.round_no == no)).one()


def _create(code):
    def create(s):
        fy, no = rounds.parse_code(code)
        rounds.create_round(session=s, actor=_sec(s), plan_id=plan_id(s), fiscal_year_be=fy, round_no=no, today=TODAY)
    return create


def _transition(code, action):
    return lambda s: rounds.transition(session=s, actor=_sec(s), plan_id=plan_id(s), code=code, action=action)


def _save(number, name="m1", **values):
    def save(s):
        member = _member(s, name)
        current = entries.get_entry(session=s, round_id=_round(s).id, project_id=project_id(s, number), member_id=member.id)
        indicators = {i["id"]: {"actual_value": 12.5, "achieved": True} for i in
                      list_indicators(session=s, project_id=project_id(s, number))}
        entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=_round(s), project_id=project_id(s, number),
                           entry_in=entries.parse_entry(entry_values(**values) | {"indicators": indicators}),
                           expected_version=current.version if current else None)
    return save


def _finding(s):
    findings.add_finding(session=s, actor=_sec(s), rnd=_round(s), finding_in=findings.parse_finding(
        {"text": "ไม่มีหลักฐานการประชุม", "severity": "high", "project_id": project_id(s, 1)}))


def test_every_service_writes_one_audit_row_per_record_with_the_values_written(session):
    s = session
    check(s, lambda s: users.add_user(session=s, actor=OPERATOR, username="m3", display_name="กรรมการ 3",
                                      role="committee", password="m3-password-1"))
    check(s, lambda s: users.set_role(session=s, actor=OPERATOR, username="m3", role="council"))
    check(s, lambda s: users.reset_password(session=s, actor=OPERATOR, username="m3", password="another-pass-phrase-9"))
    check(s, lambda s: users.disable_user(session=s, actor=OPERATOR, username="m3"))
    check(s, lambda s: users.enable_user(session=s, actor=OPERATOR, username="m3"))
    check(s, _create("2567-1"))
    check(s, _transition("2567-1", "open"))
    check(s, _save(1, score=4))
    check(s, _save(1, score=5, progress=80))  # an update, indicator values included
    for n in range(2, 31):
        _save(n)(s)
    check(s, lambda s: entries.submit_entries(session=s, actor=as_actor(_member(s)), member=_member(s), rnd=_round(s)))
    check(s, _finding)
    finding = findings.findings_frame(session=s, actor=_sec(s), round_ids=[_round(s).id]).iloc[0]
    check(s, lambda s: findings.update_finding(session=s, actor=_sec(s), finding_id=int(finding["id"]),
                                               changes={"status": "in_progress"}, expected_version=1))
    check(s, _transition("2567-1", "close"))
    check(s, _transition("2567-1", "publish"))
    check(s, _create("2567-2"))  # pre-filled from 2567-1: 30 carried entries and one brought-forward finding
    check(s, lambda s: set_yearly_result(session=s, actor=_sec(s), plan_id=plan_id(s), result_in=parse_yearly(
        {"fiscal_year_be": 2567, "ita_score": 81.5, "corruption_cases": 0})))
    check(s, _transition("2567-2", "open"))
    template = scoresheet.member_template(session=s, actor=as_actor(_member(s, "m2")), rnd=_round(s, "2567-2"),
                                          member=_member(s, "m2"))
    filled = _fill(template)
    check(s, lambda s: scoresheet.import_sheet(session=s, actor=as_actor(_member(s, "m2")), rnd=_round(s, "2567-2"),
                                               member=_member(s, "m2"), data=filled))


def _fill(template: bytes) -> bytes:
    """The member's template with every item given a status and a score, as a member fills it in Excel."""
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        row[2].value, row[4].value, row[5].value = "อยู่ระหว่างดำเนินการ", 50, 4
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_failed_sign_in_changes_no_record_and_a_successful_one_only_logs(session):
    written, audit_rows = written_and_audited(session, lambda s: signin.login(session=s, username="m1", password="x",
                                                                              client="10.0.0.1"))
    assert written == {} and [a.action for a in audit_rows] == ["login.failed"]


def test_the_check_fails_when_a_write_is_not_audited(session):
    """The checker itself can fail: a row written behind the services' back is caught."""
    def sneaky(s):
        s.execute(text("UPDATE appuser SET display_name = 'x' WHERE username = 'm1'"))
    with pytest.raises(AssertionError, match="one audit row per written record"):
        check(session, sneaky)
    assert "appuser" in inspect(session.get_bind()).get_table_names()
