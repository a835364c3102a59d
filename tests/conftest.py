"""Shared fixtures: a loaded SQLite store copied from one template per worker, a real PostgreSQL where available."""

import os
import shutil
import uuid
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from acplan import settings
from acplan.db import make_engine
from acplan.plan.load import init_store
from tests.factories import OPERATOR

REQUIRE_ALL = os.environ.get("ACPLAN_REQUIRE_ALL") == "1"
PG_ADMIN_URL = os.environ.get("ACPLAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PLAN_FILE = settings.DEFAULT_PLAN_FILE


def need(reason: str) -> None:
    """Skip with `reason`, or fail when CI demands every test run (ACPLAN_REQUIRE_ALL=1)."""
    if REQUIRE_ALL:
        pytest.fail(f"required test resource missing: {reason}")
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """Mark tests by what they need, so `-m "not browser"` (or `-m pg`) selects them; nothing is skipped by it."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.e2e)
        if "pg_url" in names or "postgresql" in item.name:
            item.add_marker(pytest.mark.pg)
        if item.module.__name__.startswith(("tests.test_pages", "tests.test_e2e")):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path, monkeypatch):
    """Each test reads the settings its own environment sets (the object is cached per process otherwise), and
    keeps any evidence file in a folder of its own, never in the project's data/evidence."""
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("ACPLAN_SHOW_ERRORS", "1")  # a page's fault fails its test (AppTest's `exception`)
    settings.get.cache_clear()
    yield
    settings.get.cache_clear()


@cache
def _template(tmp_root: str, loaded: bool = True) -> Path:
    """A store migrated to head (with the shipped plan loaded, unless `loaded` is False), built once per test process."""
    path = Path(tmp_root) / ("template.db" if loaded else "migrated.db")
    engine = make_engine(f"sqlite:///{path}")
    init_store(engine, PLAN_FILE if loaded else None, actor=OPERATOR)
    engine.dispose()
    return path


def loaded_store(path: Path, tmp_root: Path, *, loaded: bool = True) -> str:
    """Copy the loaded (or only migrated) template store to `path`; returns its URL."""
    shutil.copyfile(_template(str(tmp_root), loaded), path)
    return f"sqlite:///{path}"


def store_url(request, kind: str, *, loaded: bool = True) -> str:
    """A store of this test's own, migrated to head and (unless `loaded` is False) holding the shipped plan: a copy
    of a template built once per test process, on SQLite (`kind` "sqlite") or in a PostgreSQL database made from a
    template database (`kind` "postgresql"; dropped after the test). The same store `init_store` would build."""
    if kind == "sqlite":
        path = request.getfixturevalue("tmp_path") / "acplan.db"
        return loaded_store(path, request.getfixturevalue("template_root"), loaded=loaded)
    template = request.getfixturevalue("pg_templates")(loaded)
    database = fresh_pg_database(template=template)
    url = database.__enter__()
    request.addfinalizer(lambda: database.__exit__(None, None, None))
    return url


@pytest.fixture(scope="session")
def template_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("template")


@pytest.fixture(scope="session")
def plan_data() -> dict:
    return yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'acplan.db'}"


@pytest.fixture
def sqlite_engine(sqlite_url: str):
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded_engine(tmp_path: Path, template_root: Path):
    """A loaded SQLite store of this test's own (a copy of the per-process template)."""
    engine = make_engine(loaded_store(tmp_path / "acplan.db", template_root))
    yield engine
    engine.dispose()


@pytest.fixture
def app_engine(loaded_engine, monkeypatch):
    """`loaded_engine`, and the app (AppTest) pointed at the same store with its caches empty before and after."""
    from tests.apptest import clear_caches
    monkeypatch.setenv("ACPLAN_DATABASE_URL", str(loaded_engine.url))
    clear_caches()
    yield loaded_engine
    clear_caches()


def _pg_admin():
    try:
        admin = make_engine(PG_ADMIN_URL)
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001  (any connection failure means "no PostgreSQL here")
        need(f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); install and start PostgreSQL")
    return admin


def _pg_ddl(admin, statement: str) -> None:
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(statement))


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def fresh_pg_database(template: str | None = None):
    """A fresh PostgreSQL database (no schema yet, or a copy of database `template`), dropped afterwards; its URL."""
    admin = _pg_admin()
    name = f"acplan_test_{uuid.uuid4().hex[:10]}"
    _pg_ddl(admin, f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield _pg_url(name)
    finally:
        _pg_ddl(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def pg_templates():
    """Template databases built once per test process on first use: migrated, and migrated with the shipped plan
    loaded (`pg_templates(loaded)` gives the name); dropped at the end of the session."""
    built: dict[bool, str] = {}

    def template(loaded: bool) -> str:
        if loaded not in built:
            admin = _pg_admin()
            name = f"acplan_template_{uuid.uuid4().hex[:10]}"
            _pg_ddl(admin, f'CREATE DATABASE "{name}"')
            built[loaded] = name
            engine = make_engine(_pg_url(name))
            init_store(engine, PLAN_FILE if loaded else None, actor=OPERATOR)
            engine.dispose()  # a template database takes no connection while it is copied
            admin.dispose()
        return built[loaded]
    yield template
    if built:
        admin = _pg_admin()
        for name in built.values():
            _pg_ddl(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema-less database for one test, dropped afterwards."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def pg_loaded_url(request) -> str:
    """A PostgreSQL database of this test's own, migrated and holding the shipped plan (copied from a template)."""
    return store_url(request, "postgresql")


@pytest.fixture
def plan_copy(tmp_path: Path, plan_data: dict):
    """Write a modified copy of the shipped plan data; returns a function(mutate) -> path."""
    def write(mutate) -> Path:
        data = yaml.safe_load(yaml.safe_dump(plan_data, allow_unicode=True))
        mutate(data)
        path = tmp_path / "plan-copy.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path
    return write


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run `acplan …` in this process (as the console script would): returns (exit code, stdout, stderr)."""
    from acplan.cli import main

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str, str]:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(stdin))
        settings.get.cache_clear()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a browser that Playwright downloads)."""
    from playwright.sync_api import sync_playwright

    from tests.server import CHROMIUM_ARGS
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        need("Debian's chromium is not installed; run: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()
