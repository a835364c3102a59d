"""SQLModel tables of the plan as the document states it: organisations, plans, dimensions, items, risks, targets.

One database holds many organisations, each with its own plans; every plan-level row carries
`plan_id`, so a query for one municipality never sees another's. Money is whole baht (`*_thb`),
fiscal years are Buddhist Era integers (`*_fy_be`), dates are calendar dates (shown in BE).
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from acplan.db.types import StrEnumType

# The national template's four มิติ; every plan is written on it, so charts and tables list these four.
DIMENSIONS = (1, 2, 3, 4)


class ItemKind(StrEnum):
    PROJECT = "project"
    ACTIVITY = "activity"
    MEASURE = "measure"


class IndicatorKind(StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"


class Comparison(StrEnum):
    GTE = "gte"
    LTE = "lte"
    EQ = "eq"
    DECREASE = "decrease"
    REDUCE_BY = "reduce_by"


class RiskLevel(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def _json_dict() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))



class OrgType(StrEnum):
    """The kinds of local government (อปท.) that write a plan on the national template."""

    CITY_MUNICIPALITY = "city_municipality"  # เทศบาลนคร
    TOWN_MUNICIPALITY = "town_municipality"  # เทศบาลเมือง
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality"  # เทศบาลตำบล
    SAO = "sao"  # องค์การบริหารส่วนตำบล (อบต.)
    PAO = "pao"  # องค์การบริหารส่วนจังหวัด (อบจ.)


class Organisation(SQLModel, table=True):
    """A local government (อปท.); `code` is its slug (`tt-chiang-muan`), the `?org=` of its pages."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name_th: str
    name_en: str = ""
    org_type: str = Field(max_length=64)  # OrgType
    province_th: str = Field(default="", max_length=100)
    district_th: str = Field(default="", max_length=100)
    executive_name_th: str = ""
    executive_title_th: str = ""


class Plan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    code: str = Field(max_length=64)
    title_th: str
    title_en: str = ""
    start_fy_be: int
    end_fy_be: int
    preface_date: date | None = None
    total_items_stated: int
    adoption: dict = _json_dict()
    appointment: dict = _json_dict()
    objectives_th: list = _json_list()
    goals_th: list = _json_list()
    benefits_th: list = _json_list()
    summary_total_budget_thb: dict = _json_dict()
    source: dict = _json_dict()
    data_sha256: str = Field(max_length=64)
    loaded_at: datetime
    revision: int = 0  # amendments applied; an edit started on an older revision is refused


