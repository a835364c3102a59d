"""Risks: which fraud risks does the plan answer, and which control measures have no item behind them?"""

import streamlit as st

from acplan import register
from acplan.i18n import t
from acplan.ui import frame, state

lang = state.lang()
bundle = state.require_plan()
frame.header(t("risks_page_title", lang), t("risks_intro", lang))
names = dict(zip(bundle.projects["number"], bundle.projects["name_th"], strict=True))
coverage = register.area_coverage(bundle.risk_areas, bundle.risk_issues, bundle.risk_measures)

st.dataframe({
    t("col_number", lang): coverage["area"].tolist(),
    t("col_process", lang): coverage["process_th"].tolist(),
    t("col_level", lang): [t(f"level_{lv}", lang) for lv in coverage["top_level"]],
    t("col_attention", lang): [t("attention_flag", lang) if a else "" for a in coverage["attention"]],
    t("col_measures", lang): coverage["measures"].tolist(),
    t("col_linked", lang): coverage["linked"].tolist(),
    t("col_gaps", lang): coverage["gaps"].tolist(),
}, hide_index=True, width="stretch")

for area in coverage.itertuples():
    with st.container(border=True):
        st.subheader(t("risk_area_heading", lang, n=area.area, process=area.process_th))
        if area.attention:
            st.error(t("risk_attention", lang), icon=":material/priority_high:")
        st.caption(t("risk_level_printed", lang, text=area.level_text_th) + " · "
                   + t("risk_coverage", lang, linked=area.linked, measures=area.measures))
        issues = bundle.risk_issues[bundle.risk_issues["area"] == area.area]
        st.table({t("risk_issues", lang): [f"{i.issue}. {i.text_th}" for i in issues.itertuples()],
                  t("col_level", lang): [t(f"level_{i.level}", lang) for i in issues.itertuples()]}, hide_index=True)
        measures = bundle.risk_measures[bundle.risk_measures["area"] == area.area]
        for measure, links in measures.groupby("measure", sort=True):
            text = links["text_th"].iloc[0]
            linked = links.dropna(subset=["project"])
            if linked.empty:
                st.warning(f"{measure}. {text} — {t('risk_gap', lang)}", icon=":material/block:")
                continue
            st.text(f"{measure}. {text}")
            for link in linked.itertuples():
                st.page_link("pages/project.py", icon=":material/subdirectory_arrow_right:",
                             label=f"{t('project_heading', lang, no=int(link.project))}: {names[int(link.project)]} "
                                   f"({t(f'match_{link.match}', lang)})",
                             query_params=frame.lang_params(no=int(link.project)))
        for note in state.notes(bundle.plan.id, "risk_area", str(area.area)):
            st.caption(f"{t('section_notes', lang)}: {note['text_th']}")
