"""Thai-first formatting: baht, Buddhist Era dates and fiscal years."""

from datetime import date

import pytest

from acplan import format as fmt
from acplan.plan import figures, labels, risks


@pytest.mark.parametrize(("amount", "lang", "text"), [
    (1_100_000, "th", "1,100,000 บาท"), (0, "th", "0 บาท"), (30_000, "en", "THB 30,000")])
def test_baht(amount, lang, text):
    assert fmt.baht(amount, lang) == text


@pytest.mark.parametrize(("day", "fy"), [
    (date(2026, 9, 30), 2569), (date(2026, 10, 1), 2570), (date(2027, 9, 30), 2570), (date(2023, 10, 1), 2567)])
def test_fiscal_year_of(day, fy):
    assert fmt.fiscal_year_of(day) == fy


def test_fiscal_year_label_names_its_months():
    assert fmt.fiscal_year_label(2570) == "ปีงบประมาณ 2570 (ต.ค. 2569 – ก.ย. 2570)"
    assert fmt.fiscal_year_label(2570, "en") == "FY 2570 (Oct 2026 – Sep 2027)"


def test_date_long_in_buddhist_era():
    assert fmt.date_long(date(2022, 8, 5)) == "5 สิงหาคม 2565"


@pytest.mark.parametrize(("target", "text"), [
    ({"value": 80, "unit": "percent", "comparison": "gte", "period": None}, "ไม่น้อยกว่า 80%"),
    ({"value": 1, "unit": "times", "comparison": "gte", "period": "per_year"}, "ไม่น้อยกว่า 1 ครั้ง ต่อปี"),
    ({"value": None, "unit": None, "comparison": "decrease", "period": None}, "ลดลง"),
    ({"value": 5, "unit": "percent", "comparison": "reduce_by", "period": None}, "ลดลง 5%"),
])
def test_target_text(target, text):
    assert labels.target_text(target, "th") == text


@pytest.mark.parametrize(("raw", "result"), [
    ("19", (19, None, {})), (" 7 ", (7, None, {})), (None, (None, "project_missing_no", {"total": 30})),
    ("x1", (None, "project_bad_no", {"value": "x1", "total": 30}))])
def test_parse_item_number(raw, result):
    assert labels.parse_item_number(raw, 30) == result


@pytest.mark.parametrize(("baseline", "cases", "pct"), [(10, 8, 20.0), (10, None, None), (0, 0, None), (4, 5, -25.0)])
def test_case_reduction_pct(baseline, cases, pct):
    assert figures.case_reduction_pct(baseline, cases) == pct


def test_plan_year_clamps_to_plan_period():
    assert [figures.plan_year(y, 2566, 2570) for y in (2565, 2568, 2571)] == [2566, 2568, 2570]


def test_risk_coverage_flags_high_risk_areas_with_few_items():
    import pandas as pd
    areas = pd.DataFrame({"area": [1, 2], "process_th": ["a", "b"], "level_text_th": ["", ""]})
    issues = pd.DataFrame({"area": [1, 2], "issue": [1, 1], "text_th": ["", ""], "level": ["high", "medium"]})
    measures = pd.DataFrame({"area": [1, 1, 2], "measure": [1, 2, 1], "text_th": ["", "", ""],
                             "project": [None, 3, None], "match": [None, "exact", None]})
    cov = risks.area_coverage(areas, issues, measures)
    assert cov[["area", "measures", "linked", "gaps", "top_level", "attention"]].values.tolist() == [
        [1, 2, 1, 1, "high", True], [2, 1, 0, 1, "medium", False]]