class Dimension(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int
    name_th: str
    summary_item_count: int
    summary_budget_thb: dict = _json_dict()


class Mission(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    dimension_id: int = Field(foreign_key="dimension.id", index=True)
    code: str = Field(max_length=16)
    name_th: str


class SubItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    mission_id: int = Field(foreign_key="mission.id", index=True)
    code: str = Field(max_length=16)
    name_th: str


class Unit(SQLModel, table=True):
    """A responsible unit (สำนักปลัด, กองคลัง, …) of a plan: one row however the document words it.

    `aliases` keeps every other wording the document uses for it, as the source says it; items keep their
    own wording in `PlanItem.responsible_unit` and point here for filters, budgets and (later) unit accounts.
    """

    __table_args__ = (UniqueConstraint("plan_id", "name_th"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    name_th: str
    aliases: list = _json_list()
    note_th: str = ""


class PlanItem(SQLModel, table=True):
    """One of the plan's items (โครงการ/กิจกรรม/มาตรการ), numbered ลำดับที่ 1..N."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int
    kind: ItemKind | None = Field(default=None, sa_type=StrEnumType(ItemKind))
    name_th: str
    name_summary_th: str | None = None
    dimension_id: int = Field(foreign_key="dimension.id", index=True)
    mission_id: int = Field(foreign_key="mission.id", index=True)
    rationale_th: list = _json_list()
    objectives_th: list = _json_list()
    target_group_th: str = ""
    target_head_count: int | None = None
    method_th: list = _json_list()
    duration_th: str = ""
    budget_text_th: str = ""
    responsible_unit: str = Field(index=True)  # as the document words it
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)  # the one unit it means
    note_th: str = ""  # a clerk's note from the plan workbook
    from_fy_be: int | None = None  # first fiscal year in the plan (None: from the plan's first); set by an amendment
    until_fy_be: int | None = None  # last fiscal year in the plan (None: to its last); an item dropped stays, with its scores

    def in_year(self, fiscal_year_be: int) -> bool:
        return in_year(self.from_fy_be, self.until_fy_be, fiscal_year_be)


def in_year(from_fy_be: int | None, until_fy_be: int | None, fiscal_year_be: int) -> bool:
    """Whether an item in the plan from `from_fy_be` until `until_fy_be` (None: open) is in it in `fiscal_year_be`."""
    return (from_fy_be is None or from_fy_be <= fiscal_year_be) and (until_fy_be is None or fiscal_year_be <= until_fy_be)


class ProjectSubItem(SQLModel, table=True):
    project_id: int = Field(foreign_key="project.id", primary_key=True)
    sub_item_id: int = Field(foreign_key="subitem.id", primary_key=True)
    seq: int = 0


class BudgetLine(SQLModel, table=True):
    """Planned budget of one item in one fiscal year, whole baht."""

    __table_args__ = (UniqueConstraint("project_id", "fiscal_year_be"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    fiscal_year_be: int
    amount_thb: int


class Indicator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    seq: int
    kind: IndicatorKind = Field(sa_type=StrEnumType(IndicatorKind))
    text_th: str
    measured_by_th: str | None = None


class IndicatorTarget(SQLModel, table=True):
    """A numeric target an indicator's text states, e.g. ≥ 80 percent, ≥ 1 time per year."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    seq: int
    value: int | None = None
    unit: str | None = Field(default=None, max_length=16)
    comparison: Comparison = Field(sa_type=StrEnumType(Comparison))
    comparison_explicit: bool = True
    period: str | None = Field(default=None, max_length=16)


class RiskArea(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int
    process_th: str
    level_text_th: str


class RiskIssue(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    risk_area_id: int = Field(foreign_key="riskarea.id", index=True)
    number: int
    text_th: str
    level: RiskLevel = Field(sa_type=StrEnumType(RiskLevel))


class ControlMeasure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    risk_area_id: int = Field(foreign_key="riskarea.id", index=True)
    number: int
    text_th: str


class ControlMeasureProject(SQLModel, table=True):
    """A plan item that implements a control measure; `match` is exact or partial."""

    control_measure_id: int = Field(foreign_key="controlmeasure.id", primary_key=True)
    project_id: int = Field(foreign_key="project.id", primary_key=True)
    match: str = Field(max_length=16)


class YearlyTarget(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "fiscal_year_be"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    fiscal_year_be: int
    ita_score_target: int
    case_reduction_pct_target: int
    case_baseline_fy_be: int


class Committee(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str = Field(max_length=64)
    name_th: str
    source_th: str
    order_no: str | None = None
    order_date: date | None = None
    project_id: int | None = Field(default=None, foreign_key="project.id")
    duties_th: list = _json_list()


class CommitteeMember(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    seq: int
    position_th: str
    role_th: str
    role: str = Field(max_length=32)
    head_count: int = 1


class SourceNote(SQLModel, table=True):
    """Where the document contradicts or garbles itself: both readings, and what acplan kept."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    subject_type: str = Field(max_length=16)
    subject_key: str = Field(max_length=64)
    seq: int
    topic: str = Field(max_length=64)
    text_th: str
    readings: list = _json_list()
    kept_th: str


class PlanAmendment(SQLModel, table=True):
    """One amendment of a plan (แผนฯ เพิ่มเติม/เปลี่ยนแปลง ครั้งที่ N), applied whole.

    `changes` lists what it changed field by field (acplan.plan.amend.Change as dicts); `before_data` is the plan
    as it stood before it (export_plan's shape), so the plan as first approved or as of any amendment can be
    shown and exported. Who applied it is in the audit log."""

    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int
    approved_on: date
    effective_fy_be: int
    reason_th: str
    reference_th: str = ""
    applied_at: datetime
    changes: list = _json_list()
    before_data: dict = _json_dict()
