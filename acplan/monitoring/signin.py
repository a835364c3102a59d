"""Sign-in: throttled per account name and per client, decided atomically before any password is checked.

Every attempt first takes a slot under a row lock on its two throttle rows (the account name typed and the
client's address) and is charged as a failure then; only an attempt that got a slot has its password
checked, and a success gives the account's slot back. So however many guesses arrive at once, no more than
the free attempts are ever checked. Unknown, disabled and existing accounts take the same path — the same
throttle, the same Argon2 verification (of a dummy hash when there is no account) and the same message — so
neither timing nor wording tells which names exist.

Per client (an address): 5 free attempts, then a wait of 5 s doubling to at most 15 min.
Per account name: 10 free attempts, then a wait of 5 s more per attempt, at most 60 s: an attacker
spreading guesses over many addresses can slow an account to one attempt a minute, never lock it out.
Failures older than an hour are forgotten.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from acplan.monitoring import audit, chain
from acplan.monitoring.auth import needs_rehash, rehash, verify_password
from acplan.monitoring.models import AppUser, LoginThrottle

UNKNOWN_ACCOUNT = "?"  # what the audit log records for a name that is not an account: never what was typed
FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Policy:
    free: int
    first_wait_s: int
    max_wait_s: int
    doubling: bool

    def wait_s(self, failures: int) -> int:
        """Seconds to wait after `failures` failures in a row: none within the free attempts."""
        if failures < self.free:
            return 0
        steps = failures - self.free
        grown = self.first_wait_s * 2 ** min(steps, 20) if self.doubling else self.first_wait_s * (steps + 1)
        return min(grown, self.max_wait_s)


CLIENT = Policy(free=5, first_wait_s=5, max_wait_s=15 * 60, doubling=True)
ACCOUNT = Policy(free=10, first_wait_s=5, max_wait_s=60, doubling=False)


@dataclass(frozen=True)
class LoginResult:
    user: AppUser | None
    retry_after_s: int


def _key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:64]}"


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=moment.tzinfo or UTC)


def _lock_rows(session: Session, keys: list[str]) -> list[LoginThrottle]:
    """Create the rows if new, then lock them (UPDATE takes SQLite's write lock, PostgreSQL's row locks)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for key in keys:
        session.execute(insert(LoginThrottle).values(key=key, failures=0).on_conflict_do_nothing())
    session.execute(update(LoginThrottle).where(LoginThrottle.key.in_(keys)).values(failures=LoginThrottle.failures))
    return [session.exec(select(LoginThrottle).where(LoginThrottle.key == k)).one() for k in keys]


def _reserve(session: Session, keys: dict[str, Policy], now: datetime) -> int:
    """Take an attempt slot (0), or the seconds to wait; commits, so that concurrent attempts see it."""
    rows = _lock_rows(session, sorted(keys))  # always the same order: no deadlock between two attempts
    waits = [int((_aware(r.locked_until) - now).total_seconds()) + 1 for r in rows
             if r.locked_until is not None and _aware(r.locked_until) > now]
    if waits:
        session.commit()
        return max(waits)
    for row in rows:
        if row.last_failure is not None and now - _aware(row.last_failure) > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure = now
        wait = keys[row.key].wait_s(row.failures)
        row.locked_until = now + timedelta(seconds=wait) if wait else None
        session.add(row)
    session.commit()
    return 0


def _release(session: Session, key: str) -> None:
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                    .values(failures=0, locked_until=None, last_failure=None))


def _refund(session: Session, key: str, policy: Policy) -> None:
    """Give back the slot a successful attempt was charged: a good sign-in never counts against its client
    (ten members signing in from one office address are not throttled)."""
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.failures > 0)
                    .values(failures=LoginThrottle.failures - 1))
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.failures < policy.free)
                    .values(locked_until=None))


def login(*, session: Session, username: str, password: str, client: str, now: datetime | None = None) -> LoginResult:
    """Check a sign-in from `client` (an address); every attempt is audited. Commits its own transactions."""
    now = now or datetime.now(UTC)
    name = username.strip()[:64]
    account_key, client_key = _key("account", name.casefold()), _key("client", client)
    wait = _reserve(session, {account_key: ACCOUNT, client_key: CLIENT}, now)
    chain.lock(session)  # this transaction writes the attempt's audit row: take the lock before reading
    user = session.exec(select(AppUser).where(AppUser.username == name)).first()
    logged_name = user.username if user is not None else UNKNOWN_ACCOUNT
    if wait:
        audit.record(session, actor=logged_name, action="login.throttled", entity="user", entity_id=logged_name)
        session.commit()
        return LoginResult(None, wait)
    active = user is not None and user.is_active
    ok = verify_password(user.password_hash if active else None, password)
    if not ok:
        audit.record(session, actor=logged_name, action="login.failed", entity="user", entity_id=logged_name)
        session.commit()
        return LoginResult(None, 0)
    _release(session, account_key)
    _refund(session, client_key, CLIENT)
    if needs_rehash(user.password_hash):
        user.password_hash = rehash(password)
        session.add(user)
    audit.record(session, actor=user.username, action="login.success", entity="user", entity_id=user.username)
    session.commit()
    return LoginResult(user, 0)
