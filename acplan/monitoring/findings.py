"""Findings of a round about an item and/or a risk area: add, update (optimistic locking), list, bring forward."""

from datetime import UTC, date, datetime

import pandas as pd
from pydantic import field_validator
from sqlalchemy import and_, update
from sqlmodel import Field, Session, SQLModel, select

from acplan import format as fmt
from acplan.access import Actor, Permission, Role
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed, NotFound, parse_input
from acplan.monitoring import audit
from acplan.monitoring.auth import acts_in, authorize
from acplan.monitoring.models import EvaluationRound, Finding, FindingStatus, RoundStatus, Severity, Visibility
from acplan.plan.models import PlanItem, RiskArea

SEVERITIES = tuple(Severity)
STATUSES = tuple(FindingStatus)
VISIBILITIES = tuple(Visibility)
TEXT_FIELDS = ("text", "recommendation", "responsible_unit", "unit_response")
MAX_TEXT_CHARS = 4000
FIELDS = ("project_id", "risk_area_id", "text", "severity", "recommendation", "responsible_unit", "due_date", "status",
          "unit_response", "visibility")
ISSUE_CODES = {"text": "text_too_long", "severity": "severity_invalid", "status": "finding_status_invalid",
               "visibility": "visibility_invalid", "due_date": "due_date_invalid", "recommendation": "text_too_long",
               "responsible_unit": "text_too_long", "unit_response": "text_too_long"}
OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)


def overdue(today: date):
    """SQL: a finding still open (or in progress) past its due date, as the reminders and the roll-up count it."""
    return and_(Finding.due_date.is_not(None), Finding.due_date < today, Finding.status.in_(OPEN_STATUSES))


def _text(**kw):
    return Field(default="", max_length=MAX_TEXT_CHARS, **kw)


class FindingIn(SQLModel):
    """A finding as typed: about an item and/or a risk area; texts are trimmed and at most 4,000 characters."""

    project_id: int | None = None
    risk_area_id: int | None = None
    text: str = _text()
    severity: Severity
    recommendation: str = _text()
    responsible_unit: str = _text()
    due_date: date | None = None
    status: FindingStatus = FindingStatus.OPEN
    unit_response: str = _text()
    visibility: Visibility = Visibility.INTERNAL

    @field_validator(*TEXT_FIELDS, mode="before")
    @classmethod
    def _strip(cls, value):
        return (value or "").strip() if isinstance(value, str) or value is None else value


def parse_due_date(text: str | None) -> date | None:
    """A due date as a person types it, in the Buddhist Era (format.parse_be_date); refused with the reason."""
    try:
        return fmt.parse_be_date(text or "")
    except fmt.DateNotRead as exc:
        raise InvalidInput(Issue(exc.reason, {"value": text}, column="due_date")) from None


def parse_finding(values: dict) -> FindingIn:
    """`values` as a FindingIn, or InvalidInput naming each bad field; a finding needs a text and a subject."""
    issues = []
    if not str(values.get("text") or "").strip():
        issues.append(Issue("finding_text_required", column="text"))
    if values.get("project_id") is None and values.get("risk_area_id") is None:
        issues.append(Issue("finding_subject_required", column="project_id"))
    try:
        finding = parse_input(FindingIn, values, codes=ISSUE_CODES)
    except InvalidInput as exc:
        raise InvalidInput(*issues, *[i for i in exc.issues if i.column not in {x.column for x in issues}]) from None
    if issues:
        raise InvalidInput(*issues)
    return finding


