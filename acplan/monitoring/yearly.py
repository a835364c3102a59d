"""Yearly results the secretary records: the ITA score and the number of corruption cases of a fiscal year."""

from datetime import UTC, datetime

import pandas as pd
from pydantic import Field, StrictInt
from sqlmodel import Session, SQLModel, select

from acplan.access import Actor, Permission
from acplan.errors import Conflict, Issue, parse_input
from acplan.monitoring import audit
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import YearlyResult
from acplan.plan.models import YearlyTarget

FIRST_FY_BE, LAST_FY_BE = 2500, 2700
ITA_MAX = 100
MAX_NOTE_CHARS = 500
ISSUE_CODES = {"fiscal_year_be": "fy_invalid", "ita_score": "ita_invalid", "corruption_cases": "cases_invalid",
               "note": "text_too_long"}


class YearlyResultIn(SQLModel):
    """A fiscal year's actual figures as typed: ITA score 0–100 (two decimals kept), cases a whole number ≥ 0."""

    fiscal_year_be: StrictInt = Field(ge=FIRST_FY_BE, le=LAST_FY_BE)
    ita_score: float | None = Field(default=None, ge=0, le=ITA_MAX, allow_inf_nan=False)
    corruption_cases: StrictInt | None = Field(default=None, ge=0)
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


def parse_yearly(values: dict) -> YearlyResultIn:
    return parse_input(YearlyResultIn, values, codes=ISSUE_CODES)


def set_yearly_result(*, session: Session, actor: Actor, plan_id: int, result_in: YearlyResultIn,
                      expected_version: int | None = None) -> YearlyResult:
    """Record a fiscal year's actual figures (the baseline year 2565 included); audited, optimistic locking."""
    authorize(session=session, actor=actor, permission=Permission.RECORD_YEARLY_RESULTS, plan_id=plan_id)
    fy = result_in.fiscal_year_be
    row = session.exec(select(YearlyResult).where(YearlyResult.plan_id == plan_id,
                                                  YearlyResult.fiscal_year_be == fy)).first()
    if expected_version is not None and (row.version if row else None) != expected_version:
        raise Conflict(Issue("result_conflict", {"fy": fy}))
    before = audit.snapshot(row)
    row = row or YearlyResult(plan_id=plan_id, fiscal_year_be=fy, updated_at=datetime.now(UTC), version=0)
    row.ita_score = None if result_in.ita_score is None else round(result_in.ita_score, 2)
    row.corruption_cases, row.note = result_in.corruption_cases, result_in.note.strip()
    row.updated_at, row.version = datetime.now(UTC), row.version + 1
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.username, action="yearly_result.set", entity="yearly_result",
                 entity_id=f"{plan_id}:{fy}", before=before, after=audit.snapshot(row))
    return row


def list_targets(*, session: Session, plan_id: int) -> pd.DataFrame:
    """Yearly targets with the recorded actual figures (NaN where not yet recorded)."""
    targets = session.exec(select(YearlyTarget).where(YearlyTarget.plan_id == plan_id)
                           .order_by(YearlyTarget.fiscal_year_be)).all()
    results = {r.fiscal_year_be: r for r in session.exec(select(YearlyResult).where(YearlyResult.plan_id == plan_id))}
    baseline = targets[0].case_baseline_fy_be if targets else None
    base_cases = results[baseline].corruption_cases if baseline in results else None
    rows = []
    for t in targets:
        r = results.get(t.fiscal_year_be)
        rows.append({"fiscal_year_be": t.fiscal_year_be, "ita_target": t.ita_score_target,
                     "ita_actual": r.ita_score if r else None, "case_reduction_target_pct": t.case_reduction_pct_target,
                     "cases_actual": r.corruption_cases if r else None, "baseline_fy_be": t.case_baseline_fy_be,
                     "baseline_cases": base_cases})
    return pd.DataFrame(rows)
