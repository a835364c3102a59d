"""Read queries for the app: one plan's data as tidy DataFrames (no Streamlit here)."""

from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from acplan.plan import models as m


@dataclass(frozen=True)
class PlanInfo:
    id: int
    code: str
    title_th: str
    title_en: str
    org_code: str
    org_name_th: str
    org_name_en: str
    start_fy_be: int
    end_fy_be: int
    executive_title_th: str = ""


def get_plan(*, session: Session, plan_code: str | None = None, plan_id: int | None = None,
             org_code: str | None = None) -> PlanInfo | None:
    """The plan with `plan_id` or `plan_code`, or organisation `org_code`'s newest; the first plan loaded when
    none is given."""
    stmt = select(m.Plan, m.Organisation).join(m.Organisation, m.Organisation.id == m.Plan.organisation_id)
    if org_code:
        stmt = stmt.where(m.Organisation.code == org_code).order_by(m.Plan.id.desc())
    if plan_code:
        stmt = stmt.where(m.Plan.code == plan_code)
    if plan_id is not None:
        stmt = stmt.where(m.Plan.id == plan_id)
    row = session.exec(stmt.order_by(m.Plan.id)).first()
    if row is None:
        return None
    plan, org = row
    return PlanInfo(plan.id, plan.code, plan.title_th, plan.title_en, org.code, org.name_th, org.name_en,
                    plan.start_fy_be, plan.end_fy_be, org.executive_title_th)


def list_dimensions(*, session: Session, plan_id: int) -> pd.DataFrame:
    """One row per dimension: number, name_th."""
    rows = session.exec(select(m.Dimension.number, m.Dimension.name_th)
                        .where(m.Dimension.plan_id == plan_id).order_by(m.Dimension.number)).all()
    return pd.DataFrame(rows, columns=["dimension", "dimension_name_th"])


def list_missions(*, session: Session, plan_id: int) -> pd.DataFrame:
    """One row per mission: code, name_th and its dimension number."""
    rows = session.exec(select(m.Mission.code, m.Mission.name_th, m.Dimension.number)
                        .join(m.Dimension, m.Dimension.id == m.Mission.dimension_id)
                        .where(m.Mission.plan_id == plan_id).order_by(m.Mission.code)).all()
    return pd.DataFrame(rows, columns=["mission", "mission_name_th", "dimension"])


PROJECT_COLUMNS = ["number", "kind", "name_th", "dimension", "mission", "responsible_unit", "unit"]


def list_projects(*, session: Session, plan_id: int) -> pd.DataFrame:
    """One row per plan item: number, kind, name_th, dimension, mission, responsible_unit (the document's
    wording) and unit (the one unit it means: what filters and budget totals use)."""
    rows = session.exec(
        select(m.PlanItem.number, m.PlanItem.kind, m.PlanItem.name_th, m.Dimension.number, m.Mission.code,
               m.PlanItem.responsible_unit, func.coalesce(m.Unit.name_th, m.PlanItem.responsible_unit))
        .join(m.Dimension, m.Dimension.id == m.PlanItem.dimension_id)
        .join(m.Mission, m.Mission.id == m.PlanItem.mission_id)
        .outerjoin(m.Unit, m.Unit.id == m.PlanItem.unit_id)
        .where(m.PlanItem.plan_id == plan_id).order_by(m.PlanItem.number)).all()
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS)


def list_budget_lines(*, session: Session, plan_id: int) -> pd.DataFrame:
    """Planned budget, one row per item and fiscal year: number, fiscal_year_be, amount_thb."""
    rows = session.exec(
        select(m.PlanItem.number, m.BudgetLine.fiscal_year_be, m.BudgetLine.amount_thb)
        .join(m.PlanItem, m.PlanItem.id == m.BudgetLine.project_id)
        .where(m.PlanItem.plan_id == plan_id).order_by(m.PlanItem.number, m.BudgetLine.fiscal_year_be)).all()
    return pd.DataFrame(rows, columns=["number", "fiscal_year_be", "amount_thb"])


