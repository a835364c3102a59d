"""The meeting pack's figures of a round, gathered once for the PDF and the workbook."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlmodel import Session, select

from acplan.access import Actor
from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import evaluation, rounds, scoring, yearly
from acplan.monitoring.findings import findings_frame
from acplan.monitoring.models import AppUser, EntryState, RoundStatus, ScoreEntry
from acplan.plan import figures, queries


@dataclass
class ReportData:
    """Everything a round's report shows; `internal` adds the members who scored and internal findings."""

    org_name: str
    plan_title: str
    plan_period: str
    round_code: str
    fiscal_year_be: int
    round_status: str
    period: tuple[date, date]
    after_the_fact: bool
    generated: date
    internal: bool
    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: float | None
    status_counts: pd.DataFrame
    budget_year_thb: int
    spent_thb: int
    findings: pd.DataFrame
    targets: pd.DataFrame
    members: list[str] = field(default_factory=list)
    member_entries: pd.DataFrame | None = None
    budget_by_dim_year: pd.DataFrame | None = None
    audit_head: str | None = None  # the audit chain's head when the round was published

    @property
    def draft(self) -> bool:
        """An internal report of a round not yet published: every page says ร่าง / DRAFT."""
        return self.round_status != RoundStatus.PUBLISHED

    @property
    def scored(self) -> int:
        return int((self.items["n"] > 0).sum())


def gather(*, session: Session, actor: Actor, plan_id: int, code: str, internal: bool, today: date) -> ReportData:
    """Collect a round's figures from the store (the public version: published data and no member names)."""
    plan = queries.get_plan(session=session, plan_id=plan_id)
    rnd = rounds.get_round(session=session, actor=actor, plan_id=plan_id, code=code)
    if not internal and rnd.status != RoundStatus.PUBLISHED:
        raise InvalidInput(Issue("pack_public_unpublished", {"code": code}))
    projects = queries.list_projects(session=session, plan_id=plan_id)
    budget = queries.list_budget_lines(session=session, plan_id=plan_id)
    items = evaluation.round_items(session=session, actor=actor, plan_id=plan_id, round_id=rnd.id).merge(
        projects[["number", "name_th", "dimension", "kind"]], on="number")
    year_budget = budget[budget["fiscal_year_be"] == rnd.fiscal_year_be]
    data = ReportData(
        org_name=plan.org_name_th, plan_title=plan.title_th, plan_period=t("pack_plan_period", "th", start=plan.start_fy_be, end=plan.end_fy_be),
        round_code=code, fiscal_year_be=rnd.fiscal_year_be, round_status=rnd.status, period=(rnd.period_start, rnd.period_end),
        after_the_fact=rnd.recorded_after_fact, audit_head=rnd.audit_head, generated=today, internal=internal, items=items,
        dimensions=scoring.dimension_results(items, projects), overall=scoring.round_result(items),
        status_counts=evaluation.status_distribution(items), budget_year_thb=figures.total_budget_thb(year_budget),
        spent_thb=int(items["spent_thb"].fillna(0).sum()),
        findings=findings_frame(session=session, actor=actor if internal else Actor.anonymous(), round_ids=[rnd.id]),
        targets=yearly.list_targets(session=session, plan_id=plan_id),
        budget_by_dim_year=figures.budget_by_dimension_year(projects, budget))
    if internal and not evaluation.sealed(actor, rnd.status):
        data.members = list(session.exec(
            select(AppUser.display_name).join(ScoreEntry, ScoreEntry.member_id == AppUser.id)
            .where(ScoreEntry.round_id == rnd.id, ScoreEntry.state == EntryState.SUBMITTED).distinct()
            .order_by(AppUser.display_name)))
        data.member_entries = evaluation.member_entries(session=session, actor=actor, round_id=rnd.id)
    return data
