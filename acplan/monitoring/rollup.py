"""The roll-up across organisations (#16): per-round figures stored when a round is published, and what a province or
national office reads from them.

Write side: `refresh(plan_id)` rewrites the summaries of a plan's published rounds; the round transitions (publish,
reopen) and plan amendments call it in their own transaction, so the summaries always equal what the results page
computes (a test recomputes them from scratch after every kind of write). The item figures are aggregated for many
rounds at once (the demonstration data fills thousands); the round and dimension results reuse SCORING.md's own
functions, so the roll-up and the results page cannot disagree.

Read side: `read` returns the organisations in the reader's scope with their rounds, summaries, ITA figures and
overdue findings; it costs one row per organisation, round or finding, never a member's entry. An oversight account
reads its province (or every one) and sees how many rounds are held before they are published; anyone else reads
published data only.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, func
from sqlmodel import Session, select

from acplan.access import Actor, Permission, Role
from acplan.monitoring import findings, scoring
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import (
    AppUser,
    EntryState,
    EvaluationRound,
    Finding,
    ImplementationStatus,
    NotPossibleReason,
    RoundStatus,
    RoundSummary,
    ScoreEntry,
    Visibility,
    YearlyResult,
)
from acplan.plan.models import DIMENSIONS, BudgetLine, Dimension, Organisation, Plan, PlanItem, YearlyTarget

PUBLISH_WITHIN_DAYS = 60  # a round's report is on time when published within this many days of its period's end
THAI_TIME = ZoneInfo("Asia/Bangkok")
STATUSES = [s.value for s in ImplementationStatus]
REASONS = [r.value for r in NotPossibleReason]
CHUNK = 500  # rounds aggregated per query


def published_on(at: datetime) -> date:
    """The day (Thai time) of a publication stamp (stored in UTC; SQLite hands it back without a zone)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(THAI_TIME).date()


def due_on(period_end: date) -> date:
    return period_end + timedelta(days=PUBLISH_WITHIN_DAYS)


# ---------------------------------------------------------------------------------------------------- write side

def refresh(session: Session, *, plan_id: int) -> None:
    """Rewrite the summaries of the plan's published rounds (none for a round not published); the caller's
    transaction, after a publish, a reopen or an amendment."""
    rounds = session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id)).all()
    session.execute(delete(RoundSummary).where(RoundSummary.plan_id == plan_id))
    session.add_all(summarise(session, [r for r in rounds if r.status == RoundStatus.PUBLISHED]))
    session.flush()


def refresh_all(session: Session, *, progress=None) -> int:
    """Rewrite every published round's summary (after an upgrade, or to repair); how many were written."""
    session.execute(delete(RoundSummary))
    rounds = session.exec(select(EvaluationRound).where(EvaluationRound.status == RoundStatus.PUBLISHED)
                          .order_by(EvaluationRound.id)).all()
    written = 0
    for start in range(0, len(rounds), CHUNK):
        rows = summarise(session, rounds[start:start + CHUNK])
        session.add_all(rows)
        session.flush()
        written += len(rows)
        if progress is not None:
            progress(written, len(rounds))
    return written


def summarise(session: Session, rounds: list[EvaluationRound]) -> list[RoundSummary]:
    """The summaries of these published rounds, from their members' submitted entries (SCORING.md §3–§5)."""
    if not rounds:
        return []
    items = _item_figures(_entries(session, [r.id for r in rounds]), _listed_items(session, rounds))
    ids = items["round_id"].to_numpy()  # sorted: each round's items are one slice
    cols = {c: items[c].to_numpy() for c in ("dimension", "mean_exact", "status", "reason", "spent_thb", "planned_thb")}
    out = []
    for rnd in rounds:
        a, b = np.searchsorted(ids, rnd.id, "left"), np.searchsorted(ids, rnd.id, "right")
        out.append(_summary(rnd, **{c: v[a:b] for c, v in cols.items()}))
    return out


