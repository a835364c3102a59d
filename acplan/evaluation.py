"""Read side of the monitoring workflow: which rounds a viewer may see, and their results (SCORING.md)."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from acplan import scoring
from acplan.auth import can
from acplan.entries import entries_frame
from acplan.models import EvaluationRound, Project, RoundStatus

ALL_STATUSES = tuple(s.value for s in RoundStatus)


def visible_statuses(role: str | None) -> tuple[str, ...]:
    """Anonymous visitors see published rounds only; signed-in roles see every round."""
    return ALL_STATUSES if can(role, "read_unpublished") else (RoundStatus.PUBLISHED.value,)


@dataclass(frozen=True)
class RoundInfo:
    id: int
    code: str
    fiscal_year_be: int
    round_no: int
    status: str
    recorded_after_fact: bool
    period_start: object
    period_end: object


def list_visible_rounds(*, session: Session, plan_id: int, role: str | None) -> list[RoundInfo]:
    rows = session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id,
                                                      EvaluationRound.status.in_(visible_statuses(role)))
                        .order_by(EvaluationRound.fiscal_year_be, EvaluationRound.round_no))
    return [RoundInfo(r.id, f"{r.fiscal_year_be}-{r.round_no}", r.fiscal_year_be, r.round_no, r.status,
                      r.recorded_after_fact, r.period_start, r.period_end) for r in rows]


def _numbers(session: Session, plan_id: int) -> list[int]:
    return list(session.exec(select(Project.number).where(Project.plan_id == plan_id).order_by(Project.number)))


def round_items(*, session: Session, plan_id: int, round_id: int) -> pd.DataFrame:
    """Per item of the plan, the round's aggregate of submitted entries (SCORING.md §3)."""
    entries = entries_frame(session=session, round_id=round_id, submitted_only=True)
    return scoring.item_results(entries, _numbers(session, plan_id))


def results_over_rounds(*, session: Session, plan_id: int, rounds: list[RoundInfo]) -> pd.DataFrame:
    """Tidy item results for several rounds: one row per item and round, with `round` and `round_index`."""
    frames = [round_items(session=session, plan_id=plan_id, round_id=r.id).assign(round=r.code, round_index=i)
              for i, r in enumerate(rounds)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*scoring.ITEM_COLUMNS, "round",
                                                                                     "round_index"])


def with_changes(results: pd.DataFrame, rounds: list[RoundInfo]) -> pd.DataFrame:
    """Add round-over-round (`change_prev`) and year-over-year (`change_year`) differences of item means (§4)."""
    means = results.set_index(["number", "round"])["mean"].to_dict()
    codes = {(r.fiscal_year_be, r.round_no): r.code for r in rounds}
    order = [r.code for r in rounds]
    prev_code = {r.code: (order[i - 1] if i else None) for i, r in enumerate(rounds)}
    year_code = {r.code: codes.get((r.fiscal_year_be - 1, r.round_no)) for r in rounds}
    return results.assign(
        change_prev=[scoring.change(m, means.get((n, prev_code[c]))) for n, c, m in
                     zip(results["number"], results["round"], results["mean"], strict=True)],
        change_year=[scoring.change(m, means.get((n, year_code[c]))) for n, c, m in
                     zip(results["number"], results["round"], results["mean"], strict=True)])


def status_distribution(items: pd.DataFrame) -> pd.DataFrame:
    """How many items have each round status (None = not scored): columns status, items."""
    counts = items["status"].fillna("not_scored").value_counts()
    return counts.rename_axis("status").rename("items").reset_index()


def member_entries(*, session: Session, round_id: int) -> pd.DataFrame:
    """Every member's submitted entries of a round; never shown to anonymous visitors."""
    return entries_frame(session=session, round_id=round_id, submitted_only=True)
