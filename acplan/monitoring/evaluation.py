"""Read side of the monitoring workflow: which rounds a viewer may see, and their results (SCORING.md)."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from acplan.access import Actor, Permission
from acplan.monitoring import scoring
from acplan.monitoring.auth import acts_in, authorize
from acplan.monitoring.entries import read_entries
from acplan.monitoring.models import EntryState, EvaluationRound, IndicatorResult, RoundStatus, ScoreEntry
from acplan.plan.models import Indicator, IndicatorTarget, PlanItem
from acplan.plan.queries import list_item_refs

ALL_STATUSES = tuple(RoundStatus)


def visible_statuses(actor: Actor) -> tuple[RoundStatus, ...]:
    """Anonymous visitors see published rounds only; signed-in roles see every round."""
    return ALL_STATUSES if actor.can(Permission.READ_UNPUBLISHED) else (RoundStatus.PUBLISHED,)


def _may_read_round(session: Session, actor: Actor, status: RoundStatus, round_id: int) -> None:
    permission = Permission.READ_PUBLISHED if status == RoundStatus.PUBLISHED else Permission.READ_UNPUBLISHED
    authorize(session=session, actor=actor, permission=permission, round_id=round_id)


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


def list_visible_rounds(*, session: Session, actor: Actor, plan_id: int) -> list[RoundInfo]:
    """The rounds `actor` may see, oldest first."""
    statuses = visible_statuses(actor) if acts_in(session, actor, plan_id=plan_id) else (RoundStatus.PUBLISHED,)
    rows = session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id,
                                                      EvaluationRound.status.in_(statuses))
                        .order_by(EvaluationRound.fiscal_year_be, EvaluationRound.round_no))
    return [RoundInfo(r.id, f"{r.fiscal_year_be}-{r.round_no}", r.fiscal_year_be, r.round_no, r.status,
                      r.recorded_after_fact, r.period_start, r.period_end) for r in rows]


def _numbers(session: Session, plan_id: int, rnd: EvaluationRound, entries: pd.DataFrame) -> list[int]:
    """The items a round's results list: those in the plan in its fiscal year, and any an amendment dropped
    since that members had scored in it (an item keeps its scores)."""
    expected = {i.number for i in list_item_refs(session=session, plan_id=plan_id, fiscal_year=rnd.fiscal_year_be)}
    return sorted(expected | {int(n) for n in entries["number"]})


SEALED_STATUSES = (RoundStatus.DRAFT, RoundStatus.OPEN)
# What members gave, hidden while a round is open: only `n`, how many members have submitted, stays.
SEALED_COLUMNS = ["mean", "mean_exact", "median", "min", "max", "spread", "status", "progress_pct", "spent_thb"]


def sealed(actor: Actor, status: RoundStatus) -> bool:
    """Whether the round's scores are hidden from `actor`: while it is open, members score independently."""
    return status in SEALED_STATUSES and not actor.can(Permission.READ_OPEN_ROUND_SCORES)


def may_read_member_scores(session: Session, actor: Actor, round_id: int) -> None:
    """Others' entries of a round: `read_member_scores`, and while the round is open `read_open_round_scores`."""
    authorize(session=session, actor=actor, permission=Permission.READ_MEMBER_SCORES, round_id=round_id)
    if session.get(EvaluationRound, round_id).status in SEALED_STATUSES:
        authorize(session=session, actor=actor, permission=Permission.READ_OPEN_ROUND_SCORES, round_id=round_id)


def round_items(*, session: Session, actor: Actor, plan_id: int, round_id: int) -> pd.DataFrame:
    """Per item of the plan, the round's aggregate of submitted entries (SCORING.md §3); while the round is
    open, only how many members have submitted each item (members score independently)."""
    rnd = session.get(EvaluationRound, round_id)
    status = rnd.status
    _may_read_round(session, actor, status, round_id)
    entries = read_entries(session=session, round_id=round_id, submitted_only=True)
    items = scoring.item_results(entries, _numbers(session, plan_id, rnd, entries))
    if sealed(actor, status):
        items = items.assign(**{c: None for c in SEALED_COLUMNS}, flag=False, provisional=False)
    return items


