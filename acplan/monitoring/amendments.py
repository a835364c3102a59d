"""Amending a stored plan: a numbered amendment, previewed as its changes, applied whole, audited field by field.

The amended plan arrives whole (a workbook, a data file, or the editor's tables read as a workbook) and goes
through the import's own checks, then acplan.plan.amend settles and compares it with the plan as it stands.
Applying writes the changes in place, so every score, finding and indicator result keeps the item it was about;
the amendment keeps the plan as it stood before it, which is how the plan as first approved, or as of any
amendment, is shown and exported. An edit started on an older revision of the plan is refused (another
amendment came first) and the editor keeps what was typed.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from acplan import clock
from acplan import format as fmt
from acplan.access import Actor, Permission
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed, NotFound
from acplan.monitoring import audit, rollup
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import IndicatorResult
from acplan.plan import amend, datafile
from acplan.plan import models as m
from acplan.plan.dump import export_plan
from acplan.plan.load import add_item, sync_units
from acplan.xlsx import whole_number

MAX_REASON = 2000


@dataclass(frozen=True)
class AmendmentIn:
    """What names an amendment: its number (ครั้งที่), the date it was approved, the fiscal year it takes effect, why,
    and the decision that approved it (a council resolution, an order)."""

    number: int
    approved_on: date
    effective_fy_be: int
    reason_th: str
    reference_th: str = ""


def next_number(*, session: Session, plan_id: int) -> int:
    last = session.exec(select(func.max(m.PlanAmendment.number)).where(m.PlanAmendment.plan_id == plan_id)).one()
    return (last or 0) + 1


def parse_amendment(*, session: Session, plan_id: int, values: dict) -> AmendmentIn:
    """An amendment's fields as a person typed them (number, approved_on as a Buddhist Era date, effective_fy —
    empty: the fiscal year of the date — reason, reference); InvalidInput naming every field to fix."""
    plan = session.get(m.Plan, plan_id)
    issues = []
    number = whole_number(values.get("number"))
    if number is None or number < 1:
        issues.append(Issue("amend_number_invalid", {"value": values.get("number")}, column="amend_number"))
    elif session.exec(select(m.PlanAmendment.id).where(m.PlanAmendment.plan_id == plan_id,
                                                       m.PlanAmendment.number == number)).first():
        issues.append(Issue("amend_number_used", {"number": number, "next": next_number(session=session, plan_id=plan_id)},
                            column="amend_number"))
    approved = None
    try:
        approved = fmt.parse_be_date(str(values.get("approved_on") or ""))
        if approved is None:
            issues.append(Issue("amend_date_required", column="approved_on"))
        elif approved > clock.today():
            issues.append(Issue("amend_date_future", {"value": values.get("approved_on")}, column="approved_on"))
    except fmt.DateNotRead as exc:
        issues.append(Issue(exc.reason, {"value": values.get("approved_on")}, column="approved_on"))
    effective = whole_number(values.get("effective_fy")) if str(values.get("effective_fy") or "").strip() else (
        fmt.fiscal_year_of(approved) if approved else None)
    if effective is None and str(values.get("effective_fy") or "").strip():
        issues.append(Issue("amend_fy_invalid", {"value": values.get("effective_fy"), "first": plan.start_fy_be,
                                                 "last": plan.end_fy_be}, column="effective_fy"))
    elif effective is not None and not plan.start_fy_be <= effective <= plan.end_fy_be:
        issues.append(Issue("amend_fy_invalid", {"value": effective, "first": plan.start_fy_be, "last": plan.end_fy_be},
                            column="effective_fy"))
    reason = str(values.get("reason_th") or "").strip()
    if not reason:
        issues.append(Issue("amend_reason_required", column="amend_reason"))
    elif len(reason) > MAX_REASON:
        issues.append(Issue("text_too_long", {"max": MAX_REASON}, column="amend_reason"))
    reference = str(values.get("reference_th") or "").strip()
    if len(reference) > MAX_REASON:
        issues.append(Issue("text_too_long", {"max": MAX_REASON}, column="amend_reference"))
    if issues:
        raise InvalidInput(*issues)
    return AmendmentIn(number, approved, effective, reason, reference)


@dataclass(frozen=True)
class Preview:
    """What applying the proposed plan would change, read at `revision` of the plan."""

    revision: int
    changes: list[amend.Change]
    amended: dict


def current_data(session: Session, plan_id: int) -> dict:
    """The stored plan as plan data without its organisation (the shape a workbook reads into)."""
    data = export_plan(session=session, plan_id=plan_id)
    data.pop("organisation")
    return data


def preview(*, session: Session, actor: Actor, plan_id: int, proposed: dict, effective_fy: int) -> Preview:
    """The changes the proposed plan makes to the stored one, with every rule of an import; writes nothing.

    InvalidInput lists every problem: a part an amendment may not change, a broken reference, a budget outside an
    item's years, an indicator with recorded results that the proposal drops, or no change at all."""
    authorize(session=session, actor=actor, permission=Permission.EDIT_PLAN, writes=False, plan_id=plan_id)
    plan = session.get(m.Plan, plan_id)
    current = current_data(session, plan_id)
    proposed = {k: v for k, v in proposed.items() if k != "organisation"}
    issues = amend.out_of_scope(current, proposed)
    if issues:
        raise InvalidInput(*issues)
    amended = amend.settle(current, proposed, effective_fy)
    org = export_plan(session=session, plan_id=plan_id)["organisation"]
    report = datafile.validate({**amended, "organisation": org}, amended=True)
    issues = report.problems + _dropped_indicators(session, plan_id, current, amended)
    if issues:
        raise InvalidInput(*issues)
    changes = amend.diff(current, amended)
    if not changes:
        raise InvalidInput(Issue("amend_nothing"))
    return Preview(plan.revision, changes, amended)


