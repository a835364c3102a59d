"""Rerun time of every dashboard page under AppTest, against a minimal one-chart Streamlit page.

Run: python bench/page_rerun.py [--runs N]. Prints the median rerun time per page and its ratio to the
minimal page; the dashboard's budget is 2x. Uses a fresh SQLite store loaded with the shipped plan.
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

MINIMAL = '''
import altair as alt
import pandas as pd
import streamlit as st

df = pd.DataFrame({"year": ["2566", "2567", "2568", "2569", "2570"], "amount": [220000] * 5})
st.altair_chart(alt.Chart(df).mark_bar().encode(x="year:N", y="amount:Q"), width="stretch")
'''
PAGES = {"overview": ("", {}), "projects": ("pages/projects.py", {"dim": "2"}), "project": ("pages/project.py", {"no": "19"}),
         "budget": ("pages/budget.py", {}), "risks": ("pages/risks.py", {}), "targets": ("pages/targets.py", {}),
         "present": ("", {"present": "1"})}


def timed_rerun_s(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["ACPLAN_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    from streamlit.testing.v1 import AppTest

    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL, encoding="utf-8")
    apps = {"minimal": AppTest.from_file(str(minimal), default_timeout=60)}
    for name, (page, params) in PAGES.items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        if page:
            at.run()
            at.switch_page(page)
        apps[name] = at
    for at in apps.values():  # warm: imports, caches
        at.run()
        at.run()
    # Interleave the pages round by round, so that drift in machine load hits every page alike.
    times: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(args.runs):
        for name, at in apps.items():
            times[name].append(timed_rerun_s(at))
    base = statistics.median(times["minimal"])
    sys.stdout.write(f"{'page':<10} {'median rerun':>14} {'ratio':>7}\n")
    worst = 0.0
    for name, samples in times.items():
        t = statistics.median(samples)
        if name != "minimal":
            worst = max(worst, t / base)
        sys.stdout.write(f"{name:<10} {t * 1000:>11.1f} ms {t / base:>7.2f}\n")
    sys.stdout.write(f"worst ratio {worst:.2f} (budget 2.00): {'OK' if worst <= 2 else 'OVER'}\n")


if __name__ == "__main__":
    main()