def _listed_items(session: Session, rounds: list[EvaluationRound]) -> pd.DataFrame:
    """Per round, the items its results list (in the plan that fiscal year, or scored in it): round_id, project_id,
    number, dimension, planned_thb (the item's budget that year)."""
    plan_ids = sorted({r.plan_id for r in rounds})
    items = pd.DataFrame(session.exec(
        select(PlanItem.plan_id, PlanItem.id, PlanItem.number, Dimension.number, PlanItem.from_fy_be,
               PlanItem.until_fy_be).join(Dimension, Dimension.id == PlanItem.dimension_id)
        .where(PlanItem.plan_id.in_(plan_ids))).all(),
        columns=["plan_id", "project_id", "number", "dimension", "from_fy", "until_fy"])
    budget = pd.DataFrame(session.exec(
        select(BudgetLine.project_id, BudgetLine.fiscal_year_be, func.sum(BudgetLine.amount_thb))
        .join(PlanItem, PlanItem.id == BudgetLine.project_id).where(PlanItem.plan_id.in_(plan_ids))
        .group_by(BudgetLine.project_id, BudgetLine.fiscal_year_be)).all(),
        columns=["project_id", "fiscal_year_be", "planned_thb"])
    frame = pd.DataFrame([(r.id, r.plan_id, r.fiscal_year_be) for r in rounds],
                         columns=["round_id", "plan_id", "fiscal_year_be"]).merge(items, on="plan_id")
    frame["in_year"] = ((frame["from_fy"].isna() | (frame["from_fy"] <= frame["fiscal_year_be"]))
                        & (frame["until_fy"].isna() | (frame["until_fy"] >= frame["fiscal_year_be"])))
    frame = frame.merge(budget, on=["project_id", "fiscal_year_be"], how="left")
    frame["planned_thb"] = frame["planned_thb"].fillna(0).astype("int64")
    return frame


def _entries(session: Session, round_ids: list[int]) -> pd.DataFrame:
    rows = []
    for start in range(0, len(round_ids), CHUNK):
        rows += session.exec(
            select(ScoreEntry.round_id, ScoreEntry.project_id, ScoreEntry.status, ScoreEntry.not_possible_reason,
                   ScoreEntry.score, ScoreEntry.spent_thb)
            .where(ScoreEntry.round_id.in_(round_ids[start:start + CHUNK]), ScoreEntry.state == EntryState.SUBMITTED)
        ).all()
    frame = pd.DataFrame(rows, columns=["round_id", "project_id", "status", "reason", "score", "spent_thb"])
    for col in ("status", "reason"):
        frame[col] = frame[col].map(lambda v: None if v is None else str(v)).astype(object)
    return frame


def _mode(entries: pd.DataFrame, column: str, order: list[str]) -> pd.Series:
    """Per (round, item), the most frequent value of `column`; ties go to the earlier value in `order` (§3.7)."""
    present = entries.dropna(subset=[column])
    if present.empty:
        return pd.Series(dtype=object, name=column)
    counts = present.groupby(["round_id", "project_id", column]).size().rename("count").reset_index()
    counts["rank"] = counts[column].map({v: i for i, v in enumerate(order)})
    best = counts.sort_values(["round_id", "project_id", "count", "rank"], ascending=[True, True, False, True])
    return best.drop_duplicates(["round_id", "project_id"]).set_index(["round_id", "project_id"])[column]


