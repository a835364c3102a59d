"""Unit report: the staff of a responsible unit report what they did on each of their items in an open round —
activities, spending, status and progress, the indicators' actual values, problems and suggestions."""

import pandas as pd
import streamlit as st
from sqlmodel import Session

from acplan import format as fmt
from acplan.access import Permission
from acplan.i18n import t
from acplan.monitoring import board, entries, unitreports, unitsheet
from acplan.monitoring.models import ReportState
from acplan.plan.queries import get_item_id, list_indicators
from acplan.ui import actions, frame, session, state
from acplan.ui import evidence as evidence_view
from acplan.ui.widgets import round_choice

ACTIVITY_COLUMNS = ["text_th", "start_on", "end_on", "place_th", "count"]
lang = state.lang()
bundle = state.require_plan()
actor = session.require(Permission.REPORT_UNIT)
frame.header(t("nav_unit_report", lang), t("unit_report_subtitle", lang))
actions.show_flash()
with Session(state.engine()) as s:
    open_now = unitreports.open_rounds(session=s, actor=actor, plan_id=bundle.plan.id)
if not open_now:
    st.info(t("no_open_round", lang))
    st.stop()
rnd, code = round_choice(open_now, lang, label_key="choose_round")
with Session(state.engine()) as s:
    mine = unitreports.my_items(session=s, actor=actor, rnd=rnd)
if mine.empty:
    st.info(t("unit_no_items", lang))
    st.stop()


done = int((mine["state"] == ReportState.SUBMITTED).sum())
st.subheader(t("unit_items_count", lang, n=len(mine), submitted=done))
st.dataframe(pd.DataFrame({t("col_number", lang): mine["number"], t("col_name", lang): mine["name_th"],
                           t("col_unit", lang): mine["unit"], t("col_report_state", lang): [board.state_label(v, lang) for v in mine["state"]],
                           t("col_status", lang): [t(f"status_{v}", lang) if isinstance(v, str) else "—"
                                                    for v in mine["status"]]}),
             hide_index=True, width="stretch")
drafts = int(mine["state"].isin([ReportState.DRAFT, ReportState.RETURNED]).sum())
if drafts and st.button(t("unit_submit", lang, n=drafts), type="primary", icon=":material/send:", key="unit_submit"):
    actions.ask("unit_submit_confirm", code)
if actions.asked("unit_submit_confirm") == code:
    actions.confirm("unit_submit_confirm", t("unit_submit_title", lang, code=code),
                    [t("unit_submit_effect", lang, n=drafts, missing=int(mine["state"].isna().sum()))],
                    t("unit_submit", lang, n=drafts),
                    lambda s: unitreports.submit_reports(session=s, actor=actor, rnd=s.merge(rnd)), lang,
                    done=t("unit_submitted_ok", lang, n=drafts))

