"""Altair chart builders for the dashboard, legible on a projector; each takes a tidy DataFrame."""

import altair as alt
import pandas as pd

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan.models import DIMENSIONS

FONT = "Sarabun, Noto Sans Thai, sans-serif"
# Okabe–Ito hues darkened until each has at least 3:1 contrast on white (tests/test_charts.py checks).
DIMENSION_COLOURS = ("#0072B2", "#C0460A", "#00735A", "#A4487F")
PLANNED_COLOUR, ACTUAL_COLOUR = "#0072B2", "#C0460A"
APPROVED_COLOUR = "#6B6B6B"  # the plan as first approved, beside the amended plan in PLANNED_COLOUR
FUNDED_COLOURS = ("#0072B2", "#8A8A8A")
SIZES = {  # px: (axis labels, axis titles, chart title, legend)
    False: (16, 18, 22, 16),
    True: (22, 24, 30, 22),
}
CHART_HEIGHT_PX = 340
HEATMAP_ROW_PX = 30  # every item's row labelled, its value in a 16 px figure
TEXT_COLOUR = "#1A1A1A"


def _finish(chart: alt.Chart, title: str, present: bool) -> alt.Chart:
    label, axis_title, title_size, legend = SIZES[present]
    height = chart.height if isinstance(chart.height, int) else CHART_HEIGHT_PX + (80 if present else 0)
    return (chart.properties(title=title, height=height)
            .configure(font=FONT)
            .configure_axis(labelFontSize=label, titleFontSize=axis_title, labelFont=FONT, titleFont=FONT,
                            labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelLimit=420, grid=True, gridColor="#DDDDDD")
            .configure_title(fontSize=title_size, font=FONT, anchor="start", fontWeight=600, color=TEXT_COLOUR)
            .configure_legend(labelFontSize=legend, titleFontSize=legend, labelFont=FONT, titleFont=FONT, labelLimit=420,
                              labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, orient="top")
            .configure_view(stroke=None))


def dimension_scale(lang: str) -> alt.Scale:
    return alt.Scale(domain=[t("dimension_n", lang, n=n) for n in DIMENSIONS], range=list(DIMENSION_COLOURS))


