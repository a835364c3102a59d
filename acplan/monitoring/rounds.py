"""Evaluation rounds: create (optionally pre-filled), open, close, publish, reopen; SCORING.md §1."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from acplan import clock
from acplan import format as fmt
from acplan.access import Actor, Permission, Role
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed, NotFound
from acplan.format import BE_OFFSET
from acplan.monitoring import audit, chain, findings, rollup
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import AppUser, EntryState, EvaluationRound, RoundStatus, ScoreEntry
from acplan.plan.models import Plan, PlanItem
from acplan.plan.queries import list_item_refs

CODE = re.compile(r"^(\d{4})-([12])$")
ROUND_NUMBERS = (1, 2)
MIN_REOPEN_REASON_CHARS = 10
MAX_CONCLUSION_CHARS = 5000
TRANSITIONS = {"open": ({RoundStatus.DRAFT}, RoundStatus.OPEN), "close": ({RoundStatus.OPEN}, RoundStatus.CLOSED),
               "publish": ({RoundStatus.CLOSED}, RoundStatus.PUBLISHED),
               "reopen": ({RoundStatus.CLOSED, RoundStatus.PUBLISHED}, RoundStatus.OPEN)}
PERMISSION = {"open": Permission.MANAGE_ROUNDS, "close": Permission.MANAGE_ROUNDS, "publish": Permission.PUBLISH_ROUND,
              "reopen": Permission.REOPEN_ROUND}
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
    year_ce = fiscal_year_be - BE_OFFSET
    return date(year_ce - 1, 10, 1), (date(year_ce, 3, 31) if round_no == 1 else date(year_ce, 9, 30))


def get_round(*, session: Session, actor: Actor, plan_id: int, code: str) -> EvaluationRound:
    """The round `code` of the plan; a round not yet published only for those who may read unpublished rounds."""
    rnd = _get(session, plan_id, code)
    if rnd.status != RoundStatus.PUBLISHED:
        authorize(session=session, actor=actor, permission=Permission.READ_UNPUBLISHED, plan_id=plan_id)
    return rnd


def _get(session: Session, plan_id: int, code: str) -> EvaluationRound:
    fy, no = parse_code(code)
    rnd = session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id, EvaluationRound.fiscal_year_be == fy,
                                                     EvaluationRound.round_no == no)).first()
    if rnd is None:
        raise NotFound(Issue("round_not_found", {"code": code}))
    return rnd


def list_rounds(*, session: Session, actor: Actor, plan_id: int,
                statuses: tuple[RoundStatus, ...] | None = None) -> list[EvaluationRound]:
    """The plan's rounds with these statuses (all when None), oldest first; unpublished ones for internal roles only."""
    if statuses is None or set(statuses) - {RoundStatus.PUBLISHED}:
        authorize(session=session, actor=actor, permission=Permission.READ_UNPUBLISHED, plan_id=plan_id)
    stmt = select(EvaluationRound).where(EvaluationRound.plan_id == plan_id)
    if statuses is not None:
        stmt = stmt.where(EvaluationRound.status.in_(statuses))
    return list(session.exec(stmt.order_by(EvaluationRound.fiscal_year_be, EvaluationRound.round_no)))


def previous_round(*, session: Session, rnd: EvaluationRound) -> EvaluationRound | None:
    fy, no = (rnd.fiscal_year_be, 1) if rnd.round_no == 2 else (rnd.fiscal_year_be - 1, 2)
    return session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == rnd.plan_id,
                                                      EvaluationRound.fiscal_year_be == fy,
                                                      EvaluationRound.round_no == no)).first()


def create_round(*, session: Session, actor: Actor, plan_id: int, fiscal_year_be: int, round_no: int, today: date,
                 prefill: bool = True, bring_forward: bool = False) -> EvaluationRound:
    """A draft round; a round whose period ended before `today` is marked as recorded after the fact.

    `prefill` carries each member's status and progress forward from the previous round (as drafts);
    `bring_forward` copies the previous round's open and in-progress findings into the new round.
    """
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ROUNDS, plan_id=plan_id)
    plan = session.get(Plan, plan_id)
    if not plan.start_fy_be <= fiscal_year_be <= plan.end_fy_be or round_no not in ROUND_NUMBERS:
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
    prev = previous_round(session=session, rnd=rnd)
    if prefill and prev is not None:
        rnd.prefilled_from_id = prev.id
    audit.record(session, actor=actor.username, action="round.create", entity="round", entity_id=code,
                 after=audit.snapshot(rnd))
    if prefill and prev is not None:
        _prefill(session, actor, rnd, prev)
    if bring_forward and prev is not None:
        findings.bring_forward(session=session, actor=actor, source=prev, target=rnd)
    return rnd