def results_over_rounds(*, session: Session, actor: Actor, plan_id: int, rounds: list[RoundInfo]) -> pd.DataFrame:
    """Tidy item results for several rounds: one row per item and round, with `round` and `round_index`."""
    frames = [round_items(session=session, actor=actor, plan_id=plan_id, round_id=r.id).assign(round=r.code, round_index=i)
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


def member_entries(*, session: Session, actor: Actor, round_id: int) -> pd.DataFrame:
    """Every member's submitted entries of a round; never shown to anonymous visitors, nor while the round is open."""
    may_read_member_scores(session, actor, round_id)
    return read_entries(session=session, round_id=round_id, submitted_only=True)


def list_actual_spending(*, session: Session, actor: Actor, plan_id: int) -> pd.DataFrame:
    """Actual spending per fiscal year, whole baht, from the rounds `actor` may see; SCORING.md §5.

    Per fiscal year the latest visible round counts; an item's spending in it is the median of its
    members' submitted `spent_thb`; a year's spending is the sum over items.
    """
    rounds = session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id,
                                                        EvaluationRound.status.in_(visible_statuses(actor)))).all()
    latest: dict[int, EvaluationRound] = {}
    for r in rounds:
        if r.fiscal_year_be not in latest or r.round_no > latest[r.fiscal_year_be].round_no:
            latest[r.fiscal_year_be] = r
    rows = []
    for fy, rnd in sorted(latest.items()):
        entries = session.exec(select(ScoreEntry.project_id, ScoreEntry.spent_thb).where(
            ScoreEntry.round_id == rnd.id, ScoreEntry.state == EntryState.SUBMITTED,
            ScoreEntry.spent_thb.is_not(None))).all()
        if entries:
            per_item = pd.DataFrame(entries, columns=["project_id", "spent_thb"]).groupby("project_id")["spent_thb"].median()
            rows.append((fy, int(round(per_item.sum()))))
    return pd.DataFrame(rows, columns=["fiscal_year_be", "amount_thb"])


def indicator_results(*, session: Session, actor: Actor, plan_id: int, round_id: int) -> pd.DataFrame:
    """Every indicator of the plan with its stated targets and, from the round's submitted entries, how many members
    recorded it, the median value they recorded and how many found it achieved; nothing from members while the
    round is sealed for `actor`. Columns: number, seq, kind, text_th, targets (list of dicts), recorded,
    actual_median, achieved."""
    rnd = session.get(EvaluationRound, round_id)
    status = rnd.status
    _may_read_round(session, actor, status, round_id)
    listed = set(_numbers(session, plan_id, rnd, read_entries(session=session, round_id=round_id, submitted_only=True)))
    indicators = session.exec(select(Indicator, PlanItem.number).join(PlanItem, PlanItem.id == Indicator.project_id)
                              .where(PlanItem.plan_id == plan_id).order_by(PlanItem.number, Indicator.seq)).all()
    targets: dict[int, list[dict]] = {}
    for target in session.exec(select(IndicatorTarget).order_by(IndicatorTarget.seq)):
        targets.setdefault(target.indicator_id, []).append(target.model_dump(exclude={"id", "indicator_id"}))
    recorded: dict[int, list[tuple]] = {}
    if not sealed(actor, status):
        rows = session.exec(select(IndicatorResult.indicator_id, IndicatorResult.actual_value, IndicatorResult.achieved)
                            .join(ScoreEntry, ScoreEntry.id == IndicatorResult.score_entry_id)
                            .where(ScoreEntry.round_id == round_id, ScoreEntry.state == EntryState.SUBMITTED))
        for indicator_id, value, achieved in rows:
            recorded.setdefault(indicator_id, []).append((value, achieved))
    out = []
    for ind, number in indicators:
        if number not in listed:  # not in the plan in the round's fiscal year
            continue
        mine = recorded.get(ind.id, [])
        values = [v for v, _ in mine if v is not None]
        out.append({"number": number, "seq": ind.seq, "kind": ind.kind, "text_th": ind.text_th,
                    "targets": targets.get(ind.id, []), "recorded": len(mine),
                    "actual_median": scoring.median_or_none(values) if values else None,
                    "achieved": sum(1 for _, a in mine if a)})
    return pd.DataFrame(out, columns=["number", "seq", "kind", "text_th", "targets", "recorded", "actual_median",
                                      "achieved"])
