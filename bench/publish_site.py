"""Time and size of `publish-site` for one organisation with 10 published rounds (2566-1 … 2570-2), each scored on
all 30 items by 7 members, in Thai and English.

Run: python bench/publish_site.py. Each figure is measured in a fresh process (imports included, as the clerk's
`python -m acplan publish-site` pays them) and printed beside a baseline measured in the same run: the same
process typesetting one round's public PDF (`python -m acplan report --public`). The issue's budget on the 2-core
machine class: a whole site within 30 s. Also measured: re-publishing with nothing changed, and after one yearly
ITA score is recorded (only what it touches is rewritten).
"""

import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMBERS = 7
CODES = [f"{fy}-{n}" for fy in range(2566, 2571) for n in (1, 2)]


def seed(url: str) -> None:
    from sqlmodel import Session

    from acplan.access import Actor
    from acplan.db import make_engine
    from acplan.monitoring import entries, rounds, users
    from acplan.monitoring.models import EntryState
    from acplan.plan.load import init_store
    from acplan.plan.queries import get_item_id, get_plan
    from acplan.settings import DEFAULT_PLAN_FILE

    operator = Actor.operator("bench")
    engine = make_engine(url)
    init_store(engine, DEFAULT_PLAN_FILE, actor=operator)
    with Session(engine) as s:
        plan_id = get_plan(session=s).id
        members = [users.add_user(session=s, actor=operator, username=f"member{m}", display_name=f"กรรมการ {m + 1}",
                                  role="committee", password=f"bench-member-{m}-Xq7!pass") for m in range(MEMBERS)]
        for i, code in enumerate(CODES):
            print(f"  seeding round {code} ({i + 1}/{len(CODES)})", file=sys.stderr, flush=True)
            fy, no = int(code[:4]), int(code[-1])
            rounds.create_round(session=s, actor=operator, plan_id=plan_id, fiscal_year_be=fy, round_no=no,
                                today=date(2026, 11, 27), prefill=False)
            rnd = rounds.transition(session=s, actor=operator, plan_id=plan_id, code=code, action="open")
            for m, member in enumerate(members):
                for n in range(1, 31):
                    values = {"status": "completed" if (n + i) % 3 else "in_progress", "score": (n + m + i) % 5 + 1,
                              "progress_pct": 100 if (n + i) % 3 else 60, "spent_thb": 1000 * n, "comment": "ตามแผน"}
                    entries.save_entry(session=s, actor=operator, member=member, rnd=rnd,
                                       project_id=get_item_id(session=s, plan_id=plan_id, number=n),
                                       entry_in=entries.parse_entry(values), expected_version=None,
                                       state=EntryState.SUBMITTED, on_behalf=True)
            for action in ("close", "publish"):
                rounds.transition(session=s, actor=operator, plan_id=plan_id, code=code, action=action, early=True,
                                  reason="bench", today=date(2027, 10, 1))
        s.commit()
    engine.dispose()


def run(env: dict, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "acplan", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    import os

    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    env = {**os.environ, "ACPLAN_DATABASE_URL": url, "ACPLAN_EVIDENCE_DIR": str(folder / "evidence")}
    print(f"seeding 10 published rounds of 30 items × {MEMBERS} members …", file=sys.stderr, flush=True)
    seed(url)
    site = folder / "site"
    print("measuring …", file=sys.stderr, flush=True)
    baseline = run(env, "report", "--round", "2570-2", "--public", "-o", str(folder / "one.pdf"))
    cold = run(env, "publish-site", "-o", str(site))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    count = sum(1 for p in site.rglob("*") if p.is_file())
    again = run(env, "publish-site", "-o", str(site))
    run(env, "result", "set", "2569", "--ita", "91.5")
    changed = run(env, "publish-site", "-o", str(site))
    print(f"baseline: one round's public PDF {baseline:5.2f} s")
    print(f"publish-site, new folder   {cold:5.2f} s = {cold / baseline:4.2f}x baseline  [budget 30 s]  "
          f"{count} files, {size / 1e6:.1f} MB")
    print(f"publish-site, no change    {again:5.2f} s = {again / baseline:4.2f}x baseline")
    print(f"publish-site, one ITA score {changed:5.2f} s = {changed / baseline:4.2f}x baseline")


if __name__ == "__main__":
    main()
