"""A committee member's entries in a round: typed input, drafts with optimistic locking, submission."""

from datetime import UTC, datetime

import pandas as pd
from pydantic import Field, StrictBool, StrictFloat, StrictInt
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from acplan.access import Actor, Permission, can
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed, parse_input
from acplan.monitoring import audit
from acplan.monitoring.auth import authorize, org_of
from acplan.monitoring.models import (
    AppUser,
    EntryState,
    EvaluationRound,
    ImplementationStatus,
    IndicatorResult,
    NotPossibleReason,
    RoundStatus,
    ScoreEntry,
)
from acplan.plan.models import PlanItem

STATUSES = tuple(ImplementationStatus)
REASONS = tuple(NotPossibleReason)
MAX_COMMENT_CHARS = 4000
MAX_SPENT_THB = 10_000_000_000
SCORE_MIN, SCORE_MAX = 1, 5
FIELDS = ("status", "not_possible_reason", "progress_pct", "score", "spent_thb", "comment")
ISSUE_CODES = {"status": "status_invalid", "not_possible_reason": "reason_invalid", "progress_pct": "progress_invalid",
               "score": "score_invalid", "spent_thb": "spent_invalid", "comment": "comment_too_long",
               "indicators": "indicator_invalid"}


class IndicatorResultIn(SQLModel):
    """The actual value a member recorded for one indicator, and whether its target was achieved."""

    actual_value: StrictInt | StrictFloat | None = None
    achieved: StrictBool | None = None
    note: str = Field(default="", max_length=MAX_COMMENT_CHARS)


class EntryIn(SQLModel):
    """A member's entry for one item as typed: every field optional while it is a draft; SCORING.md §2."""

    status: ImplementationStatus | None = None
    not_possible_reason: NotPossibleReason | None = None
    progress_pct: StrictInt | None = Field(default=None, ge=0, le=100)
    score: StrictInt | None = Field(default=None, ge=SCORE_MIN, le=SCORE_MAX)
    spent_thb: StrictInt | None = Field(default=None, ge=0, le=MAX_SPENT_THB)
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)
    indicators: dict[int, IndicatorResultIn] = Field(default_factory=dict)


def parse_entry(values: dict, *, row: int | None = None) -> EntryIn:
    """`values` as an EntryIn, or InvalidInput naming each bad column (and the sheet row, for imports)."""
    entry = parse_input(EntryIn, {**values, "comment": values.get("comment") or ""}, codes=ISSUE_CODES, row=row)
    if entry.status == ImplementationStatus.NOT_POSSIBLE and entry.not_possible_reason is None:
        raise InvalidInput(Issue("reason_required", {"value": None}, row=row, column="not_possible_reason"))
    return entry


def entry_issues(values: dict, *, row: int | None = None) -> list[Issue]:
    """Every rule `values` break, as issues naming the column (empty when the entry is valid)."""
    try:
        parse_entry(values, row=row)
    except InvalidInput as exc:
        return exc.issues
    return []