def _dropped_indicators(session: Session, plan_id: int, current: dict, amended: dict) -> list[Issue]:
    """An indicator members have recorded results against cannot be dropped (its results would lose their
    question); rewording it keeps them."""
    kept = {p["number"]: len(p["indicators"]) for p in amended["projects"]}
    out = []
    for p in current["projects"]:
        for seq in range(kept.get(p["number"], 0), len(p["indicators"])):
            used = session.exec(select(func.count()).select_from(IndicatorResult)
                                .join(m.Indicator, m.Indicator.id == IndicatorResult.indicator_id)
                                .join(m.PlanItem, m.PlanItem.id == m.Indicator.project_id)
                                .where(m.PlanItem.plan_id == plan_id, m.PlanItem.number == p["number"],
                                       m.Indicator.seq == seq)).one()
            if used:
                out.append(Issue("amend_indicator_has_results", {"number": p["number"], "position": seq + 1, "n": used}))
    return out


def apply(*, session: Session, actor: Actor, plan_id: int, proposed: dict, amendment: AmendmentIn,
          base_revision: int) -> m.PlanAmendment:
    """Apply the proposed plan as amendment `amendment`, all or nothing, in the caller's transaction.

    `base_revision` is the plan's revision the edit started from: if another amendment was applied since, Conflict
    (nothing written; the caller keeps the proposal). The audit row lists every change field by field."""
    authorize(session=session, actor=actor, permission=Permission.EDIT_PLAN, plan_id=plan_id)
    plan = session.get(m.Plan, plan_id)
    if plan.revision != base_revision:
        raise Conflict(_changed(session, plan))
    pv = preview(session=session, actor=actor, plan_id=plan_id, proposed=proposed,
                 effective_fy=amendment.effective_fy_be)
    before = current_data(session, plan_id)
    _write(session, plan, before, pv.amended)
    moved = session.execute(update(m.Plan).where(m.Plan.id == plan_id, m.Plan.revision == base_revision)
                            .values(revision=base_revision + 1))
    if moved.rowcount != 1:
        raise Conflict(_changed(session, plan))
    session.refresh(plan)
    changes = [c.as_dict() for c in pv.changes]
    row = m.PlanAmendment(plan_id=plan_id, number=amendment.number, approved_on=amendment.approved_on,
                          effective_fy_be=amendment.effective_fy_be, reason_th=amendment.reason_th,
                          reference_th=amendment.reference_th, applied_at=datetime.now(UTC), changes=changes,
                          before_data=before)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.username, action="plan_amend", entity="plan", entity_id=plan_id,
                 before={"revision": base_revision},
                 after={"revision": base_revision + 1, "amendment": amendment.number,
                        "approved_on": amendment.approved_on.isoformat(), "effective_fy_be": amendment.effective_fy_be,
                        "reference_th": amendment.reference_th, "changes": changes},
                 reason=amendment.reason_th)
    rollup.refresh(session, plan_id=plan_id)  # a published round's listed items and budget may have changed
    return row


