"""Sign-in hardening: throttling after repeated failures, audit of every attempt, idle expiry."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from acplan.monitoring import users
from acplan.monitoring.models import AuditLog
from tests.apptest import clear_caches, run_page
from tests.factories import user

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("failures", "delay"), [(0, 0), (4, 0), (5, 5), (6, 10), (8, 40), (20, 900)])
def test_throttle_delay_grows_and_is_capped(failures, delay):
    assert users.throttle_delay_s(failures) == delay


def test_five_failures_lock_the_user_and_every_attempt_is_audited(loaded_engine):
    with Session(loaded_engine) as s:
        user(s, "m1")
        for i in range(5):
            result = users.login(session=s, username="m1", password="wrong", now=NOW + timedelta(seconds=i))
        assert result.user is None and result.retry_after_s == 5
        locked = users.login(session=s, username="m1", password="m1-password-1", now=NOW + timedelta(seconds=6))
        assert locked.user is None and locked.retry_after_s > 0  # even the right password waits
        later = users.login(session=s, username="m1", password="m1-password-1", now=NOW + timedelta(seconds=30))
        assert later.user is not None and later.user.failed_logins == 0
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.entity == "user", AuditLog.action.like("login.%")))]
        assert actions == ["login.failed"] * 5 + ["login.throttled", "login.success"]


def test_unknown_user_failure_is_audited_without_revealing_anything(loaded_engine):
    with Session(loaded_engine) as s:
        result = users.login(session=s, username="nobody", password="x", now=NOW)
        assert (result.user, result.retry_after_s) == (None, 0)
        assert s.exec(select(AuditLog.action)).all() == ["login.failed"]


@pytest.fixture
def app_store(loaded_engine, sqlite_url, monkeypatch):
    monkeypatch.setenv("ACPLAN_DATABASE_URL", sqlite_url)
    with Session(loaded_engine) as s:
        user(s, "m1")
        s.commit()
    clear_caches()
    yield
    clear_caches()


def test_browser_session_is_throttled_after_five_failures(app_store):
    at = run_page("pages/login.py")
    for _ in range(5):
        at.text_input(key="login_username").input("someone-else")
        at.text_input(key="login_password").input("wrong-password")
        next(b for b in at.button if b.label == "เข้าสู่ระบบ").click().run()
    assert at.error[0].value.startswith("ลองผิดหลายครั้ง: กรุณารอ")


def test_idle_session_expires_and_asks_to_sign_in_again(app_store, monkeypatch):
    at = run_page("pages/login.py")
    at.text_input(key="login_username").input("m1")
    at.text_input(key="login_password").input("m1-password-1")
    next(b for b in at.button if b.label == "เข้าสู่ระบบ").click().run()
    assert at.success[0].value == "เข้าสู่ระบบแล้ว"
    at.session_state["acplan_auth"]["last_seen"] = datetime.now(UTC) - timedelta(minutes=31)
    at.run()
    assert at.info[0].value.startswith("ไม่มีการใช้งานนานเกินกำหนด")
    assert not at.success
