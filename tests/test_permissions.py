"""README's permission table, read from README itself, against the services: every role × every row.

For each row the services that need that permission are called as an actor of each role, on a store
with rounds in every state; a ✓ means the call succeeds, an empty cell means NotAllowed. Each call
runs in its own transaction, rolled back afterwards, so the calls cannot affect each other.
"""

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from acplan.access import ANONYMOUS, PERMISSIONS, Actor, Permission, Role
from acplan.errors import NotAllowed
from acplan.monitoring import (
    audit,
    entries,
    evaluation,
    evidence,
    findings,
    orgs,
    rounds,
    scoresheet,
    unitreports,
    unitsheet,
    users,
    yearly,
)
from acplan.monitoring.models import AppUser, EvaluationRound, RoundStatus
from acplan.plan.load import load_plan
from acplan.plan.models import PlanItem, Unit
from tests.conftest import loaded_store
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, plan_id, project_id, user

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_table() -> dict[str, dict[str, bool]]:
    """permission -> role -> allowed, from the table under "Roles and permissions"."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Roles and permissions"):].splitlines()
    start = next(i for i, ln in enumerate(section) if ln.startswith("|"))
    lines = section[start: next(i for i in range(start, len(section)) if not section[i].startswith("|"))]
    header = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    table = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        key = re.search(r"\(`(\w+)`\)", cells[0]).group(1)
        table[key] = {role: cell == "✓" for role, cell in zip(header, cells[1:], strict=True)}
    return table


TABLE = readme_table()
ROLES = [ANONYMOUS, *[r.value for r in Role]]


def test_readme_table_is_the_code_matrix():
    assert set(TABLE) == {p.value for p in Permission}
    for permission, row in TABLE.items():
        assert {r for r, ok in row.items() if ok} == set(PERMISSIONS[Permission(permission)]), permission
    assert set(next(iter(TABLE.values()))) == set(ROLES)


@pytest.fixture(scope="module")
def store(tmp_path_factory, template_root):
    engine = make_store(tmp_path_factory.mktemp("perm"), template_root)
    yield engine
    engine.dispose()


def make_store(directory, template_root):
    """A loaded store with one account per role and rounds 2567-1 published, 2567-2 closed, 2568-1 open."""
    from acplan.db import make_engine

    engine = make_engine(loaded_store(directory / "acplan.db", template_root))
    with Session(engine) as s:
        for role in ("admin", "secretary", "committee", "council", "oversight", "unit"):
            user(s, role, role)
        user(s, "committee2", "committee")
        pid = plan_id(s)
        unitreports.set_units(session=s, actor=OPERATOR, username="unit", plan_id=pid,
                              unit_names=[s.get(Unit, s.get(PlanItem, project_id(s, 1)).unit_id).name_th])
        for code in ("2567-1", "2567-2", "2568-1"):
            fy, no = rounds.parse_code(code)
            rounds.create_round(session=s, actor=OPERATOR, plan_id=pid, fiscal_year_be=fy, round_no=no, today=TODAY)
            rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code=code, action="open")
        for code, steps in (("2567-1", ("close", "publish")), ("2567-2", ("close",))):
            for step in steps:
                rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code=code, action=step)
        s.commit()
    return engine


def actor_for(session: Session, role: str) -> Actor:
    if role == ANONYMOUS:
        return Actor.anonymous()
    if role == Role.OPERATOR:
        return OPERATOR
    return as_actor(session.exec(select(AppUser).where(AppUser.username == role)).one())


def _round(s: Session, code: str) -> EvaluationRound:
    fy, no = rounds.parse_code(code)
    return s.exec(select(EvaluationRound).where(EvaluationRound.fiscal_year_be == fy, EvaluationRound.round_no == no)).one()


def _member(s: Session) -> AppUser:
    return s.exec(select(AppUser).where(AppUser.username == "committee")).one()


def _self_or_member(s: Session, a: Actor) -> AppUser:
    """The acting account when it has one (members score their own entries), else the committee member."""
    return (s.get(AppUser, a.user_id) if a.user_id is not None else None) or _member(s)


def _finding(s: Session, rnd: EvaluationRound):
    return findings.add_finding(session=s, actor=OPERATOR, rnd=rnd, finding_in=findings.parse_finding(
        {"text": "ข้อค้นพบ", "severity": "low", "project_id": project_id(s, 1)}))


def _other_member(s: Session) -> AppUser:
    return s.exec(select(AppUser).where(AppUser.username == "committee2")).one()


def _sheet(s: Session) -> bytes:
    return scoresheet.member_template(session=s, actor=OPERATOR, rnd=_round(s, "2568-1"), member=_other_member(s))


# permission -> calls made as `actor`; each call must be refused exactly when the table says so.
CALLS = {
    "read_published": [
        lambda s, a: evaluation.round_items(session=s, actor=a, plan_id=plan_id(s), round_id=_round(s, "2567-1").id),
        lambda s, a: rounds.get_round(session=s, actor=a, plan_id=plan_id(s), code="2567-1"),
        lambda s, a: findings.findings_frame(session=s, actor=a, round_ids=[_round(s, "2567-1").id])],
    "read_unpublished": [
        lambda s, a: evaluation.round_items(session=s, actor=a, plan_id=plan_id(s), round_id=_round(s, "2568-1").id),
        lambda s, a: rounds.get_round(session=s, actor=a, plan_id=plan_id(s), code="2567-2"),
        lambda s, a: rounds.list_rounds(session=s, actor=a, plan_id=plan_id(s))],
    "read_member_scores": [
        lambda s, a: evaluation.member_entries(session=s, actor=a, round_id=_round(s, "2567-1").id),
        lambda s, a: entries.entries_frame(session=s, actor=a, round_id=_round(s, "2567-1").id),
        lambda s, a: scoresheet.export_round(session=s, actor=a, rnd=_round(s, "2567-1"), fmt="csv"),
        lambda s, a: users.get_user(session=s, actor=a, username="committee")],
    "read_open_round_scores": [
        lambda s, a: evaluation.member_entries(session=s, actor=a, round_id=_round(s, "2568-1").id),
        lambda s, a: entries.entries_frame(session=s, actor=a, round_id=_round(s, "2568-1").id),
        lambda s, a: scoresheet.export_round(session=s, actor=a, rnd=_round(s, "2568-1"), fmt="csv")],
    "score": [
        lambda s, a: entries.save_entry(session=s, actor=a, member=_self_or_member(s, a),
                                        rnd=_round(s, "2568-1"), project_id=project_id(s, 1),
                                        entry_in=entries.parse_entry(entry_values()), expected_version=None),
        lambda s, a: entries.submit_entries(session=s, actor=a, member=_self_or_member(s, a),
                                            rnd=_round(s, "2568-1"))],
    "import_member_sheet": [
        lambda s, a: scoresheet.import_sheet(session=s, actor=a, rnd=_round(s, "2568-1"), member=_other_member(s),
                                             data=_filled(_sheet(s)))],
    "manage_rounds": [
        lambda s, a: rounds.create_round(session=s, actor=a, plan_id=plan_id(s), fiscal_year_be=2569, round_no=1,
                                         today=TODAY),
        lambda s, a: rounds.transition(session=s, actor=a, plan_id=plan_id(s), code="2568-1", action="close"),
        lambda s, a: rounds.set_conclusion(session=s, actor=a, plan_id=plan_id(s), code="2567-2",
                                           text="คณะกรรมการเห็นว่าดำเนินการได้ตามแผน")],
    "reopen_round": [
        lambda s, a: rounds.transition(session=s, actor=a, plan_id=plan_id(s), code="2567-2", action="reopen",
                                       reason="กรรมการส่งหลักฐานเพิ่มเติม")],
    "publish_round": [lambda s, a: rounds.transition(session=s, actor=a, plan_id=plan_id(s), code="2567-2",
                                                     action="publish")],
    "record_yearly_results": [
        lambda s, a: yearly.set_yearly_result(session=s, actor=a, plan_id=plan_id(s), result_in=yearly.parse_yearly(
            {"fiscal_year_be": 2567, "ita_score": 70.5, "corruption_cases": 1}))],
    "manage_findings": [
        lambda s, a: findings.add_finding(session=s, actor=a, rnd=_round(s, "2568-1"), finding_in=findings.parse_finding(
            {"text": "ข้อค้นพบ", "severity": "low", "project_id": project_id(s, 1)})),
        lambda s, a: findings.update_finding(session=s, actor=a, finding_id=_finding(s, _round(s, "2568-1")).id,
                                             changes={"status": "in_progress"}, expected_version=1),
        lambda s, a: findings.bring_forward(session=s, actor=a, source=_round(s, "2567-2"), target=_round(s, "2568-1"))],
    "manage_users": [
        lambda s, a: users.list_users(session=s, actor=a),
        lambda s, a: users.add_user(session=s, actor=a, username="newone", display_name="ใหม่", role="council",
                                    password="a-long-password-1"),
        lambda s, a: users.set_role(session=s, actor=a, username="council", role="secretary"),
        lambda s, a: users.disable_user(session=s, actor=a, username="council"),
        lambda s, a: users.enable_user(session=s, actor=a, username="council"),
        lambda s, a: users.set_committee_place(session=s, actor=a, username="committee", position_th="ผู้ทรงคุณวุฒิ",
                                               committee_duty="chair"),
        lambda s, a: users.reset_password(session=s, actor=a, username="council", password="another-password-2")],
    "edit_plan": [lambda s, a: load_plan(session=s, actor=a, data={"organisation": {"code": "tt-chiang-muan"},
                                                                   "plan": {"code": "acp-2566-2570"}}, sha256="x")],
    "manage_orgs": [
        lambda s, a: orgs.add_org(session=s, actor=a, code="sao-test", org_in=orgs.parse_org(
            {"name_th": "องค์การบริหารส่วนตำบลทดสอบ", "org_type": "sao", "province_th": "น่าน"})),
        lambda s, a: orgs.set_org(session=s, actor=a, code="tt-chiang-muan",
                                  org_in=orgs.parse_org({"district_th": "เชียงม่วน"}))],
    "read_audit_log": [lambda s, a: audit.project_history(session=s, actor=a, plan_id=plan_id(s), number=1)],
    "report_unit": [
        lambda s, a: unitreports.save_report(session=s, actor=a, rnd=_round(s, "2568-1"), project_id=project_id(s, 1),
                                             report_in=unitreports.parse_report({"status": "in_progress"}),
                                             expected_version=None),
        lambda s, a: unitreports.submit_reports(session=s, actor=a, rnd=_round(s, "2568-1")),
        lambda s, a: unitreports.my_items(session=s, actor=a, rnd=_round(s, "2568-1"))],
    "import_unit_sheet": [
        lambda s, a: unitsheet.import_sheet(session=s, actor=a, rnd=_round(s, "2568-1"), unit_name=_unit_name(s),
                                            raw=_unit_filled(s), on_behalf=True)],
    "purge_evidence": [lambda s, a: evidence.purge(session=s, actor=a, plan_id=plan_id(s), older_than_days=30,
                                                   today=TODAY)],
    "return_unit_report": [
        lambda s, a: unitreports.return_report(session=s, actor=a, rnd=_round(s, "2568-1"), number=_submitted_report(s),
                                               reason="ขอหลักฐานการเบิกจ่ายเพิ่ม")],
}


def _unit_name(s: Session) -> str:
    return s.get(Unit, s.get(PlanItem, project_id(s, 1)).unit_id).name_th


def _unit_filled(s: Session) -> bytes:
    """The unit's workbook for round 2568-1 with item 1's status filled in."""
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(unitsheet.template(session=s, actor=OPERATOR, rnd=_round(s, "2568-1"),
                                                     unit_name=_unit_name(s))))
    wb.worksheets[0]["C2"] = "อยู่ระหว่างดำเนินการ"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _submitted_report(s: Session) -> int:
    """Item 1's report in round 2568-1, submitted by its unit; its number."""
    unit = actor_for(s, "unit")
    unitreports.save_report(session=s, actor=unit, rnd=_round(s, "2568-1"), project_id=project_id(s, 1),
                            report_in=unitreports.parse_report({"status": "completed", "progress_pct": 100}),
                            expected_version=None)
    unitreports.submit_reports(session=s, actor=unit, rnd=_round(s, "2568-1"))
    return 1


