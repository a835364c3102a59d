"""Overview: what does the plan hold, what does it cost this year, and how far are we from this year's targets?"""

import streamlit as st

from acplan import format as fmt, summary
from acplan.i18n import t
from acplan.ui import frame, state, views

lang = state.lang()
bundle = state.require_plan()
plan = bundle.plan
fy = summary.plan_year(state.current_fiscal_year(), plan.start_fy_be, plan.end_fy_be)

frame.header(plan.title_th if lang == "th" else plan.title_en,
             f"{plan.org_name_th if lang == 'th' else plan.org_name_en} · "
             + t("overview_period", lang, start=plan.start_fy_be, end=plan.end_fy_be) + " · "
             + t("current_fy", lang, label=fmt.fiscal_year_label(fy, lang)))

year_budget = bundle.budget[bundle.budget["fiscal_year_be"] == fy]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("metric_budget_total", lang), fmt.baht(summary.total_budget_thb(bundle.budget), lang), border=True)
c2.metric(t("metric_budget_year", lang, fy=fmt.fiscal_year_short(fy, lang)),
          fmt.baht(summary.total_budget_thb(year_budget), lang), border=True)
views.target_metrics(bundle.targets, fy, lang, (c3, c4))
st.markdown(views.items_line(bundle, lang))
views.dimension_cards(bundle, lang)
views.latest_round(lang)

left, right = st.columns(2)
with left:
    st.subheader(t("items_by_kind", lang))
    by_kind = summary.items_by_kind(bundle.projects)
    st.dataframe({t("col_kind", lang): [t(f"kind_{k}", lang) for k in by_kind["kind"]],
                  t("col_items", lang): by_kind["items"].tolist()}, hide_index=True, width="stretch")
with right:
    st.subheader(t("budget_by_year", lang))
    by_year = summary.budget_by_year(bundle.budget)
    st.dataframe({t("col_fiscal_year", lang): [fmt.fiscal_year_label(y, lang) for y in by_year["fiscal_year_be"]],
                  t("col_budget", lang): [fmt.number(a) for a in by_year["amount_thb"]]}, hide_index=True, width="stretch")
