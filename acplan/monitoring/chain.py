"""The audit log as a hash chain: each row carries the SHA-256 of the row before it and of its own content.

`audit_head` (one row) holds the newest row's hash; every write transaction locks it first (`lock`), which
serialises audited writes, so the chain never forks, and on SQLite makes a write transaction take the
write lock before it reads (no read-then-write deadlock between two saves). `verify` walks the chain:
a changed, removed or inserted row breaks it. Publishing a round records the head of that moment in the
round and its public report, so a copy printed then can be checked against the store later
(`python -m acplan audit verify --head VALUE`): a record rewritten afterwards no longer contains it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import Session, select

from acplan.monitoring.models import AuditHead, AuditLog

GENESIS = "0" * 64  # the "previous hash" of the first row
ROW_PROBLEMS = ("link", "content")  # a row that does not follow the one before; a row whose content changed


def _moment(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(row: AuditLog) -> str:
    """SHA-256 of the previous row's hash and this row's content, in a canonical JSON form."""
    content = [row.prev_hash, _moment(row.at), row.actor, row.action, row.entity, row.entity_id, row.before,
               row.after, row.reason]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def lock(session: Session) -> AuditHead:
    """Lock the chain's head for this transaction (UPDATE takes SQLite's write lock, PostgreSQL's row lock)."""
    # rows=rows changes nothing, so the session's objects need no synchronising: without this, SQLAlchemy would scan
    # every object the session holds on each write (quadratic in a long import: demo-data's 8,000 organisations)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(rows=AuditHead.rows),
                    execution_options={"synchronize_session": False})
    return session.exec(select(AuditHead).where(AuditHead.id == 1)).one()


def append(session: Session, row: AuditLog) -> AuditLog:
    """Link `row` to the head and make it the new head, in the caller's transaction."""
    head = lock(session)
    row.prev_hash = head.hash
    row.row_hash = digest(row)
    head.hash, head.rows = row.row_hash, head.rows + 1
    session.add_all([row, head])
    return row


def head_hash(session: Session) -> str:
    return session.exec(select(AuditHead.hash).where(AuditHead.id == 1)).one()


@dataclass(frozen=True)
class Verdict:
    rows: int
    head: str
    problems: list[tuple[int | None, str]]  # (audit row id, what is wrong); empty when the chain holds
    head_found: bool | None = None  # whether a head given to check appears in the chain


def verify(session: Session, expected_head: str | None = None, progress=None) -> Verdict:
    """Walk the whole chain in id order; report every broken link, and whether `expected_head` is in it."""
    problems: list[tuple[int | None, str]] = []
    previous, count, found = GENESIS, 0, expected_head is None or expected_head == GENESIS
    for row in session.exec(select(AuditLog).order_by(AuditLog.id)).yield_per(1000):
        if row.prev_hash != previous:
            problems.append((row.id, ROW_PROBLEMS[0]))
        if row.row_hash != digest(row):
            problems.append((row.id, ROW_PROBLEMS[1]))
        previous = row.row_hash or ""
        found = found or previous == expected_head
        count += 1
        if progress is not None:
            progress(count)
    head = head_hash(session)
    if head != previous:
        problems.append((None, "head"))
    return Verdict(count, previous, problems, None if expected_head is None else found)
