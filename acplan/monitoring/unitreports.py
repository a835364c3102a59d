"""The responsible units' side of a round: each unit reports on its items, and the committee scores from that.

A `unit` account is tied to one or more of the plan's units. In an open round it writes a report on each item of
its units that the round expects (drafts saved as made, with optimistic locking as for members' entries), then
submits them; a submitted report is locked until the secretary returns it with a reason. Submitted reports are
read by the organisation's internal roles while the round runs, and by everyone once the round is published.
Every write is audited in its own transaction.
"""

from datetime import UTC, date, datetime

import pandas as pd
from pydantic import Field, StrictFloat, StrictInt, field_validator
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from acplan import format as fmt
from acplan.access import Actor, Permission, Role, can
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed, NotFound, parse_input
from acplan.monitoring import audit
from acplan.monitoring.auth import acts_in, authorize, org_of
from acplan.monitoring.models import (
    AccountUnit,
    AppUser,
    EvaluationRound,
    ImplementationStatus,
    ReportState,
    RoundStatus,
    UnitReport,
    UnitReportActivity,
    UnitReportIndicator,
)
from acplan.plan.models import Indicator, PlanItem, Unit
from acplan.plan.queries import in_year_clause
from acplan.xlsx import whole_number

MAX_TEXT = 4000
MAX_ACTIVITIES = 50
MAX_SPENT_THB = 10_000_000_000
FIELDS = ("status", "progress_pct", "spent_thb", "done_th", "problems_th", "suggestions_th")
ISSUE_CODES = {"status": "status_invalid", "progress_pct": "progress_invalid", "spent_thb": "spent_invalid",
               "done_th": "text_too_long", "problems_th": "text_too_long", "suggestions_th": "text_too_long",
               "activities": "activity_invalid", "indicators": "indicator_invalid"}


class ActivityIn(SQLModel):
    """One thing done: what, the day it was done or the first and last day of a period, where, how many."""

    text_th: str = Field(min_length=1, max_length=MAX_TEXT)
    start_on: date | None = None
    end_on: date | None = None
    place_th: str = Field(default="", max_length=500)
    count: StrictInt | None = Field(default=None, ge=0, le=10_000_000)


class UnitReportIn(SQLModel):
    """A unit's report on one item as typed; every field optional while it is a draft."""

    status: ImplementationStatus | None = None
    progress_pct: StrictInt | None = Field(default=None, ge=0, le=100)
    spent_thb: StrictInt | None = Field(default=None, ge=0, le=MAX_SPENT_THB)
    done_th: str = Field(default="", max_length=MAX_TEXT)
    problems_th: str = Field(default="", max_length=MAX_TEXT)
    suggestions_th: str = Field(default="", max_length=MAX_TEXT)
    activities: list[ActivityIn] = Field(default_factory=list, max_length=MAX_ACTIVITIES)
    indicators: dict[int, StrictInt | StrictFloat | None] = Field(default_factory=dict)

    @field_validator("done_th", "problems_th", "suggestions_th", mode="before")
    @classmethod
    def _strip(cls, value):
        return (value or "").strip() if isinstance(value, str) or value is None else value


def parse_activity(values: dict, *, row: int) -> ActivityIn:
    """One activity row as typed (dates in the Buddhist Era), or InvalidInput naming its row and columns."""
    issues, dates = [], {}
    for key in ("start_on", "end_on"):
        try:
            dates[key] = fmt.parse_be_date(str(values.get(key) or ""))
        except fmt.DateNotRead as exc:
            issues.append(Issue(exc.reason, {"value": values.get(key)}, row=row, column=key))
    if not str(values.get("text_th") or "").strip():
        issues.append(Issue("activity_text_required", row=row, column="text_th"))
    count = values.get("count")
    if isinstance(count, str):
        count = count.strip().replace(",", "")
        count = int(count) if count.isdigit() else (None if not count else values.get("count"))
    if issues:
        raise InvalidInput(*issues)
    activity = parse_input(ActivityIn, {"text_th": str(values["text_th"]).strip(), **dates,
                                        "place_th": str(values.get("place_th") or "").strip(), "count": count},
                           codes={"count": "activity_count_invalid", "place_th": "text_too_long",
                                  "text_th": "text_too_long"}, row=row)
    if activity.start_on and activity.end_on and activity.end_on < activity.start_on:
        raise InvalidInput(Issue("activity_dates_order", row=row, column="end_on"))
    return activity