def _item_figures(entries: pd.DataFrame, listed: pd.DataFrame) -> pd.DataFrame:
    """One row per listed item of every round, by round and number: round_id, number, dimension, mean_exact (NaN:
    not scored), status, reason (None: none), spent_thb (NaN: none recorded; whole baht), planned_thb."""
    keys = ["round_id", "project_id"]
    scored = entries.dropna(subset=["score"]).groupby(keys)["score"].agg(["sum", "count"])
    spent = entries.dropna(subset=["spent_thb"]).groupby(keys)["spent_thb"].median()
    status = _mode(entries, "status", list(scoring.STATUS_TIE_ORDER))
    reason = _mode(entries[entries["status"] == ImplementationStatus.NOT_POSSIBLE.value], "reason", REASONS)
    with_entries = entries[keys].drop_duplicates()
    items = listed.merge(with_entries.assign(has_entries=True), on=keys, how="left")
    items = items[items["in_year"] | items["has_entries"].fillna(False).astype(bool)].set_index(keys)
    items["mean_exact"] = (scored["sum"] / scored["count"]).reindex(items.index).astype("float64")
    items["status"] = status.reindex(items.index).astype(object)
    items["reason"] = reason.reindex(items.index).astype(object)
    # whole baht as SCORING.md §5 rounds it (Python's round, half to even), per item
    items["spent_thb"] = [np.nan if pd.isna(v) else float(round(v)) for v in spent.reindex(items.index)]
    return items.reset_index().sort_values(["round_id", "number"], kind="stable")


def _mean(values: np.ndarray) -> float:
    """The mean exactly as pandas' Series.mean computes it (numpy's sum over the count), so that the stored figures
    equal the results page's to the last bit before rounding."""
    return float(scoring.round_half_away(values.sum() / len(values)))


def _summary(rnd: EvaluationRound, *, dimension: np.ndarray, mean_exact: np.ndarray, status: np.ndarray,
             reason: np.ndarray, spent_thb: np.ndarray, planned_thb: np.ndarray) -> RoundSummary:
    """One round's figures from its listed items' arrays (in number order), as scoring.round_result and
    scoring.dimension_results compute them."""
    day = published_on(rnd.published_at)
    statuses = Counter(s if isinstance(s, str) else "not_scored" for s in status)
    reasons = Counter(r if isinstance(r, str) else "unstated" for s, r in zip(status, reason, strict=True)
                      if s == ImplementationStatus.NOT_POSSIBLE.value)
    scored = ~np.isnan(mean_exact)
    dims = {}
    for d in DIMENSIONS:
        mine = dimension == d
        values = mean_exact[mine & scored]
        dims |= {f"dim{d}_result": _mean(values) if len(values) else None, f"dim{d}_scored": int(len(values)),
                 f"dim{d}_items": int(mine.sum())}
    spent = spent_thb[~np.isnan(spent_thb)]
    return RoundSummary(
        round_id=rnd.id, plan_id=rnd.plan_id, fiscal_year_be=rnd.fiscal_year_be, round_no=rnd.round_no,
        published_on=day, on_time=day <= due_on(rnd.period_end),
        result=_mean(mean_exact[scored]) if scored.any() else None, items=len(mean_exact),
        items_scored=int(scored.sum()), **{s: int(statuses.get(s, 0)) for s in [*STATUSES, "not_scored"]},
        **{f"reason_{r}": int(reasons.get(r, 0)) for r in [*REASONS, "unstated"]}, planned_thb=int(planned_thb.sum()),
        spent_thb=int(spent.sum()) if len(spent) else None, **dims)


def as_dict(row: RoundSummary) -> dict:
    return row.model_dump()


def check(session: Session) -> list[str]:
    """Rounds whose stored summary differs from one computed now (or is missing, or has no published round)."""
    stored = {r.round_id: as_dict(r) for r in session.exec(select(RoundSummary))}
    rounds = session.exec(select(EvaluationRound).where(EvaluationRound.status == RoundStatus.PUBLISHED)).all()
    fresh = {}
    for start in range(0, len(rounds), CHUNK):
        fresh |= {r.round_id: as_dict(r) for r in summarise(session, rounds[start:start + CHUNK])}
    return sorted(str(rid) for rid in stored.keys() | fresh.keys() if stored.get(rid) != fresh.get(rid))


# ----------------------------------------------------------------------------------------------------- read side

@dataclass(frozen=True)
class Filters:
    province: str | None = None
    district: str | None = None
    org_type: str | None = None


