"""Overview: what does the plan contain, and what does it cost, per dimension and per year?"""

import streamlit as st

from acplan import format as fmt, summary
from acplan.i18n import t
from acplan.ui import state

lang = state.lang()
bundle = state.require_plan()
plan = bundle.plan

st.title(plan.title_th if lang == "th" else plan.title_en)
st.caption(f"{plan.org_name_th if lang == 'th' else plan.org_name_en} · "
           + t("overview_period", lang, start=plan.start_fy_be, end=plan.end_fy_be))

c1, c2, c3 = st.columns(3)
c1.metric(t("metric_items", lang), fmt.number(len(bundle.projects)))
c2.metric(t("metric_budget_total", lang), fmt.baht(summary.total_budget_thb(bundle.budget), lang))
c3.metric(t("metric_unfunded", lang), t("count_items", lang, n=summary.unfunded_items(bundle.budget)))

left, right = st.columns(2)
with left:
    st.subheader(t("items_by_dimension", lang))
    by_dim = summary.items_by_dimension(bundle.projects)
    st.dataframe(
        {t("col_dimension", lang): [t("dimension_n", lang, n=d) for d in by_dim["dimension"]],
         t("col_items", lang): by_dim["items"].tolist()}, hide_index=True, width="stretch")
    st.subheader(t("items_by_kind", lang))
    by_kind = summary.items_by_kind(bundle.projects)
    st.dataframe(
        {t("col_kind", lang): [t(f"kind_{k}", lang) for k in by_kind["kind"]],
         t("col_items", lang): by_kind["items"].tolist()}, hide_index=True, width="stretch")
with right:
    st.subheader(t("budget_by_year", lang))
    by_year = summary.budget_by_year(bundle.budget)
    st.dataframe(
        {t("col_fiscal_year", lang): [fmt.fiscal_year_label(y, lang) for y in by_year["fiscal_year_be"]],
         t("col_budget", lang): [fmt.baht(a, lang) for a in by_year["amount_thb"]]}, hide_index=True, width="stretch")
