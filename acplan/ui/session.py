"""Who is signed in: sign-in with throttling, idle expiry, sign-out (the session holds ids, never a DB session)."""

from datetime import UTC, datetime, timedelta

import streamlit as st
from sqlmodel import Session

from acplan import config, users
from acplan.models import AppUser
from acplan.ui import state

AUTH_KEY = "acplan_auth"
FAILS_KEY = "acplan_failed_logins"
WAIT_KEY = "acplan_login_wait_until"


def _now() -> datetime:
    return datetime.now(UTC)


def current_user() -> AppUser | None:
    """The signed-in, still active user, re-read from the store on every run; None after idle expiry."""
    auth = st.session_state.get(AUTH_KEY)
    if not auth or config.public_mode():
        return None
    idle = timedelta(minutes=int(config.get("ACPLAN_SESSION_IDLE_MIN")))
    if _now() - auth["last_seen"] > idle:
        st.session_state.pop(AUTH_KEY, None)
        st.session_state["acplan_expired"] = True
        return None
    with Session(state.engine()) as session:
        user = session.get(AppUser, auth["user_id"])
        if user is None or not user.is_active:
            st.session_state.pop(AUTH_KEY, None)
            return None
        session.expunge(user)
    auth["last_seen"] = _now()
    return user


def role() -> str | None:
    user = current_user()
    return user.role if user else None


def sign_in(username: str, password: str) -> tuple[bool, int]:
    """(signed in, seconds to wait); failures are throttled per user (store) and per browser session."""
    if config.public_mode():
        return False, 0
    now = _now()
    wait_until = st.session_state.get(WAIT_KEY)
    if wait_until and wait_until > now:
        return False, int((wait_until - now).total_seconds()) + 1
    with Session(state.engine()) as session:
        result = users.login(session=session, username=username.strip(), password=password, now=now)
        session.commit()
        user_id = result.user.id if result.user else None
    if user_id is not None:
        st.session_state[FAILS_KEY] = 0
        st.session_state[AUTH_KEY] = {"user_id": user_id, "last_seen": now}
        return True, 0
    fails = st.session_state.get(FAILS_KEY, 0) + 1
    st.session_state[FAILS_KEY] = fails
    wait = max(result.retry_after_s, users.throttle_delay_s(fails))
    if wait:
        st.session_state[WAIT_KEY] = now + timedelta(seconds=wait)
    return False, wait


def sign_out() -> None:
    st.session_state.pop(AUTH_KEY, None)


def require(action: str) -> AppUser | None:
    """The signed-in user if their role may `action`; otherwise a clear message, a sign-in link, and the page stops.

    Every page that reads private data or writes calls this: hidden pages are still reachable by URL.
    """
    from acplan.auth import can
    from acplan.i18n import t

    user = current_user()
    if can(user.role if user else None, action):
        return user
    lang = state.lang()
    if config.public_mode():
        st.warning(t("public_not_available", lang))
        st.page_link("pages/overview.py", label=t("nav_overview", lang), icon=":material/home:")
        st.stop()
    st.warning(t("need_role", lang, role=t(f"role_{user.role}", lang)) if user else t("need_login", lang))
    if user is None:
        st.page_link("pages/login.py", label=t("nav_login", lang), icon=":material/login:")
    st.stop()
