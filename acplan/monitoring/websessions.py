"""Signed-in browsers: a session that survives reloads, bookmarks and new tabs, until sign-out or idle expiry.

After a sign-in the page sends the browser once to the session route (`serve.py`) with a one-time ticket
valid for a minute; the route answers with an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS)
holding a random token, and the app recognises the token on every later load (`st.context.cookies`).
Tokens and tickets are stored only as SHA-256 digests, so the store alone cannot be used to sign in; the
session ends on sign-out, after the idle time, and whenever the account is disabled.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, select

from acplan.monitoring.models import AppUser, SignInTicket, WebSession

COOKIE = "acplan_session"
TICKET_S = 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def issue_ticket(session: Session, user_id: int, now: datetime | None = None) -> str:
    """A one-time ticket for `user_id` (who has just signed in), valid for TICKET_S seconds."""
    now = now or datetime.now(UTC)
    ticket = secrets.token_urlsafe(32)
    session.exec(delete(SignInTicket).where(SignInTicket.expires_at < now))
    session.add(SignInTicket(ticket_hash=_digest(ticket), user_id=user_id, expires_at=now + timedelta(seconds=TICKET_S)))
    return ticket


def redeem(session: Session, ticket: str, now: datetime | None = None) -> str | None:
    """The session token for a valid, unused ticket (which is used up), or None."""
    now = now or datetime.now(UTC)
    row = session.get(SignInTicket, _digest(ticket or ""))
    if row is None:
        return None
    session.delete(row)
    session.flush()  # used up at once, whatever else this transaction does
    if _aware(row.expires_at) < now:
        return None
    token = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=_digest(token), user_id=row.user_id, created_at=now, last_seen=now))
    return token


def resume(session: Session, token: str | None, idle: timedelta, now: datetime | None = None) -> AppUser | None:
    """The active account whose browser holds `token`, if that session has not ended or been idle too long."""
    if not token:
        return None
    now = now or datetime.now(UTC)
    row = session.exec(select(WebSession).where(WebSession.token_hash == _digest(token))).first()
    if row is None or row.ended or now - _aware(row.last_seen) > idle:
        return None
    user = session.get(AppUser, row.user_id)
    if user is None or not user.is_active:
        return None
    row.last_seen = now
    session.add(row)
    return user


def end(session: Session, token: str | None) -> None:
    """End the session of the browser holding `token` (sign-out): the cookie no longer signs anyone in."""
    if token:
        session.execute(update(WebSession).where(WebSession.token_hash == _digest(token)).values(ended=True))
