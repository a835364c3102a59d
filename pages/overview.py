"""Overview: what does the plan hold, what does it cost this year, and how far are we from this year's targets?"""

import streamlit as st

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan import figures
from acplan.ui import blocks, frame, session, state, views

lang = state.lang()
bundle = state.require_plan()
plan = bundle.plan
fy = figures.plan_year(state.current_fiscal_year(), plan.start_fy_be, plan.end_fy_be)
view = blocks.overview_view(plan.id, lang, fy)

frame.header(plan.title_th if lang == "th" else plan.title_en,
             f"{plan.org_name_th if lang == 'th' else plan.org_name_en} · "
             + t("overview_period", lang, start=plan.start_fy_be, end=plan.end_fy_be) + " · "
             + t("current_fy", lang, label=fmt.fiscal_year_label(fy, lang)))

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("metric_budget_total", lang), fmt.baht(view["total"], lang), border=True)
c2.metric(t("metric_budget_year", lang, fy=fmt.fiscal_year_short(fy, lang)), fmt.baht(view["year"], lang), border=True)
views.target_metrics(view["target"], fy, lang, (c3, c4))
st.markdown(views.items_line(view, lang))
views.dimension_cards(view["cards"], lang)
views.latest_round(*state.evaluation(plan.id, session.actor()), lang)

left, right = st.columns(2)
with left:
    st.subheader(t("items_by_kind", lang))
    st.dataframe({t("col_kind", lang): [t(f"kind_{k}", lang) for k, _ in view["kinds"]],
                  t("col_items", lang): [n for _, n in view["kinds"]]}, hide_index=True, width="stretch")
with right:
    st.subheader(t("budget_by_year", lang))
    st.dataframe({t("col_fiscal_year", lang): [fmt.fiscal_year_label(y, lang) for y, _ in view["by_year"]],
                  t("col_budget", lang): [fmt.number(a) for _, a in view["by_year"]]}, hide_index=True, width="stretch")
