"""Users: the administrator adds accounts, changes roles, positions and committee duties, disables accounts and
resets passwords."""

import streamlit as st
from sqlmodel import Session

from acplan import clock
from acplan.access import ORG_ROLES as ROLES  # oversight accounts are the operator's to create
from acplan.access import Permission, Role
from acplan.i18n import t
from acplan.monitoring import evidence, unitreports, users
from acplan.monitoring.models import CommitteeDuty
from acplan.ui import actions, frame, session, state
from acplan.ui.views import duty_label

DUTIES = [None, *CommitteeDuty]  # None first: a duty once set can be taken away again
lang = state.lang()
bundle = state.require_plan()
admin = session.require(Permission.MANAGE_USERS)
plan_units = sorted(bundle.projects["unit"].unique())
frame.header(t("users_page_title", lang))
actions.show_flash()
accounts = state.accounts(admin)
st.dataframe({t("col_username", lang): [u.username for u in accounts],
              t("col_display_name", lang): [u.display_name for u in accounts],
              t("col_role", lang): [t(f"role_{u.role}", lang) for u in accounts],
              t("col_active", lang): [t("account_active" if u.is_active else "account_disabled", lang) for u in accounts],
              t("col_position", lang): [u.position_th for u in accounts],
              t("col_duty", lang): [duty_label(u.committee_duty, lang) if u.committee_duty else "" for u in accounts]},
             hide_index=True, width="stretch")

left, right = st.columns(2)
with left.form("user_add", enter_to_submit=False, border=True):
    st.subheader(t("user_add", lang))
    username = st.text_input(t("col_username", lang), key="ua_username", max_chars=32)
    name = st.text_input(t("col_display_name", lang), key="ua_name", max_chars=120)
    role = st.selectbox(t("col_role", lang), ROLES, key="ua_role", format_func=lambda r: t(f"role_{r}", lang),
                        index=None, placeholder=t("choose_role", lang))  # never a default: admin by a slip is too easy
    position = st.text_input(t("col_position", lang), key="ua_position", max_chars=users.MAX_POSITION_CHARS,
                             help=t("user_position_help", lang))
    duty = st.selectbox(t("col_duty", lang), DUTIES, key="ua_duty", format_func=lambda d: duty_label(d, lang),
                        placeholder=t("choose", lang))
    unit_names = st.multiselect(t("user_units", lang), plan_units, key="ua_units", help=t("user_units_help", lang),
                                placeholder=t("choose", lang))
    email = st.text_input(t("colname_email", lang), key="ua_email", max_chars=254, help=t("user_email_help", lang))
    password = st.text_input(t("user_password", lang), type="password", key="ua_password", max_chars=256)
    if st.form_submit_button(t("user_save", lang), type="primary"):
        def add(s):
            account = users.add_user(session=s, actor=admin, username=username.strip(), display_name=name, role=role,
                                     password=password, position_th=position, committee_duty=duty)
            if email.strip():
                users.set_email(session=s, actor=admin, username=account.username, email=email)
            if role == Role.UNIT or unit_names:  # a unit account reports for the units chosen
                unitreports.set_units(session=s, actor=admin, username=account.username, plan_id=bundle.plan.id,
                                      unit_names=unit_names)
        if actions.run(add, lang):
            actions.empty_after_rerun({"ua_username": "", "ua_name": "", "ua_role": None, "ua_position": "",
                                       "ua_duty": None, "ua_password": "", "ua_units": [], "ua_email": ""})  # saved: the form starts empty again
            actions.flash(t("user_saved", lang))
            st.rerun()

