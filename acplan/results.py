"""Yearly results the secretary records: the ITA score and the number of corruption cases of a fiscal year."""

import math
from datetime import UTC, datetime

from sqlmodel import Session, select

from acplan import audit
from acplan.auth import require
from acplan.errors import Conflict, Issue, InvalidInput
from acplan.models import AppUser, YearlyResult


def validate(fiscal_year_be: int, ita_score: float | None, corruption_cases: int | None) -> list[Issue]:
    issues = []
    if not 2500 <= fiscal_year_be <= 2700:
        issues.append(Issue("fy_invalid", {"value": fiscal_year_be}, column="fiscal_year_be"))
    if ita_score is not None and (not isinstance(ita_score, (int, float)) or math.isnan(ita_score)
                                  or not 0 <= ita_score <= 100):
        issues.append(Issue("ita_invalid", {"value": ita_score}, column="ita_score"))
    if corruption_cases is not None and (not isinstance(corruption_cases, int) or corruption_cases < 0):
        issues.append(Issue("cases_invalid", {"value": corruption_cases}, column="corruption_cases"))
    return issues


def set_yearly_result(*, session: Session, actor: AppUser | str, plan_id: int, fiscal_year_be: int,
                      ita_score: float | None, corruption_cases: int | None, note: str = "",
                      expected_version: int | None = None) -> YearlyResult:
    """Record a fiscal year's actual figures (the baseline year 2565 included); audited, optimistic locking."""
    actor_name = actor if isinstance(actor, str) else actor.username
    if not isinstance(actor, str):
        require(actor.role, "record_yearly_results")
    issues = validate(fiscal_year_be, ita_score, corruption_cases)
    if issues:
        raise InvalidInput(*issues)
    row = session.exec(select(YearlyResult).where(YearlyResult.plan_id == plan_id,
                                                  YearlyResult.fiscal_year_be == fiscal_year_be)).first()
    if (row.version if row else None) != expected_version and expected_version is not None:
        raise Conflict(Issue("result_conflict", {"fy": fiscal_year_be}))
    before = audit.snapshot(row)
    row = row or YearlyResult(plan_id=plan_id, fiscal_year_be=fiscal_year_be, updated_at=datetime.now(UTC), version=0)
    row.ita_score = None if ita_score is None else round(float(ita_score), 2)
    row.corruption_cases, row.note = corruption_cases, note.strip()
    row.updated_at, row.version = datetime.now(UTC), row.version + 1
    session.add(row)
    session.flush()
    audit.record(session, actor=actor_name, action="yearly_result.set", entity="yearly_result",
                 entity_id=f"{plan_id}:{fiscal_year_be}", before=before, after=audit.snapshot(row))
    return row
