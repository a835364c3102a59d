"""Rounds: the secretary creates, opens, closes, reopens and publishes rounds, words each round's conclusion for
the meeting pack, and records the yearly results."""

import streamlit as st
from sqlmodel import Session

from acplan import clock
from acplan import format as fmt
from acplan.access import Permission
from acplan.i18n import t
from acplan.monitoring import rounds, unitreports, yearly
from acplan.monitoring.models import RoundStatus
from acplan.ui import actions, frame, session, state, views

lang = state.lang()
bundle = state.require_plan()
actor = session.require(Permission.MANAGE_ROUNDS)
plan = bundle.plan
frame.header(t("rounds_page_title", lang))
actions.show_flash()
st.page_link("pages/board.py", label=t("board_title", lang), icon=":material/checklist:",
             query_params=frame.lang_params())
all_rounds = state.rounds_of(plan.id, actor)
codes = [rounds.round_code(r) for r in all_rounds]
if all_rounds:
    st.dataframe({t("col_round", lang): codes,
                  t("col_status", lang): [t(f"round_status_{r.status}", lang) for r in all_rounds],
                  t("col_period", lang): [f"{fmt.date_long(r.period_start, lang)} – {fmt.date_long(r.period_end, lang)}"
                                          for r in all_rounds],
                  t("col_after_fact", lang): [t("yes", lang) if r.recorded_after_fact else "" for r in all_rounds]},
                 hide_index=True, width="stretch")
else:
    st.info(t("rounds_none", lang))

create, change = st.columns(2)
with create.form("round_create", enter_to_submit=False, border=True):
    st.subheader(t("round_create", lang))
    fy = st.selectbox(t("round_fy", lang), list(range(plan.start_fy_be, plan.end_fy_be + 1)), key="new_fy",
                      index=plan.end_fy_be - plan.start_fy_be, placeholder=t("choose", lang))
    no = st.radio(t("round_no", lang), [1, 2], horizontal=True, key="new_no")
    prefill = st.checkbox(t("round_prefill", lang), value=True, key="new_prefill")
    carry = st.checkbox(t("round_bring_forward", lang), value=True, key="new_carry")
    if st.form_submit_button(t("round_create_button", lang), type="primary"):
        if code := actions.run(lambda s: rounds.round_code(rounds.create_round(
                session=s, actor=actor, plan_id=plan.id, fiscal_year_be=fy, round_no=no, today=clock.today(),
                prefill=prefill, bring_forward=carry)), lang):
            actions.flash(t("round_created", lang, code=code))
            st.rerun()

with change.container(border=True):
    st.subheader(t("round_actions", lang))
    if codes:
        code = st.selectbox(t("round_select", lang), codes, index=len(codes) - 1, key="act_round", placeholder=t("choose", lang))
        rnd = all_rounds[codes.index(code)]
        st.caption(t("round_status_now", lang, status=t(f"round_status_{rnd.status}", lang)))
        allowed = rounds.allowed_actions(actor, rnd.status)
        reason = st.text_area(t("reopen_reason", lang), key="reopen_reason", max_chars=1000) \
            if "reopen" in allowed else None
        for col, action in zip(st.columns(max(len(allowed), 1)), allowed, strict=False):
            if col.button(t(f"action_{action}", lang), key=f"round_{action}", width="stretch",
                          type="primary" if action in ("open", "publish") else "secondary"):
                actions.ask("round_confirm", (code, action))
        if (pending := actions.asked("round_confirm")) and pending[0] == code and pending[1] in allowed:
            action = pending[1]
            with Session(state.engine()) as s:
                done = rounds.completeness(session=s, actor=actor, plan_id=plan.id, code=code)
            early = rounds.before_period_end(rnd, action, clock.today())
            lines = views.round_confirm_lines(done, action, lang, early_until=rnd.period_end if early else None)
            target = t(f"round_status_{rounds.TRANSITIONS[action][1]}", lang)
            actions.confirm(
                "round_confirm", t("round_confirm_title", lang, action=t(f"action_{action}", lang), code=code),
                lines, t(f"action_{action}", lang),
                lambda s, why=None: rounds.transition(session=s, actor=actor, plan_id=plan.id, code=code, action=action,
                                                      reason=why if early else reason, early=early, today=clock.today()),
                lang, done=t("round_changed", lang, code=code, status=target),
                acknowledge=views.round_confirm_boxes(done, action, early, lang),
                ask_reason=t("round_early_reason_label", lang) if early else None)
        if not allowed:
            st.caption(t("round_no_actions", lang))

