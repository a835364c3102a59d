"""The append-only audit trail: every write records who, when, what, before and after."""

import json
from datetime import UTC, date, datetime

from sqlmodel import Session, SQLModel, select

from acplan.access import Actor, Permission
from acplan.monitoring import chain
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import AuditLog, Finding, ScoreEntry
from acplan.plan.models import PlanItem

SECRET_FIELDS = frozenset({"password_hash"})


def snapshot(row: SQLModel | None) -> dict | None:
    """A row's fields as JSON-safe values, without secrets (password hashes never reach the log)."""
    if row is None:
        return None
    data = row.model_dump(exclude=SECRET_FIELDS, warnings=False)  # enum fields may still hold the str assigned
    return json.loads(json.dumps(data, default=_json_default))


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: object,
           before: dict | None = None, after: dict | None = None, reason: str | None = None) -> None:
    """Add an audit row, chained to the one before, in the caller's transaction: it commits or rolls back with
    the change it describes."""
    chain.append(session, AuditLog(at=datetime.now(UTC), actor=actor, action=action, entity=entity,
                                   entity_id=str(entity_id), before=before, after=after, reason=reason))


def list_history(*, session: Session, entity: str, entity_ids: list[str]) -> list[AuditLog]:
    """Audit rows about the given records, newest first."""
    stmt = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id.in_(entity_ids))
    return list(session.exec(stmt.order_by(AuditLog.id.desc())))


CHANGE_FIELDS = ("status", "progress_pct", "score", "spent_thb", "state", "severity", "text", "unit_response", "visibility")


def project_history(*, session: Session, actor: Actor, plan_id: int, number: int) -> list[AuditLog]:
    """Audit rows about one item's entries and findings, newest first."""
    authorize(session=session, actor=actor, permission=Permission.READ_AUDIT_LOG, plan_id=plan_id)
    pid = session.exec(select(PlanItem.id).where(PlanItem.plan_id == plan_id, PlanItem.number == number)).one()
    entry_ids = [str(i) for i in session.exec(select(ScoreEntry.id).where(ScoreEntry.project_id == pid))]
    finding_ids = [str(i) for i in session.exec(select(Finding.id).where(Finding.project_id == pid))]
    rows = list_history(session=session, entity="entry", entity_ids=entry_ids) + \
        list_history(session=session, entity="finding", entity_ids=finding_ids)
    return sorted(rows, key=lambda r: r.id, reverse=True)


def change_text(before: dict | None, after: dict | None) -> str:
    """'score: 3 → 5; status: in_progress → completed' — the fields an audit row changed, as plain text."""
    before, after = before or {}, after or {}
    return "; ".join(f"{k}: {before.get(k, '—')} → {after.get(k)}" for k in CHANGE_FIELDS if before.get(k) != after.get(k))
