"""The public engine cannot write: the database refuses (SQLite read-only URI + authorizer; PostgreSQL SELECT-only role)."""

import stat
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
from sqlmodel import Session, select

from acplan import settings
from acplan.db import make_engine
from acplan.plan.load import init_store
from acplan.plan.models import PlanItem
from tests.conftest import PLAN_FILE
from tests.factories import OPERATOR

WRITES = ["UPDATE project SET name_th = 'x'", "DELETE FROM budgetline", "INSERT INTO organisation (code, name_th, name_en, "
          "org_type, executive_name_th, executive_title_th) VALUES ('x', 'x', '', 'x', '', '')", "CREATE TABLE evil (x int)",
          "DROP TABLE project"]


@pytest.fixture
def read_only_sqlite(tmp_path):
    path = tmp_path / "public" / "acplan.db"
    path.parent.mkdir()
    engine = make_engine(f"sqlite:///{path}")
    init_store(engine, PLAN_FILE, actor=OPERATOR)
    engine.dispose()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield f"sqlite:///{path}", path
    path.parent.chmod(stat.S_IRWXU)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_public_sqlite_engine_reads_a_read_only_file_in_a_read_only_folder(read_only_sqlite):
    url, _ = read_only_sqlite
    engine = make_engine(url, read_only=True)
    with Session(engine) as s:
        assert len(s.exec(select(PlanItem)).all()) == 30


@pytest.mark.parametrize("statement", [*WRITES, "ATTACH DATABASE 'x.db' AS x", "PRAGMA journal_mode=WAL"])
def test_public_sqlite_engine_refuses_writes_and_attach(tmp_path, statement, monkeypatch):
    path = tmp_path / "acplan.db"
    init_store(make_engine(f"sqlite:///{path}"), PLAN_FILE, actor=OPERATOR)
    monkeypatch.chdir(tmp_path)
    engine = make_engine(f"sqlite:///{path}", read_only=True)
    with pytest.raises(DatabaseError, match="not authorized|readonly|read-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    assert not (tmp_path / "x.db").exists()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM project")).scalar() == 30


def test_public_sqlite_orm_write_fails_at_the_database(tmp_path):
    path = tmp_path / "acplan.db"
    init_store(make_engine(f"sqlite:///{path}"), PLAN_FILE, actor=OPERATOR)
    engine = make_engine(f"sqlite:///{path}", read_only=True)
    with Session(engine) as s:
        project = s.exec(select(PlanItem).where(PlanItem.number == 1)).one()
        project.name_th = "แก้ไขผ่านเว็บสาธารณะ"
        s.add(project)
        with pytest.raises(DatabaseError):
            s.commit()


@pytest.fixture
def pg_read_only_url(pg_url):
    """The test database loaded, plus a role granted SELECT only, as the public deployment documents."""
    init_store(make_engine(pg_url), PLAN_FILE, actor=OPERATOR)
    role = f"acplan_public_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    yield pg_url.replace("://postgres@", f"://{role}@")
    with admin.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    admin.dispose()


@pytest.mark.parametrize("statement", WRITES)
def test_public_postgresql_role_refuses_writes_even_after_lifting_read_only(pg_read_only_url, statement):
    engine = make_engine(pg_read_only_url, read_only=True)
    with pytest.raises((ProgrammingError, OperationalError, DatabaseError)):
        with engine.begin() as conn:
            conn.execute(text("SET TRANSACTION READ WRITE"))  # a session may lift the default; the role still says no
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM project")).scalar() == 30
    engine.dispose()


@pytest.mark.parametrize("password", ["changeme", "PASSWORD", "secret", "REPLACE-WITH-THE-REAL-PASSWORD"])
def test_placeholder_database_password_is_refused(password):
    with pytest.raises(settings.InsecureConfiguration) as err:
        make_engine(f"postgresql+psycopg://acplan:{password}@db.example/acplan")
    assert password not in str(err.value)


def test_secrets_file_is_read_and_its_placeholder_refused(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text((settings.ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(settings, "SECRETS_FILE", secrets)
    monkeypatch.delenv("ACPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert settings.reload().database_url.startswith("postgresql+psycopg://acplan_app:")
    with pytest.raises(settings.InsecureConfiguration):
        make_engine()