def list_search_text(*, session: Session, plan_id: int) -> pd.DataFrame:
    """Per item, the text free-text search looks in: name, objectives, method, target group, unit."""
    rows = session.exec(select(m.PlanItem.number, m.PlanItem.name_th, m.PlanItem.objectives_th, m.PlanItem.method_th,
                               m.PlanItem.target_group_th, m.PlanItem.responsible_unit)
                        .where(m.PlanItem.plan_id == plan_id).order_by(m.PlanItem.number)).all()
    return pd.DataFrame([(n, " ".join([name, *objs, *steps, target, unit])) for n, name, objs, steps, target, unit in rows],
                        columns=["number", "search_text"])


@dataclass(frozen=True)
class ProjectDetail:
    number: int
    kind: str | None
    name_th: str
    name_summary_th: str | None
    dimension: int
    dimension_name_th: str
    mission: str
    mission_name_th: str
    sub_items: list[tuple[str, str]]
    rationale_th: list[str]
    objectives_th: list[str]
    target_group_th: str
    target_head_count: int | None
    method_th: list[str]
    duration_th: str
    budget_text_th: str
    budget: dict[int, int]
    responsible_unit: str  # as the document words it
    indicators: list[dict]
    risk_links: list[dict]
    source_notes: list[dict]
    unit: str = ""  # the one unit it means (filters, budget totals)
    unit_note: str = ""  # why other wordings are that unit
    from_fy_be: int | None = None  # in the plan from this fiscal year (an amendment added it)
    until_fy_be: int | None = None  # in the plan until this fiscal year (an amendment dropped it)


def get_project(*, session: Session, plan_id: int, number: int) -> ProjectDetail | None:
    """Everything the plan says about item `number`, or None if the plan has no such item."""
    p = session.exec(select(m.PlanItem).where(m.PlanItem.plan_id == plan_id, m.PlanItem.number == number)).first()
    if p is None:
        return None
    dim = session.get(m.Dimension, p.dimension_id)
    mission = session.get(m.Mission, p.mission_id)
    subs = session.exec(select(m.SubItem.code, m.SubItem.name_th)
                        .join(m.ProjectSubItem, m.ProjectSubItem.sub_item_id == m.SubItem.id)
                        .where(m.ProjectSubItem.project_id == p.id).order_by(m.ProjectSubItem.seq)).all()
    budget = session.exec(select(m.BudgetLine.fiscal_year_be, m.BudgetLine.amount_thb)
                          .where(m.BudgetLine.project_id == p.id).order_by(m.BudgetLine.fiscal_year_be)).all()
    return ProjectDetail(
        p.number, p.kind, p.name_th, p.name_summary_th, dim.number, dim.name_th, mission.code, mission.name_th,
        [tuple(s) for s in subs], p.rationale_th, p.objectives_th, p.target_group_th, p.target_head_count,
        p.method_th, p.duration_th, p.budget_text_th, dict(budget), p.responsible_unit,
        list_indicators(session=session, project_id=p.id), _risk_links(session, p.id), list_notes(session=session, plan_id=plan_id,
                                                                           subject_type="project", key=str(number)),
        unit.name_th if (unit := session.get(m.Unit, p.unit_id) if p.unit_id else None) else p.responsible_unit,
        unit.note_th if unit else "", p.from_fy_be, p.until_fy_be)


def list_indicators(*, session: Session, project_id: int) -> list[dict]:
    """An item's indicators in document order: id, kind, text_th, measured_by_th and their targets."""
    out = []
    for ind in session.exec(select(m.Indicator).where(m.Indicator.project_id == project_id).order_by(m.Indicator.seq)):
        targets = session.exec(select(m.IndicatorTarget).where(m.IndicatorTarget.indicator_id == ind.id)
                               .order_by(m.IndicatorTarget.seq)).all()
        out.append({"id": ind.id, "kind": ind.kind, "text_th": ind.text_th, "measured_by_th": ind.measured_by_th,
                    "targets": [t.model_dump(exclude={"id", "indicator_id"}) for t in targets]})
    return out


def _risk_links(session: Session, project_id: int) -> list[dict]:
    rows = session.exec(
        select(m.RiskArea.number, m.RiskArea.process_th, m.ControlMeasure.number, m.ControlMeasure.text_th,
               m.ControlMeasureProject.match)
        .join(m.ControlMeasure, m.ControlMeasure.id == m.ControlMeasureProject.control_measure_id)
        .join(m.RiskArea, m.RiskArea.id == m.ControlMeasure.risk_area_id)
        .where(m.ControlMeasureProject.project_id == project_id).order_by(m.RiskArea.number, m.ControlMeasure.number))
    return [{"area": a, "process_th": pr, "measure": mn, "measure_th": mt, "match": mt2} for a, pr, mn, mt, mt2 in rows]


