"""A committee member's entries in a round: validate, save as draft (optimistic locking), submit, import."""

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from acplan import audit
from acplan.auth import require
from acplan.errors import Conflict, Issue, InvalidInput, NotAllowed
from acplan.models import (AppUser, EntryState, EvaluationRound, ImplementationStatus, Indicator, IndicatorResult,
                           NotPossibleReason, Project, RoundStatus, ScoreEntry)

STATUSES = tuple(s.value for s in ImplementationStatus)
REASONS = tuple(r.value for r in NotPossibleReason)
FIELDS = ("status", "not_possible_reason", "progress_pct", "score", "spent_thb", "comment")
MAX_COMMENT_CHARS = 4000
MAX_SPENT_THB = 10_000_000_000


def _int_in(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def validate_values(values: dict, *, row: int | None = None) -> list[Issue]:
    """Every rule an entry's fields must meet, as issues naming the column; SCORING.md §2."""
    issues = []

    def bad(column: str, code: str, **params) -> None:
        issues.append(Issue(code, {"value": values.get(column), **params}, row=row, column=column))

    if values.get("status") is not None and values["status"] not in STATUSES:
        bad("status", "status_invalid")
    if values.get("status") == "not_possible" and values.get("not_possible_reason") not in REASONS:
        bad("not_possible_reason", "reason_required")
    if values.get("progress_pct") is not None and not _int_in(values["progress_pct"], 0, 100):
        bad("progress_pct", "progress_invalid")
    if values.get("score") is not None and not _int_in(values["score"], 1, 5):
        bad("score", "score_invalid")
    if values.get("spent_thb") is not None and not _int_in(values["spent_thb"], 0, MAX_SPENT_THB):
        bad("spent_thb", "spent_invalid")
    if len(values.get("comment") or "") > MAX_COMMENT_CHARS:
        bad("comment", "comment_too_long", max=MAX_COMMENT_CHARS)
    return issues


def _check_can_write(member: AppUser, rnd: EvaluationRound) -> None:
    require(member.role, "score")
    if not member.is_active:
        raise NotAllowed(Issue("user_disabled", {"username": member.username}))
    if rnd.status != RoundStatus.OPEN:
        raise NotAllowed(Issue("round_not_open", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}", "status": rnd.status}))


def get_entry(*, session: Session, round_id: int, project_id: int, member_id: int) -> ScoreEntry | None:
    return session.exec(select(ScoreEntry).where(ScoreEntry.round_id == round_id, ScoreEntry.project_id == project_id,
                                                 ScoreEntry.member_id == member_id)).first()


def save_entry(*, session: Session, member: AppUser, rnd: EvaluationRound, project_id: int, values: dict,
               expected_version: int | None, state: str = EntryState.DRAFT) -> ScoreEntry:
    """Save the member's own entry for one item; refused if someone saved it since `expected_version` was read."""
    _check_can_write(member, rnd)
    issues = validate_values(values)
    if issues:
        raise InvalidInput(*issues)
    fields = {k: values.get(k) for k in FIELDS} | {"comment": values.get("comment") or ""}
    entry = get_entry(session=session, round_id=rnd.id, project_id=project_id, member_id=member.id)
    current = entry.version if entry else None
    if current != expected_version:
        raise Conflict(Issue("entry_conflict", {"number": _number(session, project_id)}))
    now = datetime.now(UTC)
    before = audit.snapshot(entry)
    if entry is None:
        entry = ScoreEntry(round_id=rnd.id, project_id=project_id, member_id=member.id, state=state, created_at=now,
                           updated_at=now, **fields)
        session.add(entry)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(Issue("entry_conflict", {"number": _number(session, project_id)})) from None
    else:
        # Compare-and-set on the version: a concurrent save in another process changes nothing here.
        result = session.execute(update(ScoreEntry).where(ScoreEntry.id == entry.id, ScoreEntry.version == current)
                                 .values(**fields, state=state, updated_at=now, version=current + 1,
                                         carried_forward=False))
        if result.rowcount != 1:
            raise Conflict(Issue("entry_conflict", {"number": _number(session, project_id)}))
        session.refresh(entry)
    _save_indicators(session, entry, values.get("indicators") or {})
    audit.record(session, actor=member.username, action="entry.save", entity="entry", entity_id=entry.id,
                 before=before, after=audit.snapshot(entry))
    return entry


def _number(session: Session, project_id: int) -> int:
    return session.get(Project, project_id).number


def _save_indicators(session: Session, entry: ScoreEntry, results: dict[int, dict]) -> None:
    for indicator_id, result in results.items():
        row = session.exec(select(IndicatorResult).where(IndicatorResult.score_entry_id == entry.id,
                                                         IndicatorResult.indicator_id == indicator_id)).first()
        row = row or IndicatorResult(score_entry_id=entry.id, indicator_id=indicator_id)
        row.actual_value = result.get("actual_value")
        row.achieved = result.get("achieved")
        row.note = result.get("note") or ""
        session.add(row)


def completeness_issues(entry: ScoreEntry, number: int) -> list[Issue]:
    """What a draft lacks before it can be submitted: a status, a score, and a reason when not possible."""
    issues = []
    if entry.status is None:
        issues.append(Issue("status_required", {"number": number}, row=number, column="status"))
    if entry.score is None:
        issues.append(Issue("score_required", {"number": number}, row=number, column="score"))
    if entry.status == "not_possible" and entry.not_possible_reason is None:
        issues.append(Issue("reason_required", {"value": None}, row=number, column="not_possible_reason"))
    return issues


def submit_entries(*, session: Session, member: AppUser, rnd: EvaluationRound) -> int:
    """Submit every draft of the member in the round; all or none: an incomplete draft stops the whole submission."""
    _check_can_write(member, rnd)
    drafts = session.exec(select(ScoreEntry, Project.number).join(Project, Project.id == ScoreEntry.project_id)
                          .where(ScoreEntry.round_id == rnd.id, ScoreEntry.member_id == member.id,
                                 ScoreEntry.state == EntryState.DRAFT).order_by(Project.number)).all()
    issues = [i for entry, number in drafts for i in completeness_issues(entry, number)]
    if issues:
        raise InvalidInput(*issues)
    for entry, _number_ in drafts:
        before = audit.snapshot(entry)
        entry.state, entry.version, entry.updated_at = EntryState.SUBMITTED, entry.version + 1, datetime.now(UTC)
        session.add(entry)
        audit.record(session, actor=member.username, action="entry.submit", entity="entry", entity_id=entry.id,
                     before=before, after=audit.snapshot(entry))
    session.flush()
    return len(drafts)


def entries_frame(*, session: Session, round_id: int, member_id: int | None = None,
                  submitted_only: bool = False) -> pd.DataFrame:
    """The round's entries as a frame: number, member, state, version and the entry fields."""
    stmt = (select(Project.number, AppUser.username, ScoreEntry.state, ScoreEntry.version, ScoreEntry.status,
                   ScoreEntry.not_possible_reason, ScoreEntry.progress_pct, ScoreEntry.score, ScoreEntry.spent_thb,
                   ScoreEntry.comment, ScoreEntry.carried_forward)
            .join(Project, Project.id == ScoreEntry.project_id).join(AppUser, AppUser.id == ScoreEntry.member_id)
            .where(ScoreEntry.round_id == round_id))
    if member_id is not None:
        stmt = stmt.where(ScoreEntry.member_id == member_id)
    if submitted_only:
        stmt = stmt.where(ScoreEntry.state == EntryState.SUBMITTED)
    rows = session.exec(stmt.order_by(Project.number, AppUser.username)).all()
    return pd.DataFrame(rows, columns=["number", "member", "state", "version", "status", "not_possible_reason",
                                       "progress_pct", "score", "spent_thb", "comment", "carried_forward"])


def indicator_ids(*, session: Session, project_id: int) -> list[int]:
    return list(session.exec(select(Indicator.id).where(Indicator.project_id == project_id).order_by(Indicator.seq)))


def indicator_results(*, session: Session, round_id: int, project_id: int, member_id: int) -> dict[int, dict]:
    """The member's recorded indicator results for one item: indicator id -> actual_value, achieved, note."""
    entry = get_entry(session=session, round_id=round_id, project_id=project_id, member_id=member_id)
    if entry is None:
        return {}
    rows = session.exec(select(IndicatorResult).where(IndicatorResult.score_entry_id == entry.id))
    return {r.indicator_id: {"actual_value": r.actual_value, "achieved": r.achieved, "note": r.note} for r in rows}
