"""The public engine cannot write: the database refuses (SQLite read-only URI + authorizer; PostgreSQL SELECT-only role)."""

import stat
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
from sqlmodel import Session, select

from acplan import settings
from acplan.db import make_engine
from acplan.monitoring import entries, rounds
from acplan.plan.models import PlanItem
from tests.conftest import PLAN_FILE, loaded_store
from tests.factories import OPERATOR, as_actor, entry_values, open_round, plan_id, project_id, user

WRITES = ["UPDATE project SET name_th = 'x'", "DELETE FROM budgetline", "INSERT INTO organisation (code, name_th, name_en, "
          "org_type, executive_name_th, executive_title_th) VALUES ('x', 'x', '', 'x', '', '')", "CREATE TABLE evil (x int)",
          "DROP TABLE project"]


@pytest.fixture
def read_only_sqlite(tmp_path, template_root):
    path = tmp_path / "public" / "acplan.db"
    path.parent.mkdir()
    engine = make_engine(loaded_store(path, template_root))
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


STRESS = """
import sys, threading
from sqlalchemy import text
from acplan.db import make_engine
engine = make_engine(sys.argv[1], read_only=True)
def read():
    for _ in range(150):
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM project p JOIN budgetline b ON b.project_id = p.id")).scalar()
threads = [threading.Thread(target=read) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(type(engine.pool).__name__)
"""


