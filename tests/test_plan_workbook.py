"""The plan workbook (#13): template → fill → import → export, round trips, bad workbooks refused whole, and
several organisations in one store, each importing its own plan without touching another's."""

import io
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.errors import InvalidInput, UnusableInput
from acplan.i18n import describe
from acplan.plan import workbook as pw
from acplan.plan.models import Organisation, Plan
from acplan.xlsx import KEY
from tests.test_exports_safe import soffice

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "plan-sao-example-2569-2573.xlsx"
CHIANG_MUAN = ("tt-chiang-muan", "--name-th", "เทศบาลตำบลเชียงม่วน", "--type", "subdistrict_municipality",
               "--province", "พะเยา", "--name-en", "Chiang Muan Subdistrict Municipality",
               "--executive-name", "นายสุเมธี คำลือ", "--executive-title", "นายกเทศมนตรีตำบลเชียงม่วน")
EXAMPLE_ORG = ("sao-example", "--name-th", "องค์การบริหารส่วนตำบลหนองข้าวหอม (ตัวอย่างสมมติ)", "--type", "sao",
               "--province", "จังหวัดตัวอย่าง", "--district", "อำเภอตัวอย่าง")


def _without_province(plan: dict) -> dict:
    plan["organisation"].pop("province_th", None)
    return plan


def _store(cli, tmp_path: Path, name: str) -> dict:
    """A fresh store migrated with no plan; returns the env that points the CLI at it."""
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp_path / name}"}
    code, out, err = cli("init", "--no-plan", env=env)
    assert code == 0, err
    return env


def _export(cli, env: dict, *org: str) -> dict:
    code, out, err = cli("export-plan", *(("--org", org[0]) if org else ()), env=env)
    assert code == 0, err
    return json.loads(out)


def test_the_shipped_plan_goes_to_a_workbook_and_back_unchanged(cli, loaded_engine, tmp_path):
    here = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    assert cli("plan", "export", "-o", str(tmp_path / "plan.xlsx"), env=here)[0] == 0
    original = _export(cli, here)
    there = _store(cli, tmp_path, "b.db")
    assert cli("org", "add", *CHIANG_MUAN, env=there)[0] == 0
    code, out, err = cli("plan", "import", str(tmp_path / "plan.xlsx"), env=there)
    assert (code, err) == (0, ""), err
    assert "30" in out
    assert _without_province(_export(cli, there)) == original
    # every source note the document needed (its contradictions) came through the workbook
    assert sum(len(p["source_notes"]) for p in original["projects"]) > 0


def test_the_shipped_plan_goes_to_yaml_and_back_unchanged(cli, loaded_engine, tmp_path):
    here = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    assert cli("plan", "export", "-o", str(tmp_path / "plan.yaml"), env=here)[0] == 0
    there = _store(cli, tmp_path, "b.db")
    assert cli("org", "add", *CHIANG_MUAN, env=there)[0] == 0
    assert cli("plan", "import", str(tmp_path / "plan.yaml"), env=there)[0] == 0
    assert _without_province(_export(cli, there)) == _export(cli, here)


def test_template_filled_with_openpyxl_imports_and_round_trips(cli, tmp_path):
    """The example is the template filled by a script through the header keys; export and re-import equal."""
    from data.examples.make_example_plan import build

    env = _store(cli, tmp_path, "a.db")
    assert cli("org", "add", *EXAMPLE_ORG, env=env)[0] == 0
    (tmp_path / "filled.xlsx").write_bytes(build())
    code, out, err = cli("plan", "import", str(tmp_path / "filled.xlsx"), env=env)
    assert code == 0, err
    first = _export(cli, env)
    assert cli("plan", "export", "-o", str(tmp_path / "again.xlsx"), env=env)[0] == 0
    other = _store(cli, tmp_path, "b.db")
    assert cli("org", "add", *EXAMPLE_ORG, env=other)[0] == 0
    assert cli("plan", "import", str(tmp_path / "again.xlsx"), env=other)[0] == 0
    assert _export(cli, other) == first
    # the shipped example is what the script builds
    assert pw.read(EXAMPLE.read_bytes()).data == pw.read(build()).data