def _prefill(session: Session, actor: Actor, rnd: EvaluationRound, prev: EvaluationRound) -> None:
    """Carry each member's status and progress forward from `prev`, scores empty (drafts); each entry audited."""
    now = datetime.now(UTC)
    expected = {i.id for i in list_item_refs(session=session, plan_id=rnd.plan_id, fiscal_year=rnd.fiscal_year_be)}
    carried = [ScoreEntry(round_id=rnd.id, project_id=old.project_id, member_id=old.member_id, status=old.status,
                          not_possible_reason=old.not_possible_reason, progress_pct=old.progress_pct,
                          state=EntryState.DRAFT, carried_forward=True, created_at=now, updated_at=now)
               for old in session.exec(select(ScoreEntry).where(ScoreEntry.round_id == prev.id))
               if old.project_id in expected]  # an item an amendment dropped is not carried into a later year
    session.add_all(carried)
    session.flush()
    for entry in carried:
        audit.record(session, actor=actor.username, action="entry.carry_forward", entity="entry", entity_id=entry.id,
                     after=audit.snapshot(entry))


def before_period_end(rnd: EvaluationRound, action: str, today: date) -> bool:
    """Closing or publishing a round on or before the last day of its period: allowed only as an explicit choice."""
    return action in ("close", "publish") and today <= rnd.period_end


def transition(*, session: Session, actor: Actor, plan_id: int, code: str, action: str,
               reason: str | None = None, early: bool = False, today: date | None = None) -> EvaluationRound:
    """Move a round along draft → open → closed → published; reopening needs a written reason.

    Closing or publishing before the round's period has ended needs `early=True` and a written reason, which
    the audit log keeps.
    """
    authorize(session=session, actor=actor, permission=PERMISSION[action], plan_id=plan_id)
    rnd = _get(session, plan_id, code)
    allowed_from, target = TRANSITIONS[action]
    if rnd.status not in allowed_from:
        raise NotAllowed(Issue("round_transition_invalid", {"code": code, "status": rnd.status, "action": action}))
    if action == "reopen" and len((reason or "").strip()) < MIN_REOPEN_REASON_CHARS:
        raise InvalidInput(Issue("reopen_reason_required", {"min": MIN_REOPEN_REASON_CHARS}))
    if before_period_end(rnd, action, today or clock.today()):
        if not early:
            raise NotAllowed(Issue("round_early", {"code": code, "end": rnd.period_end}))
        if len((reason or "").strip()) < MIN_REOPEN_REASON_CHARS:
            raise InvalidInput(Issue("round_early_reason", {"code": code, "end": rnd.period_end,
                                                            "min": MIN_REOPEN_REASON_CHARS}))
    before = audit.snapshot(rnd)
    rnd.status = target
    setattr(rnd, STAMP[action], datetime.now(UTC))
    if action == "reopen":
        rnd.published_at = rnd.audit_head = None
    if action == "publish":
        rnd.audit_head = chain.head_hash(session)  # the record behind the published round, as printed in its report
    rnd.version += 1
    session.add(rnd)
    session.flush()
    audit.record(session, actor=actor.username, action=f"round.{action}", entity="round", entity_id=code, before=before,
                 after=audit.snapshot(rnd), reason=(reason or "").strip() or None)
    rollup.refresh(session, plan_id=plan_id)  # the roll-up's figures follow a publish or reopen
    return rnd


def set_conclusion(*, session: Session, actor: Actor, plan_id: int, code: str, text: str,
                   was: str | None = None) -> EvaluationRound:
    """The committee's overall conclusion for round `code`, as the secretary words it for the meeting pack.

    Kept as typed (surrounding blank lines trimmed); refused once the round is published (its report is then
    the published record: reopen the round to change it), when it is longer than MAX_CONCLUSION_CHARS, and when
    `was` (the conclusion as it stood when the editing began) no longer is the stored one: someone else changed it.
    """
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ROUNDS, plan_id=plan_id)
    rnd = _get(session, plan_id, code)
    if rnd.status == RoundStatus.PUBLISHED:
        raise NotAllowed(Issue("conclusion_published", {"code": code}))
    if was is not None and rnd.conclusion_th != was:
        raise Conflict(Issue("conclusion_conflict", {"code": code}))
    text = (text or "").strip("\n\r ")
    if len(text) > MAX_CONCLUSION_CHARS:
        raise InvalidInput(Issue("conclusion_too_long", {"max": MAX_CONCLUSION_CHARS, "length": len(text)}))
    if text == rnd.conclusion_th:
        return rnd
    before = audit.snapshot(rnd)
    rnd.conclusion_th = text
    rnd.version += 1
    session.add(rnd)
    session.flush()
    audit.record(session, actor=actor.username, action="round.conclusion", entity="round", entity_id=code,
                 before=before, after=audit.snapshot(rnd))
    return rnd


