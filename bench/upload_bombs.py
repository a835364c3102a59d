"""Peak memory and time of reading hostile uploads, against a genuine filled template read in the same run.

Usage: python bench/upload_bombs.py. Each file is read by `scoresheet.workbook.read_sheet` in a fresh process
(peak RSS from the process's own rusage); prints each figure and its ratio to the genuine template's.
README's security section records the largest peak (target: at most 300 MB).
"""

import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from acplan.monitoring.scoresheet import workbook  # noqa: E402

CHILD = """
import resource, sys
sys.path.insert(0, {root!r})
from acplan.errors import InvalidInput
from acplan.monitoring.scoresheet.workbook import read_sheet
try:
    read_sheet(open(sys.argv[1], "rb").read())
    outcome = "read"
except InvalidInput as exc:
    outcome = exc.issues[0].code
print(outcome, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def genuine(path: Path) -> None:
    items = [(n, f"รายการ {n}" * 5) for n in range(1, 501)]
    path.write_bytes(workbook.template(round_code="2567-1", member="m1", items=items))


def streamed(name: str, head: bytes, chunk: bytes, times: int, tail: bytes):
    """A writer of a zip whose one part is `head + chunk * times + tail`, streamed so it never sits in memory."""
    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            with z.open(name, "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(times):
                    part.write(chunk)
                part.write(tail)
    return write


def many_entries(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(10_000):
            z.writestr(f"xl/x{i}.xml", b"")


ROW = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
CORPUS = {
    "genuine template, 500 rows": genuine,
    "sheet of 1 GB of spaces": streamed("xl/worksheets/sheet1.xml", b"<worksheet>", b" " * (1 << 20), 1024,
                                        b"</worksheet>"),
    "sheet of 200k long rows": streamed("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>", ROW * 1000, 200,
                                        b"</sheetData></worksheet>"),
    "shared strings of 500 MB": streamed("xl/sharedStrings.xml", b"<sst>", b"<si><t>x</t></si>" * 65536, 512,
                                         b"</sst>"),
    "10,000 entries": many_entries,
}


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, write in CORPUS.items():
            path = Path(tmp) / "upload.xlsx"
            write(path)
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(path)],
                                 capture_output=True, text=True, check=True).stdout.split()
            results[name] = (path.stat().st_size, out[0], int(out[1]) / 1024, time.perf_counter() - start)
            print(f"\r{len(results)}/{len(CORPUS)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    _, _, base_mb, base_s = results["genuine template, 500 rows"]
    for name, (size, outcome, peak_mb, seconds) in results.items():
        print(f"{name:28} {size / 1024:8.0f} KB  {outcome:18} peak {peak_mb:6.0f} MB ({peak_mb / base_mb:4.2f}×)  "
              f"{seconds:5.2f} s ({seconds / base_s:4.2f}×)")
    print(f"largest peak: {max(r[2] for r in results.values()):.0f} MB")


if __name__ == "__main__":
    main()
