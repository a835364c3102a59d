"""Who is signed in: sign-in with throttling, idle expiry, sign-out (the session holds ids, never a DB session)."""

from datetime import UTC, datetime, timedelta

import streamlit as st
from sqlmodel import Session

from acplan import settings
from acplan.access import Actor, Permission
from acplan.i18n import t
from acplan.monitoring import users
from acplan.monitoring.models import AppUser
from acplan.ui import state

AUTH_KEY = "acplan_auth"
FAILS_KEY = "acplan_failed_logins"
WAIT_KEY = "acplan_login_wait_until"


def _now() -> datetime:
    return datetime.now(UTC)


def current_user() -> AppUser | None:
    """The signed-in, still active user, re-read from the store on every run; None after idle expiry."""
    auth = st.session_state.get(AUTH_KEY)
    if not auth or settings.get().public:
        return None
    idle = timedelta(minutes=settings.get().session_idle_min)
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


def actor() -> Actor:
    """Who is acting in this run: the signed-in account, or an anonymous visitor."""
    return _actor_of(current_user())


def _actor_of(user: AppUser | None) -> Actor:
    return Actor.anonymous() if user is None else Actor(user.username, user.role, user.id, user.organisation_id)


def sign_in(username: str, password: str) -> tuple[bool, int]:
    """(signed in, seconds to wait); failures are throttled per user (store) and per browser session."""
    if settings.get().public:
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


def require(permission: Permission) -> Actor:
    """The acting user if they hold `permission`; otherwise a clear message, a sign-in link, and the page stops.

    Every page that reads private data or writes calls this: hidden pages are still reachable by URL.
    The services check the permission again; this only decides what the page shows.
    """
    user = current_user()
    who = _actor_of(user)
    if who.can(permission):
        return who
    lang = state.lang()
    if settings.get().public:
        st.warning(t("public_not_available", lang))
        st.page_link("pages/overview.py", label=t("nav_overview", lang), icon=":material/home:")
        st.stop()
    st.warning(t("need_role", lang, role=t(f"role_{user.role}", lang)) if user else t("need_login", lang))
    if user is None:
        st.page_link("pages/login.py", label=t("nav_login", lang), icon=":material/login:")
    st.stop()
