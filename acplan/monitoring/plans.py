"""A plan brought into the store from a plan workbook or data file, replaced while nothing depends on it yet.

Importing one organisation's plan never touches another's: every row it writes or removes hangs off that
organisation's plan. The import is all or nothing and is audited in its own transaction.
"""

from sqlalchemy import delete, func
from sqlmodel import Session, select

from acplan.access import Actor, Permission
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed
from acplan.monitoring import amendments, audit, orgs
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import EvaluationRound, YearlyResult
from acplan.plan import datafile
from acplan.plan import models as m
from acplan.plan.dump import OPTIONAL_ORG_FIELDS
from acplan.plan.load import load_plan


def import_plan(*, session: Session, actor: Actor, org_code: str, data: dict, sha256: str,
                named_org: str | None = None, replace: bool = False) -> m.Plan:
    """Load `data` (plan data without `organisation`) as the plan of organisation `org_code`.

    `named_org` is the organisation the file itself names (a workbook's `org_slug`): a file made for another
    organisation is refused. An organisation that already has a plan keeps it unless `replace`, and a plan
    with rounds or yearly results is never replaced (a change to it is an amendment)."""
    org = orgs.get_org(session=session, code=org_code)  # organisations are public: naming one reveals nothing
    authorize(session=session, actor=actor, permission=Permission.EDIT_PLAN, org_id=org.id)
    if named_org and named_org != org_code:
        raise InvalidInput(Issue("plan_other_org", {"file": named_org, "org": org_code}))
    data = {**data, "organisation": {k: v for k, v in org.model_dump(exclude={"id"}).items()
                                     if v or k not in OPTIONAL_ORG_FIELDS}}
    existing = orgs.plan_of(session=session, org=org)
    if existing is not None:  # said before the file's problems: no fix to the file makes it importable
        if not replace:
            raise Conflict(Issue("plan_exists", {"org": org_code, "plan": existing.code}))
        _refuse_if_used(session, existing)
        amendments.refuse_if_amended(session, existing.id)
    report = datafile.validate(data)
    if not report.ok:
        raise InvalidInput(*report.problems)
    before = None
    if existing is not None:
        before = {"plan": existing.code, "sha256": existing.data_sha256}
        delete_plan(session, existing.id)
    plan, _added = load_plan(session=session, actor=actor, data=data, sha256=sha256)
    audit.record(session, actor=actor.username, action="plan_import", entity="plan", entity_id=plan.id, before=before,
                 after={"organisation": org_code, "plan": plan.code, "items": report.items, "sha256": sha256})
    return plan


def _refuse_if_used(session: Session, plan: m.Plan) -> None:
    rounds = session.exec(select(func.count()).select_from(EvaluationRound)
                          .where(EvaluationRound.plan_id == plan.id)).one()
    results = session.exec(select(func.count()).select_from(YearlyResult).where(YearlyResult.plan_id == plan.id)).one()
    if rounds or results:
        raise NotAllowed(Issue("plan_in_use", {"plan": plan.code, "rounds": rounds}))


def delete_plan(session: Session, plan_id: int) -> None:
    """Remove every row of a plan that nothing else refers to (the caller has checked there are no rounds)."""
    items = select(m.PlanItem.id).where(m.PlanItem.plan_id == plan_id)
    areas = select(m.RiskArea.id).where(m.RiskArea.plan_id == plan_id)
    measures = select(m.ControlMeasure.id).where(m.ControlMeasure.risk_area_id.in_(areas))
    indicators = select(m.Indicator.id).where(m.Indicator.project_id.in_(items))
    committees = select(m.Committee.id).where(m.Committee.plan_id == plan_id)
    for stmt in (
        delete(m.ControlMeasureProject).where(m.ControlMeasureProject.control_measure_id.in_(measures)),
        delete(m.ControlMeasure).where(m.ControlMeasure.risk_area_id.in_(areas)),
        delete(m.RiskIssue).where(m.RiskIssue.risk_area_id.in_(areas)),
        delete(m.RiskArea).where(m.RiskArea.plan_id == plan_id),
        delete(m.CommitteeMember).where(m.CommitteeMember.committee_id.in_(committees)),
        delete(m.Committee).where(m.Committee.plan_id == plan_id),
        delete(m.IndicatorTarget).where(m.IndicatorTarget.indicator_id.in_(indicators)),
        delete(m.Indicator).where(m.Indicator.project_id.in_(items)),
        delete(m.BudgetLine).where(m.BudgetLine.project_id.in_(items)),
        delete(m.ProjectSubItem).where(m.ProjectSubItem.project_id.in_(items)),
        delete(m.PlanItem).where(m.PlanItem.plan_id == plan_id),
        delete(m.SubItem).where(m.SubItem.plan_id == plan_id),
        delete(m.Mission).where(m.Mission.plan_id == plan_id),
        delete(m.Dimension).where(m.Dimension.plan_id == plan_id),
        delete(m.Unit).where(m.Unit.plan_id == plan_id),
        delete(m.YearlyTarget).where(m.YearlyTarget.plan_id == plan_id),
        delete(m.SourceNote).where(m.SourceNote.plan_id == plan_id),
        delete(m.PlanAmendment).where(m.PlanAmendment.plan_id == plan_id),
        delete(m.Plan).where(m.Plan.id == plan_id),
    ):
        session.exec(stmt)
    session.flush()