def _changed(session: Session, plan: m.Plan) -> Issue:
    last = session.exec(select(m.PlanAmendment).where(m.PlanAmendment.plan_id == plan.id)
                        .order_by(m.PlanAmendment.number.desc())).first()
    return Issue("plan_changed", {"number": last.number if last else "—"})


def _write(session: Session, plan: m.Plan, current: dict, amended: dict) -> None:
    """Bring the stored plan to `amended` in place: items keep their ids (and so their scores), indicators keep
    theirs by position, and only what the amendment touches is rewritten."""
    missions = {r.code: r for r in session.exec(select(m.Mission).where(m.Mission.plan_id == plan.id))}
    subs = {r.code: r for r in session.exec(select(m.SubItem).where(m.SubItem.plan_id == plan.id))}
    rows = {r.number: r for r in session.exec(select(m.PlanItem).where(m.PlanItem.plan_id == plan.id))}
    old = {p["number"]: p for p in current["projects"]}
    for p in amended["projects"]:
        row = rows.get(p["number"])
        if row is None:
            rows[p["number"]] = add_item(session, plan, {**p, "source_notes": []}, missions, subs)
        elif p != old[p["number"]]:
            _update_item(session, row, p, missions, subs)
    _write_links(session, plan, current, amended, rows)
    _write_targets(session, plan, amended)
    sync_units(session, plan.id, amended)
    session.flush()


def _update_item(session: Session, row: m.PlanItem, p: dict, missions: dict, subs: dict) -> None:
    mission = missions[p["mission"]]
    row.kind, row.name_th, row.name_summary_th = p["kind"], p["name_th"], p.get("name_summary_th")
    row.dimension_id, row.mission_id = mission.dimension_id, mission.id
    row.rationale_th, row.objectives_th, row.method_th = p["rationale_th"], p["objectives_th"], p["method_th"]
    row.target_group_th, row.target_head_count = p["target_group"]["text_th"], p["target_group"]["head_count"]
    row.duration_th, row.budget_text_th = p["duration_th"], p["budget_text_th"]
    row.responsible_unit, row.note_th = p["responsible_unit"], p.get("note_th", "")
    row.from_fy_be, row.until_fy_be = p.get("from_fy_be"), p.get("until_fy_be")
    session.add(row)
    session.exec(delete(m.ProjectSubItem).where(m.ProjectSubItem.project_id == row.id))
    for seq, code in enumerate(p["sub_items"]):
        session.add(m.ProjectSubItem(project_id=row.id, sub_item_id=subs[code].id, seq=seq))
    lines = {b.fiscal_year_be: b for b in session.exec(select(m.BudgetLine).where(m.BudgetLine.project_id == row.id))}
    for y, amount in p["budget_thb"].items():
        line = lines.pop(int(y), None) or m.BudgetLine(project_id=row.id, fiscal_year_be=int(y), amount_thb=amount)
        line.amount_thb = amount
        session.add(line)
    for line in lines.values():
        session.delete(line)
    _write_indicators(session, row, p["indicators"])


def _write_indicators(session: Session, row: m.PlanItem, indicators: list[dict]) -> None:
    stored = list(session.exec(select(m.Indicator).where(m.Indicator.project_id == row.id).order_by(m.Indicator.seq)))
    for seq, ind in enumerate(indicators):
        target = stored[seq] if seq < len(stored) else m.Indicator(project_id=row.id, seq=seq, kind=ind["kind"],
                                                                      text_th=ind["text_th"])
        target.kind, target.text_th, target.measured_by_th = ind["kind"], ind["text_th"], ind.get("measured_by_th")
        session.add(target)
        session.flush()
        session.exec(delete(m.IndicatorTarget).where(m.IndicatorTarget.indicator_id == target.id))
        for tseq, tg in enumerate(ind.get("targets", [])):
            session.add(m.IndicatorTarget(indicator_id=target.id, seq=tseq, **tg))
    for extra in stored[len(indicators):]:  # preview refused dropping any with results
        session.exec(delete(m.IndicatorTarget).where(m.IndicatorTarget.indicator_id == extra.id))
        session.delete(extra)


