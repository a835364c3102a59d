"""Risks: which fraud risks does the plan answer, and which control measures have no item behind them?"""

import streamlit as st

from acplan.i18n import t
from acplan.ui import frame, state

lang = state.lang()
bundle = state.require_plan()
frame.header(t("risks_page_title", lang), t("risks_intro", lang))
areas = state.risk_view(bundle.plan.id)

st.dataframe({
    t("col_number", lang): [a["area"] for a in areas],
    t("col_level", lang): [t(f"level_{a['top_level']}", lang) for a in areas],
    t("col_attention", lang): [t("attention_flag", lang) if a["attention"] else "" for a in areas],
    t("col_measures", lang): [a["measures"] for a in areas],
    t("col_linked", lang): [a["linked"] for a in areas],
    t("col_gaps", lang): [a["gaps"] for a in areas],
    t("col_process", lang): [a["process_th"] for a in areas],
}, hide_index=True, width="stretch")

for area in areas:
    with st.container(border=True):
        st.subheader(t("risk_area_heading", lang, n=area["area"], process=area["process_th"]))
        if area["attention"]:
            st.error(t("risk_attention", lang), icon=":material/priority_high:")
        st.caption(t("risk_level_printed", lang, text=area["level_text_th"]) + " · "
                   + t("risk_coverage", lang, linked=area["linked"], measures=area["measures"]))
        st.markdown(f"**{t('risk_issues', lang)}**")
        st.text("\n".join(f"{i['issue']}. {i['text_th']} — {t('col_level', lang)}: {t('level_' + i['level'], lang)}"
                          for i in area["issue_list"]))
        st.markdown(f"**{t('risk_measures', lang)}**")
        gaps = [m for m in area["measure_list"] if not m["items"]]
        if gaps:
            st.warning("  \n".join(f"{m['number']}. {m['text_th']} — {t('risk_gap', lang)}" for m in gaps),
                       icon=":material/block:")
        for measure in (m for m in area["measure_list"] if m["items"]):
            for item in measure["items"]:
                st.page_link("pages/project.py", icon=":material/task_alt:", query_params=frame.lang_params(no=item["number"]),
                             label=f"{measure['number']}. {measure['text_th']} → {t('project_heading', lang, no=item['number'])} "
                                   f"({t('match_' + item['match'], lang)})")
        for note in area["notes"]:
            st.caption(f"{t('section_notes', lang)}: {note['text_th']}")
