"""Sign-in hardening: atomic throttling per account name and per client, no account enumeration, audit, expiry."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring import signin, users
from acplan.monitoring.models import AuditLog, LoginThrottle
from tests.apptest import clear_caches, run_page
from tests.conftest import store_url
from tests.factories import OPERATOR, user

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    """An empty migrated store (SQLite or PostgreSQL) with one committee member m1 and a disabled account gone1."""
    eng = make_engine(store_url(request, request.param, loaded=False))
    with Session(eng) as s:
        user(s, "m1")
        user(s, "gone1")
        users.disable_user(session=s, actor=OPERATOR, username="gone1")
        s.commit()
    yield eng
    eng.dispose()


def attempt(engine, username: str, password: str, *, client: str = "10.0.0.1", now: datetime = NOW):
    with Session(engine) as s:
        return signin.login(session=s, username=username, password=password, client=client, now=now)


def login_rows(engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        return [tuple(r) for r in s.exec(select(AuditLog.action, AuditLog.actor)
                                         .where(AuditLog.action.like("login.%")).order_by(AuditLog.id))]


@pytest.mark.parametrize(("policy", "failures", "wait"), [
    (signin.CLIENT, 4, 0), (signin.CLIENT, 5, 5), (signin.CLIENT, 6, 10), (signin.CLIENT, 8, 40), (signin.CLIENT, 40, 900),
    (signin.ACCOUNT, 9, 0), (signin.ACCOUNT, 10, 5), (signin.ACCOUNT, 11, 10), (signin.ACCOUNT, 500, 60)])
def test_waits_grow_and_are_capped(policy, failures, wait):
    assert policy.wait_s(failures) == wait


def test_five_failures_from_one_client_make_it_wait_even_with_the_right_password(engine):
    results = [attempt(engine, "m1", "wrong", now=NOW + timedelta(seconds=i)) for i in range(5)]
    assert [r.retry_after_s for r in results] == [0, 0, 0, 0, 0]
    locked = attempt(engine, "m1", "m1-password-1", now=NOW + timedelta(seconds=5))
    assert locked.user is None and 0 < locked.retry_after_s <= 5
    elsewhere = attempt(engine, "m1", "m1-password-1", client="10.0.0.2", now=NOW + timedelta(seconds=5))
    assert elsewhere.user is not None  # the account itself is not locked by one client's five failures
    assert [a for a, _ in login_rows(engine)] == ["login.failed"] * 5 + ["login.throttled", "login.success"]


def test_many_good_sign_ins_from_one_office_address_are_never_throttled(engine):
    for i in range(12):  # e.g. every member of the committee signing in from the municipality's one address
        assert attempt(engine, "m1", "m1-password-1", now=NOW + timedelta(seconds=i)).user is not None
    assert attempt(engine, "m1", "wrong", now=NOW + timedelta(seconds=20)).retry_after_s == 0


def test_guesses_spread_over_many_clients_slow_the_account_to_at_most_one_a_minute(engine):
    for i in range(30):
        attempt(engine, "m1", "wrong", client=f"10.1.0.{i}", now=NOW + timedelta(minutes=i * 2))
    # after 30 failures the account's wait is at its ceiling, and the owner gets in once it has passed
    refused = attempt(engine, "m1", "m1-password-1", client="192.168.1.5", now=NOW + timedelta(minutes=58, seconds=1))
    assert 0 < refused.retry_after_s <= signin.ACCOUNT.max_wait_s
    ok = attempt(engine, "m1", "m1-password-1", client="192.168.1.5", now=NOW + timedelta(minutes=60))
    assert ok.user is not None


def test_thirty_simultaneous_guesses_check_at_most_the_free_attempts(engine):
    """30 guesses at once from one client, the 16th with the right password: only 5 passwords are ever checked."""
    barrier = threading.Barrier(30)
    results: list = [None] * 30

    def guess(i: int) -> None:
        barrier.wait()
        results[i] = attempt(engine, "m1", "m1-password-1" if i == 15 else f"guess-{i}", now=NOW)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    actions = [a for a, _ in login_rows(engine)]
    wrong = actions.count("login.failed")
    assert wrong <= signin.CLIENT.free  # at most the free attempts' wrong guesses were ever checked
    assert actions.count("login.throttled") == 30 - wrong - actions.count("login.success")
    with Session(engine) as s:
        client_row = s.get(LoginThrottle, signin._key("client", "10.0.0.1"))
        assert client_row.failures == wrong  # every wrong guess counted, none lost in the race


@pytest.fixture
def verify_calls(monkeypatch):
    """Count Argon2 verifications (a spy: the real verify still runs)."""
    calls = []
    real = PasswordHasher.verify

    def spy(self, hash_, password):
        calls.append(1)
        return real(self, hash_, password)
    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return calls


@pytest.mark.parametrize("username", ["m1", "gone1", "nobody"], ids=["existing", "disabled", "unknown"])
def test_existing_disabled_and_unknown_names_are_answered_alike(engine, username, verify_calls):
    results = [attempt(engine, username, "wrong-password", client=f"10.2.0.{i}", now=NOW + timedelta(seconds=i))
               for i in range(11)]
    assert [r.retry_after_s for r in results] == [0] * 10 + [5]  # the account-name wait holds for any name
    assert all(r.user is None for r in results)
    assert len(verify_calls) == 10  # the same Argon2 work for every name; the throttled 11th checks nothing
    logged = {actor for _, actor in login_rows(engine)}
    assert logged == ({username} if username != "nobody" else {signin.UNKNOWN_ACCOUNT})


def test_a_password_typed_as_username_never_reaches_the_audit_log_or_the_throttle_table(engine):
    attempt(engine, "MySecret-Passw0rd!", "")
    with Session(engine) as s:
        assert "MySecret" not in str(s.exec(select(AuditLog.actor, AuditLog.entity_id)).all())
        assert all("MySecret" not in k for k in s.exec(select(LoginThrottle.key)))
        assert s.exec(select(func.count()).select_from(LoginThrottle)).one() == 2


@pytest.fixture
def app_store(loaded_engine, sqlite_url, monkeypatch):
    monkeypatch.setenv("ACPLAN_DATABASE_URL", sqlite_url)
    with Session(loaded_engine) as s:
        user(s, "m1")
        s.commit()
    clear_caches()
    yield
    clear_caches()


def sign_in_page(at, username: str, password: str) -> None:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == "เข้าสู่ระบบ").click().run()


def test_the_page_says_the_same_for_unknown_and_existing_names_then_asks_to_wait(app_store):
    at = run_page("pages/login.py")
    sign_in_page(at, "m1", "wrong-password")
    existing = at.error[0].value
    sign_in_page(at, "someone-else", "wrong-password")
    assert at.error[0].value == existing == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    for _ in range(3):
        sign_in_page(at, "someone-else", "wrong-password")
    sign_in_page(at, "m1", "m1-password-1")
    assert at.error[0].value.startswith("ลองผิดหลายครั้ง: กรุณารอ")
    assert not at.success


def test_idle_session_expires_and_asks_to_sign_in_again(app_store):
    at = run_page("pages/login.py")
    sign_in_page(at, "m1", "m1-password-1")
    assert at.success[0].value == "เข้าสู่ระบบแล้ว"
    at.session_state["acplan_auth"]["last_seen"] = datetime.now(UTC) - timedelta(minutes=31)
    at.run()
    assert at.info[0].value.startswith("ไม่มีการใช้งานนานเกินกำหนด")
    assert not at.success


@pytest.mark.parametrize(("target", "expected"), [
    ("score?round=2570-1", ("pages/score.py", {"round": "2570-1"})),
    ("", None),
    ("results", ("pages/results.py", {})),
    ("https://evil.example/score", None), ("//evil.example/score", None), ("../../etc/passwd", None),
    ("users?next=https://evil.example", ("pages/users.py", {})), (None, None)])
def test_signing_in_returns_only_to_the_apps_own_pages(target, expected):
    from acplan.ui.session import return_to
    assert return_to(target) == expected


def test_after_signing_in_the_member_lands_where_they_were_going(app_store):
    at = run_page("pages/login.py", next="findings?f_status=open")
    sign_in_page(at, "m1", "m1-password-1")
    assert not at.exception
    assert at.header[0].value == "ข้อค้นพบและข้อเสนอแนะ"  # the findings page, not the account page


def test_a_browser_session_is_one_ticket_away_and_ends_with_sign_out_idle_time_or_a_disabled_account(engine):
    from acplan.monitoring import websessions
    from acplan.monitoring.models import AppUser, WebSession
    idle = timedelta(minutes=30)
    with Session(engine) as s:
        m1 = s.exec(select(AppUser).where(AppUser.username == "m1")).one()
        ticket = websessions.issue_ticket(s, m1.id, now=NOW)
        stale = websessions.issue_ticket(s, m1.id, now=NOW - timedelta(minutes=5))
        s.commit()
        assert websessions.redeem(s, stale, now=NOW) is None  # a ticket lives a minute
        token = websessions.redeem(s, ticket, now=NOW + timedelta(seconds=10))
        assert token and websessions.redeem(s, ticket, now=NOW + timedelta(seconds=11)) is None  # once only
        s.commit()
        assert token not in str(s.exec(select(WebSession.token_hash)).all())  # kept only as a digest
        assert websessions.resume(s, token, idle, now=NOW + timedelta(minutes=20)).username == "m1"
        assert websessions.resume(s, token, idle, now=NOW + timedelta(minutes=51)) is None  # idle 31 minutes
        assert websessions.resume(s, token, idle, now=NOW + timedelta(minutes=40)).username == "m1"
        users.disable_user(session=s, actor=OPERATOR, username="m1")
        assert websessions.resume(s, token, idle, now=NOW + timedelta(minutes=41)) is None
        s.rollback()
        websessions.end(s, token)
        assert websessions.resume(s, token, idle, now=NOW + timedelta(minutes=42)) is None  # signed out
