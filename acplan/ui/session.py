"""Who is signed in: sign-in with throttling, idle expiry, sign-out (the session holds ids, never a DB session)."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st
from sqlmodel import Session

from acplan import settings
from acplan.access import Actor, Permission, Role
from acplan.i18n import t
from acplan.monitoring import signin, websessions
from acplan.monitoring.auth import in_scope
from acplan.monitoring.models import AppUser
from acplan.ui import state

AUTH_KEY = "acplan_auth"
TICKET_KEY = "acplan_ticket"
COOKIE_TOUCH = timedelta(minutes=1)
# Set by serve.py when the session route runs beside the app; None under plain `streamlit run app.py`.
SESSION_ROUTE: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def current_user() -> AppUser | None:
    """The signed-in, still active user, re-read from the store on every run; None after idle expiry."""
    if settings.get().public:
        return None
    idle = timedelta(minutes=settings.get().session_idle_min)
    auth = st.session_state.get(AUTH_KEY) or _from_cookie(idle)
    if not auth:
        return None
    if _now() - auth["last_seen"] > idle:
        st.session_state.pop(AUTH_KEY, None)
        st.session_state["acplan_expired"] = True
        return None
    if (token := _cookie()) and _now() - auth.get("cookie_seen", auth["last_seen"]) > COOKIE_TOUCH:
        # keep the browser's session alive while the person works, and follow a sign-out made in another tab
        with Session(state.engine()) as session:
            alive = websessions.resume(session, token, idle) is not None
            session.commit()
        if not alive:
            st.session_state.pop(AUTH_KEY, None)
            return None
        auth["cookie_seen"] = _now()
    with Session(state.engine()) as session:
        user = session.get(AppUser, auth["user_id"])
        if user is None or not user.is_active:
            st.session_state.pop(AUTH_KEY, None)
            return None
        session.expunge(user)
    auth["last_seen"] = _now()
    return user


def _cookie() -> str | None:
    value = st.context.cookies.get(websessions.COOKIE) if SESSION_ROUTE else None
    return value if isinstance(value, str) else None


def _from_cookie(idle: timedelta) -> dict | None:
    """A browser that signed in before (a reload, a bookmark, another tab): its session cookie, if still valid."""
    token = _cookie()
    if token is None:
        return None
    with Session(state.engine()) as session:
        user = websessions.resume(session, token, idle)
        session.commit()
        if user is None:
            return None
        st.session_state[AUTH_KEY] = {"user_id": user.id, "last_seen": _now()}
        _show_own_org(user.organisation_id)
    return st.session_state[AUTH_KEY]


def _show_own_org(organisation_id: int | None) -> None:
    """After signing in, the pages show the account's own organisation unless the address names another."""
    own = next((o.code for o in state.organisations() if o.id == organisation_id), None)
    if own is not None and not st.query_params.get("org"):
        st.session_state[state.ORG_KEY] = own


def actor() -> Actor:
    """Who is acting in this run: the signed-in account, or an anonymous visitor. An account looking at another
    organisation's pages sees them as the public does (the services refuse it anything more in any case)."""
    return _acting_as(current_user())


def _acting_as(user: AppUser | None) -> Actor:
    acting = _actor_of(user)
    shown = state.current_org()
    if shown is None or user is None:
        return acting
    if user.role == Role.OVERSIGHT:
        return acting if in_scope(user.oversight_province_th, shown.province_th) else Actor.anonymous()
    if acting.organisation_id is None and len(state.organisations()) > 1:  # made before there were several
        return Actor.anonymous()
    if acting.organisation_id is not None and shown.id != acting.organisation_id:
        return Actor.anonymous()
    return acting


def account_actor() -> Actor:
    """The signed-in account (or an anonymous visitor), whichever organisation the pages show: the roll-up across
    organisations reads with it (its service decides the scope)."""
    return _actor_of(current_user())


def _actor_of(user: AppUser | None) -> Actor:
    return Actor.anonymous() if user is None else Actor(user.username, user.role, user.id, user.organisation_id)


