"""National size on PostgreSQL (#16): load N fictional organisations, then time every page of one of them and the
roll-up over all of them, and show the plans of the statements those pages send.

Run: python bench/rollup_scale.py [--orgs 1000] [--rounds 10] [--members 7] [--runs 15] [--database NAME]
(PostgreSQL at ACPLAN_TEST_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test). Prints:
- the load: demo-data's time against a bare COPY of as many rows into an unindexed table (the floor any loader
  pays), measured in the same run; the issue's target is 1,000 x 10 x 7 in at most 5 minutes on 2 cores;
- each page's median rerun (AppTest) against a minimal one-chart page in the same run; the budget is 4x;
- the tables any captured statement reads whole, and the slowest statements (EXPLAIN ANALYZE).
`--database NAME` reuses a store made before (its load is not timed again) and keeps it.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.page_rerun import MINIMAL, apps_for, measure, report  # noqa: E402

ADMIN = os.environ.get("ACPLAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BUDGET = 4.0
ORG = "demo-00001"  # the shipped municipality's plan, imported through the ordinary importer
PAGES = {"overview": ("", {"org": ORG}, None), "projects": ("pages/projects.py", {"org": ORG}, None),
         "project": ("pages/project.py", {"org": ORG, "no": "3"}, None), "budget": ("pages/budget.py", {"org": ORG}, None),
         "risks": ("pages/risks.py", {"org": ORG}, None), "targets": ("pages/targets.py", {"org": ORG}, None),
         "results": ("pages/results.py", {"org": ORG}, None), "findings": ("pages/findings.py", {"org": ORG}, None),
         "rollup": ("pages/rollup.py", {}, None),
         "score": ("pages/score.py", {"org": ORG}, "member1"), "board": ("pages/board.py", {"org": ORG}, "sec1"),
         "rounds": ("pages/rounds.py", {"org": ORG}, "sec1"), "users": ("pages/users.py", {"org": ORG}, "admin1")}


def admin_sql(sql: str) -> None:
    from sqlalchemy import text

    from acplan.db import make_engine
    engine = make_engine(ADMIN)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(sql))
    engine.dispose()


def load(url: str, args) -> float:
    env = {**os.environ, "ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2030-12-01"}
    subprocess.run([sys.executable, "-m", "acplan", "init", "--no-plan"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "acplan", "demo-data", "--orgs", str(args.orgs), "--rounds", str(args.rounds),
                    "--members", str(args.members)], env=env, check=True)  # its progress bar shows on stderr
    return time.perf_counter() - start


def copy_floor(url: str, rows: int) -> float:
    """A bare COPY of `rows` entry-like rows into an unindexed table, in the same store."""
    from acplan.db import make_engine
    engine = make_engine(url)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            cur.execute("CREATE TEMP TABLE copy_floor (round_id int, project_id int, member_id int, status text, "
                        "score int, spent bigint, comment text)")
            start = time.perf_counter()
            with cur.copy("COPY copy_floor FROM STDIN") as copy:
                for i in range(rows):
                    copy.write_row((i // 210, i % 30, i % 7, "in_progress", 1 + i % 5, 1000 * (i % 9), ""))
            seconds = time.perf_counter() - start
    engine.dispose()
    return seconds


def accounts(url: str) -> None:
    from sqlmodel import Session, select

    from acplan.db import make_engine
    from acplan.monitoring import users
    from acplan.plan import models as m
    from tests.factories import OPERATOR
    engine = make_engine(url)
    with Session(engine) as s:
        org = s.exec(select(m.Organisation).where(m.Organisation.code == ORG)).one()
        for name, role in (("member1", "committee"), ("sec1", "secretary"), ("admin1", "admin")):
            if s.exec(select(users.AppUser).where(users.AppUser.username == name)).first() is None:
                users.add_user(session=s, actor=OPERATOR, username=name, display_name=name, role=role,
                               password=f"{name}-password-1", organisation_id=org.id)
        s.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def plans(url: str, statements) -> None:
    from acplan.db import make_engine
    from tests.queryplans import plan_of, seq_scans
    engine = make_engine(url)
    scans: Counter = Counter()
    timed = []
    seen = set()
    with engine.connect() as conn:
        for st in statements:
            key = (st.sql, repr(st.params))
            if key in seen:
                continue
            seen.add(key)
            scans.update(seq_scans(plan_of(engine, st)))
            result = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + st.sql, st.params or ()).scalar()
            timed.append((result[0]["Execution Time"], " ".join(st.sql.split())[:110]))
    engine.dispose()
    out = sys.stdout
    out.write(f"\n{len(seen)} distinct statements; tables read whole (Seq Scan): "
              + (", ".join(f"{t} x{n}" for t, n in scans.most_common()) or "none") + "\n")
    out.write(f"score entries read whole: {'YES' if scans['scoreentry'] else 'never'}\nslowest statements:\n")
    for ms, sql in sorted(timed, reverse=True)[:6]:
        out.write(f"  {ms:8.1f} ms  {sql}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--members", type=int, default=7)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", help="reuse (and keep) this database instead of loading a new one")
    args = parser.parse_args()
    name = args.database or f"acplan_bench_{os.getpid()}"
    url = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    out = sys.stdout
    if not args.database:
        admin_sql(f'CREATE DATABASE "{name}"')
    try:
        if not args.database:
            seconds = load(url, args)
            from sqlalchemy import text

            from acplan.db import make_engine
            engine = make_engine(url)
            with engine.connect() as conn:
                entries = conn.execute(text("SELECT count(*) FROM scoreentry")).scalar()
            engine.dispose()
            floor = copy_floor(url, entries)
            out.write(f"load: {args.orgs} organisations, {entries:,} score entries in {seconds:.0f} s; a bare COPY of as "
                      f"many rows {floor:.1f} s; ratio {seconds / floor:.1f}; target 300 s: "
                      f"{'OK' if seconds <= 300 else 'OVER'}\n")
        accounts(url)
        os.environ["ACPLAN_DATABASE_URL"] = url
        os.environ["ACPLAN_TODAY"] = "2030-12-01"
        tmp = Path(tempfile.mkdtemp())
        minimal = tmp / "minimal.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        from tests.queryplans import captured
        with captured() as statements:
            apps = apps_for(PAGES, minimal)
            measure(apps, 1)  # every page once more, its statements captured (the caches were empty)
        out.write(f"page reruns in a store of {args.orgs} organisations (one organisation's pages; the roll-up over all):\n")
        report(measure(apps, args.runs), BUDGET)
        plans(url, statements)
    finally:
        if not args.database:
            from tests.apptest import clear_caches
            clear_caches()
            admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
