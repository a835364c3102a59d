"""Budget: where does the plan's money go — by dimension and year, by unit, funded or not, planned versus spent?"""

import streamlit as st

from acplan import charts, format as fmt, summary
from acplan.i18n import t
from acplan.ui import frame, state, views
from acplan.ui.views import chart_with_table

lang = state.lang()
bundle = state.require_plan()
frame.header(t("budget_page_title", lang))

by_dim_year = summary.budget_by_dimension_year(bundle.projects, bundle.budget)
chart_with_table(
    charts.budget_by_dimension_year(by_dim_year, lang=lang),
    views.by_year_table(by_dim_year.pivot(index="fiscal_year_be", columns="dimension", values="amount_thb"), lang,
                        {d: t("dimension_n", lang, n=d) for d in range(1, 5)}),
    key="budget_by_dimension_year", lang=lang)

left, right = st.columns(2)
with left:
    by_unit = summary.budget_by_unit(bundle.projects, bundle.budget)
    chart_with_table(charts.budget_by_unit(by_unit, lang=lang),
                     by_unit.rename(columns={"responsible_unit": t("col_unit", lang), "amount_thb": t("col_budget", lang),
                                             "items": t("col_items", lang)}),
                     key="budget_by_unit", lang=lang)
with right:
    funded = summary.funded_by_dimension(bundle.projects, bundle.budget)
    chart_with_table(charts.funded_vs_unfunded(funded, lang=lang),
                     funded.assign(funded=[t("funded" if f else "unfunded", lang) for f in funded["funded"]])
                     .rename(columns={"dimension": t("col_dimension", lang), "funded": t("col_funding", lang),
                                      "items": t("col_items", lang)}),
                     key="funded_vs_unfunded", lang=lang)

st.subheader(t("chart_planned_vs_actual", lang))
actual = state.actual_spending(bundle.plan.id)
if actual.empty:
    st.info(t("no_actuals_yet", lang))
else:
    series = summary.planned_vs_actual(bundle.budget, actual)
    chart_with_table(charts.planned_vs_actual(series, lang=lang),
                     views.by_year_table(series.pivot(index="fiscal_year_be", columns="series", values="amount_thb"), lang,
                                         {"planned": t("series_planned", lang), "actual": t("series_actual", lang)}),
                     key="planned_vs_actual", lang=lang)
st.caption(" · ".join(fmt.fiscal_year_label(y, lang) for y in sorted(bundle.budget["fiscal_year_be"].unique())))
