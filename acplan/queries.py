"""Read queries for the app: one plan's data as tidy DataFrames (no Streamlit here)."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from acplan import models as m


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


def get_plan(*, session: Session, plan_code: str | None = None) -> PlanInfo | None:
    """The plan with `plan_code`, or the first plan loaded when no code is given."""
    stmt = select(m.Plan, m.Organisation).join(m.Organisation, m.Organisation.id == m.Plan.organisation_id)
    if plan_code:
        stmt = stmt.where(m.Plan.code == plan_code)
    row = session.exec(stmt.order_by(m.Plan.id)).first()
    if row is None:
        return None
    plan, org = row
    return PlanInfo(plan.id, plan.code, plan.title_th, plan.title_en, org.code, org.name_th, org.name_en,
                    plan.start_fy_be, plan.end_fy_be)


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


PROJECT_COLUMNS = ["number", "kind", "name_th", "dimension", "mission", "responsible_unit"]


def list_projects(*, session: Session, plan_id: int) -> pd.DataFrame:
    """One row per plan item: number, kind, name_th, dimension, mission, responsible_unit."""
    rows = session.exec(
        select(m.Project.number, m.Project.kind, m.Project.name_th, m.Dimension.number, m.Mission.code,
               m.Project.responsible_unit)
        .join(m.Dimension, m.Dimension.id == m.Project.dimension_id)
        .join(m.Mission, m.Mission.id == m.Project.mission_id)
        .where(m.Project.plan_id == plan_id).order_by(m.Project.number)).all()
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS)


def list_budget_lines(*, session: Session, plan_id: int) -> pd.DataFrame:
    """Planned budget, one row per item and fiscal year: number, fiscal_year_be, amount_thb."""
    rows = session.exec(
        select(m.Project.number, m.BudgetLine.fiscal_year_be, m.BudgetLine.amount_thb)
        .join(m.Project, m.Project.id == m.BudgetLine.project_id)
        .where(m.Project.plan_id == plan_id).order_by(m.Project.number, m.BudgetLine.fiscal_year_be)).all()
    return pd.DataFrame(rows, columns=["number", "fiscal_year_be", "amount_thb"])
