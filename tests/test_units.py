"""Responsible units: one unit however the plan words it; the document's wording kept beside it."""

import pytest
from sqlmodel import Session, select

from acplan.plan import datafile, models, queries
from acplan.plan.load import sync_units
from tests.apptest import run_page, texts
from tests.factories import plan_id


def test_items_worded_differently_belong_to_one_unit_and_keep_their_wording(loaded_engine):
    with Session(loaded_engine) as s:
        projects = queries.list_projects(session=s, plan_id=plan_id(s)).set_index("number")
    assert projects.loc[24, "responsible_unit"] == "หน่วยงานตรวจสอบภายใน"  # as the document says it
    assert projects.loc[[7, 8, 24], "unit"].tolist() == ["หน่วยตรวจสอบภายใน"] * 3
    assert projects.loc[[2, 13, 14], "unit"].tolist() == ["ทุกสำนัก/กอง"] * 3
    assert projects["unit"].nunique() == projects["responsible_unit"].nunique() - 2


def test_a_units_section_added_later_is_applied_to_a_plan_already_in_the_store(loaded_engine, plan_data):
    with Session(loaded_engine) as s:
        pid = plan_id(s)
        sync_units(s, pid, {k: v for k, v in plan_data.items() if k != "units"})  # as a store loaded before
        assert queries.list_projects(session=s, plan_id=pid).set_index("number").loc[24, "unit"] == \
            "หน่วยงานตรวจสอบภายใน"
        sync_units(s, pid, plan_data)  # what `init` does with today's data file
        s.commit()
        assert queries.list_projects(session=s, plan_id=pid).set_index("number").loc[24, "unit"] == "หน่วยตรวจสอบภายใน"
        names = s.exec(select(models.Unit.name_th).where(models.Unit.plan_id == pid)).all()
        assert "หน่วยงานตรวจสอบภายใน" not in names and len(names) == len(set(names))


@pytest.mark.parametrize("units", [
    [{"name_th": "ก", "aliases": ["x"]}, {"name_th": "ข", "aliases": ["x"]}],
    [{"name_th": "ก", "aliases": ["ข"]}, {"name_th": "ข", "aliases": []}]])
def test_a_wording_that_would_mean_two_units_is_refused(plan_data, units):
    report = datafile.validate(plan_data | {"units": units})
    assert [p.code for p in report.problems] == ["unit_alias_conflict"]


def test_the_items_filter_and_item_page_use_the_unit(app_engine):
    at = run_page("pages/projects.py", unit="หน่วยตรวจสอบภายใน")
    assert at.dataframe[0].value.iloc[:, 0].tolist() == [7, 8, 24]
    item = run_page("pages/project.py", no="24")
    assert "หน่วยตรวจสอบภายใน (แผนเขียนว่า “หน่วยงานตรวจสอบภายใน”" in texts(item)

