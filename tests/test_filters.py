"""Project filters: URL parsing and Thai free-text search."""

import pandas as pd
import pytest

from acplan.plan.filters import ProjectFilter, apply_filter, normalise, parse_filter, search_index

PROJECTS = pd.DataFrame({
    "number": [1, 2, 3], "kind": ["project", None, "measure"],
    "name_th": ["โครงการอบรมกฎหมาย", "ส่งเสริมการมีส่วนร่วม", "มาตรการร้องเรียน"],
    "dimension": [1, 3, 4], "mission": ["1.1", "3.1", "4.3"], "responsible_unit": ["สำนักปลัด", "สำนักปลัด", "กองคลัง"],
    "unit": ["สำนักปลัด", "สำนักปลัด", "กองคลัง"]})
BUDGET = pd.DataFrame({"number": [1, 1, 2, 2, 3, 3], "fiscal_year_be": [2566, 2567] * 3,
                       "amount_thb": [100, 200, 0, 0, 0, 0]})
SEARCH = search_index(pd.DataFrame({"number": [1, 2, 3], "search_text": [
    "โครงการอบรม กฎหมาย สำนักปลัด", "ส่งเสริม การมีส่วนร่วม", "ร้องเรียน การทุจริต"]}))
KNOWN = {"dimensions": {1, 3, 4}, "missions": {"1.1", "3.1", "4.3"}, "units": {"สำนักปลัด", "กองคลัง"},
         "years": {2566, 2567}}


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ProjectFilter()),
    ({"dim": "3", "kind": "none", "fy": "2567"}, ProjectFilter(dim=3, kind="none", fy=2567)),
    ({"dim": "9", "mission": "7.7", "kind": "x", "unit": "?", "fy": "abc"}, ProjectFilter()),
    ({"q": "  ร้องเรียน "}, ProjectFilter(q="ร้องเรียน")),
])
def test_parse_filter_keeps_known_values_and_drops_others(params, expected):
    assert parse_filter(params, **KNOWN) == expected


@pytest.mark.parametrize(("flt", "numbers"), [
    (ProjectFilter(), [1, 2, 3]),
    (ProjectFilter(dim=1), [1]),
    (ProjectFilter(kind="none"), [2]),
    (ProjectFilter(unit="สำนักปลัด"), [1, 2]),
    (ProjectFilter(q="กฎหมาย"), [1]),
    (ProjectFilter(q="อบรมกฎหมาย"), [1]),  # spaces in the source text do not break a Thai phrase
    (ProjectFilter(q="มีส่วน ร่วม"), [2]),
    (ProjectFilter(q="3"), [3]),
    (ProjectFilter(q="ไม่มีคำนี้"), []),
])
def test_apply_filter(flt, numbers):
    assert apply_filter(PROJECTS, BUDGET, SEARCH, flt)["number"].tolist() == numbers


def test_budget_column_follows_fiscal_year():
    assert apply_filter(PROJECTS, BUDGET, SEARCH, ProjectFilter(fy=2567))["budget_thb"].tolist() == [200, 0, 0]
    assert apply_filter(PROJECTS, BUDGET, SEARCH, ProjectFilter())["budget_thb"].tolist() == [300, 0, 0]


def test_normalise_removes_zero_width_and_spaces():
    assert normalise("ร้อง\u200bเรียน  ABC") == "ร้องเรียนabc"


def test_filter_round_trips_to_query_params():
    flt = ProjectFilter(dim=2, q="ร้องเรียน")
    assert flt.as_params() == {"dim": "2", "q": "ร้องเรียน"}
    assert parse_filter(flt.as_params(), **{**KNOWN, "dimensions": {2}}) == flt
