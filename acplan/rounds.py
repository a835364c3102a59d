"""Evaluation rounds: create (optionally pre-filled), open, close, publish, reopen; SCORING.md §1."""

import re
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from acplan import audit
from acplan.errors import Issue, InvalidInput, NotAllowed, NotFound
from acplan.models import EntryState, EvaluationRound, Plan, RoundStatus, ScoreEntry

CODE = re.compile(r"^(\d{4})-([12])$")
TRANSITIONS = {"open": ({RoundStatus.DRAFT}, RoundStatus.OPEN), "close": ({RoundStatus.OPEN}, RoundStatus.CLOSED),
               "publish": ({RoundStatus.CLOSED}, RoundStatus.PUBLISHED),
               "reopen": ({RoundStatus.CLOSED, RoundStatus.PUBLISHED}, RoundStatus.OPEN)}
STAMP = {"open": "opened_at", "close": "closed_at", "publish": "published_at", "reopen": "opened_at"}


def round_code(rnd: EvaluationRound) -> str:
    return f"{rnd.fiscal_year_be}-{rnd.round_no}"


def parse_code(code: str) -> tuple[int, int]:
    """'2567-1' -> (2567, 1)."""
    match = CODE.match((code or "").strip())
    if not match:
        raise InvalidInput(Issue("round_code_invalid", {"code": code}))
    return int(match.group(1)), int(match.group(2))


def period(fiscal_year_be: int, round_no: int) -> tuple[date, date]:
    """Round 1: 1 Oct – 31 Mar; round 2: the whole fiscal year, 1 Oct – 30 Sep."""
    year_ce = fiscal_year_be - 543
    return date(year_ce - 1, 10, 1), (date(year_ce, 3, 31) if round_no == 1 else date(year_ce, 9, 30))


def get_round(*, session: Session, plan_id: int, code: str) -> EvaluationRound:
    fy, no = parse_code(code)
    rnd = session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id, EvaluationRound.fiscal_year_be == fy,
                                                     EvaluationRound.round_no == no)).first()
    if rnd is None:
        raise NotFound(Issue("round_not_found", {"code": code}))
    return rnd


def list_rounds(*, session: Session, plan_id: int, statuses: tuple[str, ...] | None = None) -> list[EvaluationRound]:
    stmt = select(EvaluationRound).where(EvaluationRound.plan_id == plan_id)
    if statuses is not None:
        stmt = stmt.where(EvaluationRound.status.in_(statuses))
    return list(session.exec(stmt.order_by(EvaluationRound.fiscal_year_be, EvaluationRound.round_no)))


def previous_round(*, session: Session, rnd: EvaluationRound) -> EvaluationRound | None:
    fy, no = (rnd.fiscal_year_be, 1) if rnd.round_no == 2 else (rnd.fiscal_year_be - 1, 2)
    return session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == rnd.plan_id,
                                                      EvaluationRound.fiscal_year_be == fy,
                                                      EvaluationRound.round_no == no)).first()


def create_round(*, session: Session, actor: str, plan_id: int, fiscal_year_be: int, round_no: int, today: date,
                 prefill: bool = True) -> EvaluationRound:
    """A draft round; a round whose period ended before `today` is marked as recorded after the fact."""
    plan = session.get(Plan, plan_id)
    if not plan.start_fy_be <= fiscal_year_be <= plan.end_fy_be or round_no not in (1, 2):
        raise InvalidInput(Issue("round_outside_plan", {"fy": fiscal_year_be, "no": round_no, "start": plan.start_fy_be,
                                                        "end": plan.end_fy_be}))
    code = f"{fiscal_year_be}-{round_no}"
    if session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id,
                                                  EvaluationRound.fiscal_year_be == fiscal_year_be,
                                                  EvaluationRound.round_no == round_no)).first():
        raise InvalidInput(Issue("round_exists", {"code": code}))
    start, end = period(fiscal_year_be, round_no)
    rnd = EvaluationRound(plan_id=plan_id, fiscal_year_be=fiscal_year_be, round_no=round_no, period_start=start,
                          period_end=end, recorded_after_fact=end < today)
    session.add(rnd)
    session.flush()
    if prefill:
        _prefill(session, rnd)
    audit.record(session, actor=actor, action="round.create", entity="round", entity_id=code, after=audit.snapshot(rnd))
    return rnd


def _prefill(session: Session, rnd: EvaluationRound) -> None:
    """Carry each member's status and progress forward from the previous round, scores empty (drafts)."""
    prev = previous_round(session=session, rnd=rnd)
    if prev is None:
        return
    rnd.prefilled_from_id = prev.id
    now = datetime.now(UTC)
    for old in session.exec(select(ScoreEntry).where(ScoreEntry.round_id == prev.id)):
        session.add(ScoreEntry(round_id=rnd.id, project_id=old.project_id, member_id=old.member_id, status=old.status,
                               not_possible_reason=old.not_possible_reason, progress_pct=old.progress_pct,
                               state=EntryState.DRAFT, carried_forward=True, created_at=now, updated_at=now))


def transition(*, session: Session, actor: str, plan_id: int, code: str, action: str,
               reason: str | None = None) -> EvaluationRound:
    """Move a round along draft → open → closed → published; reopening needs a written reason."""
    rnd = get_round(session=session, plan_id=plan_id, code=code)
    allowed_from, target = TRANSITIONS[action]
    if rnd.status not in allowed_from:
        raise NotAllowed(Issue("round_transition_invalid", {"code": code, "status": rnd.status, "action": action}))
    if action == "reopen" and len((reason or "").strip()) < 10:
        raise InvalidInput(Issue("reopen_reason_required", {"min": 10}))
    before = audit.snapshot(rnd)
    rnd.status = target
    setattr(rnd, STAMP[action], datetime.now(UTC))
    if action == "reopen":
        rnd.published_at = None
    rnd.version += 1
    session.add(rnd)
    session.flush()
    audit.record(session, actor=actor, action=f"round.{action}", entity="round", entity_id=code, before=before,
                 after=audit.snapshot(rnd), reason=(reason or "").strip() or None)
    return rnd
