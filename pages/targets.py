"""Targets: how far is the municipality from each year's ITA score and case-reduction targets?"""

import streamlit as st

from acplan.i18n import t
from acplan.ui import blocks, frame, state, views

lang = state.lang()
bundle = state.require_plan()
view = blocks.targets_view(bundle.plan.id, lang)
frame.header(t("targets_page_title", lang), t("targets_intro", lang, baseline=view["baseline"]))
st.caption(view["baseline_text"])
st.table(view["table"], hide_index=True)
views.show_chart(view["block"])
