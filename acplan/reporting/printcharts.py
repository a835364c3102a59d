"""The meeting pack's charts for print: bar charts as data that the report template draws as HTML tables.

Why not the dashboard's Altair charts through vl-convert: in print a chart's figures must be text — exact in the
PDF's text layer, read by a screen reader as a table, black on white on a photocopy — and every bar here carries
its value. WeasyPrint lays these tables out itself, so the PDF no longer starts a JavaScript engine (vl-convert)
or imports Altair: 1.6 s and 107 MB of the pack's 393 MB peak (`bench/report_speed.py`). The dashboard and the
Word edition keep the Altair charts.

Each bar's length is its share of the chart's scale, written by the template as a CSS width; series are a light
and a dark fill with a dark outline, told apart in greyscale by the legend's order and by the value on each bar.
"""

from dataclasses import dataclass, field

import pandas as pd

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan.models import DIMENSIONS

HEADROOM = 1.18  # the scale runs past the longest bar so that its value still fits on the line
PANEL_HEADROOM = 1.6  # a half-width panel leaves more of its width for the value


@dataclass(frozen=True)
class Bar:
    value: float | None
    text: str  # the value as printed (baht grouped, a score to two places, "ยังไม่ได้บันทึก")
    series: int = 0  # 0: light fill, 1: dark fill
    pct: float = 0.0  # the bar's length, % of the chart's width


@dataclass(frozen=True)
class Group:
    label: str
    bars: list[Bar]


@dataclass
class BarChart:
    title: str
    groups: list[Group]
    series: list[str] = field(default_factory=list)  # legend, in series order; none for a one-series chart
    note: str = ""

    def scaled(self, scale_max: float | None = None) -> "BarChart":
        """The chart with each bar's length set against `scale_max` (default: the longest bar plus headroom)."""
        top = scale_max or max((b.value or 0 for g in self.groups for b in g.bars), default=0) * HEADROOM or 1
        self.groups = [Group(g.label, [Bar(b.value, b.text, b.series, round(100 * (b.value or 0) / top, 1))
                                       for b in g.bars]) for g in self.groups]
        return self


def _dimension(n: int, lang: str) -> str:
    return t("dimension_n", lang, n=n)


def planned_vs_spent(table: pd.DataFrame, lang: str) -> BarChart:
    """Per dimension, the year's planned budget (light) over the spending reported (dark); no spending bar where
    none was reported. `table`: dimension (0 = the whole plan, left out), budget_thb, spent_thb."""
    groups = []
    for r in table[table["dimension"] > 0].itertuples():
        bars = [Bar(int(r.budget_thb), fmt.number(int(r.budget_thb)), 0)]
        if not pd.isna(r.spent_thb):
            bars.append(Bar(int(r.spent_thb), fmt.number(int(r.spent_thb)), 1))
        groups.append(Group(_dimension(r.dimension, lang), bars))
    return BarChart(t("chart_planned_vs_spent_year", lang), groups,
                    [t("series_planned", lang), t("series_actual", lang)], t("axis_baht", lang)).scaled()


def dimension_scores(table: pd.DataFrame, lang: str) -> BarChart:
    """Each scored dimension's result on the 1–5 scale (the bar's full width is 5)."""
    rows = table[table["dimension"] > 0].dropna(subset=["result"])
    return BarChart(t("chart_dimension_scores", lang),
                    [Group(_dimension(r.dimension, lang), [Bar(float(r.result), f"{r.result:.2f}", 1)])
                     for r in rows.itertuples()]).scaled(5 * HEADROOM)


def status_distribution(counts: pd.DataFrame, lang: str) -> BarChart:
    """How many items have each status, most first."""
    rows = counts.sort_values("items", ascending=False, kind="stable")
    return BarChart(t("chart_status_distribution", lang),
                    [Group(t(f"status_{r.status}", lang), [Bar(int(r.items), str(int(r.items)), 1)])
                     for r in rows.itertuples()], note=t("col_items", lang)).scaled()


def budget_by_dimension_year(table: pd.DataFrame, lang: str) -> list[BarChart]:
    """One panel per dimension (its name as the panel's title): the planned budget of every fiscal year, all panels
    on the same scale so that they compare."""
    top = max(int(table["amount_thb"].max() or 0), 0) * PANEL_HEADROOM or 1
    panels = []
    for n in DIMENSIONS:
        rows = table[table["dimension"] == n].sort_values("fiscal_year_be")
        panels.append(BarChart(_dimension(n, lang), [
            Group(fmt.fiscal_year_short(int(r.fiscal_year_be), lang), [Bar(int(r.amount_thb), fmt.number(int(r.amount_thb)))])
            for r in rows.itertuples()]).scaled(top))
    return panels


def ita_target_vs_actual(targets: pd.DataFrame, lang: str) -> BarChart:
    """Per fiscal year the plan's ITA target (light) over the score recorded (dark, or 'not recorded'), on 0–100."""
    groups = []
    for r in targets.itertuples():
        actual = None if r.ita_actual is None or pd.isna(r.ita_actual) else float(r.ita_actual)
        groups.append(Group(fmt.fiscal_year_short(int(r.fiscal_year_be), lang), [
            Bar(float(r.ita_target), f"{r.ita_target:g}", 0),
            Bar(actual, t("pack_not_recorded", lang) if actual is None else f"{actual:.2f}", 1)]))
    return BarChart(t("chart_ita", lang), groups, [t("col_ita_target", lang), t("col_ita_actual", lang)],
                    t("axis_ita_score", lang)).scaled(100 * HEADROOM)
