"""validate-data: the shipped plan passes; damaged copies fail with a precise message."""

import sqlite3
import subprocess
import sys

import pytest

from acplan.i18n import t
from acplan.plan import datafile
from tests.conftest import PLAN_FILE


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "acplan", *args], capture_output=True, text=True, timeout=120)


def test_shipped_plan_is_valid_and_matches_summary_table(plan_data):
    report = datafile.validate(plan_data)
    assert report.problems == []
    assert report.items == 30
    assert report.items_by_dimension == {1: 3, 2: 15, 3: 5, 4: 7}
    assert report.budget_by_year == {y: 220_000 for y in range(2566, 2571)}
    assert {d: report.budget_by_dimension[d][2568] for d in (1, 2, 3, 4)} == {1: 190_000, 2: 0, 3: 30_000, 4: 0}
    assert sum(report.budget_by_year.values()) == 1_100_000


def test_validate_data_cli_prints_report():
    result = run_cli("validate-data", str(PLAN_FILE))
    assert result.returncode == 0, result.stderr
    assert "จำนวนรายการ: 30" in result.stdout
    assert "ปีงบประมาณ 2566: 190,000 / 0 / 30,000 / 0 รวม 220,000 บาท" in result.stdout
    assert "งบประมาณรวม 5 ปี: 1,100,000 บาท" in result.stdout


def _drop_item(n):
    return lambda d: d.__setitem__("projects", [p for p in d["projects"] if p["number"] != n])


def _set_budget(n, year, amount):
    def mutate(d):
        next(p for p in d["projects"] if p["number"] == n)["budget_thb"][year] = amount
    return mutate


def _duplicate_number(src, dst):
    def mutate(d):
        next(p for p in d["projects"] if p["number"] == src)["number"] = dst
    return mutate


def _bad_link(d):
    d["risks"][0]["measures"][0]["implemented_by"].append({"project": 99, "match": "exact"})


def _bad_mission(d):
    d["projects"][4]["mission"] = "9.9"


@pytest.mark.parametrize(("mutate", "expected"), [
    (_drop_item(8), [("item_missing", {"number": 8, "stated": 30}),
                     ("dimension_count_mismatch", {"dimension": 2, "found": 14, "stated": 15})]),
    (_set_budget(1, 2567, 150_000), [
        ("dimension_budget_mismatch", {"dimension": 1, "year": 2567, "found": 160_000, "stated": 190_000}),
        ("year_budget_mismatch", {"year": 2567, "found": 190_000, "stated": 220_000})]),
    (_duplicate_number(2, 1), [("item_duplicated", {"number": 1, "times": 2}), ("item_missing", {"number": 2, "stated": 30})]),
    (_bad_link, [("risk_link_unknown_item", {"area": 1, "measure": 1, "number": 99})]),
    (_bad_mission, [("unknown_mission", {"number": 5, "mission": "9.9"})]),
    (_set_budget(3, 2566, 10_000.5), [
        ("budget_not_whole_baht", {"number": 3, "year": 2566, "value": 10_000.5}),
        ("dimension_budget_mismatch", {"dimension": 1, "year": 2566, "found": 180_000, "stated": 190_000}),
        ("year_budget_mismatch", {"year": 2566, "found": 210_000, "stated": 220_000})]),
], ids=["missing-item", "wrong-budget", "duplicated-number", "link-to-missing-item", "unknown-mission", "fractional-baht"])
def test_damaged_copy_is_rejected_with_each_problem(plan_copy, mutate, expected):
    data, _ = datafile.read_file(plan_copy(mutate))
    problems = [(p.code, p.params) for p in datafile.validate(data).problems]
    assert problems == expected


def test_validate_data_cli_fails_with_precise_thai_message(plan_copy):
    path = plan_copy(_set_budget(1, 2567, 150_000))
    result = run_cli("validate-data", str(path))
    assert result.returncode == 1
    assert t("dimension_budget_mismatch", "th", dimension=1, year=2567, found=160_000, stated=190_000) in result.stderr
    assert "มิติที่ 1 ปี 2567: งบประมาณรวม 160,000 บาท ไม่เท่ากับตารางสรุป 190,000 บาท" in result.stderr


def test_validate_data_cli_english_message_for_duplicate(plan_copy):
    result = run_cli("--lang", "en", "validate-data", str(plan_copy(_duplicate_number(2, 1))))
    assert result.returncode == 1
    assert "Item 1 appears 2 times: each number must appear once" in result.stderr


def test_unreadable_file_is_reported_not_raised(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("projects: [unclosed", encoding="utf-8")
    result = run_cli("validate-data", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == "ไฟล์ข้อมูลแผนไม่ใช่ YAML ที่ถูกต้อง: ตรวจบรรทัด 1 ตำแหน่งที่ 20"


def test_missing_section_is_reported(plan_copy):
    data, _ = datafile.read_file(plan_copy(lambda d: d.pop("risks")))
    assert [(p.code, p.params) for p in datafile.validate(data).problems] == [("missing_section", {"section": "risks"})]


def _set(path: str, value):
    """A mutation putting `value` at a dotted path ("projects.0.number")."""
    def mutate(data):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return mutate


MALFORMED_YAML = {
    "truncated": "projects: [unclosed",
    "tab indentation": "plan:\n\tcode: x\n",
    "a list": "- 1\n- 2\n",
    "a scalar": "just text",
    "empty": "",
    "deep nesting": "a: " + "[" * 5000 + "]" * 5000,
    "python object tag": "plan: !!python/object/apply:os.system ['true']\n",
    "control characters": "plan:\x00\x01 x\n",
}
MALFORMED_SHAPES = {
    "plan is null": _set("plan", None),
    "dimensions are numbers": _set("dimensions", [1, 2]),
    "projects is a number": _set("projects", 5),
    "an item number is text": _set("projects.0.number", "abc"),
    "indicators is text": _set("projects.0.indicators", "none"),
    "budget is a list": _set("projects.0.budget_thb", [1, 2]),
    "organisation is a list": _set("organisation", ["x"]),
    "risks is text": _set("risks", "none"),
    "targets is a number": _set("targets", 3),
    "committees is text": _set("committees", "x"),
    "sub-items is a number": _set("projects.0.sub_items", 7),
}


@pytest.mark.parametrize("name", [*MALFORMED_YAML, *MALFORMED_SHAPES, "not utf-8", "missing file"])
def test_malformed_plan_files_get_one_message_exit_2_and_nothing_written(name, plan_copy, tmp_path, cli):
    if name in MALFORMED_YAML:
        path = tmp_path / "bad.yaml"
        path.write_text(MALFORMED_YAML[name], encoding="utf-8")
    elif name in MALFORMED_SHAPES:
        path = plan_copy(MALFORMED_SHAPES[name])
    elif name == "not utf-8":
        path = tmp_path / "bad.yaml"
        path.write_bytes(b"\xff\xfe plan: x")
    else:
        path = tmp_path / "absent.yaml"
    code, out, err = cli("validate-data", str(path))
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in err)  # a Thai sentence, not a Python or YAML message
    store = tmp_path / "store.db"
    code, _, err = cli("init", env={"ACPLAN_DATABASE_URL": f"sqlite:///{store}", "ACPLAN_PLAN_FILE": str(path)})
    assert code == 2 and "Traceback" not in err
    assert not store.exists() or sqlite3.connect(store).execute("SELECT name FROM sqlite_master").fetchall() == []
