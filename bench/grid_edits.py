"""Seven members each scoring 30 items through the entry grid's own save path, as the editor sends it.

Usage: python bench/grid_edits.py [--members 7]. The editor's state holds every edit made since the grid was
drawn, so the k-th edit arrives with the k-1 before it; each run is `acplan.ui.grid.save_edits` in the real
Streamlit runtime (AppTest). Prints the entry writes per score entered (audit rows `entry.save` ÷ values;
1.00 means an edit writes only its own row) and the median time of an edit as a ratio to the median time
of a run in which nothing changed (the baseline, measured in the same run).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from acplan import settings  # noqa: E402
from acplan.access import Actor  # noqa: E402
from acplan.db import make_engine  # noqa: E402
from acplan.monitoring import rounds, users  # noqa: E402
from acplan.monitoring.models import AuditLog  # noqa: E402
from acplan.plan.load import init_store  # noqa: E402
from acplan.plan.queries import get_plan  # noqa: E402
from acplan.settings import DEFAULT_PLAN_FILE  # noqa: E402

SCRIPT = ROOT / "bench" / "grid_edit_script.py"
OPERATOR = Actor.operator("bench")


def prepare(url: str, members: int) -> None:
    engine = make_engine(url)
    init_store(engine, DEFAULT_PLAN_FILE, actor=OPERATOR)
    with Session(engine) as s:
        for i in range(1, members + 1):
            users.add_user(session=s, actor=OPERATOR, username=f"m{i}", display_name=f"กรรมการ {i}",
                           role="committee", password="Tq7-vLr2-Wx9h-Kd4p")
        plan = get_plan(session=s).id
        rounds.create_round(session=s, actor=OPERATOR, plan_id=plan, fiscal_year_be=2570, round_no=1,
                            today=__import__("datetime").date(2026, 11, 1))
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan, code="2570-1", action="open")
        s.commit()
    engine.dispose()


def edit(url: str, member: str, edits: dict) -> float:
    at = AppTest.from_file(str(SCRIPT), default_timeout=60)
    at.session_state["bench_args"] = (url, member, edits)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=7)
    members = parser.parse_args().members
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["ACPLAN_DATABASE_URL"] = url  # the grid saves through the app's configured store
        settings.reload()
        prepare(url, members)
        edit_times, idle_times = [], []
        for m in range(1, members + 1):
            edits: dict[str, dict] = {}
            for row in range(30):
                edits[str(row)] = {"status_label": "อยู่ระหว่างดำเนินการ", "score": row % 5 + 1, "progress_pct": 50}
                edit_times.append(edit(url, f"m{m}", dict(edits)))
                idle_times.append(edit(url, f"m{m}", dict(edits)))  # the same state again: nothing differs
                print(f"\rmember {m}/{members}, edit {row + 1}/30", end="", file=sys.stderr)
        print(file=sys.stderr)
        engine = make_engine(url)
        with Session(engine) as s:
            writes = len(s.exec(select(AuditLog).where(AuditLog.action == "entry.save")).all())
        engine.dispose()
    values = members * 30
    print(f"{values} scores entered, {writes} entry writes: {writes / values:.2f} writes per score")
    print(f"median edit {statistics.median(edit_times) * 1000:.0f} ms vs {statistics.median(idle_times) * 1000:.0f} ms "
          f"for a run that writes nothing (ratio {statistics.median(edit_times) / statistics.median(idle_times):.2f}); "
          f"p95 edit {sorted(edit_times)[int(len(edit_times) * 0.95)] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
