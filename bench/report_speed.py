"""Time and peak memory of the meeting pack for a 30-item round scored by 7 members, each in a fresh process.

Run: python bench/report_speed.py [--runs N]. Each figure is the median of N fresh processes (imports included,
as a secretary's `python -m acplan report` pays them), printed beside a baseline measured in the same run:
for the PDF, WeasyPrint laying out one A4 page of Thai in Sarabun; for the workbook, openpyxl writing a
30-row sheet. The issue's budget on the 2-core machine class: PDF ≤ 5 s and ≤ 300 MB, workbook ≤ 2 s.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMBERS = 7
CHILD = '''
import json, resource, sys, time
start = time.perf_counter()
kind, url = sys.argv[1], sys.argv[2]
out = b""
if kind == "pdf-baseline":
    import weasyprint
    font = sys.argv[3]
    weasyprint.HTML(string=f"""<html lang=th><style>@font-face {{ font-family: S; src: url({font}) }}
        body {{ font-family: S }}</style><p>เทศบาลตำบลเชียงม่วน รายงานผลการติดตามประเมินผล</p></html>""").write_pdf()
elif kind == "xlsx-baseline":
    import io
    from openpyxl import Workbook
    wb = Workbook()
    for n in range(30):
        wb.active.append([n, "รายการ " * 10, 3.5, 120000])
    wb.save(io.BytesIO())
else:
    from datetime import date
    from sqlmodel import Session
    from acplan.access import Actor
    from acplan.db import make_engine
    from acplan.plan.queries import get_plan
    from acplan.reporting import build_report
    with Session(make_engine(url)) as s:
        out = build_report(session=s, actor=Actor.operator("bench"), plan_id=get_plan(session=s).id, code="2569-2",
                     internal=True, fmt=kind, today=date(2026, 11, 27))
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
pages = 0
if kind == "pdf":  # counted after the figures are taken
    import io
    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(out)).pages)
print(json.dumps({"s": elapsed, "mb": peak_mb, "pages": pages}))
'''


def seed(url: str) -> None:
    """The shipped plan; round 2569-2 scored on all 30 items by 7 members, with comments, closed and published."""
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
        rounds.create_round(session=s, actor=operator, plan_id=plan_id, fiscal_year_be=2569, round_no=2,
                            today=date(2026, 11, 27), prefill=False)
        rnd = rounds.transition(session=s, actor=operator, plan_id=plan_id, code="2569-2", action="open")
        for m in range(MEMBERS):
            member = users.add_user(session=s, actor=operator, username=f"member{m}", display_name=f"กรรมการ คนที่ {m + 1}",
                                    role="committee", password=f"bench-member-{m}-Xq7!pass")
            for n in range(1, 31):
                values = {"status": "completed" if n % 3 else "in_progress", "progress_pct": 100 if n % 3 else 60,
                          "score": (n + m) % 5 + 1, "spent_thb": 1000 * n,
                          "comment": "ดำเนินการตามแผน มีหลักฐานการประชุมและภาพถ่ายประกอบ " * 2}
                entries.save_entry(session=s, actor=operator, member=member, rnd=rnd,
                                   project_id=get_item_id(session=s, plan_id=plan_id, number=n),
                                   entry_in=entries.parse_entry(values), expected_version=None,
                                   state=EntryState.SUBMITTED, on_behalf=True)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=operator, plan_id=plan_id, code="2569-2", action=action)
        s.commit()
    engine.dispose()


def measure(kind: str, url: str, runs: int) -> tuple[float, float]:
    """Median seconds and median peak MB of `runs` fresh processes doing `kind`."""
    font = (ROOT / "static" / "fonts" / "Sarabun-Regular.ttf").as_uri()
    results = []
    for i in range(runs):
        print(f"  {kind}: run {i + 1}/{runs}", file=sys.stderr, flush=True)
        out = subprocess.run([sys.executable, "-c", CHILD, kind, url, font], capture_output=True, text=True, check=True,
                             cwd=ROOT)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    measure.pages = results[-1].get("pages", 0)
    return statistics.median(r["s"] for r in results), statistics.median(r["mb"] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    print("seeding a round of 30 items scored by 7 members …", file=sys.stderr, flush=True)
    seed(url)
    pdf_base, pdf_base_mb = measure("pdf-baseline", url, args.runs)
    pdf, pdf_mb = measure("pdf", url, args.runs)
    pages = measure.pages
    xlsx_base, _ = measure("xlsx-baseline", url, args.runs)
    xlsx, xlsx_mb = measure("xlsx", url, args.runs)
    print(f"PDF of {pages} A4 pages:")
    print(f"PDF      {pdf:5.2f} s  {pdf_mb:4.0f} MB peak  = {pdf / pdf_base:.2f}x time, {pdf_mb / pdf_base_mb:.2f}x memory of "
          f"one Thai A4 page in WeasyPrint ({pdf_base:.2f} s, {pdf_base_mb:.0f} MB)  [budget 5 s, 300 MB]")
    print(f"workbook {xlsx:5.2f} s  {xlsx_mb:4.0f} MB peak  = {xlsx / xlsx_base:.2f}x time of a 30-row openpyxl sheet "
          f"({xlsx_base:.2f} s)  [budget 2 s]")


if __name__ == "__main__":
    main()