if codes:
    with st.form("round_conclusion", enter_to_submit=False, border=True):
        st.subheader(t("round_conclusion", lang, code=code))
        fixed = rnd.status == RoundStatus.PUBLISHED
        key = f"conclusion_{code}"  # per round: what was typed stays in the box when a save is refused
        if key not in st.session_state:  # the text as it stood when editing began: a change since is not overwritten
            st.session_state[key] = st.session_state[f"{key}_was"] = rnd.conclusion_th
        text = st.text_area(t("round_conclusion_label", lang), key=key, height=160, disabled=fixed,
                            max_chars=rounds.MAX_CONCLUSION_CHARS, help=t("round_conclusion_help", lang))
        if fixed:
            st.caption(t("round_conclusion_fixed", lang))
        if st.form_submit_button(t("round_conclusion_save", lang), disabled=fixed) and actions.run(
                lambda s: rounds.set_conclusion(session=s, actor=actor, plan_id=plan.id, code=code, text=text,
                                                was=st.session_state[f"{key}_was"]), lang):
            for stale in (key, f"{key}_was"):  # saved: the box starts again from what is stored
                st.session_state.pop(stale)
            actions.flash(t("round_conclusion_saved", lang, code=code))
            st.rerun()

if codes and rnd.status in (RoundStatus.DRAFT, RoundStatus.OPEN):
    with st.form(f"deadlines_{code}", enter_to_submit=False, border=True):
        st.subheader(t("round_deadlines", lang, code=code))
        left, right = st.columns(2)
        units_due = left.text_input(t("colname_units_due_on", lang), key=f"units_due_{code}",
                                    value=fmt.date_numeric(rnd.units_due_on) if rnd.units_due_on else "",
                                    placeholder=t("date_placeholder", lang))
        members_due = right.text_input(t("colname_members_due_on", lang), key=f"members_due_{code}",
                                       value=fmt.date_numeric(rnd.members_due_on) if rnd.members_due_on else "",
                                       placeholder=t("date_placeholder", lang))
        if st.form_submit_button(t("round_deadlines_save", lang)) and actions.run(
                lambda s: rounds.set_deadlines(session=s, actor=actor, plan_id=plan.id, code=code, units_due=units_due,
                                               members_due=members_due), lang):
            actions.flash(t("round_deadlines_saved", lang, code=code))
            st.rerun()

if codes and rnd.status != RoundStatus.DRAFT:
    with st.container(border=True):
        st.subheader(t("unit_reports_of_round", lang, code=code))
        progress, submitted = state.unit_progress(rnd.id, actor)
        st.dataframe(progress.rename(columns={c: t(f"col_unit_progress_{c}", lang) for c in progress.columns}),
                     hide_index=True, width="stretch")
        if rnd.status == RoundStatus.OPEN and not submitted.empty:
            with st.form(f"return_{code}", enter_to_submit=False, border=False):
                numbers = submitted["number"].tolist()
                names = dict(zip(numbers, submitted["name_th"], strict=True))
                back = st.selectbox(t("unit_return_item", lang), numbers, key=f"return_item_{code}",
                                    format_func=lambda n: t("project_option", lang, no=n, name=names[n]))
                why = st.text_area(t("unit_return_reason", lang), key=f"return_reason_{code}", max_chars=1000)
                if st.form_submit_button(t("unit_return", lang)) and actions.run(
                        lambda s: unitreports.return_report(session=s, actor=actor, rnd=s.merge(rnd), number=back,
                                                            reason=why), lang):
                    actions.empty_after_rerun({f"return_reason_{code}": ""})
                    actions.flash(t("unit_returned", lang, no=back))
                    st.rerun()

st.subheader(t("yearly_results", lang))
with st.form("yearly", enter_to_submit=False, border=True):
    c1, c2, c3 = st.columns(3)
    year = c1.selectbox(t("yearly_fy", lang), list(range(plan.start_fy_be - 1, plan.end_fy_be + 1)), key="res_fy", placeholder=t("choose", lang))
    ita = c2.number_input(t("yearly_ita", lang), min_value=0.0, max_value=100.0, value=None, step=0.01, key="res_ita")
    cases = c3.number_input(t("yearly_cases", lang), min_value=0, value=None, step=1, key="res_cases")
    note = st.text_input(t("yearly_note", lang), key="res_note", max_chars=500)
    if st.form_submit_button(t("yearly_save", lang)):
        values = {"fiscal_year_be": year, "ita_score": ita, "corruption_cases": cases, "note": note}
        if actions.run(lambda s: yearly.set_yearly_result(session=s, actor=actor, plan_id=plan.id,
                                                          result_in=yearly.parse_yearly(values)), lang):
            st.success(t("yearly_saved", lang, fy=year))
