"""Start acplan with its session route: `streamlit run serve.py` (the app itself is app.py).

The route turns the one-time ticket a sign-in gives into an HttpOnly, SameSite=Strict session cookie, so a
signed-in person stays signed in across reloads, bookmarks and new tabs (acplan/monitoring/websessions.py).
`streamlit run app.py` still works, without that route: a reload then asks to sign in again.
"""

from functools import cache
from urllib.parse import urlsplit

import streamlit as st
from sqlmodel import Session
from starlette.middleware import Middleware
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


class NoSniff:
    """Every response says `X-Content-Type-Options: nosniff`: a browser never guesses a type other than the one
    served (an evidence file downloaded as image/jpeg is never run as HTML or script)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_header(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-content-type-options"]
                message = {**message, "headers": [*headers, (b"x-content-type-options", b"nosniff")]}
            await send(message)
        return await self.app(scope, receive, send_with_header)


ui_session.SESSION_ROUTE = "acplan/session"
app = st.App("app.py", routes=[Route("/acplan/session", open_session)], middleware=[Middleware(NoSniff)])