with st.expander(t("unit_sheet_section", lang), icon=":material/table_view:"):
    for unit_name in sorted(mine["unit"].unique()):
        st.download_button(f"{t('unit_download_template', lang)} · {unit_name}", on_click="ignore",
                           data=lambda u=unit_name: unitsheet.template_for(actor=actor, rnd=rnd, unit_name=u,
                                                                           engine=state.engine()),
                           file_name=f"acplan-{code}-{unit_name}.xlsx", key=f"unit_template_{unit_name}",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:")
    upload = st.file_uploader(t("unit_upload_sheet", lang), type=["xlsx"], key="unit_upload",
                              max_upload_size=unitsheet.MAX_BYTES // (1024 * 1024))
    target = st.selectbox(t("col_unit", lang), sorted(mine["unit"].unique()), key="unit_upload_unit")
    if upload is not None and st.button(t("unit_import_button", lang), key="unit_import"):
        count = actions.run(lambda s: unitsheet.import_sheet(session=s, actor=actor, rnd=s.merge(rnd), unit_name=target,
                                                             raw=upload.getvalue()), lang)
        if count is not None:
            actions.flash(t("cli_unit_imported", lang, n=count, unit=target, code=code))
            st.rerun()

numbers = [str(n) for n in mine["number"]]
names = dict(zip(numbers, mine["name_th"], strict=True))
no = st.selectbox(t("unit_pick_item", lang), numbers, key=f"unit_item_{code}",
                  format_func=lambda n: t("project_option", lang, no=n, name=names[n]))
row = mine.set_index("number").loc[int(no)]
with Session(state.engine()) as s:
    item_id = get_item_id(session=s, plan_id=bundle.plan.id, number=int(no))
    indicators = list_indicators(session=s, project_id=item_id)
    activities, values = (unitreports.report_details(session=s, actor=actor, report_id=int(row["report_id"]))
                          if pd.notna(row["report_id"]) else ([], {}))
locked = row["state"] == ReportState.SUBMITTED
if locked:
    st.info(t("unit_report_locked", lang), icon=":material/lock:")
if row["state"] == ReportState.RETURNED:
    st.warning(t("unit_report_returned", lang), icon=":material/undo:")
    st.text(row["returned_reason_th"])

key = f"ur_{code}_{no}_{row['version'] if pd.notna(row['version']) else 0}"
statuses = [None, *entries.STATUSES]
with st.form(key, enter_to_submit=False, border=True):
    st.subheader(t("project_heading", lang, no=no) + " · " + names[no])
    left, right = st.columns(2)
    status = left.selectbox(t("col_status", lang), statuses, key=f"{key}_status", disabled=locked,
                            index=statuses.index(row["status"]) if isinstance(row["status"], str) else 0,
                            format_func=lambda v: "—" if v is None else t(f"status_{v}", lang))
    progress = left.text_input(t("col_progress", lang), key=f"{key}_progress", disabled=locked,
                               value="" if pd.isna(row["progress_pct"]) else str(int(row["progress_pct"])))
    spent = right.text_input(t("unit_spent", lang, year=rnd.fiscal_year_be), key=f"{key}_spent", disabled=locked,
                             value="" if pd.isna(row["spent_thb"]) else fmt.number(int(row["spent_thb"])))
    done_text = st.text_area(t("unit_done", lang), value=row["done_th"], key=f"{key}_done", disabled=locked,
                             max_chars=unitreports.MAX_TEXT)
    st.caption(t("unit_activities_help", lang))
    table = pd.DataFrame([{**a, "start_on": fmt.date_numeric(a["start_on"]) if a["start_on"] else None,
                           "end_on": fmt.date_numeric(a["end_on"]) if a["end_on"] else None,
                           "count": None if a["count"] is None else str(a["count"])} for a in activities],
                         columns=ACTIVITY_COLUMNS, dtype="object")
    edited = st.data_editor(table, key=f"{key}_activities", num_rows="dynamic", hide_index=True, width="stretch",
                            disabled=locked, column_config={
                                c: st.column_config.TextColumn(t(f"col_activity_{c}", lang)) for c in ACTIVITY_COLUMNS})
    typed_values = {}
    for ind in indicators:
        current = values.get(ind["id"])
        typed_values[ind["id"]] = st.text_input(
            t("unit_indicator_value", lang, text=ind["text_th"]), key=f"{key}_ind_{ind['id']}", disabled=locked,
            value="" if current is None else fmt.number(current))
    problems = st.text_area(t("unit_problems", lang), value=row["problems_th"], key=f"{key}_problems",
                            disabled=locked, max_chars=unitreports.MAX_TEXT)
    suggestions = st.text_area(t("unit_suggestions", lang), value=row["suggestions_th"], key=f"{key}_suggestions",
                               disabled=locked, max_chars=unitreports.MAX_TEXT)
    if st.form_submit_button(t("unit_save", lang), type="primary", disabled=locked):
        def save(s):
            report_in = unitreports.parse_typed(
                {"status": status, "progress_pct": progress, "spent_thb": spent, "done_th": done_text,
                 "problems_th": problems, "suggestions_th": suggestions}, edited.to_dict("records"), typed_values)
            return unitreports.save_report(session=s, actor=actor, rnd=s.merge(rnd), project_id=item_id,
                                           report_in=report_in,
                                           expected_version=None if pd.isna(row["version"]) else int(row["version"]))
        if actions.run(save, lang) is not None:  # refused: each field to fix is said, the form keeps what was typed
            actions.flash(t("unit_saved", lang, no=no))
            st.rerun()

if pd.notna(row["report_id"]):  # files go on a report once it exists (saved as a draft at least)
    with st.container(border=True):
        st.subheader(t("evidence_title", lang, no=no))
        evidence_view.show("unit_report", int(row["report_id"]), actor, lang, writable=not locked)
else:
    st.caption(t("evidence_after_save", lang))