def budget_by_dimension_year(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Grouped bars: planned budget (baht) per fiscal year, one bar per dimension."""
    data = df.assign(dimension_label=[t("dimension_n", lang, n=n) for n in df["dimension"]],
                     year_label=[fmt.fiscal_year_short(y, lang) for y in df["fiscal_year_be"]],
                     amount_text=[fmt.baht(a, lang) for a in df["amount_thb"]])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:N", title=t("col_fiscal_year", lang), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("dimension_label:N"),
        y=alt.Y("amount_thb:Q", title=t("axis_baht", lang), axis=alt.Axis(format=",d")),
        color=alt.Color("dimension_label:N", title=t("col_dimension", lang), scale=dimension_scale(lang)),
        tooltip=[alt.Tooltip("dimension_label:N", title=t("col_dimension", lang)),
                 alt.Tooltip("year_label:N", title=t("col_fiscal_year", lang)),
                 alt.Tooltip("amount_text:N", title=t("col_budget", lang))])
    return _finish(chart, t("chart_budget_by_dimension_year", lang), present)


def budget_by_unit(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Horizontal bars: five-year planned budget (baht) per responsible unit, largest first."""
    data = df.assign(amount_text=[fmt.baht(a, lang) for a in df["amount_thb"]])
    # No axis title on the units (the chart's title says what they are): it sat on the unit names. Amounts
    # in thousands of baht with few ticks, so "1,000,000" is never cut at the plot's edge.
    chart = alt.Chart(data).mark_bar(color=PLANNED_COLOUR).encode(
        y=alt.Y("unit:N", title=None, sort="-x", axis=alt.Axis(labelLimit=520)),
        x=alt.X("amount_thb:Q", title=t("axis_baht", lang), axis=alt.Axis(format=",d", tickCount=4, labelFlush=True)),
        tooltip=[alt.Tooltip("unit:N", title=t("col_unit", lang)),
                 alt.Tooltip("amount_text:N", title=t("col_budget", lang)),
                 alt.Tooltip("items:Q", title=t("col_items", lang))])
    return _finish(chart, t("chart_budget_by_unit", lang), present)


def funded_vs_unfunded(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Stacked bars per dimension: items with a budget and items that need none."""
    data = df.assign(dimension_label=[t("dimension_n", lang, n=n) for n in df["dimension"]],
                     funding=[t("funded" if f else "unfunded", lang) for f in df["funded"]])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("dimension_label:N", title=t("col_dimension", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("items:Q", title=t("col_items", lang), axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("funding:N", title=t("col_funding", lang),
                        scale=alt.Scale(domain=[t("funded", lang), t("unfunded", lang)], range=list(FUNDED_COLOURS))),
        tooltip=[alt.Tooltip("dimension_label:N", title=t("col_dimension", lang)),
                 alt.Tooltip("funding:N", title=t("col_funding", lang)), alt.Tooltip("items:Q", title=t("col_items", lang))])
    return _finish(chart, t("chart_funded_vs_unfunded", lang), present)


def planned_vs_actual(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Side-by-side bars per fiscal year: planned budget and actual spending (never stacked or summed)."""
    return _two_series(df, ("planned", "actual"), (PLANNED_COLOUR, ACTUAL_COLOUR), "chart_planned_vs_actual", lang,
                       present)


def approved_vs_amended(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Side-by-side bars per fiscal year: the budget as the plan was first approved and as amended since."""
    return _two_series(df, ("approved", "amended"), (APPROVED_COLOUR, PLANNED_COLOUR), "chart_approved_vs_amended",
                       lang, present)


def _two_series(df: pd.DataFrame, series: tuple[str, str], colours: tuple[str, str], title: str, lang: str,
                present: bool) -> alt.Chart:
    data = df.assign(year_label=[fmt.fiscal_year_short(y, lang) for y in df["fiscal_year_be"]],
                     series_label=[t(f"series_{s}", lang) for s in df["series"]],
                     amount_text=[fmt.baht(a, lang) for a in df["amount_thb"]])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:N", title=t("col_fiscal_year", lang), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series_label:N"),
        y=alt.Y("amount_thb:Q", title=t("axis_baht", lang), axis=alt.Axis(format=",d"), stack=None),
        color=alt.Color("series_label:N", title="", scale=alt.Scale(
            domain=[t(f"series_{s}", lang) for s in series], range=list(colours))),
        tooltip=[alt.Tooltip("year_label:N", title=t("col_fiscal_year", lang)),
                 alt.Tooltip("series_label:N", title=""), alt.Tooltip("amount_text:N", title=t("col_amount", lang))])
    return _finish(chart, t(title, lang), present)


def ita_target_vs_actual(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """ITA score per fiscal year: the plan's target as bars, the recorded score as points."""
    years = [fmt.fiscal_year_short(y, lang) for y in df["fiscal_year_be"]]
    data = df.assign(year_label=years, described=[  # each mark's name for a screen reader
        f"{y}: {t('col_ita_target', lang)} {fmt.number(target)}, {t('col_ita_actual', lang)} "
        + (t("not_recorded", lang) if pd.isna(actual) else fmt.number(actual))
        for y, target, actual in zip(years, df["ita_target"], df["ita_actual"], strict=True)])
    base = alt.Chart(data).encode(x=alt.X("year_label:N", title=t("col_fiscal_year", lang), axis=alt.Axis(labelAngle=0)),
                                  description="described:N")
    target = base.mark_bar(color="#9CC3E6").encode(
        y=alt.Y("ita_target:Q", title=t("axis_ita_score", lang), scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("year_label:N", title=t("col_fiscal_year", lang)),
                 alt.Tooltip("ita_target:Q", title=t("col_ita_target", lang))])
    actual = base.mark_point(size=260, filled=True, color=ACTUAL_COLOUR, shape="diamond").encode(
        y="ita_actual:Q", tooltip=[alt.Tooltip("year_label:N", title=t("col_fiscal_year", lang)),
                                   alt.Tooltip("ita_actual:Q", title=t("col_ita_actual", lang), format=".2f")])
    recorded = data["ita_actual"].notna().any()  # no empty layer: Vega would name its empty mark group nothing
    return _finish(alt.layer(target, actual) if recorded else target, t("chart_ita", lang), present)


def score_heatmap(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Items × rounds, coloured by the members' mean score 1–5 (SCORING.md §3); blank where not scored."""
    data = df.dropna(subset=["mean"]).assign(item_label=[t("project_heading", lang, no=n) for n in
                                                         df.dropna(subset=["mean"])["number"]])
    base = alt.Chart(data).encode(
        x=alt.X("round:O", title=t("col_round", lang), sort=sorted(df["round"].unique().tolist()),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("item_label:N", title=None, axis=alt.Axis(labelOverlap=False),
                sort=[t("project_heading", lang, no=n) for n in sorted(df["number"].unique())]))
    cells = base.mark_rect().encode(
        color=alt.Color("mean:Q", title=t("col_score_mean", lang), scale=alt.Scale(domain=[1, 5], scheme="blues")),
        tooltip=[alt.Tooltip("item_label:N", title=t("col_item", lang)), alt.Tooltip("round:O", title=t("col_round", lang)),
                 alt.Tooltip("mean:Q", title=t("col_score_mean", lang), format=".2f"),
                 alt.Tooltip("n:Q", title=t("col_n_scored", lang))])
    labels = base.mark_text(fontSize=SIZES[present][0]).encode(
        text=alt.Text("mean:Q", format=".1f"),
        color=alt.condition("datum.mean >= 3.5", alt.value("white"), alt.value(TEXT_COLOUR)))
    chart = alt.layer(cells, labels).properties(height=max(CHART_HEIGHT_PX, HEATMAP_ROW_PX * df["number"].nunique()))
    return _finish(chart, t("chart_heatmap", lang), present)


def status_distribution(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Horizontal bars: how many items have each implementation status in the round, the count written at each
    bar's end (readable in greyscale and from the back of the room)."""
    data = df.assign(status_label=[t(f"status_{s}", lang) for s in df["status"]])
    base = alt.Chart(data).encode(
        y=alt.Y("status_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420)),
        x=alt.X("items:Q", title=t("col_items", lang), axis=alt.Axis(format="d", tickMinStep=1)))
    bars = base.mark_bar(color=PLANNED_COLOUR).encode(
        tooltip=[alt.Tooltip("status_label:N", title=t("col_status", lang)),
                 alt.Tooltip("items:Q", title=t("col_items", lang))])
    labels = base.mark_text(align="left", dx=6, fontSize=SIZES[present][0], color=TEXT_COLOUR).encode(text="items:Q")
    return _finish(alt.layer(bars, labels), t("chart_status_distribution", lang), present)


def dimension_scores(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Horizontal bars: each dimension's result on the 1–5 scale, its value written at the bar's end (readable
    in greyscale and without a legend). `df`: dimension, result."""
    data = df[df["dimension"] > 0].dropna(subset=["result"]).assign(
        dimension_label=lambda d: [t("dimension_n", lang, n=n) for n in d["dimension"]],
        result_text=lambda d: [f"{v:.2f}" for v in d["result"]])
    base = alt.Chart(data).encode(
        y=alt.Y("dimension_label:N", title=None, sort=None),
        x=alt.X("result:Q", title=t("col_result", lang), scale=alt.Scale(domain=[0, 5]), axis=alt.Axis(tickCount=5)))
    bars = base.mark_bar(color=PLANNED_COLOUR)
    labels = base.mark_text(align="left", dx=6, fontSize=SIZES[present][0], color=TEXT_COLOUR).encode(text="result_text:N")
    return _finish(alt.layer(bars, labels), t("chart_dimension_scores", lang), present)


def planned_vs_spent_by_dimension(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Per dimension, the year's planned budget beside the spending reported: a light and a dark bar, each with
    its amount written on it, so the pair reads in greyscale; no spending bar where none was reported.
    `df`: dimension, budget_thb, spent_thb."""
    rows = df[df["dimension"] > 0]
    data = pd.DataFrame([{"dimension_label": t("dimension_n", lang, n=r.dimension), "series": t(f"series_{key}", lang),
                          "amount_thb": int(getattr(r, column))}
                         for r in rows.itertuples() for key, column in (("planned", "budget_thb"), ("actual", "spent_thb"))
                         if not pd.isna(getattr(r, column))])  # no bar where no spending was reported
    data["amount_text"] = [fmt.number(a) for a in data["amount_thb"]]
    series = [t("series_planned", lang), t("series_actual", lang)]
    base = alt.Chart(data).encode(
        y=alt.Y("dimension_label:N", title=None, sort=None), yOffset=alt.YOffset("series:N", sort=series),
        x=alt.X("amount_thb:Q", title=t("axis_baht", lang), axis=alt.Axis(format=",d", tickCount=4)))
    bars = base.mark_bar().encode(color=alt.Color("series:N", title="", sort=series,
                                                  scale=alt.Scale(domain=series, range=["#9CC3E6", "#1F3B57"])))
    labels = base.mark_text(align="left", dx=4, fontSize=SIZES[present][0] - 2, color=TEXT_COLOUR).encode(
        text="amount_text:N")
    return _finish(alt.layer(bars, labels), t("chart_planned_vs_spent_year", lang), present)


ROLLUP_DOTS_MAX = 2000  # organisations × dimensions drawn one dot each; above, dots stand for how many share a value


def rollup_dimensions(df: pd.DataFrame, *, lang: str, present: bool = False) -> alt.Chart:
    """Across organisations: each dimension's results (1–5) as a box (lowest–highest line, quartile box, median tick)
    with the organisations as dots over it, so the spread shows and not only a mean. Up to ROLLUP_DOTS_MAX dots each
    is one organisation (its name in the tooltip); beyond, a dot stands for the organisations whose result rounds to
    the same tenth, sized by how many (a nation's 8,000 would not fit a chart one by one). `df`: dimension, result,
    org (its name)."""
    label = {n: t("dimension_n", lang, n=n) for n in DIMENSIONS}
    order = [label[n] for n in DIMENSIONS]
    stats = df.groupby("dimension")["result"].quantile([0, 0.25, 0.5, 0.75, 1]).unstack()
    stats.columns = ["low", "q1", "median", "q3", "high"]
    boxes = stats.reset_index().assign(dimension_label=lambda d: [label[int(n)] for n in d["dimension"]])
    x = alt.X("dimension_label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[1, 5])
    base = alt.Chart(boxes).encode(x=x)
    whisker = base.mark_rule(color=TEXT_COLOUR).encode(
        y=alt.Y("low:Q", title=t("col_result", lang), scale=y_scale, axis=alt.Axis(tickCount=5)), y2="high:Q")
    box = base.mark_bar(size=60, opacity=0.35, color=PLANNED_COLOUR).encode(y=alt.Y("q1:Q", scale=y_scale), y2="q3:Q")
    median = base.mark_tick(size=60, thickness=3, color=TEXT_COLOUR).encode(y=alt.Y("median:Q", scale=y_scale))
    if len(df) <= ROLLUP_DOTS_MAX:
        dots = df.assign(dimension_label=[label[int(n)] for n in df["dimension"]],
                         result_text=[f"{v:.2f}" for v in df["result"]])
        points = alt.Chart(dots).mark_circle(size=70, opacity=0.8, color=ACTUAL_COLOUR).encode(
            x=x, y=alt.Y("result:Q", scale=y_scale), xOffset=alt.XOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])),
            tooltip=[alt.Tooltip("org:N", title=t("col_org", lang)), alt.Tooltip("dimension_label:N", title=""),
                     alt.Tooltip("result_text:N", title=t("col_result", lang))]
        ).transform_calculate(jitter="sqrt(-2*log(random()))*cos(2*PI*random()) / 4")
    else:
        binned = (df.assign(result=df["result"].round(1)).groupby(["dimension", "result"]).size().rename("orgs")
                  .reset_index().assign(dimension_label=lambda d: [label[int(n)] for n in d["dimension"]]))
        points = alt.Chart(binned).mark_circle(opacity=0.7, color=ACTUAL_COLOUR).encode(
            x=x, y=alt.Y("result:Q", scale=y_scale), size=alt.Size("orgs:Q", title=t("col_orgs", lang)),
            tooltip=[alt.Tooltip("dimension_label:N", title=""), alt.Tooltip("result:Q", title=t("col_result", lang)),
                     alt.Tooltip("orgs:Q", title=t("col_orgs", lang))])
    return _finish(alt.layer(whisker, box, median, points), t("chart_rollup_dimensions", lang), present)