def client_address() -> str:
    """The browser's address as the server sees it, or as the reverse proxy passes it (ACPLAN_CLIENT_IP_HEADER)."""
    header = settings.get().client_ip_header
    if header and isinstance(forwarded := st.context.headers.get(header), str) and forwarded:
        return forwarded.split(",")[-1].strip()
    address = st.context.ip_address  # None where there is no client (and not a str under AppTest)
    return address if isinstance(address, str) and address else "unknown"


def sign_in(username: str, password: str) -> tuple[bool, int]:
    """(signed in, seconds to wait); failures are throttled per account name and per client (signin.py)."""
    if settings.get().public:
        return False, 0
    with Session(state.engine()) as session:
        result = signin.login(session=session, username=username, password=password, client=client_address())
        user_id = result.user.id if result.user else None
        org_id = result.user.organisation_id if result.user else None
    if user_id is None:
        return False, result.retry_after_s
    st.session_state[AUTH_KEY] = {"user_id": user_id, "last_seen": _now()}
    _show_own_org(org_id)
    if SESSION_ROUTE:  # the browser fetches its session cookie once, through the route (websessions.py)
        with Session(state.engine()) as session:
            st.session_state[TICKET_KEY] = websessions.issue_ticket(session, user_id)
            session.commit()
    return True, 0


def cookie_redirect(next_page: str | None) -> str | None:
    """The script that sends the browser through the session route after a sign-in (our own constant text with
    a URL-safe ticket and an own-page address), or None when there is no route or no fresh sign-in."""
    ticket = st.session_state.pop(TICKET_KEY, None)
    if not SESSION_ROUTE or not ticket:
        return None
    target = next_page if return_to(next_page) else "login"  # no page asked for: the account page, signed in
    url = f"{SESSION_ROUTE}?{urlencode({'ticket': ticket, 'next': target})}"
    return f"<script>window.location.replace(new URL({json.dumps(url)}, document.baseURI));</script>"


def sign_out() -> None:
    """End this browser's session everywhere: its cookie no longer signs anyone in."""
    st.session_state.pop(AUTH_KEY, None)
    with Session(state.engine()) as session:
        websessions.end(session, _cookie())
        session.commit()


def require(permission: Permission) -> Actor:
    """The acting user if they hold `permission`; otherwise a clear message, a sign-in link, and the page stops.

    Every page that reads private data or writes calls this: hidden pages are still reachable by URL.
    The services check the permission again; this only decides what the page shows.
    """
    user = current_user()
    who = _acting_as(user)
    if who.can(permission):
        return who
    lang = state.lang()
    if user is not None and who.user_id is None:  # signed in, looking at another organisation's pages
        st.warning(t("need_own_org", lang))
        st.stop()
    if settings.get().public:
        st.warning(t("public_not_available", lang))
        st.page_link("pages/overview.py", label=t("nav_overview", lang), icon=":material/home:")
        st.stop()
    st.warning(t("need_role", lang, role=t(f"role_{user.role}", lang)) if user else t("need_login", lang))
    if user is None:
        here = _here()
        st.page_link("pages/login.py", label=t("nav_login", lang), icon=":material/login:",
                     query_params={NEXT_PARAM: here} if here else None)
    st.stop()


NEXT_PARAM = "next"
# The app's own pages, by address: the only places a sign-in returns to (never an outside address).
RETURN_PAGES = {"": "pages/overview.py", **{name: f"pages/{name}.py" for name in (
    "score", "rounds", "projects", "project", "budget", "risks", "targets", "results", "findings", "users", "present",
    "login")}}


def _here() -> str | None:
    """The page and query string being shown ('score?round=2570-1'), to come back to after signing in."""
    url = st.context.url
    if not isinstance(url, str):
        return None
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    if name not in RETURN_PAGES:
        return None
    query = urlencode({k: v for k, v in st.query_params.to_dict().items() if k != NEXT_PARAM})  # (url has none)
    return name + (f"?{query}" if query else "")


def return_to(target: str | None) -> tuple[str, dict[str, str]] | None:
    """The page file and query parameters of a `next` value, if it names one of the app's own pages."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path not in RETURN_PAGES:
        return None
    return RETURN_PAGES[parts.path], {k: v for k, v in parse_qsl(parts.query) if k != NEXT_PARAM}
