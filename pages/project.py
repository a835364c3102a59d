"""Project: what exactly does item N promise — money, method, indicators, risks it serves, and what the document says about it?"""

import streamlit as st

from acplan import format as fmt
from acplan.access import Permission
from acplan.i18n import t
from acplan.plan import labels
from acplan.ui import blocks, frame, session, state, views

lang = state.lang()
bundle = state.require_plan()
total = int(bundle.projects["number"].max()) if len(bundle.projects) else 0
number, problem, params = labels.parse_item_number(st.query_params.get("no"), total)
detail = state.project_detail(bundle.plan.id, number) if number is not None else None
if detail is None:
    frame.header(t("nav_project", lang))
    st.warning(t(problem, lang, **params) if problem else t("project_not_found", lang, no=number, total=total))
    st.page_link("pages/projects.py", label=t("back_to_projects", lang), icon=":material/arrow_back:",
                 query_params=frame.lang_params())
    st.stop()

frame.header(detail.name_th, f"{t('project_heading', lang, no=detail.number)} · {labels.kind_label(detail.kind, lang)}")
st.page_link("pages/projects.py", label=t("back_to_projects", lang), icon=":material/arrow_back:",
             query_params=frame.lang_params())
amended = state.item_amendments(bundle.plan.id, detail.number)
if detail.until_fy_be is not None:
    st.warning(t("item_dropped", lang, year=detail.until_fy_be + 1), icon=":material/block:")
elif detail.from_fy_be is not None:
    st.info(t("item_added_from", lang, year=detail.from_fy_be), icon=":material/add_circle:")

basics, money = st.columns([3, 2])
with basics:
    st.subheader(t("section_basics", lang))
    rows = {
        t("field_dimension", lang): f"{detail.dimension} {detail.dimension_name_th}",
        t("field_mission", lang): f"{detail.mission} {detail.mission_name_th}",
        t("field_sub_items", lang): "\n".join(f"{c} {n}" for c, n in detail.sub_items),
        t("field_unit", lang): detail.unit if detail.unit == detail.responsible_unit else
        t("unit_as_worded", lang, unit=detail.unit, wording=detail.responsible_unit, note=detail.unit_note),
        t("field_duration", lang): detail.duration_th,
        t("field_target_group", lang): detail.target_group_th + (
            f" ({t('field_head_count', lang, n=detail.target_head_count)})" if detail.target_head_count else ""),
    }
    if detail.name_summary_th:
        rows[t("field_name_summary", lang)] = detail.name_summary_th
    st.table({t("col_field", lang): list(rows), t("col_detail", lang): list(rows.values())}, hide_index=True)
with money:
    st.subheader(t("section_budget", lang))
    st.table({t("col_fiscal_year", lang): [fmt.fiscal_year_short(y, lang) for y in detail.budget],
              t("col_budget", lang): [fmt.baht(a, lang) for a in detail.budget.values()]}, hide_index=True)
    st.caption(t("budget_as_written", lang, text=detail.budget_text_th))

st.subheader(t("section_indicators", lang))
st.table({t("col_indicator_kind", lang): [t(f"indicator_{i['kind']}", lang) for i in detail.indicators],
          t("col_indicator", lang): [i["text_th"] for i in detail.indicators],
          t("col_target", lang): [labels.targets_text(i["targets"], lang) for i in detail.indicators],
          t("col_measured_by", lang): [i["measured_by_th"] or "—" for i in detail.indicators]}, hide_index=True)

st.subheader(t("section_risks", lang))
if not detail.risk_links:
    st.caption(t("no_risk_links", lang))
for link in detail.risk_links:
    st.text("• " + t("risk_link", lang, area=link["area"], process=link["process_th"], measure=link["measure"],
                      text=link["measure_th"], match=t(f"match_{link['match']}", lang)))

if detail.source_notes:
    st.subheader(t("section_notes", lang))
    for note in detail.source_notes:
        with st.container(border=True):
            st.text(note["text_th"])
            for reading in note["readings"]:
                st.text(f"• {reading['where_th']}: {reading['text_th']}")
            st.caption(t("note_kept", lang, text=note["kept_th"]))

st.subheader(t("section_history", lang))
actor = session.actor()
history = blocks.item_history(bundle.plan.id, actor, detail.number, lang)
if history.empty:
    st.caption(t("history_none", lang))
else:
    st.dataframe(history, hide_index=True, width="stretch")
st.subheader(t("section_amendments", lang))
if not amended:
    st.caption(t("amendments_none_item", lang))
for a in amended:
    with st.container(border=True):
        st.text(t("amend_summary", lang, number=a.number, date=fmt.date_long(a.approved_on, lang), year=a.effective_fy_be,
                  reason=a.reason_th))
        if a.reference_th:
            st.caption(t("amend_reference_line", lang, reference=a.reference_th))
        st.dataframe(views.changes_table(a.changes, lang), hide_index=True, width="stretch")
if actor.can(Permission.READ_AUDIT_LOG):
    with st.expander(t("audit_history", lang), icon=":material/history:"):
        st.dataframe(state.project_audit(bundle.plan.id, detail.number, actor, lang), hide_index=True, width="stretch")

for key, items in (("section_objectives", detail.objectives_th), ("section_method", detail.method_th),
                   ("section_rationale", detail.rationale_th)):
    with st.expander(t(key, lang), expanded=key == "section_objectives"):
        for entry in items:
            st.text(entry)