@dataclass(frozen=True)
class Rollup:
    """What the roll-up page shows, for the organisations in the reader's scope that match the filters."""

    internal: bool  # an oversight account: rounds held before publication count too
    scope_province: str  # "": every province
    choices: pd.DataFrame  # the scope's organisations' province, district and type (for the filters)
    orgs: pd.DataFrame  # org_id, code, name_th, name_en, org_type, province_th, district_th, plan_id, rounds
    summaries: pd.DataFrame  # RoundSummary columns + code, org_id
    yearly: pd.DataFrame  # org_id, fiscal_year_be, ita_target, ita_actual
    overdue: pd.DataFrame  # org_id, overdue


def scope(session: Session, actor: Actor) -> tuple[bool, str]:
    """(internal, province) the actor reads the roll-up with: an oversight account its province ("" = all) with
    the rounds not yet published counted; anyone else every organisation's published data."""
    authorize(session=session, actor=actor, permission=Permission.READ_PUBLISHED)
    user = session.get(AppUser, actor.user_id) if actor.user_id is not None else None
    if user is not None and user.role == Role.OVERSIGHT:
        return True, user.oversight_province_th
    return False, ""


def read(*, session: Session, actor: Actor, filters: Filters, today: date) -> Rollup:
    internal, province = scope(session, actor)
    where = [Organisation.province_th == province] if province else []
    choices = pd.DataFrame(session.exec(select(Organisation.province_th, Organisation.district_th,
                                               Organisation.org_type).where(*where)).all(),
                           columns=["province_th", "district_th", "org_type"])
    for value, column in ((filters.province, Organisation.province_th), (filters.district, Organisation.district_th),
                          (filters.org_type, Organisation.org_type)):
        if value:
            where.append(column == value)
    latest_plan = (select(Plan.organisation_id, func.max(Plan.id).label("plan_id"))
                   .group_by(Plan.organisation_id).subquery())
    orgs = pd.DataFrame(session.exec(
        select(Organisation.id, Organisation.code, Organisation.name_th, Organisation.name_en, Organisation.org_type,
               Organisation.province_th, Organisation.district_th, latest_plan.c.plan_id)
        .join(latest_plan, latest_plan.c.organisation_id == Organisation.id, isouter=True).where(*where)
        .order_by(Organisation.province_th, Organisation.district_th, Organisation.name_th)).all(),
        columns=["org_id", "code", "name_th", "name_en", "org_type", "province_th", "district_th", "plan_id"])
    plan_ids = [int(p) for p in orgs["plan_id"].dropna()]
    visible = list(RoundStatus) if internal else [RoundStatus.PUBLISHED]
    held = dict(session.exec(select(EvaluationRound.plan_id, func.count()).where(
        EvaluationRound.plan_id.in_(plan_ids), EvaluationRound.status.in_(visible))
        .group_by(EvaluationRound.plan_id)).all()) if plan_ids else {}
    orgs["rounds"] = [held.get(int(p), 0) if pd.notna(p) else 0 for p in orgs["plan_id"]]
    by_plan = dict(zip(orgs["plan_id"].dropna().astype(int), orgs.loc[orgs["plan_id"].notna(), "org_id"], strict=True))
    fields = list(RoundSummary.model_fields)  # columns, not records: ten thousand rows at national size
    summaries = _rows(session, select(*[getattr(RoundSummary, f) for f in fields])
                      .where(RoundSummary.plan_id.in_(plan_ids)), plan_ids, fields)
    summaries["org_id"] = summaries["plan_id"].map(by_plan)
    summaries["code"] = [f"{y}-{n}" for y, n in zip(summaries["fiscal_year_be"], summaries["round_no"], strict=True)]
    yearly = _rows(session, select(YearlyTarget.plan_id, YearlyTarget.fiscal_year_be, YearlyTarget.ita_score_target,
                                   YearlyResult.ita_score)
                   .join(YearlyResult, and_(YearlyResult.plan_id == YearlyTarget.plan_id,
                                            YearlyResult.fiscal_year_be == YearlyTarget.fiscal_year_be), isouter=True)
                   .where(YearlyTarget.plan_id.in_(plan_ids)), plan_ids,
                   ["plan_id", "fiscal_year_be", "ita_target", "ita_actual"])
    yearly["org_id"] = yearly["plan_id"].map(by_plan)
    late = [findings.overdue(today)]
    if not internal:
        late += [Finding.visibility == Visibility.PUBLIC, EvaluationRound.status == RoundStatus.PUBLISHED]
    overdue = _rows(session, select(EvaluationRound.plan_id, func.count()).select_from(Finding).join(
        EvaluationRound, EvaluationRound.id == Finding.round_id).where(EvaluationRound.plan_id.in_(plan_ids), *late)
        .group_by(EvaluationRound.plan_id), plan_ids, ["plan_id", "overdue"])
    overdue["org_id"] = overdue["plan_id"].map(by_plan)
    return Rollup(internal, province, choices, orgs, summaries, yearly, overdue)


