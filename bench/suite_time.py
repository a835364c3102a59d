"""The test suite's wall time against the suite of a baseline commit, run on the same machine in the same session.

Usage: python bench/suite_time.py [--baseline c67f121] [--runs 1]. Checks the baseline out into a temporary
git worktree, runs `pytest -n 2 --dist loadfile -q` there and here (interleaved, same virtualenv and
services), and prints each wall time, the number of tests, and the ratio to the baseline. Long: minutes.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q", "-p", "no:cacheprovider"]


def run_suite(where: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(COMMAND, cwd=where, capture_output=True, text=True, env={"ACPLAN_REQUIRE_ALL": "1",
                          "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    elapsed = time.perf_counter() - start
    summary = re.findall(r"^=* ?(\d+ (?:passed|failed).*?) in [\d.]+s", done.stdout, flags=re.M)
    return elapsed, summary[-1] if summary else done.stdout[-300:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="c67f121")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), args.baseline], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            times: dict[str, list[tuple[float, str]]] = {"baseline": [], "current": []}
            for i in range(args.runs):
                for name, where in (("baseline", tree), ("current", ROOT)):
                    print(f"run {i + 1}/{args.runs}: {name} …", file=sys.stderr)
                    times[name].append(run_suite(where))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
    base = min(t for t, _ in times["baseline"])
    for name, results in times.items():
        best, summary = min(results)
        print(f"{name:8} {best:6.1f} s  ({summary})  ratio to baseline {best / base:.2f}")


if __name__ == "__main__":
    main()