with right.container(border=True):
    st.subheader(t("user_change", lang))
    names = [u.username for u in accounts]
    if names:
        pick = st.selectbox(t("user_pick", lang), names, key="uc_user", placeholder=t("choose", lang))
        account = next(u for u in accounts if u.username == pick)
        # per account, starting at its own role: never a default that one slip turns into another role (admin)
        new_role = st.selectbox(t("col_role", lang), ROLES, key=f"uc_role_{pick}", index=ROLES.index(account.role),
                                format_func=lambda r: t(f"role_{r}", lang), placeholder=t("choose", lang))
        new_password = st.text_input(t("user_password", lang), type="password", key="uc_password", max_chars=256)
        active = next(u.is_active for u in accounts if u.username == pick)
        b1, b2, b3 = st.columns(3)
        changes = {"uc_set_role": lambda s: users.set_role(session=s, actor=admin, username=pick, role=new_role),
                   "uc_disable": lambda s: users.disable_user(session=s, actor=admin, username=pick),
                   "uc_enable": lambda s: users.enable_user(session=s, actor=admin, username=pick),
                   "uc_reset": lambda s: users.reset_password(session=s, actor=admin, username=pick,
                                                              password=new_password)}
        switch = ("uc_disable", "user_disable") if active else ("uc_enable", "user_enable")
        for col, (key, label) in zip((b1, b2, b3), (("uc_set_role", "user_set_role"), switch,
                                                     ("uc_reset", "user_reset")), strict=True):
            if col.button(t(label, lang), key=key, width="stretch") and actions.run(changes[key], lang):
                actions.flash(t("user_saved", lang))
                st.rerun()
        if account.role == Role.UNIT:
            with st.form(f"uc_units_{pick}", enter_to_submit=False, border=False), Session(state.engine()) as s:
                held = unitreports.unit_names_of(session=s, user_id=account.id)
                chosen = st.multiselect(t("user_units", lang), plan_units, default=[u for u in held if u in plan_units],
                                        key=f"uc_units_{pick}", placeholder=t("choose", lang))
                if st.form_submit_button(t("user_set_units", lang), key="uc_set_units") and actions.run(
                        lambda s: unitreports.set_units(session=s, actor=admin, username=pick, plan_id=bundle.plan.id,
                                                        unit_names=chosen), lang):
                    actions.flash(t("user_saved", lang))
                    st.rerun()
        with st.form(f"uc_email_{pick}", enter_to_submit=False, border=False):
            new_email = st.text_input(t("colname_email", lang), value=account.email, key=f"uc_email_{pick}",
                                      max_chars=254, help=t("user_email_help", lang))
            if st.form_submit_button(t("user_set_email", lang), key="uc_set_email") and actions.run(
                    lambda s: users.set_email(session=s, actor=admin, username=pick, email=new_email), lang):
                actions.flash(t("user_saved", lang))
                st.rerun()
        with st.form(f"uc_place_{pick}", enter_to_submit=False, border=False):  # per account: starts at its values
            place = st.text_input(t("col_position", lang), value=account.position_th, key=f"uc_position_{pick}",
                                  max_chars=users.MAX_POSITION_CHARS)
            place_duty = st.selectbox(t("col_duty", lang), DUTIES, format_func=lambda d: duty_label(d, lang),
                                      index=DUTIES.index(account.committee_duty), key=f"uc_duty_{pick}",
                                      placeholder=t("choose", lang))
            if st.form_submit_button(t("user_set_place", lang), key="uc_set_place") and actions.run(
                    lambda s: users.set_committee_place(session=s, actor=admin, username=pick, position_th=place,
                                                        committee_duty=place_duty), lang):
                actions.flash(t("user_saved", lang))
                st.rerun()

if admin.can(Permission.PURGE_EVIDENCE):
    with st.expander(t("purge_title", lang), icon=":material/delete_sweep:"):
        st.caption(t("purge_help", lang))
        days = st.number_input(t("purge_days", lang), min_value=30, max_value=3650, value=180, step=30, key="purge_days")
        if st.button(t("purge_button", lang), key="purge_go"):
            actions.ask("purge_confirm", int(days))
        if (asked_days := actions.asked("purge_confirm")) is not None:
            actions.confirm("purge_confirm", t("purge_title", lang), [t("purge_effect", lang, days=asked_days)],
                            t("purge_button", lang),
                            lambda s: evidence.purge(session=s, actor=admin, plan_id=bundle.plan.id,
                                                     older_than_days=asked_days, today=clock.today()),
                            lang, done=t("purge_done", lang, days=asked_days))