def set_deadlines(*, session: Session, actor: Actor, plan_id: int, code: str, units_due: str | None,
                  members_due: str | None) -> EvaluationRound:
    """The days units report by and members score by, typed in the Buddhist Era (empty: none), while the round is a
    draft or open; members' day not before the units'. Audited."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ROUNDS, plan_id=plan_id)
    rnd = _get(session, plan_id, code)
    if rnd.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        raise NotAllowed(Issue("round_transition_invalid", {"code": code, "status": rnd.status, "action": "deadlines"}))
    issues, days = [], {}
    for column, text in (("units_due_on", units_due), ("members_due_on", members_due)):
        try:
            days[column] = fmt.parse_be_date(text or "")
        except fmt.DateNotRead as exc:
            issues.append(Issue(exc.reason, {"value": text}, column=column))
    if not issues and days["units_due_on"] and days["members_due_on"] and days["members_due_on"] < days["units_due_on"]:
        issues.append(Issue("deadline_order", column="members_due_on"))
    if issues:
        raise InvalidInput(*issues)
    before = audit.snapshot(rnd)
    rnd.units_due_on, rnd.members_due_on = days["units_due_on"], days["members_due_on"]
    rnd.version += 1
    session.add(rnd)
    session.flush()
    audit.record(session, actor=actor.username, action="round.deadlines", entity="round", entity_id=code,
                 before=before, after=audit.snapshot(rnd))
    return rnd


@dataclass(frozen=True)
class Completeness:
    """How far a round has got, in counts and names, never scores (what the secretary sees before closing)."""

    items: int
    items_scored: list[int]  # item numbers with at least one submitted entry
    members: list[str]  # display names of the active committee members
    members_submitted: list[str]  # … who have submitted every item

    @property
    def items_unscored(self) -> list[int]:
        return [n for n in range(1, self.items + 1) if n not in set(self.items_scored)]

    @property
    def members_missing(self) -> list[str]:
        return [m for m in self.members if m not in set(self.members_submitted)]

    def incomplete_for(self, action: str) -> bool:
        """Closing or publishing while items are unscored or members have not submitted: an explicit choice."""
        return action in ("close", "publish") and bool(self.items_unscored or self.members_missing)


def allowed_actions(actor: Actor, status: RoundStatus) -> list[str]:
    """The transitions a round in `status` allows and `actor` may make, in TRANSITIONS order."""
    return [a for a, (sources, _) in TRANSITIONS.items() if status in sources and actor.can(PERMISSION[a])]


def completeness(*, session: Session, actor: Actor, plan_id: int, code: str) -> Completeness:
    """Which items have a submitted entry and which members have submitted them all, for the round `code`."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ROUNDS, writes=False, plan_id=plan_id)
    rnd = _get(session, plan_id, code)
    numbers = [i.number for i in list_item_refs(session=session, plan_id=plan_id, fiscal_year=rnd.fiscal_year_be)]
    submitted = session.exec(select(PlanItem.number, ScoreEntry.member_id).join(PlanItem, PlanItem.id == ScoreEntry.project_id)
                             .where(ScoreEntry.round_id == rnd.id, ScoreEntry.state == EntryState.SUBMITTED)).all()
    members = session.exec(select(AppUser).where(AppUser.role == Role.COMMITTEE, AppUser.is_active)
                           .order_by(AppUser.display_name)).all()
    per_member: dict[int, set[int]] = {}
    for number, member_id in submitted:
        per_member.setdefault(member_id, set()).add(number)
    return Completeness(len(numbers), sorted({n for n, _ in submitted}), [m.display_name for m in members],
                        [m.display_name for m in members if len(per_member.get(m.id, set())) == len(numbers)])
