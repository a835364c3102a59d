"""Findings of a round about an item and/or a risk area: add, update (optimistic locking), list, bring forward."""

from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import update
from sqlmodel import Session, select

from acplan import audit
from acplan.auth import require
from acplan.errors import Conflict, Issue, InvalidInput, NotFound
from acplan.models import AppUser, EvaluationRound, Finding, FindingStatus, Project, RiskArea, Severity, Visibility

SEVERITIES = tuple(s.value for s in Severity)
STATUSES = tuple(s.value for s in FindingStatus)
VISIBILITIES = tuple(v.value for v in Visibility)
TEXT_FIELDS = ("text", "recommendation", "responsible_unit", "unit_response")
MAX_TEXT_CHARS = 4000


def validate_finding(values: dict) -> list[Issue]:
    issues = []
    if not (values.get("text") or "").strip():
        issues.append(Issue("finding_text_required", column="text"))
    if values.get("project_id") is None and values.get("risk_area_id") is None:
        issues.append(Issue("finding_subject_required", column="project_id"))
    for key, allowed, code in (("severity", SEVERITIES, "severity_invalid"), ("status", STATUSES, "finding_status_invalid"),
                               ("visibility", VISIBILITIES, "visibility_invalid")):
        if values.get(key) not in allowed:
            issues.append(Issue(code, {"value": values.get(key)}, column=key))
    if values.get("due_date") is not None and not isinstance(values["due_date"], date):
        issues.append(Issue("due_date_invalid", {"value": values.get("due_date")}, column="due_date"))
    issues += [Issue("text_too_long", {"max": MAX_TEXT_CHARS}, column=k) for k in TEXT_FIELDS
               if len(values.get(k) or "") > MAX_TEXT_CHARS]
    return issues


FIELDS = ("project_id", "risk_area_id", "text", "severity", "recommendation", "responsible_unit", "due_date", "status",
          "unit_response", "visibility")


def add_finding(*, session: Session, user: AppUser, rnd: EvaluationRound, values: dict) -> Finding:
    require(user.role, "manage_findings")
    values = {"status": "open", "visibility": "internal", **values}
    issues = validate_finding(values)
    if issues:
        raise InvalidInput(*issues)
    now = datetime.now(UTC)
    finding = Finding(round_id=rnd.id, created_by_id=user.id, created_at=now, updated_at=now,
                      **{k: values.get(k) for k in FIELDS} | {k: (values.get(k) or "").strip() for k in TEXT_FIELDS})
    session.add(finding)
    session.flush()
    audit.record(session, actor=user.username, action="finding.add", entity="finding", entity_id=finding.id,
                 after=audit.snapshot(finding))
    return finding


def update_finding(*, session: Session, user: AppUser, finding_id: int, values: dict, expected_version: int) -> Finding:
    """Change a finding; refused with a clear message if someone saved it since `expected_version` was read."""
    require(user.role, "manage_findings")
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(Issue("finding_not_found", {"id": finding_id}))
    merged = {k: getattr(finding, k) for k in FIELDS} | values
    issues = validate_finding(merged)
    if issues:
        raise InvalidInput(*issues)
    before = audit.snapshot(finding)
    result = session.execute(update(Finding).where(Finding.id == finding_id, Finding.version == expected_version)
                             .values(**{k: merged[k] for k in FIELDS}, updated_at=datetime.now(UTC),
                                     version=expected_version + 1))
    if result.rowcount != 1:
        raise Conflict(Issue("finding_conflict", {"id": finding_id}))
    session.refresh(finding)
    audit.record(session, actor=user.username, action="finding.update", entity="finding", entity_id=finding_id,
                 before=before, after=audit.snapshot(finding))
    return finding


def bring_forward(*, session: Session, actor: str, source: EvaluationRound, target: EvaluationRound) -> int:
    """Copy the source round's open and in-progress findings into the target round for re-checking."""
    copied = 0
    already = set(session.exec(select(Finding.brought_forward_from_id).where(Finding.round_id == target.id)))
    for old in session.exec(select(Finding).where(Finding.round_id == source.id,
                                                  Finding.status.in_(("open", "in_progress")))):
        if old.id in already:
            continue
        now = datetime.now(UTC)
        new = Finding(round_id=target.id, brought_forward_from_id=old.id, created_by_id=old.created_by_id,
                      created_at=now, updated_at=now, **{k: getattr(old, k) for k in FIELDS})
        session.add(new)
        session.flush()
        audit.record(session, actor=actor, action="finding.bring_forward", entity="finding", entity_id=new.id,
                     after=audit.snapshot(new))
        copied += 1
    return copied


def findings_frame(*, session: Session, round_ids: list[int], public_only: bool = False) -> pd.DataFrame:
    """Findings of the given rounds with their item number and risk area number."""
    stmt = (select(Finding, Project.number, RiskArea.number, EvaluationRound.fiscal_year_be, EvaluationRound.round_no)
            .join(EvaluationRound, EvaluationRound.id == Finding.round_id)
            .outerjoin(Project, Project.id == Finding.project_id).outerjoin(RiskArea, RiskArea.id == Finding.risk_area_id)
            .where(Finding.round_id.in_(round_ids)))
    if public_only:
        stmt = stmt.where(Finding.visibility == "public")
    rows = []
    for f, number, area, fy, no in session.exec(stmt.order_by(Finding.id)):
        rows.append(f.model_dump(exclude={"created_by_id"}) | {"number": number, "area": area, "round": f"{fy}-{no}"})
    return pd.DataFrame(rows, columns=[*Finding.model_fields, "number", "area", "round"])


def filter_findings(table: pd.DataFrame, *, round_code: str | None, status: str | None,
                    severity: str | None) -> pd.DataFrame:
    """The findings matching every filter that is set (None means any)."""
    for column, value in (("round", round_code), ("status", status), ("severity", severity)):
        if value is not None:
            table = table[table[column] == value]
    return table
