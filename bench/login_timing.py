"""Whether sign-in timing tells existing, disabled and unknown account names apart.

Usage: python bench/login_timing.py [--tries 50] [--pg ADMIN_URL] (with --pg, on a scratch PostgreSQL database
that the script creates and drops; otherwise on a fresh SQLite file). Signs in with a wrong password
against an existing, a disabled and an unknown name, interleaved so machine load falls on all alike, each
try two hours after the last so throttling never answers first. Prints each state's median and its ratio to
the existing account's median (the baseline, measured in the same run), and the largest difference of
medians, which README's security section records (target: under 20 ms).
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from acplan.access import Actor  # noqa: E402
from acplan.db import make_engine, migrate  # noqa: E402
from acplan.monitoring import signin, users  # noqa: E402
from bench.scratch import scratch_database  # noqa: E402

STATES = {"existing": "bench-member", "disabled": "bench-gone", "unknown": "bench-nobody"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--pg", default=None, help="PostgreSQL admin URL, e.g. postgresql+psycopg://postgres@127.0.0.1/test")
    args = parser.parse_args()
    if args.pg:
        with scratch_database(args.pg, "acplan_bench_login") as url:
            run(url, args.tries)
    else:
        run(f"sqlite:///{tempfile.mkdtemp()}/bench.db", args.tries)


def run(url: str, tries: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    operator = Actor.operator("bench")
    with Session(engine) as s:
        for name in ("bench-member", "bench-gone"):
            users.add_user(session=s, actor=operator, username=name, display_name=name, role="committee",
                           password="Tq7-vLr2-Wx9h-Kd4p")
        users.disable_user(session=s, actor=operator, username="bench-gone")
        s.commit()
    times: dict[str, list[float]] = {state: [] for state in STATES}
    now = datetime.now(UTC)
    for i in range(tries):
        for state, name in STATES.items():
            with Session(engine) as s:
                start = time.perf_counter()
                signin.login(session=s, username=name, password="wrong-password", client=f"bench-{i}",
                             now=now + timedelta(hours=2 * i))
                times[state].append(time.perf_counter() - start)
        print(f"\r{i + 1}/{tries}", end="", file=sys.stderr)
    print(file=sys.stderr)
    base = statistics.median(times["existing"])
    medians = {state: statistics.median(values) for state, values in times.items()}
    for state, median in medians.items():
        print(f"{state:9} median {median * 1000:7.1f} ms  ratio to existing {median / base:5.2f}")
    spread = max(medians.values()) - min(medians.values())
    print(f"largest difference of medians: {spread * 1000:.1f} ms ({spread / base:.1%} of the baseline)")
    engine.dispose()


if __name__ == "__main__":
    main()