def test_the_example_plan_differs_from_the_shipped_one(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    assert cli("org", "add", *EXAMPLE_ORG, env=env)[0] == 0
    assert cli("plan", "import", str(EXAMPLE), "--org", "sao-example", env=env)[0] == 0
    plan = _export(cli, env, "sao-example")
    counts = [d["summary_item_count"] for d in plan["dimensions"]]
    assert counts == [4, 6, 3, 5]
    totals = [plan["plan"]["summary_total_budget_thb"][str(y)] for y in range(2569, 2574)]
    assert totals == sorted(totals) and len(set(totals)) == 5  # grows every year
    assert "ตัวอย่างสมมติ" in plan["organisation"]["name_th"]


def test_importing_one_organisation_never_changes_another(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    before = _export(cli, env)
    assert cli("org", "add", *EXAMPLE_ORG, env=env)[0] == 0
    assert cli("plan", "import", str(EXAMPLE), env=env)[0] == 0
    assert cli("plan", "import", str(EXAMPLE), "--replace", env=env)[0] == 0
    assert _export(cli, env, "tt-chiang-muan") == before
    code, _out, err = cli("export-plan", env=env)  # two organisations: which one must be said
    assert code == 1 and "tt-chiang-muan" in err and "sao-example" in err
    code, out, _err = cli("org", "list", env=env)
    assert [line.split("\t")[0] for line in out.splitlines()] == ["tt-chiang-muan", "sao-example"]  # by province; none known first


def test_a_plan_is_replaced_only_on_request_and_never_once_rounds_exist(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    assert cli("plan", "export", "-o", str(tmp_path / "p.xlsx"), env=env)[0] == 0
    code, _out, err = cli("plan", "import", str(tmp_path / "p.xlsx"), env=env)
    assert code == 1 and "--replace" in err
    assert cli("plan", "import", str(tmp_path / "p.xlsx"), "--replace", env=env)[0] == 0
    assert cli("round", "create", "2567", "1", env=env)[0] == 0
    code, _out, err = cli("plan", "import", str(tmp_path / "p.xlsx"), "--replace", env=env)
    assert code == 1 and "แก้ไขเพิ่มเติม" in err
    with Session(loaded_engine) as s:
        assert len(s.exec(select(Plan)).all()) == 1


def test_a_workbook_made_for_another_organisation_is_refused(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    assert cli("org", "add", *EXAMPLE_ORG, env=env)[0] == 0
    code, _out, err = cli("--lang", "en", "plan", "import", str(EXAMPLE), "--org", "tt-chiang-muan", env=env)
    assert code == 1 and "sao-example" in err and "nothing was imported" in err
    code, _out, err = cli("plan", "import", str(EXAMPLE), "--org", "nobody", env=env)
    assert code == 1 and "nobody" in err


def test_a_workbook_saved_again_by_libreoffice_imports_the_same(tmp_path):
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), str(EXAMPLE)], check=True, capture_output=True, timeout=120)
    resaved = (tmp_path / "out" / EXAMPLE.name).read_bytes()
    assert resaved != EXAMPLE.read_bytes()
    assert pw.read(resaved).data == pw.read(EXAMPLE.read_bytes()).data


# ------------------------------------------------------------------------------------------- cells as typed


def _book() -> tuple:
    wb = load_workbook(io.BytesIO(EXAMPLE.read_bytes()))
    return wb, {KEY.search(ws.title).group(1): ws for ws in wb.worksheets}


def _col(ws, key: str) -> int:
    return next(c.column for c in ws[1] if c.value and KEY.search(str(c.value)) and KEY.search(str(c.value)).group(1) == key)


def _set(sheets, sheet: str, row: int, key: str, value) -> None:
    if sheet == "plan":
        cell = next(b for a, b in sheets["plan"].iter_rows(min_row=2) if KEY.search(str(a.value)).group(1) == key)
        cell.value = value
    else:
        sheets[sheet].cell(row, _col(sheets[sheet], key)).value = value


def _bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_thai_digits_thousands_separators_and_numbers_as_text_are_numbers():
    wb, sheets = _book()
    _set(sheets, "items", 2, "budget_2569", "๒๐,๐๐๐")
    _set(sheets, "items", 2, "budget_2570", "22000")
    _set(sheets, "items", 2, "budget_2571", 24000.0)
    _set(sheets, "items", 2, "number", "๑")
    _set(sheets, "plan", 0, "first_fy", "๒๕๖๙")
    data = pw.read(_bytes(wb)).data
    assert data["projects"][0]["number"] == 1
    assert [data["projects"][0]["budget_thb"][str(y)] for y in (2569, 2570, 2571)] == [20000, 22000, 24000]


def _problem(sheets, sheet, row, key, value):
    _set(sheets, sheet, row, key, value)


def _note_sheet(wb, row: list) -> None:
    ws = wb.create_sheet(pw.sheet_title("source_notes"))
    ws.append([pw.column_title(k) for k in ("subject", "key", "topic", "text_th")])
    ws.append(row)


# (name, mutate(wb, sheets), expected catalog code, sheet, the place the message names, or None)
BAD = [
    ("budget with decimals", lambda wb, s: _problem(s, "items", 2, "budget_2569", 1500.5), "pw_budget_invalid", "items",
     "H (budget_2569)"),
    ("negative budget", lambda wb, s: _problem(s, "items", 3, "budget_2570", -5), "pw_budget_invalid", "items", None),
    ("budget as words", lambda wb, s: _problem(s, "items", 3, "budget_2570", "ห้าพัน"), "pw_budget_invalid", "items", None),
    ("decimal comma budget", lambda wb, s: _problem(s, "items", 3, "budget_2570", "7,5"), "pw_budget_invalid", "items",
     None),
    ("item number twice", lambda wb, s: _problem(s, "items", 3, "number", 1), "pw_duplicate", "items", None),
    ("item number missing", lambda wb, s: _problem(s, "items", 3, "number", None), "pw_required", "items", None),
    ("item number not a number", lambda wb, s: _problem(s, "items", 3, "number", "สอง"), "pw_not_whole", "items", None),
    ("gap in the numbering", lambda wb, s: _problem(s, "items", 3, "number", 40), "item_missing", None, None),
    ("unknown kind", lambda wb, s: _problem(s, "items", 2, "kind", "แผนงาน"), "pw_unknown_kind", "items", None),
    ("item without a name", lambda wb, s: _problem(s, "items", 2, "name_th", "  "), "pw_required", "items", None),
    ("unknown mission", lambda wb, s: _problem(s, "items", 2, "mission", "9.9"), "pw_unknown_mission", "items", None),
    ("mission of another dimension", lambda wb, s: _problem(s, "items", 2, "mission", "2.1"),
     "pw_mission_other_dimension", "items", None),
    ("dimension 5", lambda wb, s: _problem(s, "items", 2, "dimension", 5), "pw_dimension_invalid", "items", None),
    ("unknown sub-mission", lambda wb, s: _problem(s, "items", 2, "sub_items", "1.1.1, 1.1.9"), "pw_unknown_sub_item",
     "items", None),
    ("no responsible unit", lambda wb, s: _problem(s, "items", 2, "responsible_unit", None), "pw_required", "items", None),
    ("indicator of an unknown item", lambda wb, s: _problem(s, "indicators", 2, "number", 99), "pw_unknown_item",
     "indicators", None),
    ("indicator kind unknown", lambda wb, s: _problem(s, "indicators", 2, "kind", "ผลกระทบ"), "pw_indicator_kind",
     "indicators", None),
    ("risk linked to an unknown item", lambda wb, s: _problem(s, "risks", 2, "items", "5, 77"), "pw_unknown_item",
     "risks", None),
    ("risk items not numbers", lambda wb, s: _problem(s, "risks", 2, "items", "ห้า"), "pw_not_item_list", "risks", None),
    ("risk level unknown", lambda wb, s: _problem(s, "risks", 2, "level", "วิกฤต"), "pw_risk_level", "risks", None),
    ("target year outside the plan", lambda wb, s: _problem(s, "targets", 2, "fiscal_year", 2580), "pw_fy_outside",
     "targets", None),
    ("ITA target over 100", lambda wb, s: _problem(s, "targets", 2, "ita_target", 120), "pw_percent", "targets", None),
    ("target year twice", lambda wb, s: _problem(s, "targets", 3, "fiscal_year", 2569), "pw_duplicate", "targets", None),
    ("first year after the last", lambda wb, s: _problem(s, "plan", 0, "first_fy", 2575), "pw_fy_order", "plan", None),
    ("year typed in the Christian era", lambda wb, s: _problem(s, "plan", 0, "last_fy", 2030), "pw_fy_invalid", "plan",
     "B (last_fy)"),
    ("organisation code with spaces", lambda wb, s: _problem(s, "plan", 0, "org_slug", "อบต หนองข้าวหอม"),
     "pw_slug_invalid", "plan", None),
    ("no plan title", lambda wb, s: _problem(s, "plan", 0, "plan_title_th", None), "pw_required", "plan", None),
    ("missing sheet", lambda wb, s: wb.remove(s["targets"]), "pw_sheet_missing", None, None),
    ("renamed sheet key", lambda wb, s: setattr(s["risks"], "title", "ความเสี่ยง"), "pw_sheet_missing", None, None),
    ("missing budget column", lambda wb, s: s["items"].cell(1, _col(s["items"], "budget_2571"), "งบ"),
     "pw_column_missing", "items", None),
    ("budget column for a year outside the plan",
     lambda wb, s: s["items"].cell(1, _col(s["items"], "budget_2571"), "งบประมาณ (budget_2590)"), "pw_fy_outside",
     "items", None),
    ("missing dimension", lambda wb, s: s["dimensions"].delete_rows(5), "pw_dimension_missing", "dimensions", None),
    ("source note about an item the plan lacks", lambda wb, s: _note_sheet(wb, ["project", 40, "budget", "ข้อความ"]),
     "pw_note_subject_unknown", "source_notes", "B (key)"),
    ("sub-mission of an unknown mission", lambda wb, s: _problem(s, "sub_items", 2, "mission", "7.1"),
     "pw_unknown_mission", "sub_items", None),
]


@pytest.mark.parametrize(("mutate", "code", "sheet", "place"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_workbook_is_refused_naming_sheet_row_and_column(mutate, code, sheet, place):
    wb, sheets = _book()
    mutate(wb, sheets)
    raw = _bytes(wb)
    with pytest.raises(InvalidInput) as caught:
        book = pw.read(raw)
        from acplan.plan import datafile  # what the store's import checks after the cells (numbering, totals)
        report = datafile.validate({**book.data, "organisation": {"code": book.org_slug}})
        if not report.ok:
            raise InvalidInput(*report.problems)
    issues = caught.value.issues
    assert code in [i.code for i in issues], [describe(i) for i in issues]
    issue = next(i for i in issues if i.code == code)
    assert issue.sheet == sheet
    text = describe(issue)
    if sheet is not None and issue.row is not None:
        assert f"แถว {issue.row}" in text and issue.column in text
    if place:
        assert place in text, text
    assert "Traceback" not in text and "{" not in text


def test_the_corpus_is_at_least_25_workbooks():
    assert len(BAD) >= 25


def test_a_bad_workbook_writes_nothing_and_lists_every_problem(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    assert cli("org", "add", *EXAMPLE_ORG, env=env)[0] == 0
    wb, sheets = _book()
    _set(sheets, "items", 2, "budget_2569", -1)
    _set(sheets, "items", 5, "kind", "แผนงาน")
    _set(sheets, "targets", 2, "ita_target", "สูง")
    (tmp_path / "bad.xlsx").write_bytes(_bytes(wb))
    code, _out, err = cli("plan", "import", str(tmp_path / "bad.xlsx"), env=env)
    assert code == 1
    assert err.count("แผ่นงาน") == 3, err
    assert "“รายการ (items)” แถว 2 คอลัมน์" in err and "(budget_2569)" in err
    with Session(loaded_engine) as s:
        org = s.exec(select(Organisation).where(Organisation.code == "sao-example")).one()
        assert s.exec(select(Plan).where(Plan.organisation_id == org.id)).all() == []
    code, _out, err = cli("--lang", "en", "plan", "import", str(tmp_path / "bad.xlsx"), env=env)
    assert "Sheet “Items (items)”, row 2, column" in err


@pytest.mark.parametrize("raw", [b"", b"not a workbook", b"PK\x03\x04broken"], ids=["empty", "text", "broken zip"])
def test_what_is_not_a_workbook_is_unusable(raw):
    with pytest.raises(UnusableInput):
        pw.read(raw)


def test_two_organisations_in_one_postgresql_store(pg_url, monkeypatch, cli, tmp_path):
    env = {"ACPLAN_DATABASE_URL": pg_url}
    assert cli("init", env=env)[0] == 0
    before = _export(cli, env)
    assert cli("org", "add", *EXAMPLE_ORG, env=env)[0] == 0
    assert cli("plan", "import", str(EXAMPLE), env=env)[0] == 0
    assert _export(cli, env, "tt-chiang-muan") == before
    assert len(_export(cli, env, "sao-example")["projects"]) == 18
    engine = make_engine(pg_url)
    with Session(engine) as s:
        assert len(s.exec(select(Plan)).all()) == 2
    engine.dispose()
