"""Start acplan with its session route: `streamlit run serve.py` (the app itself is app.py).

The route turns the one-time ticket a sign-in gives into an HttpOnly, SameSite=Strict session cookie, so a
signed-in person stays signed in across reloads, bookmarks and new tabs (acplan/monitoring/websessions.py).
`streamlit run app.py` still works, without that route: a reload then asks to sign in again.
"""

from functools import cache
from urllib.parse import urlsplit

import streamlit as st
from sqlmodel import Session
from starlette.responses import RedirectResponse
from starlette.routing import Route

from acplan.monitoring import websessions
from acplan.ui import session as ui_session


@cache
def _engine():
    from acplan.db import make_engine
    return make_engine()


def open_session(request):
    """GET /acplan/session?ticket=…&next=…: the cookie for a fresh sign-in, then back to the app."""
    target = request.query_params.get("next", "")
    base = request.url.path.removesuffix("acplan/session")  # "/" or the app's base path, ending in "/"
    back = base + (target if ui_session.return_to(target) else "")
    with Session(_engine()) as session:
        token = websessions.redeem(session, request.query_params.get("ticket", ""))
        session.commit()
    response = RedirectResponse(back, status_code=303)
    if token:
        response.set_cookie(websessions.COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=urlsplit(str(request.url)).scheme == "https")
    return response


ui_session.SESSION_ROUTE = "acplan/session"
app = st.App("app.py", routes=[Route("/acplan/session", open_session)])
