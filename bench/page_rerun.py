"""Rerun time of every page under AppTest, against a minimal one-chart Streamlit page (the floor).

Run: python bench/page_rerun.py [--runs N]. One organisation (the shipped plan) with a published round that seven
members scored whole and a round open: the public pages as a visitor sees them, and the signed-in pages (the score
grid as a member, the board as a council member, rounds as the secretary, users as the administrator). Prints the
median rerun per page and its ratio to the floor measured in the same run, interleaved so that drift in the
machine's load hits every page alike. The budget (#16) is 1.5x.
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

BUDGET = 1.5
MINIMAL = '''
import altair as alt
import pandas as pd
import streamlit as st

df = pd.DataFrame({"year": ["2566", "2567", "2568", "2569", "2570"], "amount": [220000] * 5})
st.altair_chart(alt.Chart(df).mark_bar().encode(x="year:N", y="amount:Q"), width="stretch")
'''
# name: (page, query parameters, account signed in or None)
PAGES = {"overview": ("", {}, None), "projects": ("pages/projects.py", {"dim": "2"}, None),
         "project": ("pages/project.py", {"no": "19"}, None), "budget": ("pages/budget.py", {}, None),
         "risks": ("pages/risks.py", {}, None), "targets": ("pages/targets.py", {}, None),
         "results": ("pages/results.py", {}, None), "findings": ("pages/findings.py", {}, None),
         "present": ("", {"present": "1"}, None), "rollup": ("pages/rollup.py", {}, None),
         "score": ("pages/score.py", {}, "m1"), "board": ("pages/board.py", {}, "council1"),
         "rounds": ("pages/rounds.py", {}, "sec1"), "users": ("pages/users.py", {}, "admin1")}


def seed_store(url: str) -> None:
    """The shipped plan; round 2567-1 scored by seven members and published; round 2567-2 open."""
    from sqlmodel import Session

    from acplan.db import make_engine
    from acplan.monitoring import entries, rounds
    from acplan.plan.load import init_store
    from acplan.plan.queries import list_item_refs
    from tests.conftest import PLAN_FILE
    from tests.factories import OPERATOR, TODAY, as_actor, entry_values, plan_id, user

    engine = make_engine(url)
    init_store(engine, PLAN_FILE, actor=OPERATOR)
    with Session(engine) as s:
        pid = plan_id(s)
        members = [user(s, f"m{i}") for i in range(1, 8)]
        for name, role in (("council1", "council"), ("sec1", "secretary"), ("admin1", "admin")):
            user(s, name, role)
        for code in ("2567-1", "2567-2"):
            fy, no = rounds.parse_code(code)
            rounds.create_round(session=s, actor=OPERATOR, plan_id=pid, fiscal_year_be=fy, round_no=no, today=TODAY,
                                prefill=False)
            rnd = rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code=code, action="open")
            if code == "2567-2":
                break
            for k, member in enumerate(members):
                for item in list_item_refs(session=s, plan_id=pid, fiscal_year=fy):
                    score = 1 + (item.number + k) % 5
                    entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=item.id,
                                       entry_in=entries.parse_entry(entry_values(score=score, spent=1000 * score)),
                                       expected_version=None)
                entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
            for action in ("close", "publish"):
                rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code=code, action=action)
        s.commit()
    engine.dispose()


def timed_rerun_s(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def apps_for(pages: dict, minimal_path: Path) -> dict:
    from streamlit.testing.v1 import AppTest

    from tests.apptest import signed_in

    apps = {"minimal": AppTest.from_file(str(minimal_path), default_timeout=60)}
    for name, (page, params, account) in pages.items():
        if account:
            at = signed_in(account, page or None, **params)
        else:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            for k, v in params.items():
                at.query_params[k] = v
            if page:
                at.run()
                at.switch_page(page)
        apps[name] = at
    return apps


def measure(apps: dict, runs: int) -> dict[str, float]:
    for at in apps.values():  # warm: imports, caches
        at.run()
        at.run()
    times: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(runs):
        for name, at in apps.items():
            times[name].append(timed_rerun_s(at))
    return {name: statistics.median(samples) for name, samples in times.items()}


def report(medians: dict[str, float], budget: float) -> float:
    base = medians["minimal"]
    sys.stdout.write(f"{'page':<10} {'median rerun':>14} {'ratio':>7}\n")
    worst = 0.0
    for name, t in medians.items():
        if name != "minimal":
            worst = max(worst, t / base)
        sys.stdout.write(f"{name:<10} {t * 1000:>11.1f} ms {t / base:>7.2f}\n")
    sys.stdout.write(f"worst ratio {worst:.2f} (budget {budget:.2f}): {'OK' if worst <= budget else 'OVER'}\n")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.db'}"
    os.environ["ACPLAN_DATABASE_URL"] = url
    os.environ["ACPLAN_TODAY"] = "2024-05-01"  # round 2567-2 is under way
    sys.stderr.write("seeding the store…\n")
    seed_store(url)
    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL, encoding="utf-8")
    report(measure(apps_for(PAGES, minimal), args.runs), BUDGET)


if __name__ == "__main__":
    main()
