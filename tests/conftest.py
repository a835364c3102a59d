"""Shared fixtures: a real SQLite file per test, a real PostgreSQL database where available."""

import os
import shutil
import uuid
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from acplan import config
from acplan.db import make_engine
from acplan.store import init_store

REQUIRE_ALL = os.environ.get("ACPLAN_REQUIRE_ALL") == "1"
PG_ADMIN_URL = os.environ.get("ACPLAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PLAN_FILE = config.plan_file()


def need(reason: str) -> None:
    """Skip with `reason`, or fail when CI demands every test run (ACPLAN_REQUIRE_ALL=1)."""
    if REQUIRE_ALL:
        pytest.fail(f"required test resource missing: {reason}")
    pytest.skip(reason)


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
def loaded_engine(sqlite_engine):
    init_store(sqlite_engine, PLAN_FILE)
    return sqlite_engine


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema-less database for one test, dropped afterwards."""
    try:
        admin = make_engine(PG_ADMIN_URL)
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001  (any connection failure means "no PostgreSQL here")
        need(f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); install and start PostgreSQL")
    name = f"acplan_test_{uuid.uuid4().hex[:10]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
