"""At national size on PostgreSQL (#16): a store of 1,000 fictional organisations (demo-data); every page of one
organisation and the roll-up over all of them run, and PostgreSQL's plan for every statement they send reads no
table of members' entries whole (score entries, indicator results): reading a page costs what that page shows."""

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring import users
from acplan.plan import models as m
from tests.apptest import clear_caches, run_page, signed_in
from tests.conftest import fresh_pg_database
from tests.factories import OPERATOR
from tests.queryplans import captured, scanning

ORGS = 1000
PER_ENTRY = {"scoreentry", "indicatorresult"}
PUBLIC_PAGES = {"overview": None, "projects": "pages/projects.py", "project": "pages/project.py",
                "budget": "pages/budget.py", "risks": "pages/risks.py", "targets": "pages/targets.py",
                "results": "pages/results.py", "findings": "pages/findings.py"}
SIGNED_IN = {"score": ("member1", "pages/score.py"), "board": ("sec1", "pages/board.py"),
             "rounds": ("sec1", "pages/rounds.py"), "users": ("admin1", "pages/users.py")}


@pytest.fixture(scope="module")
def national(cli_module):
    """1,000 organisations, two rounds each scored by three members; organisation demo-00001's own accounts."""
    with fresh_pg_database() as url:
        env = {"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2030-12-01"}
        assert cli_module("init", "--no-plan", env=env)[0] == 0
        code, _out, err = cli_module("demo-data", "--orgs", str(ORGS), "--rounds", "2", "--members", "3", env=env)
        assert code == 0, err
        engine = make_engine(url)
        with Session(engine) as s:
            org = s.exec(select(m.Organisation).where(m.Organisation.code == "demo-00001")).one()
            for name, role in (("member1", "committee"), ("sec1", "secretary"), ("admin1", "admin")):
                users.add_user(session=s, actor=OPERATOR, username=name, display_name=name, role=role,
                               password=f"{name}-password-1", organisation_id=org.id)
            s.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))  # as autovacuum would have by the time anyone reads
        clear_caches()
        yield engine
        clear_caches()
        engine.dispose()


@pytest.fixture(scope="module")
def cli_module():
    """`acplan …` in this process for a module's fixture (the per-test `cli` fixture cannot serve one)."""
    from acplan import settings
    from acplan.cli import main

    mp = pytest.MonkeyPatch()

    def run(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
        for key, value in env.items():
            mp.setenv(key, value)
        settings.get.cache_clear()
        try:
            return main(list(args)), "", ""
        except SystemExit as exc:
            return exc.code, "", ""
    yield run
    mp.undo()
    settings.get.cache_clear()


def test_no_page_reads_every_members_entry_at_national_size(national):
    with captured() as statements:
        for name, page in PUBLIC_PAGES.items():
            at = run_page(page, org="demo-00001", **({"no": "3"} if name == "project" else {}))
            assert not at.exception, name
        rollup = run_page("pages/rollup.py")
        assert not rollup.exception and rollup.metric[0].value == "1,000"
        for name, (account, page) in SIGNED_IN.items():
            at = signed_in(account, page, org="demo-00001")
            assert not at.exception, name
    assert len(statements) > 50
    assert scanning(national, statements, PER_ENTRY) == []


def test_the_check_sees_a_scan_where_there_is_one(national):
    """The plan check itself can fail: a query over every entry is a sequential scan."""
    with captured() as statements, national.connect() as conn:
        conn.execute(text("SELECT count(*) FROM scoreentry WHERE comment = ''"))
    assert [hit for _sql, hit in scanning(national, statements, PER_ENTRY)] == [{"scoreentry"}]