def _write_links(session: Session, plan: m.Plan, current: dict, amended: dict, rows: dict) -> None:
    old = {(a["number"], ms["number"]): ms["implemented_by"] for a in current["risks"] for ms in a["measures"]}
    measures = {(a, ms): row for row, ms, a in session.exec(
        select(m.ControlMeasure, m.ControlMeasure.number, m.RiskArea.number)
        .join(m.RiskArea, m.RiskArea.id == m.ControlMeasure.risk_area_id).where(m.RiskArea.plan_id == plan.id))}
    for a in amended["risks"]:
        for ms in a["measures"]:
            key = (a["number"], ms["number"])
            if ms["implemented_by"] == old.get(key):
                continue
            measure = measures[key]
            session.exec(delete(m.ControlMeasureProject).where(m.ControlMeasureProject.control_measure_id == measure.id))
            for link in ms["implemented_by"]:
                session.add(m.ControlMeasureProject(control_measure_id=measure.id, project_id=rows[link["project"]].id,
                                                    match=link["match"]))


def _write_targets(session: Session, plan: m.Plan, amended: dict) -> None:
    stored = {t.fiscal_year_be: t for t in session.exec(select(m.YearlyTarget).where(m.YearlyTarget.plan_id == plan.id))}
    for tg in amended["targets"]:
        row = stored.pop(tg["fiscal_year_be"], None) or m.YearlyTarget(plan_id=plan.id, **tg)
        for k, v in tg.items():
            setattr(row, k, v)
        session.add(row)
    for row in stored.values():
        session.delete(row)


# ------------------------------------------------------------------------------------------------ reading


def list_amendments(*, session: Session, plan_id: int) -> list[m.PlanAmendment]:
    """The plan's amendments, oldest first (public: an amendment is a council's published decision)."""
    return list(session.exec(select(m.PlanAmendment).where(m.PlanAmendment.plan_id == plan_id)
                             .order_by(m.PlanAmendment.number)))


def plan_as_of(*, session: Session, plan_id: int, number: int | None) -> dict:
    """The plan (export_plan's shape) as it stood after amendment `number`: 0 as first approved, None as it stands."""
    current = export_plan(session=session, plan_id=plan_id)
    if number is None:
        return current
    amendments = list_amendments(session=session, plan_id=plan_id)
    if number and number not in {a.number for a in amendments}:
        raise NotFound(Issue("amend_unknown", {"number": number,
                                               "known": ", ".join(str(a.number) for a in amendments) or "—"}))
    later = [a for a in amendments if a.number > number]
    if not later:
        return current
    before = later[0].before_data
    return {k: current[k] if k == "organisation" else before[k] for k in current if k in before or k == "organisation"}


@dataclass(frozen=True)
class AmendmentInfo:
    """An amendment as a page shows it: what names it and its changes (all, or one item's)."""

    number: int
    approved_on: date
    effective_fy_be: int
    reason_th: str
    reference_th: str
    changes: list[dict]


def infos(*, session: Session, plan_id: int) -> list[AmendmentInfo]:
    return [AmendmentInfo(a.number, a.approved_on, a.effective_fy_be, a.reason_th, a.reference_th, a.changes)
            for a in list_amendments(session=session, plan_id=plan_id)]


def item_history(*, session: Session, plan_id: int, number: int) -> list[AmendmentInfo]:
    """The amendments that changed item `number`, oldest first, with what each changed."""
    out = []
    for a in list_amendments(session=session, plan_id=plan_id):
        mine = [c for c in a.changes if c["subject"] == "item" and c["key"] == str(number)]
        if mine:
            out.append(AmendmentInfo(a.number, a.approved_on, a.effective_fy_be, a.reason_th, a.reference_th, mine))
    return out


def refuse_if_amended(session: Session, plan_id: int) -> None:
    """A plan that has amendments is not replaced by an import: its history would be lost."""
    if session.exec(select(m.PlanAmendment.id).where(m.PlanAmendment.plan_id == plan_id)).first():
        raise NotAllowed(Issue("plan_amended_no_replace"))