def _rows(session: Session, stmt, plan_ids: list[int], columns: list[str]) -> pd.DataFrame:
    if not plan_ids:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(session.exec(stmt).all(), columns=columns)


# ------------------------------------------------------------------------------------------ figures (pure frames)

def round_codes(r: Rollup) -> list[str]:
    """The rounds some organisation in view has published, newest first."""
    return sorted(set(r.summaries["code"]), key=lambda c: tuple(int(p) for p in c.split("-")), reverse=True)


def counts(r: Rollup) -> dict[str, int]:
    orgs = r.orgs
    return {"orgs": len(orgs), "with_plan": int(orgs["plan_id"].notna().sum()), "with_rounds": int((orgs["rounds"] > 0).sum())}


def publication(r: Rollup) -> pd.DataFrame:
    """Per round (newest first): organisations that published it, on time and late, and those that have not."""
    with_plan = int(r.orgs["plan_id"].notna().sum())
    rows = []
    for code in round_codes(r):
        mine = r.summaries[r.summaries["code"] == code]
        on_time = int(mine["on_time"].sum())
        rows.append({"code": code, "published": len(mine), "on_time": on_time, "late": len(mine) - on_time,
                     "not_published": with_plan - len(mine)})
    return pd.DataFrame(rows, columns=["code", "published", "on_time", "late", "not_published"])


def dimension_points(r: Rollup, code: str) -> pd.DataFrame:
    """One row per organisation and dimension of round `code`: org_id, dimension, result (scored ones only)."""
    mine = r.summaries[r.summaries["code"] == code]
    rows = [(org, d, v) for d in DIMENSIONS for org, v in zip(mine["org_id"], mine[f"dim{d}_result"], strict=True)
            if v is not None and not pd.isna(v)]
    return pd.DataFrame(rows, columns=["org_id", "dimension", "result"]).sort_values(["dimension", "result"])


def latest_per_year(r: Rollup) -> pd.DataFrame:
    """Per organisation and fiscal year, the summary of the latest round published (round 2 covers the year)."""
    s = r.summaries.sort_values(["org_id", "fiscal_year_be", "round_no"])
    return s.drop_duplicates(["org_id", "fiscal_year_be"], keep="last")


def budget_by_year(r: Rollup) -> pd.DataFrame:
    """Per fiscal year: organisations reporting, their planned budget and their recorded spending (SCORING.md §5)."""
    s = latest_per_year(r)
    out = s.groupby("fiscal_year_be").agg(orgs=("org_id", "count"), planned_thb=("planned_thb", "sum"),
                                          spent_thb=("spent_thb", lambda v: int(pd.to_numeric(v).fillna(0).sum())))
    return out.reset_index()


