"""The append-only audit trail: every write records who, when, what, before and after."""

import json
from datetime import UTC, date, datetime

from sqlmodel import Session, SQLModel, select

from acplan.models import AuditLog

SECRET_FIELDS = frozenset({"password_hash"})


def snapshot(row: SQLModel | None) -> dict | None:
    """A row's fields as JSON-safe values, without secrets (password hashes never reach the log)."""
    if row is None:
        return None
    data = row.model_dump(exclude=SECRET_FIELDS)
    return json.loads(json.dumps(data, default=_json_default))


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: object,
           before: dict | None = None, after: dict | None = None, reason: str | None = None) -> None:
    """Add an audit row in the caller's transaction: it commits or rolls back with the change it describes."""
    session.add(AuditLog(at=datetime.now(UTC), actor=actor, action=action, entity=entity, entity_id=str(entity_id),
                         before=before, after=after, reason=reason))


def list_history(*, session: Session, entity: str, entity_ids: list[str]) -> list[AuditLog]:
    """Audit rows about the given records, newest first."""
    stmt = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id.in_(entity_ids))
    return list(session.exec(stmt.order_by(AuditLog.id.desc())))
