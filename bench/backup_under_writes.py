"""Backups taken while the app writes: how many restore, and what a backup costs under writes vs an idle store.

Usage: python bench/backup_under_writes.py [--backups 25] [--pg ADMIN_URL]. A thread saves entries without
pause while backups are taken one after another; each is restored into a fresh SQLite store and its foreign
keys checked. Prints the share that restored (README's security section: 100 % of at least 20) and the
median backup time as a ratio to a backup of the same store while idle, measured in the same run.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

from acplan.access import Actor  # noqa: E402
from acplan.db import backup, make_engine  # noqa: E402
from acplan.monitoring import entries, rounds, users  # noqa: E402
from acplan.monitoring.models import AppUser, EvaluationRound  # noqa: E402
from acplan.plan.load import init_store  # noqa: E402
from acplan.plan.queries import get_item_id, get_plan  # noqa: E402
from acplan.settings import DEFAULT_PLAN_FILE  # noqa: E402
from bench.scratch import scratch_database  # noqa: E402

OPERATOR = Actor.operator("bench")


def prepare(url: str):
    engine = make_engine(url)
    init_store(engine, DEFAULT_PLAN_FILE, actor=OPERATOR)
    with Session(engine) as s:
        users.add_user(session=s, actor=OPERATOR, username="m1", display_name="m1", role="committee",
                       password="Tq7-vLr2-Wx9h-Kd4p")
        plan = get_plan(session=s).id
        rounds.create_round(session=s, actor=OPERATOR, plan_id=plan, fiscal_year_be=2567, round_no=1,
                            today=__import__("datetime").date(2024, 1, 1))
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan, code="2567-1", action="open")
        s.commit()
    return engine


def writer(engine, stop: threading.Event) -> None:
    with Session(engine) as s:
        member, rnd = s.exec(select(AppUser)).one(), s.exec(select(EvaluationRound)).one()
        plan = get_plan(session=s).id
        ids = {n: get_item_id(session=s, plan_id=plan, number=n) for n in range(1, 31)}
        s.commit()
        actor = Actor(member.username, member.role, member.id)
        versions, n = {}, 0
        while not stop.is_set():
            number = n % 30 + 1
            entries.save_entry(session=s, actor=actor, member=member, rnd=rnd, project_id=ids[number],
                               expected_version=versions.get(number), entry_in=entries.parse_entry(
                                   {"status": "in_progress", "progress_pct": 50, "score": n % 5 + 1, "spent_thb": 0}))
            s.commit()
            versions[number] = versions.get(number, 0) + 1
            n += 1


def timed_backup(engine) -> tuple[bytes, float]:
    start = time.perf_counter()
    data, _ = backup.backup(engine, metadata=SQLModel.metadata)
    return data, time.perf_counter() - start


def run(url: str, count: int, tmp: Path) -> None:
    engine = prepare(url)
    idle = [timed_backup(engine)[1] for _ in range(3)]
    stop = threading.Event()
    thread = threading.Thread(target=writer, args=(engine, stop))
    thread.start()
    busy, files = [], []
    try:
        for i in range(count):
            data, seconds = timed_backup(engine)
            files.append(data)
            busy.append(seconds)
            print(f"\rbackup {i + 1}/{count}", end="", file=sys.stderr)
    finally:
        stop.set()
        thread.join()
    restored = 0
    for i, data in enumerate(files):
        target = make_engine(f"sqlite:///{tmp / f'{engine.dialect.name}-{i}.db'}")
        backup.restore(target, data, metadata=SQLModel.metadata)
        with target.connect() as conn:
            restored += conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        target.dispose()
        print(f"\rrestored {i + 1}/{count}", end="", file=sys.stderr)
    print(file=sys.stderr)
    print(f"{engine.dialect.name}: {restored}/{count} backups taken under writes restored ({restored / count:.0%}); "
          f"median backup {statistics.median(busy):.2f} s under writes vs {statistics.median(idle):.2f} s idle "
          f"(ratio {statistics.median(busy) / statistics.median(idle):.2f})")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backups", type=int, default=25)
    parser.add_argument("--pg", default=None, help="PostgreSQL admin URL; a scratch database is created and dropped")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'live.db'}", args.backups, Path(tmp))
        if args.pg:
            with scratch_database(args.pg, "acplan_bench_backup") as url:
                run(url, args.backups, Path(tmp))


if __name__ == "__main__":
    main()
