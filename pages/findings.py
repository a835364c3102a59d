"""Findings: what did the committee find, who must act by when, and has it been resolved?"""

import streamlit as st
from sqlmodel import Session

from acplan.access import Permission
from acplan.i18n import t
from acplan.monitoring import findings, rounds
from acplan.plan import queries
from acplan.ui import actions, frame, session, state, views
from acplan.ui import evidence as evidence_view

lang = state.lang()
bundle = state.require_plan()
actor = session.actor()
visible, _ = state.evaluation(bundle.plan.id, actor)
frame.header(t("findings_page_title", lang))
actions.show_flash()
with Session(state.engine()) as s:
    table = findings.findings_frame(session=s, actor=actor, round_ids=[r.id for r in visible])
names = dict(zip(bundle.projects["number"], bundle.projects["name_th"], strict=True))

c1, c2, c3 = st.columns(3)
f_round = c1.selectbox(t("col_round", lang), [None, *[r.code for r in visible]], key="f_round",
                       format_func=lambda v: t("all", lang) if v is None else v, placeholder=t("choose", lang))
f_status = c2.selectbox(t("filter_status", lang), [None, *findings.STATUSES], key="f_status",
                        format_func=lambda v: t("all", lang) if v is None else t(f"finding_status_{v}", lang), placeholder=t("choose", lang))
f_severity = c3.selectbox(t("filter_severity", lang), [None, *findings.SEVERITIES], key="f_severity",
                          format_func=lambda v: t("all", lang) if v is None else t(f"severity_{v}", lang), placeholder=t("choose", lang))
shown = findings.filter_findings(table, round_code=f_round, status=f_status, severity=f_severity)
if shown.empty:
    st.info(t("findings_none", lang))
else:
    st.dataframe(views.findings_table(shown, names, lang), hide_index=True, width="stretch")

if not actor.can(Permission.MANAGE_FINDINGS):
    st.stop()
writable = [r for r in visible if r.status != "published"]
left, right = st.columns(2)
with left.form("finding_add", enter_to_submit=False, border=True):
    st.subheader(t("finding_add", lang))
    code = st.selectbox(t("finding_round", lang), [r.code for r in writable], key="fa_round", placeholder=t("choose", lang))
    number = st.selectbox(t("finding_item", lang), [None, *names], key="fa_item",
                          format_func=lambda n: t("finding_none_choice", lang) if n is None else f"{n}. {names[n][:60]}", placeholder=t("choose", lang))
    area = st.selectbox(t("finding_area", lang), [None, *bundle.risk_areas["area"].tolist()], key="fa_area",
                        format_func=lambda a: t("finding_none_choice", lang) if a is None else str(a), placeholder=t("choose", lang))
    text = st.text_area(t("col_finding", lang), key="fa_text", max_chars=findings.MAX_TEXT_CHARS)
    severity = st.radio(t("col_severity", lang), findings.SEVERITIES, horizontal=True, key="fa_severity",
                        format_func=lambda v: t(f"severity_{v}", lang))
    recommendation = st.text_area(t("colname_recommendation", lang), key="fa_rec", max_chars=findings.MAX_TEXT_CHARS)
    unit = st.text_input(t("colname_responsible_unit", lang), key="fa_unit", max_chars=200)
    due = st.text_input(t("col_due", lang), key="fa_due", max_chars=40, placeholder=t("date_placeholder", lang),
                        help=t("date_help", lang))
    visibility = st.radio(t("col_visibility", lang), findings.VISIBILITIES, horizontal=True, key="fa_vis",
                          format_func=lambda v: t(f"visibility_{v}", lang))
    if st.form_submit_button(t("finding_save", lang), type="primary") and code:
        def add(s):
            due_date = findings.parse_due_date(due)
            rnd = rounds.get_round(session=s, actor=actor, plan_id=bundle.plan.id, code=code)
            return findings.add_finding(session=s, actor=actor, rnd=rnd, finding_in=findings.parse_finding({
                "project_id": queries.get_item_id(session=s, plan_id=bundle.plan.id, number=number),
                "risk_area_id": queries.get_risk_area_id(session=s, plan_id=bundle.plan.id, number=area), "text": text,
                "severity": severity, "recommendation": recommendation, "responsible_unit": unit, "due_date": due_date,
                "visibility": visibility}))
        if actions.run(add, lang):
            actions.empty_after_rerun({"fa_item": None, "fa_area": None, "fa_text": "", "fa_rec": "", "fa_unit": "",
                                       "fa_due": ""})  # saved: the form starts empty again
            actions.flash(t("finding_saved", lang))
            st.rerun()

with right.container(border=True):
    st.subheader(t("finding_update", lang))
    current = table.set_index("id")
    pick = st.selectbox(t("finding_pick", lang), current.index.tolist(), key="fu_id",
                        format_func=lambda i: f"#{i} {current.loc[i, 'text'][:50]}", placeholder=t("choose", lang))
    if pick is not None:
        row = current.loc[pick]
        # The form starts from the finding as it is now and remembers the version it was opened with: a save
        # made elsewhere in between is refused, never overwritten (and every field not changed is kept).
        opened_key = f"fu_opened_{pick}"
        opened = st.session_state.setdefault(opened_key, int(row["version"]))
        with st.form(f"finding_update_{pick}_{opened}", enter_to_submit=False, border=False):
            status = st.selectbox(t("col_finding_status", lang), findings.STATUSES, key=f"fu_status_{pick}_{opened}",
                                  index=list(findings.STATUSES).index(row["status"]),
                                  format_func=lambda v: t(f"finding_status_{v}", lang), placeholder=t("choose", lang))
            response = st.text_area(t("colname_unit_response", lang), value=row["unit_response"] or "",
                                    key=f"fu_resp_{pick}_{opened}", max_chars=findings.MAX_TEXT_CHARS)
            vis = st.radio(t("col_visibility", lang), findings.VISIBILITIES, horizontal=True,
                           index=list(findings.VISIBILITIES).index(row["visibility"]), key=f"fu_vis_{pick}_{opened}",
                           format_func=lambda v: t(f"visibility_{v}", lang))
            if st.form_submit_button(t("finding_save", lang)):
                changes = {k: v for k, v in {"status": status, "unit_response": response, "visibility": vis}.items()
                           if v != (row[k] or "" if k == "unit_response" else row[k])}
                if actions.run(lambda s: findings.update_finding(session=s, actor=actor, finding_id=int(pick),
                                                                 changes=changes, expected_version=opened), lang):
                    del st.session_state[opened_key]
                    actions.flash(t("finding_saved", lang))
                    st.rerun()
        evidence_view.show("finding", int(pick), actor, lang, writable=True)
