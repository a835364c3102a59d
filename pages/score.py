"""Score: a committee member enters status, progress, score, spending and evidence for every item of an open round."""

import streamlit as st
from sqlmodel import Session

from acplan import entries, rounds, scoresheet
from acplan.errors import AcplanError
from acplan.i18n import describe, t
from acplan.models import RoundStatus
from acplan.ui import actions, frame, grid, session, state
from acplan.ui.widgets import url_choice

lang = state.lang()
bundle = state.require_plan()
user = session.require("score")
with Session(state.engine()) as s:
    open_rounds = rounds.list_rounds(session=s, plan_id=bundle.plan.id, statuses=(RoundStatus.OPEN,))
if not open_rounds:
    frame.header(t("nav_score", lang))
    st.info(t("no_open_round", lang))
    st.stop()
codes = [rounds.round_code(r) for r in open_rounds]
frame.header(t("nav_score", lang))
code = url_choice("round", t("choose_round", lang), codes)
rnd = open_rounds[codes.index(code)]

with Session(state.engine()) as s:
    df = grid.member_frame(s, rnd, user, lang)
scored, submitted = int(df["score"].notna().sum()), int((df["state"] == "submitted").sum())
st.subheader(t("scored_count", lang, n=scored, total=len(df), submitted=submitted))
messages = st.session_state.pop(grid.MESSAGES_KEY, [])
for message in (m for level, m in messages if level == "success"):
    st.success(message)
if errors := [m for level, m in messages if level == "error"]:
    st.error(t("input_refused", lang), icon=":material/error:")
    for message in errors:
        st.text("• " + message)
st.caption(t("grid_help", lang))
key = f"grid_{code}_{st.session_state.get('grid_generation', 0)}"
st.data_editor(grid.editor_frame(df, lang), key=key, width="stretch", placeholder="—",
               column_config=grid.editor_columns(lang), num_rows="fixed", height=min(44 * (len(df) + 1), 720),
               on_change=grid.save_edits, args=(key, df, rnd.id, user.id, lang))

if st.button(t("submit_entries", lang), type="primary", icon=":material/send:", key="submit_entries"):
    try:
        with Session(state.engine()) as s:
            n = entries.submit_entries(session=s, member=s.merge(user), rnd=s.merge(rnd))
            s.commit()
        st.cache_data.clear()
        st.session_state[grid.MESSAGES_KEY] = [("success", t("submitted_ok", lang, n=n) if n else t("nothing_to_submit", lang))]
        st.session_state["grid_generation"] = st.session_state.get("grid_generation", 0) + 1
        st.rerun()
    except AcplanError as exc:
        actions.show_issues(exc.issues, lang)

with st.expander(t("detail_form", lang), icon=":material/edit_note:"):
    grid.detail_form(df, rnd, user, lang)

with st.expander(t("sheet_section", lang), icon=":material/table_view:"):
    with Session(state.engine()) as s:
        sheet = scoresheet.member_template(session=s, rnd=s.merge(rnd), member=s.merge(user))
    st.download_button(t("download_template", lang), sheet, file_name=f"acplan-{code}-{user.username}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="template")
    upload = st.file_uploader(t("upload_sheet", lang), type=["xlsx"], key="upload_sheet", max_upload_size=2)
    if upload is not None and st.button(t("import_button", lang), key="import_sheet"):
        try:
            with Session(state.engine()) as s:
                n = scoresheet.import_sheet(session=s, rnd=s.merge(rnd), member=s.merge(user), data=upload.getvalue())
                s.commit()
            st.cache_data.clear()
            st.success(t("import_ok", lang, n=n))
        except AcplanError as exc:
            st.error(t("import_failed", lang))
            for issue in exc.issues:
                st.text("• " + describe(issue, lang))
