"""Many viewers at once, spoken in Streamlit's own websocket protocol (#16): p50/p95 per interaction and memory per
extra session, acplan's public pages against a minimal one-chart app measured the same way in the same run.

Run: python bench/ws_load.py [--viewers 10,50,100] [--pages overview,projects,results]
Each viewer opens a websocket to /_stcore/stream (loopback only), asks for the page (BackMsg rerun_script, as a
browser does on load) and waits for `script_finished`; then changes a filter (a rerun with another query string: the
pages keep their filters in the address) and waits again. All viewers of a wave arrive at once. Bounded: at most 200
viewers, two interactions each, 120 s per wait. Memory: the server's resident set after the wave's sessions are
loaded, less before, over the number of viewers. The goal (#16): every public page's p95 at most 1.2x the minimal
app's, and at most 2 MiB per extra session.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.page_rerun import MINIMAL, seed_store  # noqa: E402

MAX_VIEWERS = 200
WAIT_S = 120
# page: (url path, query on load, query after the filter changes)
PAGES = {"overview": ("", "", "lang=en"), "projects": ("projects", "dim=1", "dim=2"),
         "results": ("results", "round=2567-1", "round=2567-1&lang=en"), "minimal": ("", "", "x=1")}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def interaction(ws, page: str, query: str) -> float:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), WAIT_S))
        if forward.WhichOneof("type") == "script_finished":
            return time.perf_counter() - start


async def viewer(url: str, spec: tuple[str, str, str], loaded: asyncio.Event, go_on: asyncio.Event,
                 times: dict[str, list[float]], sockets: list, agent: str) -> None:
    from websockets.asyncio.client import connect

    ws = await connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=WAIT_S, user_agent_header=agent)
    sockets.append(ws)
    page, first, second = spec
    times["load"].append(await interaction(ws, page, first))
    loaded.set()
    await go_on.wait()
    times["filter"].append(await interaction(ws, page, second))


async def wave(base: str, pid: int | None, spec: tuple[str, str, str], n: int, agent: str = "acplan-bench-{n}") -> dict:
    """`n` viewers at once against `base`; each sends the User-Agent `agent` (with its number for {n}), so that a proxy
    that hashes on it spreads them. `pid`: the server whose memory to measure (None: not measured)."""
    url = base.replace("http", "ws", 1) + "/_stcore/stream"
    times: dict[str, list[float]] = {"load": [], "filter": []}
    sockets: list = []
    before = rss_kib(pid) if pid else 0
    go_on = asyncio.Event()
    events = [asyncio.Event() for _ in range(n)]
    tasks = [asyncio.create_task(viewer(url, spec, events[i], go_on, times, sockets, agent.format(n=i)))
             for i in range(n)]
    await asyncio.gather(*(e.wait() for e in events))
    after = rss_kib(pid) if pid else 0
    go_on.set()
    await asyncio.gather(*tasks)
    for ws in sockets:
        await ws.close()
    return {"times": times, "per_session_kib": (after - before) / n}


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def server(script: str, env: dict, log: Path):
    from tests.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true", "--logger.level", os.environ.get("WS_LOG", "info")],
                            cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT)
    from tests.server import _wait_healthy
    _wait_healthy(port, proc)
    return proc, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", default="10,50,100")
    parser.add_argument("--pages", default="overview,projects,results")
    args = parser.parse_args()
    counts = [min(int(v), MAX_VIEWERS) for v in args.viewers.split(",")]
    pages = args.pages.split(",")
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.db'}"
    os.environ["ACPLAN_DATABASE_URL"] = url
    sys.stderr.write("seeding the store…\n")
    seed_store(url)
    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL, encoding="utf-8")
    env = {"ACPLAN_DATABASE_URL": url, "ACPLAN_MODE": "public", "ACPLAN_TODAY": "2024-05-01"}
    apps = {"minimal": server(str(minimal), {}, tmp / "minimal.log"), "acplan": server("app.py", env, tmp / "acplan.log")}
    out = sys.stdout
    worst_ratio, worst_mem = 0.0, 0.0
    try:
        for n in counts:
            out.write(f"\n{n} viewers arriving at once (p50 / p95, seconds; memory per extra session)\n")
            results = {}
            for name in ["minimal", *pages]:
                proc, base = apps["minimal" if name == "minimal" else "acplan"]
                asyncio.run(wave(base, proc.pid, PAGES[name], min(n, 5)))  # warm: imports, caches
                results[name] = asyncio.run(wave(base, proc.pid, PAGES[name], n))
            base95 = {k: p(results["minimal"]["times"][k], 95) for k in ("load", "filter")}
            for name, r in results.items():
                cells = []
                for k in ("load", "filter"):
                    p50, p95 = p(r["times"][k], 50), p(r["times"][k], 95)
                    ratio = p95 / base95[k]
                    if name != "minimal":
                        worst_ratio = max(worst_ratio, ratio)
                    cells.append(f"{k} {p50:6.2f} / {p95:6.2f} ({ratio:4.2f}x)")
                mem = r["per_session_kib"] / 1024
                if name != "minimal":
                    worst_mem = max(worst_mem, mem)
                out.write(f"  {name:<9} {'   '.join(cells)}   {mem:5.2f} MiB\n")
    finally:
        for proc, _ in apps.values():
            proc.terminate()
            proc.wait(timeout=20)
    out.write(f"\nworst p95 ratio {worst_ratio:.2f} (goal 1.20): {'OK' if worst_ratio <= 1.2 else 'OVER'}; "
              f"largest memory per session {worst_mem:.2f} MiB (goal 2): {'OK' if worst_mem <= 2 else 'OVER'}\n")


if __name__ == "__main__":
    main()
