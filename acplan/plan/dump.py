"""The loaded plan as plain data, in the same shape as the data file (schema in data/README.md)."""

from collections import defaultdict

from sqlmodel import Session, select

from acplan.plan import models as m

SCHEMA_VERSION = 1
OPTIONAL_ORG_FIELDS = ("province_th", "district_th")  # written only when known, as the shipped data file has neither


def export_plan(*, session: Session, plan_id: int) -> dict:
    """Everything the store holds about one plan, keyed and ordered as in the data file."""
    plan = session.get(m.Plan, plan_id)
    org = session.get(m.Organisation, plan.organisation_id)
    notes = _notes(session, plan_id)
    dims = session.exec(select(m.Dimension).where(m.Dimension.plan_id == plan_id).order_by(m.Dimension.number)).all()
    projects = session.exec(select(m.PlanItem).where(m.PlanItem.plan_id == plan_id).order_by(m.PlanItem.number)).all()
    numbers = {p.id: p.number for p in projects}
    return {
        "schema_version": SCHEMA_VERSION,
        "source": plan.source,
        "organisation": {k: v for k, v in org.model_dump(exclude={"id"}).items()
                         if v or k not in OPTIONAL_ORG_FIELDS},
        "plan": _plan(plan, notes),
        "dimensions": [_dimension(session, d, notes) for d in dims],
        "projects": [_project(session, p, notes) for p in projects],
        "risks": _risks(session, plan_id, numbers, notes),
        "targets": [t.model_dump(exclude={"id", "plan_id"}) for t in session.exec(
            select(m.YearlyTarget).where(m.YearlyTarget.plan_id == plan_id).order_by(m.YearlyTarget.fiscal_year_be))],
        "committees": _committees(session, plan_id, numbers, notes),
        **({"units": units} if (units := _units(session, plan_id)) else {}),
    }


def _units(session: Session, plan_id: int) -> list[dict]:
    """The units the data file lists: those with other wordings or a note (the rest are just their name)."""
    rows = session.exec(select(m.Unit).where(m.Unit.plan_id == plan_id).order_by(m.Unit.id)).all()
    return [{"name_th": u.name_th, "aliases": u.aliases, "note_th": u.note_th} for u in rows if u.aliases or u.note_th]


def _notes(session: Session, plan_id: int) -> dict:
    grouped: dict = defaultdict(list)
    rows = session.exec(select(m.SourceNote).where(m.SourceNote.plan_id == plan_id).order_by(m.SourceNote.seq))
    for n in rows:
        grouped[(n.subject_type, n.subject_key)].append(
            {"topic": n.topic, "text_th": n.text_th, "readings": n.readings, "kept_th": n.kept_th})
    return grouped


def _plan(plan: m.Plan, notes: dict) -> dict:
    out = plan.model_dump(exclude={"id", "organisation_id", "source", "data_sha256", "loaded_at", "revision"})
    out["preface_date"] = plan.preface_date.isoformat() if plan.preface_date else None
    out["source_notes"] = notes[("plan", plan.code)]
    return out


def _dimension(session: Session, d: m.Dimension, notes: dict) -> dict:
    missions = session.exec(select(m.Mission).where(m.Mission.dimension_id == d.id).order_by(m.Mission.code)).all()
    return {
        "number": d.number, "name_th": d.name_th,
        "missions": [{
            "code": ms.code, "name_th": ms.name_th,
            "sub_items": [{"code": s.code, "name_th": s.name_th} for s in session.exec(
                select(m.SubItem).where(m.SubItem.mission_id == ms.id).order_by(m.SubItem.code))],
            "source_notes": notes[("mission", ms.code)],
        } for ms in missions],
        "source_notes": notes[("dimension", str(d.number))],
        "summary_item_count": d.summary_item_count,
        "summary_budget_thb": d.summary_budget_thb,
    }


