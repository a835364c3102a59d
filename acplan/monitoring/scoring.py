"""Aggregation of committee entries into item, dimension and round results; see SCORING.md §3–§4 (pure)."""

import math
import statistics
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from acplan.errors import Issue

STATUS_TIE_ORDER = ("not_started", "not_possible", "in_progress", "completed")
FLAG_SPREAD = 2
QUORUM = 2


def round_half_away(value: float, digits: int = 2) -> float:
    """Round half away from zero (3.585 -> 3.59), the way people round by hand; SCORING.md §3.3."""
    factor = 10 ** digits
    return math.copysign(math.floor(abs(value) * factor + 0.5) / factor, value)


@dataclass(frozen=True)
class ScoreStats:
    """One item's scores in a round: SCORING.md §3.2–§3.5."""

    n: int
    mean: float
    mean_exact: float
    median: float
    min: int
    max: int
    spread: int
    flag: bool
    provisional: bool


def score_stats(scores: list[int]) -> ScoreStats | None:
    """Statistics of submitted scores, or None when no member scored the item (§3.6)."""
    if not scores:
        return None
    exact = sum(scores) / len(scores)
    spread = max(scores) - min(scores)
    return ScoreStats(len(scores), round_half_away(exact), exact, statistics.median(scores), min(scores),
                      max(scores), spread, len(scores) >= QUORUM and spread >= FLAG_SPREAD, len(scores) < QUORUM)


def item_status(statuses: list[str]) -> str | None:
    """Most frequent status; ties go to the less advanced status (§3.7)."""
    counts = Counter(s for s in statuses if s)
    if not counts:
        return None
    best = max(counts.values())
    return next(s for s in STATUS_TIE_ORDER if counts.get(s) == best)


def median_or_none(values: list[float]) -> float | None:
    """Median of the recorded values (§3.8), None when nobody recorded one."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(present) if present else None


def indicator_verdict(votes: list[bool]) -> bool | None:
    """Achieved when more than half of the members who assessed it say so; exactly half is undetermined (§3.9)."""
    if not votes:
        return None
    yes = sum(votes)
    if yes * 2 == len(votes):
        return None
    return yes * 2 > len(votes)


ITEM_COLUMNS = ["number", "n", "mean", "mean_exact", "median", "min", "max", "spread", "flag", "provisional", "status",
                "progress_pct", "spent_thb"]


def item_results(entries: pd.DataFrame, numbers: list[int]) -> pd.DataFrame:
    """One row per item of the plan from submitted entries (columns number, status, progress_pct, score, spent_thb)."""
    rows = []
    for number in numbers:
        mine = entries[entries["number"] == number]
        stats = score_stats([int(s) for s in mine["score"].dropna()])
        spent = median_or_none(mine["spent_thb"].tolist())
        rows.append({
            "number": number, "n": stats.n if stats else 0,
            "mean": stats.mean if stats else None, "mean_exact": stats.mean_exact if stats else None,
            "median": stats.median if stats else None, "min": stats.min if stats else None,
            "max": stats.max if stats else None, "spread": stats.spread if stats else None,
            "flag": bool(stats and stats.flag), "provisional": bool(stats and stats.provisional),
            "status": item_status(mine["status"].dropna().tolist()),
            "progress_pct": median_or_none(mine["progress_pct"].tolist()),
            "spent_thb": None if spent is None else int(round(spent)),
        })
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def dimension_results(items: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Per dimension: mean of its scored items' unrounded means (§4), items scored and items in total (those the
    round lists: an item an amended plan adds later, or dropped before, is not counted)."""
    merged = projects[["number", "dimension"]].merge(items[["number", "mean_exact"]], on="number", how="inner")
    rows = []
    for dim, group in merged.groupby("dimension"):
        scored = group["mean_exact"].dropna()
        rows.append({"dimension": int(dim), "result": round_half_away(scored.mean()) if len(scored) else None,
                     "scored": int(len(scored)), "items": int(len(group))})
    return pd.DataFrame(rows, columns=["dimension", "result", "scored", "items"])


def round_result(items: pd.DataFrame) -> float | None:
    """Mean of all scored items' unrounded means (§4)."""
    scored = items["mean_exact"].dropna()
    return round_half_away(scored.mean()) if len(scored) else None


def change(current: float | None, previous: float | None) -> float | None:
    """Difference of two results, shown only when both exist (§4)."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    return round_half_away(current - previous)


HIGH_SCORE_NOT_STARTED = 3  # a score this high for an item not started contradicts its status (a warning)


def score_status_warnings(status: str | None, score, number: int | None = None) -> list[Issue]:
    """A score of 3 or more for an item whose status says it has not started: said, never refused."""
    if status == "not_started" and score is not None and not pd.isna(score) and score >= HIGH_SCORE_NOT_STARTED:
        return [Issue("check_not_started_high_score", {"score": f"{float(score):.2f}".rstrip("0").rstrip(".")}
                      | ({"number": number} if number is not None else {}))]
    return []


def inconsistencies(status: str | None, progress_pct, spent_thb, budget_thb, score=None) -> list[Issue]:
    """What in an item's round figures contradicts itself or its plan, to be shown beside them, not fixed:
    'cannot be done' with progress or spending; spending where the year has no budget; spending above it;
    a score of 3 or more (the members' mean) for an item not started."""
    def value(v) -> float | None:
        return None if v is None or pd.isna(v) else float(v)
    progress, spent, budget = value(progress_pct), value(spent_thb), value(budget_thb)
    issues = score_status_warnings(status, value(score))
    if status == "not_possible" and ((progress or 0) > 0 or (spent or 0) > 0):
        issues.append(Issue("check_not_possible_but_done", {"progress": int(progress or 0), "spent": int(spent or 0)}))
    if (spent or 0) > 0 and not budget:
        issues.append(Issue("check_spent_without_budget", {"spent": int(spent)}))
    elif (spent or 0) > (budget or 0) > 0:
        issues.append(Issue("check_spent_over_budget", {"spent": int(spent), "budget": int(budget)}))
    return issues