def add_finding(*, session: Session, actor: Actor, rnd: EvaluationRound, finding_in: FindingIn) -> Finding:
    """Record a finding in a round not yet published (a published round's record is what was published)."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_FINDINGS, plan_id=rnd.plan_id)
    if rnd.status == RoundStatus.PUBLISHED:
        raise NotAllowed(Issue("finding_round_published", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}"}))
    now = datetime.now(UTC)
    finding = Finding(round_id=rnd.id, created_by_id=actor.user_id, created_at=now, updated_at=now,
                      **finding_in.model_dump())
    session.add(finding)
    session.flush()
    audit.record(session, actor=actor.username, action="finding.add", entity="finding", entity_id=finding.id,
                 after=audit.snapshot(finding))
    return finding


STAFF_AFTER_PUBLICATION = frozenset({Role.ADMIN, Role.SECRETARY, Role.OPERATOR})


def update_finding(*, session: Session, actor: Actor, finding_id: int, changes: dict,
                   expected_version: int) -> Finding:
    """Change some fields of a finding; refused with a clear message if someone saved it since `expected_version`."""
    finding = session.get(Finding, finding_id)
    role = authorize(session=session, actor=actor, permission=Permission.MANAGE_FINDINGS,
                     round_id=finding.round_id if finding is not None else None)
    if finding is None:
        raise NotFound(Issue("finding_not_found", {"id": finding_id}))
    rnd = session.get(EvaluationRound, finding.round_id)
    if rnd.status == RoundStatus.PUBLISHED and role not in STAFF_AFTER_PUBLICATION:
        # after publication only the secretary (or admin) records the unit's response and the follow-up
        raise NotAllowed(Issue("finding_round_published", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}"}))
    merged = parse_finding({k: getattr(finding, k) for k in FIELDS} | changes).model_dump()
    before = audit.snapshot(finding)
    result = session.execute(update(Finding).where(Finding.id == finding_id, Finding.version == expected_version)
                             .values(**{k: merged[k] for k in FIELDS}, updated_at=datetime.now(UTC),
                                     version=expected_version + 1))
    if result.rowcount != 1:
        raise Conflict(Issue("finding_conflict", {"id": finding_id}))
    session.refresh(finding)
    audit.record(session, actor=actor.username, action="finding.update", entity="finding", entity_id=finding_id,
                 before=before, after=audit.snapshot(finding))
    return finding


def bring_forward(*, session: Session, actor: Actor, source: EvaluationRound, target: EvaluationRound) -> int:
    """Copy the source round's open and in-progress findings into the target round for re-checking."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_FINDINGS, plan_id=target.plan_id)
    if source.plan_id != target.plan_id:
        raise NotAllowed(Issue("not_allowed", {"action": Permission.MANAGE_FINDINGS.value}))
    copied = 0
    already = set(session.exec(select(Finding.brought_forward_from_id).where(Finding.round_id == target.id)))
    for old in session.exec(select(Finding).where(Finding.round_id == source.id,
                                                  Finding.status.in_(OPEN_STATUSES))):
        if old.id in already:
            continue
        now = datetime.now(UTC)
        new = Finding(round_id=target.id, brought_forward_from_id=old.id, created_by_id=old.created_by_id,
                      created_at=now, updated_at=now, **{k: getattr(old, k) for k in FIELDS})
        session.add(new)
        session.flush()
        audit.record(session, actor=actor.username, action="finding.bring_forward", entity="finding", entity_id=new.id,
                     after=audit.snapshot(new))
        copied += 1
    return copied


def findings_frame(*, session: Session, actor: Actor, round_ids: list[int]) -> pd.DataFrame:
    """Findings of the given rounds with their item number and risk area number.

    Who may not read unpublished rounds sees public findings of published rounds only.
    """
    # another organisation's rounds are read as the public reads them
    public_only = not actor.can(Permission.READ_UNPUBLISHED) or \
        not all(acts_in(session, actor, round_id=r) for r in round_ids)
    if public_only:
        authorize(session=session, actor=actor, permission=Permission.READ_PUBLISHED)
    else:
        for round_id in round_ids:  # every round asked for must be of the actor's organisation
            authorize(session=session, actor=actor, permission=Permission.READ_UNPUBLISHED, round_id=round_id)
    stmt = (select(Finding, PlanItem.number, RiskArea.number, EvaluationRound.fiscal_year_be, EvaluationRound.round_no)
            .join(EvaluationRound, EvaluationRound.id == Finding.round_id)
            .outerjoin(PlanItem, PlanItem.id == Finding.project_id).outerjoin(RiskArea, RiskArea.id == Finding.risk_area_id)
            .where(Finding.round_id.in_(round_ids)))
    if public_only:
        stmt = stmt.where(Finding.visibility == Visibility.PUBLIC, EvaluationRound.status == RoundStatus.PUBLISHED)
    rows = []
    for f, number, area, fy, no in session.exec(stmt.order_by(Finding.id)):
        rows.append(f.model_dump(exclude={"created_by_id"}, warnings=False) | {"number": number, "area": area, "round": f"{fy}-{no}"})
    return pd.DataFrame(rows, columns=[*Finding.model_fields, "number", "area", "round"])


def filter_findings(table: pd.DataFrame, *, round_code: str | None, status: str | None,
                    severity: str | None) -> pd.DataFrame:
    """The findings matching every filter that is set (None means any)."""
    for column, value in (("round", round_code), ("status", status), ("severity", severity)):
        if value is not None:
            table = table[table[column] == value]
    return table
