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