def parse_report(values: dict) -> UnitReportIn:
    """`values` as a UnitReportIn, or InvalidInput naming each field to fix."""
    return parse_input(UnitReportIn, values, codes=ISSUE_CODES)


def whole(text) -> int | str | None:
    """A whole number as a person types it (acplan.xlsx.whole_number: Thai digits, thousands separators); the text
    itself if it is not one, for the check to refuse with what was typed; None for an empty field."""
    number = whole_number(text)
    return number if number is not None or text is None or not str(text).strip() else str(text)


def decimal(text) -> float | str | None:
    """A number with a fraction as typed (Thai digits and thousands separators read); the text if it is not one."""
    if text is None or isinstance(text, int | float):
        return text
    cleaned = str(text).replace(",", "").strip()
    if not cleaned:
        return None
    try:
        return float(cleaned)  # float() reads any Unicode digits, Thai ๐–๙ included
    except ValueError:
        return str(text)


def parse_typed(fields: dict, activity_rows: list[dict], indicator_values: dict[int, str]) -> UnitReportIn:
    """A report as the page or a sheet has it typed — numbers as text, activity rows with Buddhist Era dates,
    indicator values by indicator id — or InvalidInput listing every problem at once (an empty activity row is
    left out)."""
    issues, activities = [], []
    rows = [r for r in activity_rows if any(str(v or "").strip() for v in r.values() if not _missing(v))]
    for row_no, row in enumerate(rows, 1):
        try:
            activities.append(parse_activity({k: None if _missing(v) else v for k, v in row.items()}, row=row_no))
        except InvalidInput as exc:
            issues += exc.issues
    values = {}
    for indicator_id, text in indicator_values.items():
        value = decimal(text)
        if isinstance(value, str):
            issues.append(Issue("indicator_value_invalid", {"value": text}, column="indicators"))
        values[indicator_id] = value if not isinstance(value, str) else None
    try:
        report = parse_report({**fields, "progress_pct": whole(fields.get("progress_pct")),
                               "spent_thb": whole(fields.get("spent_thb"))})
    except InvalidInput as exc:
        issues = exc.issues + issues
        report = None
    if issues:
        raise InvalidInput(*issues)
    return report.model_copy(update={"activities": activities, "indicators": values})


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


# ------------------------------------------------------------------------------------------------ accounts


def units_of(session: Session, user_id: int | None) -> set[int]:
    """The ids of the units an account reports for."""
    if user_id is None:
        return set()
    return set(session.exec(select(AccountUnit.unit_id).where(AccountUnit.user_id == user_id)))


def unit_names_of(*, session: Session, user_id: int) -> list[str]:
    """The names of the units an account reports for (public: the plan names its units)."""
    return sorted(session.exec(select(Unit.name_th).join(AccountUnit, AccountUnit.unit_id == Unit.id)
                               .where(AccountUnit.user_id == user_id)))