def test_public_sqlite_engine_serves_many_sessions_at_once(read_only_sqlite):
    """Sixteen threads reading at once, as Streamlit runs sixteen viewers' scripts: found by bench/ws_load.py, the
    public engine's pool closed connections other threads were using and the process died (SIGSEGV); in a child
    process so that a crash fails this test instead of the test run."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", STRESS, read_only_sqlite[0]], capture_output=True, text=True, timeout=120,
                          cwd=PLAN_FILE.parent.parent)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.strip() == "QueuePool"


@pytest.mark.parametrize("statement", [*WRITES, "ATTACH DATABASE 'x.db' AS x", "PRAGMA journal_mode=WAL"])
def test_public_sqlite_engine_refuses_writes_and_attach(tmp_path, template_root, statement, monkeypatch):
    path = tmp_path / "acplan.db"
    loaded_store(path, template_root)
    monkeypatch.chdir(tmp_path)
    engine = make_engine(f"sqlite:///{path}", read_only=True)
    with pytest.raises(DatabaseError, match="not authorized|readonly|read-only"):
        with engine.begin() as conn:
            conn.execute(text(statement))
    assert not (tmp_path / "x.db").exists()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM project")).scalar() == 30


def test_public_sqlite_orm_write_fails_at_the_database(tmp_path, template_root):
    path = tmp_path / "acplan.db"
    loaded_store(path, template_root)
    engine = make_engine(f"sqlite:///{path}", read_only=True)
    with Session(engine) as s:
        project = s.exec(select(PlanItem).where(PlanItem.number == 1)).one()
        project.name_th = "แก้ไขผ่านเว็บสาธารณะ"
        s.add(project)
        with pytest.raises(DatabaseError):
            s.commit()


@pytest.fixture
def pg_read_only_url(pg_loaded_url, cli):
    pg_url = pg_loaded_url
    """A loaded database with a published round, a draft round and accounts; a public role set up by `grant-roles`."""
    engine = make_engine(pg_url)
    with Session(engine) as s:
        member = user(s, "m1")
        for code in ("2567-1", "2567-2"):
            rnd = open_round(s, code, prefill=False)
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 1),
                               entry_in=entries.parse_entry(entry_values(comment="ความเห็นภายใน")), expected_version=None)
            entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
            if code == "2567-1":
                for action in ("close", "publish"):
                    rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code=code, action=action)
        s.commit()
    engine.dispose()
    tag = uuid.uuid4().hex[:8]
    app_role, public_role = f"acplan_app_{tag}", f"acplan_public_{tag}"
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {app_role} LOGIN"))
        conn.execute(text(f"CREATE ROLE {public_role} LOGIN"))
    code, _, err = cli("grant-roles", "--app-role", app_role, "--public-role", public_role,
                       env={"ACPLAN_DATABASE_URL": pg_url})
    assert code == 0, err
    yield pg_url.replace("://postgres@", f"://{public_role}@")
    with admin.begin() as conn:
        for role in (app_role, public_role):
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


STORE_OR_SIGNAL = {
    "large object": "SELECT lo_from_bytea(0, 'x'::bytea)",
    "temporary table": "CREATE TEMP TABLE t (x int)",
    "advisory lock": "SELECT pg_advisory_lock(1)",
    "notify function": "SELECT pg_notify('c', 'x')",  # (the NOTIFY command needs no privilege; README says so)
    "the tables themselves": "SELECT password_hash FROM public.appuser",
    "the audit log itself": "SELECT * FROM public.audit_log",
}


@pytest.mark.parametrize("statement", STORE_OR_SIGNAL.values(), ids=STORE_OR_SIGNAL.keys())
def test_public_postgresql_role_can_neither_store_nor_signal_nor_read_the_tables(pg_read_only_url, statement):
    engine = make_engine(pg_read_only_url, read_only=True)
    with pytest.raises(DatabaseError, match="permission denied|read-only transaction"):
        with engine.begin() as conn:
            conn.execute(text("SET TRANSACTION READ WRITE"))
            conn.execute(text(statement))
    engine.dispose()


def test_public_postgresql_role_sees_published_data_only(pg_read_only_url):
    engine = make_engine(pg_read_only_url, read_only=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT fiscal_year_be, round_no FROM evaluationround")).all() == [(2567, 1)]
        assert conn.execute(text("SELECT username, password_hash FROM appuser")).all() == [("member-1", "")]
        assert conn.execute(text("SELECT comment, state FROM scoreentry")).all() == [("", "submitted")]
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM login_throttle")).scalar() == 0
    engine.dispose()


def test_a_pooled_public_connection_forgets_what_the_last_user_set(pg_read_only_url):
    engine = make_engine(pg_read_only_url, read_only=True)
    with engine.connect() as conn:
        conn.execute(text("SET default_transaction_read_only = off"))
        conn.execute(text("SET search_path = public"))
        conn.commit()
    with engine.connect() as conn:  # the same pooled connection, handed out again
        assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
        assert conn.execute(text("SHOW search_path")).scalar() == "published"
    engine.dispose()


def test_the_public_site_runs_on_the_public_postgresql_role(pg_read_only_url, monkeypatch):
    from tests.apptest import clear_caches, run_page, texts
    monkeypatch.setenv("ACPLAN_DATABASE_URL", pg_read_only_url)
    monkeypatch.setenv("ACPLAN_MODE", "public")
    clear_caches()
    for page in (None, "pages/results.py", "pages/findings.py", "pages/project.py"):
        at = run_page(page, no="1") if page == "pages/project.py" else run_page(page)
        assert not at.exception, page
    assert "2567-1" in texts(run_page("pages/results.py"))
    clear_caches()


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


def test_the_roll_up_reads_through_the_public_roles_views(pg_read_only_url):
    """The roll-up as the public PostgreSQL role reads it: the published round's stored summary only (the open
    round's entries are not in its views and have no summary)."""
    from datetime import date

    from acplan.access import Actor
    from acplan.monitoring import rollup

    engine = make_engine(pg_read_only_url, read_only=True)
    with Session(engine) as s:
        r = rollup.read(session=s, actor=Actor.anonymous(), filters=rollup.Filters(), today=date(2026, 12, 1))
        with pytest.raises((ProgrammingError, OperationalError, DatabaseError)):
            s.execute(text("DELETE FROM round_summary"))
    engine.dispose()
    assert rollup.counts(r) == {"orgs": 1, "with_plan": 1, "with_rounds": 1}
    assert list(r.summaries["code"]) == ["2567-1"] and r.summaries["items_scored"].tolist() == [1]