def list_notes(*, session: Session, plan_id: int, subject_type: str, key: str) -> list[dict]:
    rows = session.exec(select(m.SourceNote).where(m.SourceNote.plan_id == plan_id, m.SourceNote.subject_type == subject_type,
                                                   m.SourceNote.subject_key == key).order_by(m.SourceNote.seq))
    return [{"topic": n.topic, "text_th": n.text_th, "readings": n.readings, "kept_th": n.kept_th} for n in rows]


def list_risk_register(*, session: Session, plan_id: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The fraud-risk register as three frames: areas, issues, and measures with their item links."""
    areas = pd.DataFrame(session.exec(select(m.RiskArea.number, m.RiskArea.process_th, m.RiskArea.level_text_th)
                                      .where(m.RiskArea.plan_id == plan_id).order_by(m.RiskArea.number)).all(),
                         columns=["area", "process_th", "level_text_th"])
    issues = pd.DataFrame(session.exec(
        select(m.RiskArea.number, m.RiskIssue.number, m.RiskIssue.text_th, m.RiskIssue.level)
        .join(m.RiskArea, m.RiskArea.id == m.RiskIssue.risk_area_id)
        .where(m.RiskArea.plan_id == plan_id).order_by(m.RiskArea.number, m.RiskIssue.number)).all(),
        columns=["area", "issue", "text_th", "level"])
    measures = pd.DataFrame(session.exec(
        select(m.RiskArea.number, m.ControlMeasure.number, m.ControlMeasure.text_th, m.PlanItem.number,
               m.ControlMeasureProject.match)
        .join(m.RiskArea, m.RiskArea.id == m.ControlMeasure.risk_area_id)
        .outerjoin(m.ControlMeasureProject, m.ControlMeasureProject.control_measure_id == m.ControlMeasure.id)
        .outerjoin(m.PlanItem, m.PlanItem.id == m.ControlMeasureProject.project_id)
        .where(m.RiskArea.plan_id == plan_id).order_by(m.RiskArea.number, m.ControlMeasure.number)).all(),
        columns=["area", "measure", "text_th", "project", "match"])
    return areas, issues, measures


class ItemRef(NamedTuple):
    """An item's number (ลำดับที่), name and store id: the one lookup between what people see and what rows hold."""

    number: int
    name_th: str
    id: int


def list_item_refs(*, session: Session, plan_id: int, fiscal_year: int | None = None) -> list[ItemRef]:
    """Every item of the plan by number; given `fiscal_year`, those in the plan that year (what a round of that
    year expects: an item an amendment added later, or dropped before, is not)."""
    stmt = select(m.PlanItem.number, m.PlanItem.name_th, m.PlanItem.id).where(m.PlanItem.plan_id == plan_id)
    if fiscal_year is not None:
        stmt = stmt.where(in_year_clause(fiscal_year))
    return [ItemRef(*r) for r in session.exec(stmt.order_by(m.PlanItem.number))]


def in_year_clause(fiscal_year: int):
    """SQL for PlanItem.in_year(fiscal_year)."""
    return and_(or_(m.PlanItem.from_fy_be.is_(None), m.PlanItem.from_fy_be <= fiscal_year),
                or_(m.PlanItem.until_fy_be.is_(None), m.PlanItem.until_fy_be >= fiscal_year))


def get_item_id(*, session: Session, plan_id: int, number: int | None) -> int | None:
    """The store id of item `number` of the plan (None for None or an unknown number)."""
    if number is None:
        return None
    return session.exec(select(m.PlanItem.id).where(m.PlanItem.plan_id == plan_id, m.PlanItem.number == number)).first()


def get_risk_area_id(*, session: Session, plan_id: int, number: int | None) -> int | None:
    if number is None:
        return None
    return session.exec(select(m.RiskArea.id).where(m.RiskArea.plan_id == plan_id, m.RiskArea.number == number)).first()
