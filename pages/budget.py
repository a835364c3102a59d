"""Budget: where does the plan's money go — by dimension and year, by unit, funded or not, planned versus spent?"""

import streamlit as st

from acplan import format as fmt
from acplan.i18n import t
from acplan.ui import blocks, frame, state, views

lang = state.lang()
bundle = state.require_plan()
frame.header(t("budget_page_title", lang))
charts = blocks.budget_blocks(bundle.plan.id, lang)

views.show_block(charts["by_dim_year"], lang)
views.show_block(charts["by_unit"], lang)  # full width: long unit names and seven-figure amounts need it
views.show_block(charts["funded"], lang)
if "approved_vs_amended" in charts:  # the plan was amended: as first approved beside as it stands
    views.show_block(charts["approved_vs_amended"], lang)
    for a in state.amendments_of(bundle.plan.id):
        st.text(t("amend_summary", lang, number=a.number, date=fmt.date_long(a.approved_on, lang),
                  year=a.effective_fy_be, reason=a.reason_th))

st.subheader(t("chart_planned_vs_actual", lang))
if "planned_vs_actual" in charts:
    views.show_block(charts["planned_vs_actual"], lang)
else:
    st.info(t("no_actuals_yet", lang))
st.caption(" · ".join(fmt.fiscal_year_label(y, lang) for y in sorted(bundle.budget["fiscal_year_be"].unique())))
