"""Secrets and passwords: placeholder secrets refused, weak passwords refused, password hashes never in errors or logs."""

import logging

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from acplan import settings
from acplan.db import make_engine
from acplan.errors import InvalidInput
from acplan.monitoring import auth, users
from acplan.monitoring.models import AppUser
from tests.conftest import store_url
from tests.factories import OPERATOR, user


@pytest.mark.parametrize("password", ["Changeme1", "password123", "", "…", "...", "<password>", "replace-me",
                                      "your-password", "MySecret99", "xxxxxxxx"])
def test_placeholder_database_passwords_are_refused(password):
    with pytest.raises(settings.InsecureConfiguration) as err:
        settings.check_secrets(f"postgresql+psycopg://acplan_app:{password}@db/acplan")
    assert password not in str(err.value) or password == ""


def test_a_real_database_password_is_accepted():
    settings.check_secrets("postgresql+psycopg://acplan_app:Tq7-vLr2-Wx9h-Kd4p@db/acplan")


@pytest.mark.parametrize(("username", "role", "password", "code"), [
    ("m1", "committee", "aaaaaaaaaaaa", "password_too_weak"),
    ("m1", "committee", "password123", "password_too_weak"),
    ("m1", "committee", "Changeme1", "password_too_short"),
    ("somchai.k", "committee", "somchai.k", "password_too_short"),
    ("somchai.kan", "committee", "somchai.kan", "password_is_name"),
    ("somchai.kan", "committee", "Somchai.Kan2567", "password_too_weak"),
    ("m1", "committee", "qwertyuiop123", "password_too_weak"),
    ("sec1", "secretary", "Tq7-vLr2-Wx", "password_too_short"),  # 11 characters: staff need 12
    ("admin1", "admin", "", "password_too_short"),
])
def test_weak_passwords_are_refused_with_the_reason(username, role, password, code):
    assert auth.password_issue(password, username=username, display_name="สมชาย กันดี", role=role).code == code


@pytest.mark.parametrize(("role", "password"), [("committee", "ปลาทูแม่กลอง-2567"), ("admin", "Tq7-vLr2-Wx9h"),
                                                ("committee", "correct horse battery")])
def test_strong_passwords_are_accepted(role, password):
    assert auth.password_issue(password, username="m1", display_name="สมชาย", role=role) is None


def test_adding_an_account_with_a_weak_password_lists_every_problem_and_writes_nothing(loaded_engine):
    with Session(loaded_engine) as s:
        with pytest.raises(InvalidInput) as err:
            users.add_user(session=s, actor=OPERATOR, username="Bad Name", display_name="", role="committee",
                           password="password123")
        assert [i.code for i in err.value.issues] == ["username_invalid", "display_name_required", "password_too_weak"]
        assert s.get(AppUser, 1) is None


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_a_failed_write_of_an_account_never_shows_its_password_hash(request, db, caplog):
    engine = make_engine(store_url(request, db, loaded=False))
    with Session(engine) as s:
        existing = user(s, "m1")
        s.commit()
        secret_hash = existing.password_hash
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    with Session(engine) as s, pytest.raises(IntegrityError) as err:
        duplicate = AppUser(**existing.model_dump(exclude={"id"}))
        s.add(duplicate)
        s.commit()
    assert secret_hash[:20] in duplicate.password_hash  # the failing statement did carry the hash …
    assert "$argon2" not in str(err.value) and "$argon2" not in caplog.text  # … and no message shows it
    engine.dispose()
