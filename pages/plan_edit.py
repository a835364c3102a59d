"""Plan editor: the organisation's administrator edits its plan and saves the edits as a numbered amendment,
after seeing every difference; the amendments so far, and the plan as of any of them, are here too."""

import streamlit as st
from sqlmodel import Session

from acplan import format as fmt
from acplan.access import Permission
from acplan.errors import AcplanError
from acplan.i18n import t
from acplan.monitoring import amendments
from acplan.plan import workbook
from acplan.plan.workbook import EDITABLE
from acplan.ui import actions, frame, session, state, views
from acplan.ui import plan_editor as pe

FIELDS = ("pe_number", "pe_date", "pe_fy", "pe_reason", "pe_reference")
lang = state.lang()
bundle = state.require_plan()
admin = session.require(Permission.EDIT_PLAN)
org = state.current_org()
plan = bundle.plan
frame.header(t("plan_edit_title", lang), t("plan_edit_subtitle", lang))
actions.show_flash()
d = pe.draft(plan.id)
done = state.amendments_of(plan.id)

with st.expander(t("amend_history", lang, n=len(done)), icon=":material/history:", expanded=False):
    if not done:
        st.caption(t("cli_amend_none", lang))
    for a in done:
        st.text(t("amend_summary", lang, number=a.number, date=fmt.date_long(a.approved_on, lang), year=a.effective_fy_be,
                  reason=a.reason_th))
        if a.reference_th:
            st.caption(t("amend_reference_line", lang, reference=a.reference_th))
        st.dataframe(views.changes_table(a.changes, lang), hide_index=True, width="stretch")
    versions = [None, 0, *[a.number for a in done]]
    as_of = st.selectbox(t("plan_as_of", lang), versions, key="pe_as_of",
                         format_func=lambda n: t("plan_as_of_now" if n is None else "plan_as_of_first" if n == 0
                                                 else "plan_as_of_n", lang, n=n))
    st.download_button(t("plan_download", lang), lambda: pe.workbook_as_of(plan.id, as_of, org.code, org.name_th),
                       file_name=f"{org.code}-plan{'' if as_of is None else f'-{as_of}'}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="pe_download",
                       icon=":material/download:")  # made when clicked, not on every edit of the tables

st.caption(t("plan_edit_help", lang))
for tab, sheet in zip(st.tabs([t(f"pw_sheet_{k}", lang) for k in EDITABLE]), EDITABLE, strict=True):
    with tab:
        table = pe.base(d, sheet)
        pe.keep(d, sheet, st.data_editor(table, key=pe.widget_key(d, sheet), hide_index=True, width="stretch",
                                         num_rows="fixed" if sheet == "risks" else "dynamic", placeholder="",
                                         column_config=pe.column_config(sheet, list(table.columns), lang)))

if edited := pe.pending(d):  # said while it lasts, here and on coming back: nothing is saved until the amendment is
    st.info(t("plan_edit_pending", lang, tables=", ".join(t(f"pw_sheet_{k}", lang) for k in edited)),
            icon=":material/edit_note:")

with st.expander(t("plan_edit_upload", lang), icon=":material/upload_file:"):
    upload = st.file_uploader(t("plan_edit_upload_help", lang), type=["xlsx"], key="pe_upload",
                              max_upload_size=workbook.MAX_BYTES // (1024 * 1024))

st.subheader(t("amend_details", lang))
with Session(state.engine()) as s:
    suggested = amendments.next_number(session=s, plan_id=plan.id)
left, right = st.columns([1, 3])
st.session_state.setdefault("pe_number", str(suggested))
left.text_input(t("colname_amend_number", lang), key="pe_number", max_chars=6)
left.text_input(t("colname_approved_on", lang), key="pe_date", placeholder=t("date_placeholder", lang), max_chars=40)
left.selectbox(t("colname_effective_fy", lang), list(range(plan.start_fy_be, plan.end_fy_be + 1)), key="pe_fy",
               index=None, placeholder=t("plan_edit_fy_default", lang))
right.text_area(t("colname_amend_reason", lang), key="pe_reason", max_chars=amendments.MAX_REASON, height=100)
right.text_input(t("colname_amend_reference", lang), key="pe_reference", max_chars=amendments.MAX_REASON,
                 placeholder=t("plan_edit_reference_placeholder", lang))
values = {"number": st.session_state.pe_number, "approved_on": st.session_state.pe_date,
          "effective_fy": st.session_state.pe_fy, "reason_th": st.session_state.pe_reason,
          "reference_th": st.session_state.pe_reference}

look, drop = st.columns([3, 1])
source = "upload" if upload is not None else "tables"
if look.button(t("plan_edit_upload_preview" if upload is not None else "plan_edit_preview", lang), type="primary",
               icon=":material/difference:", key="pe_preview"):
    with st.spinner(t("plan_edit_checking", lang)):
        try:
            with Session(state.engine()) as s:
                amendment = amendments.parse_amendment(session=s, plan_id=plan.id, values=values)
                data = pe.uploaded(upload.getvalue(), org.code) if upload is not None else \
                    pe.proposed(d, org.code, org.name_th)
                pv = amendments.preview(session=s, actor=admin, plan_id=plan.id, proposed=data,
                                        effective_fy=amendment.effective_fy_be)
        except AcplanError as exc:
            d["preview"] = None
            st.error(t("input_refused", lang), icon=":material/error:")
            for issue in exc.issues:
                st.text("• " + pe.describe_cell(issue, lang))
        else:
            pe.set_preview(d, data, [c.as_dict() for c in pv.changes], pv.revision, source, values)
drop.button(t("plan_edit_discard", lang), on_click=pe.discard, key="pe_discard", icon=":material/undo:")

if (pv := pe.preview_current(d, values, source)) is not None:
    st.subheader(t("plan_edit_changes", lang, n=len(pv["changes"])))
    st.dataframe(views.changes_table(pv["changes"], lang), hide_index=True, width="stretch")
    if pv["revision"] != d["revision"]:
        st.warning(t("plan_edit_rebase_help", lang), icon=":material/sync_problem:")
        st.button(t("plan_edit_rebase", lang), on_click=pe.rebase, args=(d,), key="pe_rebase")
    if st.button(t("plan_edit_apply", lang, number=values["number"]), type="primary", icon=":material/save:",
                 key="pe_apply"):
        def save(s):
            amendment = amendments.parse_amendment(session=s, plan_id=plan.id, values=values)
            row = amendments.apply(session=s, actor=admin, plan_id=plan.id, proposed=pv["data"], amendment=amendment,
                                   base_revision=d["revision"])
            return row.number, len(row.changes)  # read before the session ends
        result = actions.run(save, lang)  # refused: what to fix is said, and the draft stays as it was
        if result is None and pe.revision_now(plan.id) != d["revision"]:
            st.button(t("plan_edit_rebase", lang), on_click=pe.rebase, args=(d,), key="pe_rebase_now")
        elif result is not None:
            pe.discard()
            actions.empty_after_rerun({"pe_number": str(suggested + 1), "pe_date": "", "pe_fy": None, "pe_reason": "",
                                       "pe_reference": ""})
            actions.flash(t("cli_amend_applied", lang, number=result[0], n=result[1]))
            st.rerun()
