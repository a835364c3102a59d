"""Projects: which items does the plan hold for this dimension, mission, kind, unit or year? Filters live in the URL."""

import streamlit as st

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan import filters, labels
from acplan.ui import frame, state
from acplan.ui.views import short_name
from acplan.ui.widgets import url_select, url_text

lang = state.lang()
bundle = state.require_plan()
frame.header(t("nav_projects", lang))

missions = dict(zip(bundle.missions["mission"], bundle.missions["mission_name_th"], strict=True))
units = sorted(bundle.projects["unit"].unique())
years = sorted(bundle.budget["fiscal_year_be"].unique().tolist())
c1, c2, c3 = st.columns(3)
with c1:
    url_select("dim", t("filter_dimension", lang), bundle.dimensions["dimension"].tolist(),
               lambda d: f"{t('dimension_n', lang, n=d)} {short_name(bundle.dimensions.set_index('dimension').loc[d, 'dimension_name_th'], 40)}",
               t("all", lang))
    url_select("kind", t("filter_kind", lang), list(filters.KINDS), lambda k: t(f"kind_{k}", lang), t("all", lang))
with c2:
    url_select("mission", t("filter_mission", lang), list(missions), lambda c: f"{c} {short_name(missions[c], 44)}",
               t("all", lang))
    url_select("unit", t("filter_unit", lang), units, lambda u: short_name(u, 50), t("all", lang))
with c3:
    url_select("fy", t("filter_fy", lang), years, lambda y: fmt.fiscal_year_label(y, lang), t("all", lang))
    url_text("q", t("filter_q", lang), t("filter_q_help", lang))

flt = filters.parse_filter(dict(st.query_params), dimensions=set(bundle.dimensions["dimension"]), missions=set(missions),
                           units=set(units), years=set(years))
shown = state.filtered_projects(bundle.plan.id, flt)
st.subheader(t("projects_count", lang, n=len(shown), total=len(bundle.projects)))
if shown.empty:
    st.info(t("projects_none", lang))
    st.stop()

budget_col = t("col_budget_fy", lang, fy=flt.fy) if flt.fy else t("col_budget_5y", lang)
table = {
    t("col_number", lang): shown["number"].tolist(),
    t("col_kind", lang): [labels.kind_label(k, lang) for k in shown["kind"]],
    t("col_name", lang): shown["name_th"].tolist(),
    t("col_dimension", lang): shown["dimension"].tolist(),
    t("col_mission", lang): shown["mission"].tolist(),
    t("col_unit", lang): shown["unit"].tolist(),
    budget_col: shown["budget_thb"].astype(int).tolist(),
}
st.caption(t("projects_pick", lang))
event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="projects_table", row_height=44,
                     column_config={t("col_name", lang): st.column_config.TextColumn(width="large"),
                                    t("col_unit", lang): st.column_config.TextColumn(width="medium"),
                                    budget_col: st.column_config.NumberColumn(format="localized")})
if event.selection.rows:
    number = int(shown.iloc[event.selection.rows[0]]["number"])
    st.switch_page("pages/project.py", query_params=frame.lang_params(no=number))
