"""Sign in (or, when signed in, see who you are and sign out)."""

import streamlit as st

from acplan import settings
from acplan.access import Permission
from acplan.i18n import t
from acplan.ui import frame, session, state

lang = state.lang()
state.ensure_router()
if settings.get().public:
    session.require(Permission.SCORE)  # shows the public site's message and stops
user = session.current_user()
frame.header(t("nav_account", lang) if user else t("login_title", lang))

if user is not None:
    st.success(t("login_ok_title", lang), icon=":material/verified_user:")
    st.text(t("signed_in_as", lang, name=user.display_name, role=t(f"role_{user.role}", lang)))
    if st.button(t("logout", lang), icon=":material/logout:", key="logout"):
        session.sign_out()
        st.rerun()
    st.stop()

if st.session_state.pop("acplan_expired", False):
    st.info(t("login_expired", lang))
st.caption(t("login_intro", lang))
with st.form("login", enter_to_submit=True, border=True):
    username = st.text_input(t("login_username", lang), key="login_username", max_chars=64, autocomplete="username")
    password = st.text_input(t("login_password", lang), type="password", key="login_password", max_chars=256,
                             autocomplete="current-password")
    submitted = st.form_submit_button(t("login_submit", lang), icon=":material/login:")
if submitted:
    ok, wait = session.sign_in(username, password)
    if ok:
        if script := session.cookie_redirect(st.query_params.get(session.NEXT_PARAM)):
            st.html(script, unsafe_allow_javascript=True)  # through the session route, then back (serve.py)
            st.stop()
        if back := session.return_to(st.query_params.get(session.NEXT_PARAM)):  # back where they were going
            st.switch_page(back[0], query_params=back[1])
        st.rerun()
    st.error(t("login_wait", lang, seconds=wait) if wait else t("login_failed", lang))
