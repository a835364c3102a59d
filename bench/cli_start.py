"""How long `python -m acplan --help` takes to start, against a bare `python -c pass` measured in the same run.

Usage: python bench/cli_start.py [--runs 15]. Prints medians and the ratio; the runs are interleaved so
machine load falls on both alike.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"python -c pass": [sys.executable, "-c", "pass"],
            "python -m acplan --help": [sys.executable, "-m", "acplan", "--help"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, cmd in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        sys.stdout.write(f"{name:28s} median {median * 1000:7.1f} ms   {median / base:5.2f}× bare python\n")


if __name__ == "__main__":
    main()