def member_may_write(session: Session, actor: Actor, member: AppUser, rnd: EvaluationRound, *,
                     on_behalf: bool = False) -> None:
    """A member writes their own entries in an open round; with `on_behalf` (a member's filled sheet) the
    operator may write them for the member."""
    if actor.user_id is not None and actor.user_id == member.id:
        authorize(session=session, actor=actor, permission=Permission.SCORE, plan_id=rnd.plan_id)
    else:
        authorize(session=session, actor=actor, plan_id=rnd.plan_id,
                  permission=Permission.IMPORT_MEMBER_SHEET if on_behalf else Permission.SCORE)
        if not on_behalf:  # even a member may write only their own entries
            raise NotAllowed(Issue("not_allowed", {"action": Permission.SCORE.value}))
    if not member.is_active or not can(member.role, Permission.SCORE) or \
            member.organisation_id not in (None, org_of(session, plan_id=rnd.plan_id)):
        raise NotAllowed(Issue("user_disabled", {"username": member.username}))
    if rnd.status != RoundStatus.OPEN:
        raise NotAllowed(Issue("round_not_open", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}", "status": rnd.status}))


def get_entry(*, session: Session, round_id: int, project_id: int, member_id: int) -> ScoreEntry | None:
    return session.exec(select(ScoreEntry).where(ScoreEntry.round_id == round_id, ScoreEntry.project_id == project_id,
                                                 ScoreEntry.member_id == member_id)).first()


def save_entry(*, session: Session, actor: Actor, member: AppUser, rnd: EvaluationRound, project_id: int,
               entry_in: EntryIn, expected_version: int | None, state: EntryState = EntryState.DRAFT,
               on_behalf: bool = False) -> ScoreEntry:
    """Save the member's entry for one item; refused if someone saved it since `expected_version` was read."""
    member_may_write(session, actor, member, rnd, on_behalf=on_behalf)
    item = session.get(PlanItem, project_id)
    if item is None or item.plan_id != rnd.plan_id or not item.in_year(rnd.fiscal_year_be):
        raise InvalidInput(Issue("item_not_in_round", {"number": item.number if item else project_id,
                                                      "year": rnd.fiscal_year_be}))
    fields = entry_in.model_dump(include=set(FIELDS))
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
    before_indicators = _indicator_snapshot(session, entry.id) if before else {}
    _save_indicators(session, entry, entry_in.indicators)
    session.flush()
    audit.record(session, actor=actor.username, action="entry.save", entity="entry", entity_id=entry.id,
                 before=before and before | {"indicators": before_indicators},
                 after=audit.snapshot(entry) | {"indicators": _indicator_snapshot(session, entry.id)})
    return entry


def _indicator_snapshot(session: Session, entry_id: int) -> dict[str, dict]:
    """An entry's indicator results for its audit row: {indicator id: {actual_value, achieved, note}}."""
    rows = session.exec(select(IndicatorResult).where(IndicatorResult.score_entry_id == entry_id)
                        .order_by(IndicatorResult.indicator_id))
    return {str(r.indicator_id): {"actual_value": r.actual_value, "achieved": r.achieved, "note": r.note} for r in rows}


def _number(session: Session, project_id: int) -> int:
    return session.get(PlanItem, project_id).number


def _save_indicators(session: Session, entry: ScoreEntry, results: dict[int, IndicatorResultIn]) -> None:
    for indicator_id, result in results.items():
        row = session.exec(select(IndicatorResult).where(IndicatorResult.score_entry_id == entry.id,
                                                         IndicatorResult.indicator_id == indicator_id)).first()
        row = row or IndicatorResult(score_entry_id=entry.id, indicator_id=indicator_id)
        row.actual_value, row.achieved, row.note = result.actual_value, result.achieved, result.note
        session.add(row)


def completeness_issues(entry: ScoreEntry, number: int) -> list[Issue]:
    """What a draft lacks before it can be submitted: a status, a score, and a reason when not possible."""
    issues = []
    if entry.status is None:
        issues.append(Issue("status_required", {"number": number}, row=number, column="status"))
    if entry.score is None:
        issues.append(Issue("score_required", {"number": number}, row=number, column="score"))
    if entry.status == ImplementationStatus.NOT_POSSIBLE and entry.not_possible_reason is None:
        issues.append(Issue("reason_required", {"value": None}, row=number, column="not_possible_reason"))
    return issues


def submit_entries(*, session: Session, actor: Actor, member: AppUser, rnd: EvaluationRound) -> int:
    """Submit every draft of the member in the round; all or none: an incomplete draft stops the whole submission."""
    member_may_write(session, actor, member, rnd)
    drafts = session.exec(select(ScoreEntry, PlanItem.number).join(PlanItem, PlanItem.id == ScoreEntry.project_id)
                          .where(ScoreEntry.round_id == rnd.id, ScoreEntry.member_id == member.id,
                                 ScoreEntry.state == EntryState.DRAFT).order_by(PlanItem.number)).all()
    issues = [i for entry, number in drafts for i in completeness_issues(entry, number)]
    if issues:
        raise InvalidInput(*issues)
    for entry, number in drafts:
        before = audit.snapshot(entry)
        # Compare-and-set on the version that was checked for completeness: a save in between refuses it all.
        result = session.execute(update(ScoreEntry).where(ScoreEntry.id == entry.id, ScoreEntry.version == entry.version,
                                                          ScoreEntry.state == EntryState.DRAFT)
                                 .values(state=EntryState.SUBMITTED, version=entry.version + 1,
                                         updated_at=datetime.now(UTC)))
        if result.rowcount != 1:
            raise Conflict(Issue("entry_conflict", {"number": number}))
        session.refresh(entry)
        audit.record(session, actor=actor.username, action="entry.submit", entity="entry", entity_id=entry.id,
                     before=before, after=audit.snapshot(entry))
    session.flush()
    return len(drafts)


def _may_read_entries(session: Session, actor: Actor, round_id: int, member_id: int | None) -> None:
    """A member reads their own entries; everyone else's need `read_member_scores`, and while the round is
    open `read_open_round_scores` too (members score independently)."""
    if member_id is None or actor.user_id != member_id:
        authorize(session=session, actor=actor, permission=Permission.READ_MEMBER_SCORES, round_id=round_id)
        if session.get(EvaluationRound, round_id).status in (RoundStatus.DRAFT, RoundStatus.OPEN):
            authorize(session=session, actor=actor, permission=Permission.READ_OPEN_ROUND_SCORES, round_id=round_id)


def entries_frame(*, session: Session, actor: Actor, round_id: int, member_id: int | None = None,
                  submitted_only: bool = False) -> pd.DataFrame:
    """The round's entries as a frame: number, member, state, version and the entry fields."""
    _may_read_entries(session, actor, round_id, member_id)
    return read_entries(session=session, round_id=round_id, member_id=member_id, submitted_only=submitted_only)


def read_entries(*, session: Session, round_id: int, member_id: int | None = None,
                 submitted_only: bool = False) -> pd.DataFrame:
    """entries_frame without a permission check, for services that aggregate (they check their own permission)."""
    stmt = (select(PlanItem.number, AppUser.username, ScoreEntry.state, ScoreEntry.version, ScoreEntry.status,
                   ScoreEntry.not_possible_reason, ScoreEntry.progress_pct, ScoreEntry.score, ScoreEntry.spent_thb,
                   ScoreEntry.comment, ScoreEntry.carried_forward, AppUser.display_name)
            .join(PlanItem, PlanItem.id == ScoreEntry.project_id).join(AppUser, AppUser.id == ScoreEntry.member_id)
            .where(ScoreEntry.round_id == round_id))
    if member_id is not None:
        stmt = stmt.where(ScoreEntry.member_id == member_id)
    if submitted_only:
        stmt = stmt.where(ScoreEntry.state == EntryState.SUBMITTED)
    rows = session.exec(stmt.order_by(PlanItem.number, AppUser.username)).all()
    return pd.DataFrame(rows, columns=["number", "member", "state", "version", "status", "not_possible_reason",
                                       "progress_pct", "score", "spent_thb", "comment", "carried_forward",
                                       "member_name"])


def indicator_results(*, session: Session, actor: Actor, round_id: int, project_id: int,
                      member_id: int) -> dict[int, dict]:
    """The member's recorded indicator results for one item: indicator id -> actual_value, achieved, note."""
    _may_read_entries(session, actor, round_id, member_id)
    entry = get_entry(session=session, round_id=round_id, project_id=project_id, member_id=member_id)
    if entry is None:
        return {}
    rows = session.exec(select(IndicatorResult).where(IndicatorResult.score_entry_id == entry.id))
    return {r.indicator_id: {"actual_value": r.actual_value, "achieved": r.achieved, "note": r.note} for r in rows}