def set_units(*, session: Session, actor: Actor, username: str, plan_id: int, unit_names: list[str]) -> list[str]:
    """Tie a `unit` account to the plan's units named (as the plan names them, or by another wording it uses);
    the account reports for these from now on. Audited; the administrator of its organisation only."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS, plan_id=plan_id)
    user = session.exec(select(AppUser).where(AppUser.username == username)).first()
    if user is None or user.organisation_id not in (None, org_of(session, plan_id=plan_id)):
        raise NotFound(Issue("user_not_found", {"username": username}))
    if user.role != Role.UNIT:
        raise InvalidInput(Issue("units_only_for_unit_role", {"username": username}))
    units = list(session.exec(select(Unit).where(Unit.plan_id == plan_id)))
    if not [n for n in unit_names if n.strip()]:
        raise InvalidInput(Issue("units_required", column="units"))
    chosen, unknown = [], []
    for name in unit_names:
        match = next((u for u in units if name.strip() in (u.name_th, *u.aliases)), None)
        (chosen.append(match) if match else unknown.append(name))
    if unknown or not chosen:
        raise InvalidInput(Issue("unit_unknown", {"value": ", ".join(unknown) or "—",
                                                  "units": ", ".join(u.name_th for u in units)}))
    before = sorted(u.name_th for u in units if u.id in units_of(session, user.id))
    session.exec(delete(AccountUnit).where(AccountUnit.user_id == user.id))
    for unit in {u.id: u for u in chosen}.values():
        session.add(AccountUnit(user_id=user.id, unit_id=unit.id))
    after = sorted({u.name_th for u in chosen})
    session.flush()
    audit.record(session, actor=actor.username, action="user.set_units", entity="user", entity_id=user.id,
                 before={"units": before}, after={"units": after})
    return after


# ------------------------------------------------------------------------------------------------ writing


def unit_may_write(session: Session, actor: Actor, rnd: EvaluationRound, item: PlanItem | None, *,
                   on_behalf: bool = False) -> None:
    """A unit account writes the reports of its own units' items that the round expects, while it is open; with
    `on_behalf` (a unit's filled workbook) the operator may write them for the unit."""
    authorize(session=session, actor=actor, plan_id=rnd.plan_id,
              permission=Permission.IMPORT_UNIT_SHEET if on_behalf else Permission.REPORT_UNIT)
    if item is None or item.plan_id != rnd.plan_id or not item.in_year(rnd.fiscal_year_be):
        raise InvalidInput(Issue("item_not_in_round", {"number": item.number if item else "—",
                                                      "year": rnd.fiscal_year_be}))
    if not on_behalf and item.unit_id not in units_of(session, actor.user_id):
        raise NotAllowed(Issue("report_not_your_unit", {"number": item.number, "unit": item.responsible_unit}))
    if rnd.status != RoundStatus.OPEN:
        raise NotAllowed(Issue("round_not_open", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}", "status": rnd.status}))


def get_report(*, session: Session, round_id: int, project_id: int) -> UnitReport | None:
    return session.exec(select(UnitReport).where(UnitReport.round_id == round_id,
                                                 UnitReport.project_id == project_id)).first()


def save_report(*, session: Session, actor: Actor, rnd: EvaluationRound, project_id: int, report_in: UnitReportIn,
                expected_version: int | None, on_behalf: bool = False) -> UnitReport:
    """Save the unit's draft report on one item; refused once submitted (until returned), or if someone saved it
    since `expected_version` was read (Conflict: nothing written)."""
    item = session.get(PlanItem, project_id)
    unit_may_write(session, actor, rnd, item, on_behalf=on_behalf)
    report = get_report(session=session, round_id=rnd.id, project_id=project_id)
    if report is not None and report.state == ReportState.SUBMITTED:
        raise NotAllowed(Issue("report_submitted", {"number": item.number}))
    current = report.version if report else None
    if current != expected_version:
        raise Conflict(Issue("report_conflict", {"number": item.number}))
    _check_indicators(session, item, report_in)
    now = datetime.now(UTC)
    fields = report_in.model_dump(include=set(FIELDS))
    before = _snapshot(session, report)
    if report is None:
        report = UnitReport(round_id=rnd.id, project_id=project_id, unit_id=item.unit_id, created_at=now,
                            updated_at=now, updated_by_id=actor.user_id, **fields)
        session.add(report)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(Issue("report_conflict", {"number": item.number})) from None
    else:
        done = session.execute(update(UnitReport).where(UnitReport.id == report.id, UnitReport.version == current)
                               .values(**fields, updated_at=now, updated_by_id=actor.user_id, version=current + 1))
        if done.rowcount != 1:
            raise Conflict(Issue("report_conflict", {"number": item.number}))
        session.refresh(report)
    _write_details(session, report, report_in)
    audit.record(session, actor=actor.username, action="unit_report.save", entity="unit_report", entity_id=report.id,
                 before=before, after=_snapshot(session, report))
    return report


def _check_indicators(session: Session, item: PlanItem, report_in: UnitReportIn) -> None:
    known = set(session.exec(select(Indicator.id).where(Indicator.project_id == item.id)))
    if unknown := [i for i in report_in.indicators if i not in known]:
        raise InvalidInput(Issue("indicator_invalid", {"value": unknown[0]}, column="indicators"))


def _write_details(session: Session, report: UnitReport, report_in: UnitReportIn) -> None:
    session.exec(delete(UnitReportActivity).where(UnitReportActivity.report_id == report.id))
    for seq, a in enumerate(report_in.activities):
        session.add(UnitReportActivity(report_id=report.id, seq=seq, **a.model_dump()))
    session.exec(delete(UnitReportIndicator).where(UnitReportIndicator.report_id == report.id))
    for indicator_id, value in report_in.indicators.items():
        session.add(UnitReportIndicator(report_id=report.id, indicator_id=indicator_id,
                                        actual_value=None if value is None else float(value)))
    session.flush()


def _snapshot(session: Session, report: UnitReport | None) -> dict | None:
    """A report for its audit row: its fields, activities and indicator values."""
    if report is None:
        return None
    activities = session.exec(select(UnitReportActivity).where(UnitReportActivity.report_id == report.id)
                              .order_by(UnitReportActivity.seq))
    indicators = session.exec(select(UnitReportIndicator).where(UnitReportIndicator.report_id == report.id)
                              .order_by(UnitReportIndicator.indicator_id))
    return audit.snapshot(report) | {
        "activities": [a.model_dump(mode="json", exclude={"id", "report_id"}) for a in activities],
        "indicators": {str(i.indicator_id): i.actual_value for i in indicators}}


def submit_reports(*, session: Session, actor: Actor, rnd: EvaluationRound, unit_ids: set[int] | None = None) -> int:
    """Submit every draft (or returned) report of the account's units in the round — or, given `unit_ids`, the
    operator for those units (a unit's imported workbook); each audited. How many."""
    authorize(session=session, actor=actor, plan_id=rnd.plan_id,
              permission=Permission.REPORT_UNIT if unit_ids is None else Permission.IMPORT_UNIT_SHEET)
    if rnd.status != RoundStatus.OPEN:
        raise NotAllowed(Issue("round_not_open", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}", "status": rnd.status}))
    units = units_of(session, actor.user_id) if unit_ids is None else unit_ids
    reports = session.exec(select(UnitReport).where(UnitReport.round_id == rnd.id, UnitReport.unit_id.in_(units),
                                                    UnitReport.state != ReportState.SUBMITTED)).all()
    now = datetime.now(UTC)
    for report in reports:
        before = audit.snapshot(report)
        report.state, report.submitted_at, report.updated_at = ReportState.SUBMITTED, now, now
        report.returned_reason_th, report.version = "", report.version + 1
        session.add(report)
        session.flush()
        audit.record(session, actor=actor.username, action="unit_report.submit", entity="unit_report",
                     entity_id=report.id, before=before, after=audit.snapshot(report))
    return len(reports)


def return_report(*, session: Session, actor: Actor, rnd: EvaluationRound, number: int, reason: str) -> UnitReport:
    """The secretary returns a submitted report to its unit with a reason (the unit may change and resubmit it)."""
    authorize(session=session, actor=actor, permission=Permission.RETURN_UNIT_REPORT, round_id=rnd.id)
    if not reason.strip():
        raise InvalidInput(Issue("return_reason_required", column="reason"))
    if rnd.status != RoundStatus.OPEN:
        raise NotAllowed(Issue("round_not_open", {"code": f"{rnd.fiscal_year_be}-{rnd.round_no}", "status": rnd.status}))
    item = session.exec(select(PlanItem).where(PlanItem.plan_id == rnd.plan_id, PlanItem.number == number)).first()
    report = get_report(session=session, round_id=rnd.id, project_id=item.id) if item else None
    if report is None or report.state != ReportState.SUBMITTED:
        raise InvalidInput(Issue("report_not_submitted", {"number": number}))
    before = audit.snapshot(report)
    report.state, report.returned_reason_th = ReportState.RETURNED, reason.strip()
    report.updated_at, report.version = datetime.now(UTC), report.version + 1
    session.add(report)
    session.flush()
    audit.record(session, actor=actor.username, action="unit_report.return", entity="unit_report", entity_id=report.id,
                 before=before, after=audit.snapshot(report), reason=reason.strip())
    return report


# ------------------------------------------------------------------------------------------------ reading

COLUMNS = ["number", "name_th", "unit", "report_id", "state", "status", "progress_pct", "spent_thb", "done_th",
           "problems_th", "suggestions_th", "returned_reason_th", "updated_at", "version"]


def open_rounds(*, session: Session, actor: Actor, plan_id: int) -> list[EvaluationRound]:
    """The plan's open rounds, in which a unit account reports (it reads no other unpublished round)."""
    authorize(session=session, actor=actor, permission=Permission.REPORT_UNIT, writes=False, plan_id=plan_id)
    return list(session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id,
                                                           EvaluationRound.status == RoundStatus.OPEN)
                             .order_by(EvaluationRound.fiscal_year_be, EvaluationRound.round_no)))


PROGRESS_COLUMNS = ["unit", "items", "submitted", "in_progress", "missing"]


def unit_progress(*, session: Session, actor: Actor, rnd: EvaluationRound) -> pd.DataFrame:
    """Per unit, for the secretary steering the round: the items the round expects of it, how many it has
    submitted, how many are drafts or returned, how many it has not started (no content is read)."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ROUNDS, writes=False, round_id=rnd.id)
    frame = items_frame(session, rnd, units=None, states=None)
    rows = []
    for unit, group in frame.groupby("unit", sort=True):
        states = group["state"]
        rows.append([unit, len(group), int((states == ReportState.SUBMITTED).sum()),
                     int(states.isin([ReportState.DRAFT, ReportState.RETURNED]).sum()), int(states.isna().sum())])
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def my_items(*, session: Session, actor: Actor, rnd: EvaluationRound) -> pd.DataFrame:
    """The items of the account's units that the round expects, each with its report so far (if any)."""
    authorize(session=session, actor=actor, permission=Permission.REPORT_UNIT, writes=False, plan_id=rnd.plan_id)
    return items_frame(session, rnd, units=units_of(session, actor.user_id), states=None)


def reports_frame(*, session: Session, actor: Actor, rnd: EvaluationRound) -> pd.DataFrame:
    """The round's submitted unit reports (one row per item that has one): for the organisation's internal roles
    while the round runs, for everyone once it is published; a unit account reads its own units' in any state."""
    if can(actor.role, Permission.REPORT_UNIT) and acts_in(session, actor, round_id=rnd.id):
        authorize(session=session, actor=actor, permission=Permission.REPORT_UNIT, writes=False, round_id=rnd.id)
        return items_frame(session, rnd, units=units_of(session, actor.user_id), states=None, reported_only=True)
    published = rnd.status == RoundStatus.PUBLISHED
    authorize(session=session, actor=actor, round_id=rnd.id,
              permission=Permission.READ_PUBLISHED if published else Permission.READ_UNPUBLISHED)
    return items_frame(session, rnd, units=None, states=(ReportState.SUBMITTED,), reported_only=True)


def items_frame(session: Session, rnd: EvaluationRound, *, units: set[int] | None, states: tuple | None,
                reported_only: bool = False) -> pd.DataFrame:
    """The round's items (of `units`, or all) with their report, if any, in `states` (None: any), COLUMNS; with
    `reported_only` only items that have one. No permission check: callers check who reads what."""
    stmt = (select(PlanItem.number, PlanItem.name_th, Unit.name_th, UnitReport)
            .join(Unit, Unit.id == PlanItem.unit_id)
            .outerjoin(UnitReport, (UnitReport.project_id == PlanItem.id) & (UnitReport.round_id == rnd.id))
            .where(PlanItem.plan_id == rnd.plan_id))
    stmt = stmt.where(UnitReport.id.is_not(None)) if reported_only else stmt.where(in_year_clause(rnd.fiscal_year_be))
    if units is not None:
        stmt = stmt.where(PlanItem.unit_id.in_(units))
    rows = []
    for number, name, unit, report in session.exec(stmt.order_by(PlanItem.number)):
        if report is not None and states is not None and report.state not in states:
            continue
        r = report
        rows.append([number, name, unit, r.id if r else None, r.state if r else None, r.status if r else None,
                     r.progress_pct if r else None, r.spent_thb if r else None, r.done_th if r else "",
                     r.problems_th if r else "", r.suggestions_th if r else "", r.returned_reason_th if r else "",
                     r.updated_at if r else None, r.version if r else None])
    return pd.DataFrame(rows, columns=COLUMNS)


def report_details(*, session: Session, actor: Actor, report_id: int) -> tuple[list[dict], dict[int, float | None]]:
    """A report's activities (in order) and its indicators' actual values by indicator id, read as `reports_frame`
    reads the report: its own unit in any state, others once it is submitted (and the round published, for the
    public)."""
    report = session.get(UnitReport, report_id)
    if report is None:
        raise NotFound(Issue("report_unknown", {"id": report_id}))
    rnd = session.get(EvaluationRound, report.round_id)
    mine = can(actor.role, Permission.REPORT_UNIT) and report.unit_id in units_of(session, actor.user_id)
    if not mine:
        if report.state != ReportState.SUBMITTED:
            raise NotAllowed(Issue("not_allowed", {"action": Permission.READ_UNPUBLISHED.value}))
        reports_frame(session=session, actor=actor, rnd=rnd)  # the same check as the report itself
    activities = session.exec(select(UnitReportActivity).where(UnitReportActivity.report_id == report_id)
                              .order_by(UnitReportActivity.seq))
    values = session.exec(select(UnitReportIndicator).where(UnitReportIndicator.report_id == report_id))
    return ([a.model_dump(exclude={"id", "report_id"}) for a in activities],
            {v.indicator_id: v.actual_value for v in values})


def take_unit_values(*, session: Session, actor: Actor, member: AppUser, rnd: EvaluationRound) -> int:
    """Pre-fill the member's drafts from the units' submitted reports: status, progress and spending, for every
    item the member has not entered yet (or only carried forward and not touched). The member may change any of
    them; how many were filled. Each is saved (and audited) as the member's own draft."""
    from acplan.monitoring import entries

    entries.member_may_write(session, actor, member, rnd)
    reports = session.exec(select(UnitReport).where(UnitReport.round_id == rnd.id,
                                                    UnitReport.state == ReportState.SUBMITTED)).all()
    filled = 0
    for report in reports:
        entry = entries.get_entry(session=session, round_id=rnd.id, project_id=report.project_id, member_id=member.id)
        if entry is not None and not (entry.carried_forward and entry.state == "draft"):
            continue
        values = {"status": report.status, "progress_pct": report.progress_pct, "spent_thb": report.spent_thb}
        if entry is not None:
            values = {"not_possible_reason": entry.not_possible_reason, "score": entry.score, **values}
        entries.save_entry(session=session, actor=actor, member=member, rnd=rnd, project_id=report.project_id,
                           entry_in=entries.parse_entry(values), expected_version=entry.version if entry else None)
        filled += 1
    return filled
