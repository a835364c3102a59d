"""Results: how did the committee rate each item and dimension in a round, and how does that change over time?"""

import streamlit as st

from acplan import format as fmt
from acplan.access import Permission
from acplan.i18n import t
from acplan.monitoring import evaluation
from acplan.monitoring.models import RoundStatus
from acplan.reporting import charts
from acplan.ui import blocks, frame, session, state, views
from acplan.ui import evidence as evidence_view
from acplan.ui.widgets import url_choice

lang = state.lang()
bundle = state.require_plan()
actor = session.actor()
visible, results = state.evaluation(bundle.plan.id, actor)
frame.header(t("results_page_title", lang))
if not visible:
    st.info(t("results_none", lang))
    st.stop()
codes = [r.code for r in visible]
code = url_choice("round", t("round_select", lang), codes, not_offered=t("round_not_offered", lang, codes=", ".join(codes)),
                  placeholder=t("choose_round", lang))
rnd = visible[codes.index(code)]
view = blocks.results_view(state.org_code(), bundle.plan.id, actor, code, lang)
st.caption(t("results_round_banner", lang, code=code, status=t(f"round_status_{rnd.status}", lang),
             period=f"{fmt.date_long(rnd.period_start, lang)} – {fmt.date_long(rnd.period_end, lang)}")
           + (f" · {t('after_the_fact', lang)}" if rnd.recorded_after_fact else ""))

if evaluation.sealed(actor, rnd.status):
    st.info(t("results_sealed", lang), icon=":material/lock:")
c1, c2, c3 = st.columns(3)
c1.metric(t("metric_round_result", lang), views.score_text(view["overall"]), border=True)
c2.metric(t("metric_scored", lang), view["scored"], border=True)
c3.metric(t("metric_flagged", lang), view["flagged_n"], border=True)

st.subheader(t("dimension_results", lang))
st.dataframe(view["dims"], hide_index=True, width="stretch")

st.subheader(t("item_results", lang))
st.dataframe(view["items"], hide_index=True, width="stretch",
             column_config={t("col_number", lang): st.column_config.NumberColumn(pinned=True),
                            t("col_name", lang): st.column_config.TextColumn(width="large", pinned=True)})
if flagged := view["flagged"]:  # said beside the table, not only in its last column
    st.warning(t("results_checks", lang, n=len(flagged)), icon=":material/warning:")
    # one element, a line per item (plain text): thirty elements would cost every viewer thirty messages a run
    st.text("\n".join(t("results_check_line", lang, no=number, note=note) for number, note in flagged))

reports = state.unit_reports(rnd.id, actor)
if not reports.empty:
    with st.expander(t("pack_h_unit_reports", lang) + f" ({len(reports)})", icon=":material/assignment:"):
        st.dataframe(reports[["number", "name_th", "unit", "done_th", "problems_th", "suggestions_th"]].rename(columns={
            "number": t("col_number", lang), "name_th": t("col_name", lang), "unit": t("col_unit", lang),
            "done_th": t("unit_done", lang), "problems_th": t("unit_problems", lang),
            "suggestions_th": t("unit_suggestions", lang)}), hide_index=True, width="stretch")
        for report in reports.itertuples():  # the files the unit attached (the public sees those marked public)
            with st.container(border=True):
                st.text(t("project_option", lang, no=report.number, name=report.name_th))
                evidence_view.show("unit_report", int(report.report_id), actor, lang)

st.vega_lite_chart(dict(view["heatmap"]), width="stretch", height=view["heatmap"]["height"] + 140)
st.vega_lite_chart(dict(view["statuses"]), width="stretch", height=charts.CHART_HEIGHT_PX + 120)

internal = actor.can(Permission.READ_MEMBER_SCORES) and not evaluation.sealed(actor, rnd.status)
if internal or rnd.status == RoundStatus.PUBLISHED:  # the public edition exists only once the round is published
    formats = ("pdf", "xlsx", "docx") if internal else ("pdf", "xlsx")  # Word: for the secretary to edit wording
    icons = {"pdf": ":material/picture_as_pdf:", "xlsx": ":material/table_view:", "docx": ":material/description:"}
    for col, fmt_key in zip(st.columns(len(formats)), formats, strict=True):
        col.download_button(t(f"report_{fmt_key}", lang),
                            lambda k=fmt_key: state.round_report(bundle.plan.id, code, actor, k),
                            file_name=f"acplan-{code}{'' if internal else '-public'}.{fmt_key}", key=f"report_{fmt_key}",
                            icon=icons[fmt_key], on_click="ignore")
else:
    st.caption(t("report_public_after_publish", lang))
if internal:
    st.caption(t("report_internal_note", lang))

if internal:
    st.subheader(t("member_scores", lang))
    st.dataframe(views.member_table(state.member_entries(rnd.id, actor), lang), hide_index=True, width="stretch")
