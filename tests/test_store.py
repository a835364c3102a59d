"""The store: init is idempotent, export round-trips the data file, migrations keep data."""

import json

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

from acplan.db import current_revision, make_engine, migrate
from acplan.plan import models as m
from acplan.plan.datafile import read_file
from acplan.plan.dump import export_plan
from acplan.plan.load import InvalidPlanData, init_store, load_plan
from tests.conftest import PLAN_FILE
from tests.factories import OPERATOR


def snapshot(engine) -> dict:
    """Every row of every table, for exact before/after comparison."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(table.select().order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def as_json(data) -> dict:
    return json.loads(json.dumps(data, ensure_ascii=False))


def test_init_twice_leaves_database_unchanged(sqlite_engine):
    first = init_store(sqlite_engine, PLAN_FILE, actor=OPERATOR)
    before = snapshot(sqlite_engine)
    second = init_store(sqlite_engine, PLAN_FILE, actor=OPERATOR)
    assert (first.loaded, second.loaded) == (True, False)
    assert snapshot(sqlite_engine) == before
    assert len(before["project"]) == 30


def test_loading_again_never_duplicates(loaded_engine):
    data, sha = read_file(PLAN_FILE)
    with Session(loaded_engine) as session:
        _, added = load_plan(session=session, actor=OPERATOR, data=data, sha256=sha)
        session.commit()
        assert added is False
        assert len(session.exec(select(m.Plan)).all()) == 1
        assert len(session.exec(select(m.BudgetLine)).all()) == 150


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_export_equals_data_file(backend, request, plan_data):
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    engine = make_engine(url)
    result = init_store(engine, PLAN_FILE, actor=OPERATOR)
    with Session(engine) as session:
        exported = export_plan(session=session, plan_id=result.plan_id)
    engine.dispose()
    assert as_json(exported) == as_json(plan_data)


def test_export_plan_cli_prints_the_data_file(tmp_path, plan_data):
    import subprocess
    import sys
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    init = subprocess.run([sys.executable, "-m", "acplan", "init"], capture_output=True, text=True, env=env, timeout=120)
    assert init.returncode == 0, init.stderr
    assert "นำเข้าแผนเรียบร้อย" in init.stdout
    out = subprocess.run([sys.executable, "-m", "acplan", "export-plan"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    exported = json.loads(out.stdout)
    assert exported == as_json(plan_data)
    assert exported["projects"][18]["budget_thb"] == {str(y): 30000 for y in range(2566, 2571)}


def test_invalid_plan_file_loads_nothing(sqlite_engine, plan_copy):
    path = plan_copy(lambda d: d["projects"].pop())
    with pytest.raises(InvalidPlanData) as err:
        init_store(sqlite_engine, path, actor=OPERATOR)
    assert [p.code for p in err.value.report.problems][0] == "item_missing"
    assert inspect(sqlite_engine).get_table_names() == []  # the file is checked before the store is touched


def test_failed_load_rolls_back_everything(sqlite_engine, plan_data):
    migrate(sqlite_engine)
    broken = as_json(plan_data)
    broken["projects"][29]["sub_items"] = ["9.9.9"]  # passes no validation: load directly to provoke a failure
    with Session(sqlite_engine) as session, pytest.raises(KeyError):
        load_plan(session=session, actor=OPERATOR, data=broken, sha256="x")
    with Session(sqlite_engine) as session:
        assert session.exec(select(m.Organisation)).all() == []


def test_migration_from_first_revision_keeps_loaded_data(sqlite_engine):
    """A store loaded when the schema was at its first revision keeps every row through every migration since.

    The first-revision store is made the way the models of today can make it: loaded at head, then taken
    down to 0001 by the migrations' own downgrades."""
    from alembic import command

    from acplan.db import alembic_config
    init_store(sqlite_engine, PLAN_FILE, actor=OPERATOR)
    command.downgrade(alembic_config(sqlite_engine), "0001")
    before = snapshot_tables(sqlite_engine)
    migrate(sqlite_engine)
    after = snapshot_tables(sqlite_engine)
    assert current_revision(sqlite_engine) == head_revision()
    for table, rows in before.items():
        columns = set(rows[0]) if rows else set()
        assert [{k: r[k] for k in columns} for r in after[table]] == rows, table


def snapshot_tables(engine) -> dict:
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {n: [dict(r) for r in conn.execute(text(f'SELECT * FROM "{n}" ORDER BY 1')).mappings()]
                for n in names if n != "alembic_version"}


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from acplan.db.engine import MIGRATIONS
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_schema_from_migrations_matches_models(sqlite_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    migrate(sqlite_engine)
    with sqlite_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_get_plan_by_id_finds_that_plan(loaded_engine):
    from acplan.plan.queries import get_plan
    with Session(loaded_engine) as session:
        first = get_plan(session=session)
        assert get_plan(session=session, plan_id=first.id) == first
        assert get_plan(session=session, plan_id=first.id + 1) is None