def ita_by_year(r: Rollup) -> pd.DataFrame:
    """Per fiscal year: organisations with a target, with a recorded score, reaching the target, below it."""
    y = r.yearly
    rows = []
    for fy, group in y.groupby("fiscal_year_be"):
        actual = pd.to_numeric(group["ita_actual"])
        recorded = group[actual.notna()]
        met = int((pd.to_numeric(recorded["ita_actual"]) >= pd.to_numeric(recorded["ita_target"])).sum())
        rows.append({"fiscal_year_be": int(fy), "targets": len(group), "recorded": len(recorded), "met": met,
                     "below": len(recorded) - met,
                     "median_actual": None if recorded.empty else float(pd.to_numeric(recorded["ita_actual"]).median())})
    return pd.DataFrame(rows, columns=["fiscal_year_be", "targets", "recorded", "met", "below", "median_actual"])


def item_statuses(r: Rollup, code: str) -> dict[str, int]:
    """Round `code`'s items by status over every organisation, and the not-possible ones' reasons (reason_*)."""
    mine = r.summaries[r.summaries["code"] == code]
    out = {s: int(mine[s].sum()) for s in [*STATUSES, "not_scored"]}
    return out | {f"reason_{k}": n for k in [*REASONS, "unstated"] if (n := int(mine[f"reason_{k}"].sum()))}


DRILLS = ("no_plan", "no_rounds", "not_published", "late", "on_time", "dimension", "not_started", "not_possible",
          "ita_below", "ita_missing", "overdue", "budget")


def drill(r: Rollup, figure: str, code: str | None = None, fiscal_year: int | None = None,
          dimension: int | None = None) -> pd.DataFrame:
    """The organisations behind a figure, with the value that puts them there (`value`), worst first."""
    orgs = r.orgs.set_index("org_id")
    s = r.summaries[r.summaries["code"] == code] if code else r.summaries
    if figure == "no_plan":
        ids, value = orgs.index[orgs["plan_id"].isna()], None
    elif figure == "no_rounds":
        ids, value = orgs.index[orgs["plan_id"].notna() & (orgs["rounds"] == 0)], None
    elif figure == "not_published":
        ids, value = orgs.index[orgs["plan_id"].notna() & ~orgs.index.isin(s["org_id"])], None
    elif figure in ("late", "on_time"):
        chosen = s[s["on_time"] == (figure == "on_time")]
        ids, value = chosen["org_id"], dict(zip(chosen["org_id"], chosen["published_on"], strict=True))
    elif figure == "dimension":
        points = dimension_points(r, code)
        points = points[points["dimension"] == dimension]
        ids, value = points["org_id"], dict(zip(points["org_id"], points["result"], strict=True))
    elif figure in ("not_started", "not_possible"):
        chosen = s[s[figure] > 0].sort_values(figure, ascending=False)
        ids, value = chosen["org_id"], dict(zip(chosen["org_id"], chosen[figure], strict=True))
    elif figure in ("ita_below", "ita_missing"):
        y = r.yearly[r.yearly["fiscal_year_be"] == fiscal_year]
        actual, target = pd.to_numeric(y["ita_actual"]), pd.to_numeric(y["ita_target"])
        chosen = y[actual.isna()] if figure == "ita_missing" else y[actual.notna() & (actual < target)]
        chosen = chosen.assign(gap=pd.to_numeric(chosen["ita_actual"]) - pd.to_numeric(chosen["ita_target"]))
        chosen = chosen.sort_values("gap")
        ids, value = chosen["org_id"], dict(zip(chosen["org_id"], chosen["ita_actual"], strict=True))
    elif figure == "overdue":
        chosen = r.overdue.sort_values("overdue", ascending=False)
        ids, value = chosen["org_id"], dict(zip(chosen["org_id"], chosen["overdue"], strict=True))
    elif figure == "budget":
        chosen = latest_per_year(r)
        chosen = chosen[chosen["fiscal_year_be"] == fiscal_year].sort_values("planned_thb", ascending=False)
        ids, value = chosen["org_id"], dict(zip(chosen["org_id"], chosen["spent_thb"], strict=True))
    else:
        raise ValueError(figure)
    out = orgs.loc[list(ids), ["code", "name_th", "name_en", "org_type", "province_th", "district_th"]].reset_index()
    out["value"] = [value.get(i) for i in out["org_id"]] if value is not None else None
    return out