def _project(session: Session, p: m.PlanItem, notes: dict) -> dict:
    dim = session.get(m.Dimension, p.dimension_id)
    mission = session.get(m.Mission, p.mission_id)
    subs = session.exec(select(m.SubItem.code).join(m.ProjectSubItem, m.ProjectSubItem.sub_item_id == m.SubItem.id)
                        .where(m.ProjectSubItem.project_id == p.id).order_by(m.ProjectSubItem.seq)).all()
    budget = session.exec(select(m.BudgetLine).where(m.BudgetLine.project_id == p.id).order_by(m.BudgetLine.fiscal_year_be))
    out = {
        "number": p.number, "kind": p.kind, "name_th": p.name_th, "dimension": dim.number, "mission": mission.code,
        "sub_items": list(subs), "rationale_th": p.rationale_th, "objectives_th": p.objectives_th,
        "target_group": {"text_th": p.target_group_th, "head_count": p.target_head_count},
        "method_th": p.method_th, "duration_th": p.duration_th, "budget_text_th": p.budget_text_th,
        "budget_thb": {str(b.fiscal_year_be): b.amount_thb for b in budget},
        "responsible_unit": p.responsible_unit, "indicators": _indicators(session, p.id),
        "source_notes": notes[("project", str(p.number))],
    }
    if p.name_summary_th is not None:
        out["name_summary_th"] = p.name_summary_th
    if p.note_th:
        out["note_th"] = p.note_th
    if p.from_fy_be is not None:
        out["from_fy_be"] = p.from_fy_be
    if p.until_fy_be is not None:
        out["until_fy_be"] = p.until_fy_be
    return out


def _indicators(session: Session, project_id: int) -> list[dict]:
    out = []
    for ind in session.exec(select(m.Indicator).where(m.Indicator.project_id == project_id).order_by(m.Indicator.seq)):
        targets = session.exec(select(m.IndicatorTarget).where(m.IndicatorTarget.indicator_id == ind.id)
                               .order_by(m.IndicatorTarget.seq))
        out.append({"kind": ind.kind, "text_th": ind.text_th, "measured_by_th": ind.measured_by_th,
                    "targets": [t.model_dump(exclude={"id", "indicator_id", "seq"}) for t in targets]})
    return out


def _risks(session: Session, plan_id: int, numbers: dict, notes: dict) -> list[dict]:
    out = []
    for a in session.exec(select(m.RiskArea).where(m.RiskArea.plan_id == plan_id).order_by(m.RiskArea.number)):
        issues = session.exec(select(m.RiskIssue).where(m.RiskIssue.risk_area_id == a.id).order_by(m.RiskIssue.number))
        measures = session.exec(select(m.ControlMeasure).where(m.ControlMeasure.risk_area_id == a.id)
                                .order_by(m.ControlMeasure.number)).all()
        out.append({
            "number": a.number, "process_th": a.process_th, "level_text_th": a.level_text_th,
            "issues": [{"number": i.number, "text_th": i.text_th, "level": i.level} for i in issues],
            "measures": [{"number": cm.number, "text_th": cm.text_th,
                          "implemented_by": _links(session, cm.id, numbers)} for cm in measures],
            "source_notes": notes[("risk_area", str(a.number))],
        })
    return out


def _links(session: Session, measure_id: int, numbers: dict) -> list[dict]:
    links = session.exec(select(m.ControlMeasureProject).where(m.ControlMeasureProject.control_measure_id == measure_id))
    return sorted(({"project": numbers[lk.project_id], "match": lk.match} for lk in links), key=lambda x: x["project"])


def _committees(session: Session, plan_id: int, numbers: dict, notes: dict) -> list[dict]:
    out = []
    for c in session.exec(select(m.Committee).where(m.Committee.plan_id == plan_id).order_by(m.Committee.id)):
        members = session.exec(select(m.CommitteeMember).where(m.CommitteeMember.committee_id == c.id)
                               .order_by(m.CommitteeMember.seq))
        out.append({
            "code": c.code, "name_th": c.name_th, "source_th": c.source_th,
            "project": numbers.get(c.project_id), "order_no": c.order_no,
            "order_date": c.order_date.isoformat() if c.order_date else None,
            "members": [mem.model_dump(exclude={"id", "committee_id"}) for mem in members],
            "duties_th": c.duties_th, "source_notes": notes[("committee", c.code)],
        })
    return out