def _filled(template: bytes) -> bytes:
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    ws["C2"], ws["F2"] = "อยู่ระหว่างดำเนินการ", 4
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CASES = [(perm, role, i) for perm in TABLE for role in ROLES for i in range(len(CALLS[perm]))]


def test_every_permission_has_service_calls():
    assert set(CALLS) == set(TABLE)


@pytest.mark.parametrize(("permission", "role", "call"), CASES, ids=[f"{p}-{r}-{i}" for p, r, i in CASES])
def test_service_allows_or_refuses_as_readme_says(store, permission, role, call):
    with Session(store) as s:
        actor = actor_for(s, role)
        try:
            CALLS[permission][call](s, actor)
            allowed = True
        except NotAllowed as exc:
            allowed = not any(i.code in ("not_allowed", "user_disabled") for i in exc.issues)
        finally:
            s.rollback()
    assert allowed is TABLE[permission][role]


def test_a_disabled_account_is_refused_even_with_an_actor_built_before(store):
    with Session(store) as s:
        sec = as_actor(s.exec(select(AppUser).where(AppUser.username == "secretary")).one())
        users.disable_user(session=s, actor=OPERATOR, username="secretary")
        with pytest.raises(NotAllowed) as err:
            rounds.list_rounds(session=s, actor=sec, plan_id=plan_id(s))
        assert err.value.issues[0].code == "user_disabled"
        s.rollback()


def test_a_changed_role_takes_effect_on_the_next_call(store):
    with Session(store) as s:
        council = as_actor(s.exec(select(AppUser).where(AppUser.username == "council")).one())
        users.set_role(session=s, actor=OPERATOR, username="council", role="secretary")
        assert rounds.transition(session=s, actor=council, plan_id=plan_id(s), code="2568-1",
                                 action="close").status == RoundStatus.CLOSED
        s.rollback()
