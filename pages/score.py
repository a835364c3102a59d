"""Score: a committee member enters status, progress, score, spending and evidence for every item of an open round."""

import streamlit as st
from sqlmodel import Session

from acplan.access import Permission
from acplan.i18n import describe, t
from acplan.monitoring import entries, rounds, scoresheet, unitreports
from acplan.monitoring.models import AppUser, RoundStatus
from acplan.monitoring.scoresheet.workbook import MAX_UPLOAD_MB
from acplan.ui import actions, frame, grid, session, state
from acplan.ui.widgets import url_choice

lang = state.lang()
bundle = state.require_plan()
actor = session.require(Permission.SCORE)
open_rounds = [r for r in state.rounds_of(bundle.plan.id, actor) if r.status == RoundStatus.OPEN]
frame.header(t("nav_score", lang))
actions.show_flash()
if not open_rounds:
    st.info(t("no_open_round", lang))
    st.stop()
codes = [rounds.round_code(r) for r in open_rounds]
code = url_choice("round", t("choose_round", lang), codes, not_offered=t("round_not_offered", lang, codes=", ".join(codes)),
                  placeholder=t("choose_round", lang))
rnd = open_rounds[codes.index(code)]


def mine(write):
    """A write on the acting member's own entries in this round (member and round re-read in its session)."""
    return lambda s: write(s, s.get(AppUser, actor.user_id), s.merge(rnd))


view = grid.member_view(actor, rnd.id, lang)
df = view["frame"]
scored, submitted = int(df["score"].notna().sum()), int((df["state"] == "submitted").sum())
st.subheader(t("scored_count", lang, n=scored, total=len(df), submitted=submitted))
messages = st.session_state.pop(grid.MESSAGES_KEY, [])
for level, message in messages:  # a toast: the grid does not move under the member's hand
    if level in ("success", "warning"):
        st.toast(message, icon=":material/check_circle:" if level == "success" else ":material/warning:")
st.caption(t("grid_help", lang))
key = f"grid_{code}_{st.session_state.get('grid_generation', 0)}"
st.data_editor(view["editor"], key=key, width="stretch", placeholder="—",
               column_config=grid.editor_columns(lang), num_rows="fixed", height=min(44 * (len(df) + 1), 720),
               on_change=grid.save_edits, args=(key, df, rnd.id, actor, lang))
if errors := [m for level, m in messages if level == "error"]:  # below the grid, so the grid stays where it was
    st.toast(errors[0] if len(errors) == 1 else t("input_refused", lang), icon=":material/error:", duration="long")
    st.error(t("input_refused", lang), icon=":material/error:")
    for message in errors:
        st.text("• " + message)
if disagree := view["disagree"]:  # said while it lasts; the member decides which figure is right
    st.warning(t("grid_disagree", lang), icon=":material/warning:")
    for message in disagree:
        st.text("• " + message)

reported = int((df["unit_label"] != "").sum())
if reported and st.button(t("take_unit_values", lang, n=reported), icon=":material/content_copy:", key="take_unit"):
    result = actions.run(mine(lambda s, member, r: unitreports.take_unit_values(session=s, actor=actor, member=member,
                                                                                   rnd=r)), lang)
    if result is not None:
        grid.refresh_grid()
        actions.flash(t("took_unit_values", lang, n=0 if result is True else result))
        st.rerun()

drafts = int((df["state"] == "draft").sum())
if st.button(t("submit_entries", lang), type="primary", icon=":material/send:", key="submit_entries"):
    actions.ask("submit_confirm", code)
if actions.asked("submit_confirm") == code:
    actions.confirm("submit_confirm", t("submit_confirm_title", lang, code=code),
                    [t("submit_confirm_counts", lang, n=drafts, total=len(df), unscored=len(df) - scored),
                     t("submit_confirm_effect", lang)],
                    t("submit_entries", lang),
                    mine(lambda s, member, r: entries.submit_entries(session=s, actor=actor, member=member, rnd=r)),
                    lang, done=t("submitted_ok", lang, n=drafts) if drafts else t("nothing_to_submit", lang),
                    after=grid.refresh_grid)

with st.expander(t("detail_form", lang), icon=":material/edit_note:"):
    grid.detail_form(df, view["labels"], rnd, actor, lang)

with st.expander(t("sheet_section", lang), icon=":material/table_view:"):
    def member_sheet() -> bytes:  # built when asked for, not on every rerun of the grid
        with Session(state.engine()) as s:
            return scoresheet.member_template(session=s, actor=actor, rnd=s.merge(rnd),
                                              member=s.get(AppUser, actor.user_id))

    st.download_button(t("download_template", lang), member_sheet, file_name=f"acplan-{code}-{actor.username}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="template",
                       on_click="ignore")
    upload = st.file_uploader(t("upload_sheet", lang), type=["xlsx"], key="upload_sheet", max_upload_size=MAX_UPLOAD_MB)
    # asked for this file: a file chosen after a refused one waits for its own click (it used to open the dialog
    # unasked, since the refused file's request was still remembered)
    if upload is not None and st.button(t("import_button", lang), key="import_sheet"):
        actions.ask("import_confirm", (code, upload.file_id))
    if upload is not None and actions.asked("import_confirm") == (code, upload.file_id):
        with Session(state.engine()) as s:
            rows, issues, warnings = scoresheet.preview(session=s, actor=actor, data=upload.getvalue(),
                                                        rnd=s.merge(rnd), member=s.get(AppUser, actor.user_id))
        if issues:
            actions.show_issues(issues, lang, "import_failed")
        else:
            actions.confirm("import_confirm", t("import_confirm_title", lang, code=code),
                            [t("import_confirm_counts", lang, n=rows), t("submit_confirm_effect", lang),
                             *([t("grid_disagree", lang)] if warnings else []),
                             *("• " + describe(w, lang) for w in warnings)],
                            t("import_button", lang),
                            mine(lambda s, member, r: scoresheet.import_sheet(session=s, actor=actor, rnd=r,
                                                                              member=member, data=upload.getvalue())),
                            lang, done=t("import_ok", lang, n=rows), after=grid.refresh_grid)
