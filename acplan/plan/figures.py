"""Plan-level figures computed from the tidy frames in acplan.queries (pure functions)."""

import pandas as pd


def items_by_dimension(projects: pd.DataFrame) -> pd.DataFrame:
    """Item count per dimension: columns dimension, items."""
    return projects.groupby("dimension").size().rename("items").reset_index()


def items_by_kind(projects: pd.DataFrame) -> pd.DataFrame:
    """Item count per kind (None where the plan states no kind): columns kind, items."""
    kinds = projects["kind"].fillna("none")
    return kinds.value_counts().rename_axis("kind").rename("items").reset_index()


def budget_by_year(budget: pd.DataFrame) -> pd.DataFrame:
    """Planned budget per fiscal year, whole baht: columns fiscal_year_be, amount_thb."""
    return budget.groupby("fiscal_year_be", as_index=False)["amount_thb"].sum()


def total_budget_thb(budget: pd.DataFrame) -> int:
    return int(budget["amount_thb"].sum())


def unfunded_items(budget: pd.DataFrame) -> int:
    """How many items have no budget in any fiscal year (ไม่ใช้งบประมาณ)."""
    per_item = budget.groupby("number")["amount_thb"].sum()
    return int((per_item == 0).sum())


def case_reduction_pct(baseline_cases: int | None, cases: int | None) -> float | None:
    """Percent fewer corruption cases than the baseline year; None until both are recorded or when baseline is 0."""
    if baseline_cases is None or cases is None or baseline_cases == 0:
        return None
    return round((baseline_cases - cases) * 100 / baseline_cases, 1)


def budget_by_dimension_year(projects: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Planned budget per dimension and fiscal year: columns dimension, fiscal_year_be, amount_thb."""
    merged = budget.merge(projects[["number", "dimension"]], on="number")
    return merged.groupby(["dimension", "fiscal_year_be"], as_index=False)["amount_thb"].sum()


def budget_by_unit(projects: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Five-year planned budget and item count per responsible unit (one unit however the plan words it),
    largest first."""
    merged = budget.merge(projects[["number", "unit"]], on="number")
    money = merged.groupby("unit", as_index=False)["amount_thb"].sum()
    items = projects.groupby("unit").size().rename("items").reset_index()
    return money.merge(items, on="unit").sort_values(["amount_thb", "items"], ascending=False, ignore_index=True)


def funded_by_dimension(projects: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Per dimension, how many items have a budget and how many need none: columns dimension, funded, items."""
    per_item = budget.groupby("number")["amount_thb"].sum().gt(0).rename("funded").reset_index()
    merged = projects[["number", "dimension"]].merge(per_item, on="number")
    return merged.groupby(["dimension", "funded"]).size().rename("items").reset_index()


def plan_year(fiscal_year_be: int, start_fy_be: int, end_fy_be: int) -> int:
    """The plan year to show for `fiscal_year_be`: itself within the plan's period, else the nearest end."""
    return min(max(fiscal_year_be, start_fy_be), end_fy_be)


def planned_vs_actual(budget: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """Tidy planned and actual amounts per fiscal year, side by side (series = planned | actual), never summed."""
    planned = budget_by_year(budget).assign(series="planned")
    return pd.concat([planned, actual.assign(series="actual")], ignore_index=True)[["fiscal_year_be", "series", "amount_thb"]]


def approved_vs_amended(approved: pd.DataFrame, amended: pd.DataFrame) -> pd.DataFrame:
    """Tidy budget per fiscal year of the plan as first approved and as amended (series = approved | amended)."""
    return pd.concat([budget_by_year(approved).assign(series="approved"), budget_by_year(amended).assign(series="amended")],
                     ignore_index=True)[["fiscal_year_be", "series", "amount_thb"]]


def budget_lines(data: dict) -> pd.DataFrame:
    """Plan data's budget as list_budget_lines gives the stored plan's: number, fiscal_year_be, amount_thb."""
    return pd.DataFrame([(p["number"], int(y), a) for p in data["projects"] for y, a in sorted(p["budget_thb"].items())],
                        columns=["number", "fiscal_year_be", "amount_thb"])
