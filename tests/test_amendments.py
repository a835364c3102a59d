"""Amending a plan (#13): a numbered amendment previewed as its changes, applied whole and audited field by field,
the plan as of any amendment, rounds scoring against the plan of their fiscal year, and optimistic locking."""

import copy
import json
from datetime import date

import pytest
import yaml
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.errors import Conflict, InvalidInput, NotAllowed
from acplan.monitoring import amendments, chain, entries, evaluation, orgs, plans, rounds, scoresheet, scoring
from acplan.monitoring.models import AuditLog, EvaluationRound
from acplan.plan import amend, queries, workbook
from acplan.plan import models as m
from acplan.plan.dump import export_plan
from acplan.plan.queries import list_item_refs
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, plan_id, project_id, user
from tests.test_plan_workbook import EXAMPLE

DETAILS = {"number": "1", "approved_on": "10/12/2567", "effective_fy": "", "reason_th": "เพิ่มโครงการตามมติสภา",
           "reference_th": "มติสภา สมัยสามัญ สมัยที่ 4/2567"}


def amended_plan(current: dict) -> dict:
    """The shipped plan with item 1's FY2568 budget moved, item 3 left out, and a new item 31."""
    data = copy.deepcopy(current)
    data.pop("organisation", None)
    items = {p["number"]: p for p in data["projects"]}
    items[1]["budget_thb"]["2568"] = 55555
    new = copy.deepcopy(items[2])
    new.update(number=31, name_th="โครงการใหม่จากการแก้ไขแผน", source_notes=[],
               budget_thb={"2566": 0, "2567": 0, "2568": 10000, "2569": 10000, "2570": 10000})
    data["projects"] = [p for p in data["projects"] if p["number"] != 3] + [new]
    for area in data["risks"]:
        for ms in area["measures"]:
            ms["implemented_by"] = [lk for lk in ms["implemented_by"] if lk["project"] != 3]
    return data


def parse(session, values=None, plan=None):
    return amendments.parse_amendment(session=session, plan_id=plan or plan_id(session), values={**DETAILS, **(values or {})})


def apply_amendment(session, data=None, values=None):
    pid = plan_id(session)
    data = data or amended_plan(amendments.current_data(session, pid))
    return amendments.apply(session=session, actor=OPERATOR, plan_id=pid, proposed=data,
                            amendment=parse(session, values), base_revision=session.get(m.Plan, pid).revision)


@pytest.fixture
def store(loaded_engine, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2025-01-15")
    with Session(loaded_engine) as s:
        yield s


def test_an_amendment_lists_every_change_and_applies_them_in_place(store):
    pid = plan_id(store)
    before = export_plan(session=store, plan_id=pid)
    ids = {r.number: r.id for r in list_item_refs(session=store, plan_id=pid)}
    row = apply_amendment(store)
    store.commit()
    lines = [amend.change_line(c) for c in row.changes]
    assert "ลำดับที่ 1 · งบประมาณ ปี 2568: 180,000 → 55,555" in lines
    assert "ลำดับที่ 3: ยกเลิกตั้งแต่ปีงบประมาณ 2568 (คะแนนที่ประเมินแล้วยังอยู่)" in lines
    assert "ลำดับที่ 31: เพิ่มใหม่ “โครงการใหม่จากการแก้ไขแผน”" in lines
    assert any(c["subject"] == "risk" and c["field"] == "items" for c in row.changes)  # item 3's risk links gone
    assert (row.number, row.effective_fy_be, row.approved_on) == (1, 2568, date(2024, 12, 10))
    after = export_plan(session=store, plan_id=pid)
    items = {p["number"]: p for p in after["projects"]}
    assert items[1]["budget_thb"]["2568"] == 55555 and items[31]["from_fy_be"] == 2568
    assert items[3]["until_fy_be"] == 2567 and items[3]["budget_thb"]["2567"] == 10000
    assert items[3]["budget_thb"]["2568"] == 0  # dropped: no budget from the year it takes effect
    now = {r.number: r.id for r in list_item_refs(session=store, plan_id=pid)}
    assert {n: i for n, i in now.items() if n != 31} == ids  # every item keeps its row, and so its scores
    assert store.get(m.Plan, pid).revision == 1
    assert amendments.plan_as_of(session=store, plan_id=pid, number=0) == before
    assert amendments.plan_as_of(session=store, plan_id=pid, number=1) == after
    assert before["plan"] == after["plan"] and before["dimensions"] == after["dimensions"]


def test_the_audit_row_lists_every_change_and_the_chain_holds(store):
    row = apply_amendment(store)
    store.commit()
    log = store.exec(select(AuditLog).where(AuditLog.action == "plan_amend")).one()
    assert log.after["changes"] == row.changes and log.reason == DETAILS["reason_th"]
    assert log.after["amendment"] == 1 and log.after["reference_th"] == DETAILS["reference_th"]
    assert chain.verify(store).problems == []


def test_rounds_score_against_the_plan_of_their_fiscal_year(store):
    pid = plan_id(store)
    member = user(store, "m1")
    for code in ("2567-1",):
        fy, no = rounds.parse_code(code)
        rounds.create_round(session=store, actor=OPERATOR, plan_id=pid, fiscal_year_be=fy, round_no=no, today=TODAY)
        rounds.transition(session=store, actor=OPERATOR, plan_id=pid, code=code, action="open")
    r2567 = store.exec(select(EvaluationRound).where(EvaluationRound.fiscal_year_be == 2567)).one()
    entries.save_entry(session=store, actor=as_actor(member), member=member, rnd=r2567, project_id=project_id(store, 3),
                       entry_in=entries.parse_entry(entry_values(score=4)), expected_version=None)
    entries.submit_entries(session=store, actor=as_actor(member), member=member, rnd=r2567)
    apply_amendment(store)
    store.commit()
    in_2567 = [i.number for i in list_item_refs(session=store, plan_id=pid, fiscal_year=2567)]
    in_2568 = [i.number for i in list_item_refs(session=store, plan_id=pid, fiscal_year=2568)]
    assert 3 in in_2567 and 31 not in in_2567  # the year before: the plan as it then stood
    assert 3 not in in_2568 and 31 in in_2568
    with pytest.raises(InvalidInput) as refused:  # an item added in FY2568 is not assessed in a FY2567 round
        entries.save_entry(session=store, actor=as_actor(member), member=member, rnd=r2567,
                           project_id=project_id(store, 31), entry_in=entries.parse_entry(entry_values()),
                           expected_version=None)
    assert refused.value.issues[0].code == "item_not_in_round"
    results = evaluation.round_items(session=store, actor=OPERATOR, plan_id=pid, round_id=r2567.id)
    assert results.set_index("number").loc[3, "n"] == 1  # the dropped item keeps its score
    assert 31 not in set(results["number"])
    dims = scoring.dimension_results(results, queries.list_projects(session=store, plan_id=pid))
    assert int(dims["items"].sum()) == len(in_2567)  # the dimension table counts the round's items
    indicators = evaluation.indicator_results(session=store, actor=OPERATOR, plan_id=pid, round_id=r2567.id)
    assert 31 not in set(indicators["number"]) and 3 in set(indicators["number"])
    sheet = scoresheet.member_template(session=store, actor=OPERATOR, rnd=r2567, member=member)
    assert "โครงการใหม่จากการแก้ไขแผน" not in json.dumps(_cells(sheet), ensure_ascii=False)
    # a FY2568 round expects item 31 and not 3, and does not carry item 3's entry forward
    rounds.create_round(session=store, actor=OPERATOR, plan_id=pid, fiscal_year_be=2568, round_no=1, today=TODAY)
    r2568 = store.exec(select(EvaluationRound).where(EvaluationRound.fiscal_year_be == 2568)).one()
    carried = entries.entries_frame(session=store, actor=OPERATOR, round_id=r2568.id, member_id=member.id)
    assert 3 not in set(carried["number"])
    done = rounds.completeness(session=store, actor=OPERATOR, plan_id=pid, code="2568-1")
    assert done.items == len(in_2568)


def _cells(raw: bytes) -> list:
    from io import BytesIO

    from openpyxl import load_workbook
    return [c for ws in load_workbook(BytesIO(raw)).worksheets for row in ws.iter_rows(values_only=True) for c in row]


def test_an_edit_started_on_an_older_revision_is_refused_and_nothing_is_written(store):
    pid = plan_id(store)
    data = amended_plan(amendments.current_data(store, pid))
    stale = store.get(m.Plan, pid).revision
    apply_amendment(store)
    store.commit()
    before = export_plan(session=store, plan_id=pid)
    other = copy.deepcopy(data)
    other["projects"][0]["name_th"] = "ชื่อที่แก้พร้อมกัน"
    with pytest.raises(Conflict) as refused:
        amendments.apply(session=store, actor=OPERATOR, plan_id=pid, proposed=other,
                         amendment=parse(store, {"number": "2"}), base_revision=stale)
    store.rollback()
    assert refused.value.issues[0].code == "plan_changed" and refused.value.issues[0].params == {"number": 1}
    assert export_plan(session=store, plan_id=pid) == before
    assert len(amendments.list_amendments(session=store, plan_id=pid)) == 1


@pytest.mark.parametrize(("change", "code"), [
    (lambda d: d["plan"].update(title_th="ชื่อแผนใหม่"), "amend_fixed_plan"),
    (lambda d: d["dimensions"][1]["missions"][0].update(name_th="ภารกิจใหม่"), "amend_fixed_dimensions"),
    (lambda d: d["risks"][0].update(process_th="ขั้นตอนใหม่"), "amend_fixed_risks"),
    (lambda d: d["projects"][0]["source_notes"].append(
        {"topic": "x", "text_th": "x", "readings": [], "kept_th": "x"}), "amend_fixed_notes"),
    (lambda d: d["projects"][4]["budget_thb"].update({"2568": -5}), "budget_not_whole_baht"),
    (lambda d: d["projects"][4].update(mission="9.9"), "unknown_mission"),
    (lambda d: d["projects"][0].update(from_fy_be=2569), "budget_outside_item_years"),
    (lambda d: d["projects"][4].update(until_fy_be=2580), "item_until_fy_be_outside_plan"),
    (lambda d: d["risks"][0]["measures"][0]["implemented_by"].append({"project": 99, "match": "exact"}),
     "risk_link_unknown_item"),
    (lambda d: None, "amend_nothing"),
])
def test_what_an_amendment_may_not_do_is_refused_with_the_import_rules(store, change, code):
    pid = plan_id(store)
    data = amendments.current_data(store, pid)
    change(data)
    before = export_plan(session=store, plan_id=pid)
    with pytest.raises(InvalidInput) as refused:
        amendments.apply(session=store, actor=OPERATOR, plan_id=pid, proposed=data, amendment=parse(store),
                         base_revision=0)
    store.rollback()
    assert code in [i.code for i in refused.value.issues]
    assert export_plan(session=store, plan_id=pid) == before and not amendments.list_amendments(session=store, plan_id=pid)


@pytest.mark.parametrize(("values", "code"), [
    ({"number": "ศูนย์"}, "amend_number_invalid"),
    ({"approved_on": ""}, "amend_date_required"),
    ({"approved_on": "1/1/2570"}, "amend_date_future"),
    ({"approved_on": "10/12/2024"}, "date_not_be"),
    ({"effective_fy": "2575"}, "amend_fy_invalid"),
    ({"reason_th": "  "}, "amend_reason_required"),
])
def test_the_amendments_own_fields_are_checked(store, values, code):
    with pytest.raises(InvalidInput) as refused:
        parse(store, values)
    assert [i.code for i in refused.value.issues] == [code]


def test_an_amendment_number_is_used_once_and_thai_digits_are_read(store):
    apply_amendment(store)
    with pytest.raises(InvalidInput) as refused:
        parse(store, {"number": "1"})
    assert refused.value.issues[0].params == {"number": 1, "next": 2}
    assert parse(store, {"number": "๒", "effective_fy": "๒๕๖๙"}).effective_fy_be == 2569


def test_an_indicator_with_recorded_results_cannot_be_dropped_but_may_be_reworded(store):
    pid = plan_id(store)
    member = user(store, "m1")
    rounds.create_round(session=store, actor=OPERATOR, plan_id=pid, fiscal_year_be=2567, round_no=1, today=TODAY)
    rnd = rounds.transition(session=store, actor=OPERATOR, plan_id=pid, code="2567-1", action="open")
    item = next(p for p in amendments.current_data(store, pid)["projects"] if p["indicators"])
    ind_id = store.exec(select(m.Indicator.id).where(m.Indicator.project_id == project_id(store, item["number"]))
                        .order_by(m.Indicator.seq)).first()
    entries.save_entry(session=store, actor=as_actor(member), member=member, rnd=rnd,
                       project_id=project_id(store, item["number"]), expected_version=None,
                       entry_in=entries.parse_entry(entry_values(indicators={ind_id: {"achieved": True}})))
    data = amendments.current_data(store, pid)
    target = next(p for p in data["projects"] if p["number"] == item["number"])
    target["indicators"] = []
    with pytest.raises(InvalidInput) as refused:
        amendments.preview(session=store, actor=OPERATOR, plan_id=pid, proposed=data, effective_fy=2568)
    assert refused.value.issues[0].code == "amend_indicator_has_results"
    data = amendments.current_data(store, pid)
    target = next(p for p in data["projects"] if p["number"] == item["number"])
    target["indicators"][0]["text_th"] = "ถ้อยคำใหม่ของตัวชี้วัด"
    apply_amendment(store, data)
    assert store.get(m.Indicator, ind_id).text_th == "ถ้อยคำใหม่ของตัวชี้วัด"  # same row: its results keep it


def test_only_the_organisations_administrator_amends_its_plan(store):
    secretary = user(store, "sec", "secretary")
    with pytest.raises(NotAllowed):
        amendments.preview(session=store, actor=as_actor(secretary), plan_id=plan_id(store),
                           proposed=amended_plan(amendments.current_data(store, plan_id(store))), effective_fy=2568)
    org = orgs.add_org(session=store, actor=OPERATOR, code="sao-example", org_in=orgs.parse_org(
        {"name_th": "อบต. ตัวอย่าง", "org_type": "sao", "province_th": "จังหวัดตัวอย่าง"}))
    other = plans.import_plan(session=store, actor=OPERATOR, org_code=org.code, sha256="x",
                              data=workbook.read(EXAMPLE.read_bytes()).data)
    from acplan.monitoring import users
    stranger = users.add_user(session=store, actor=OPERATOR, username="b-admin", display_name="ผู้ดูแล", role="admin",
                              password="b-admin-password-1", organisation_id=org.id)
    with pytest.raises(NotAllowed):
        amendments.apply(session=store, actor=as_actor(stranger), plan_id=plan_id(store), base_revision=0,
                         proposed=amended_plan(amendments.current_data(store, plan_id(store))), amendment=parse(store))
    store.rollback()
    assert other.id != plan_id(store)


def test_amending_one_organisation_never_changes_another(store):
    org = orgs.add_org(session=store, actor=OPERATOR, code="sao-example", org_in=orgs.parse_org(
        {"name_th": "อบต. ตัวอย่าง", "org_type": "sao", "province_th": "จังหวัดตัวอย่าง"}))
    other = plans.import_plan(session=store, actor=OPERATOR, org_code=org.code, sha256="x",
                              data=workbook.read(EXAMPLE.read_bytes()).data)
    store.commit()
    before = export_plan(session=store, plan_id=other.id)
    pid = orgs.plan_of(session=store, org=orgs.get_org(session=store, code="tt-chiang-muan")).id
    amendments.apply(session=store, actor=OPERATOR, plan_id=pid, proposed=amended_plan(amendments.current_data(store, pid)),
                     amendment=parse(store, plan=pid), base_revision=0)
    store.commit()
    assert export_plan(session=store, plan_id=other.id) == before


def test_an_amended_plan_is_not_replaced_by_an_import(store):
    apply_amendment(store)
    store.commit()
    with pytest.raises(NotAllowed) as refused:
        plans.import_plan(session=store, actor=OPERATOR, org_code="tt-chiang-muan", sha256="x", replace=True,
                          data=amendments.current_data(store, plan_id(store)))
    assert refused.value.issues[0].code == "plan_amended_no_replace"


def test_a_dropped_item_can_be_restored_by_a_later_amendment(store):
    apply_amendment(store)
    pid = plan_id(store)
    data = amendments.current_data(store, pid)
    item = next(p for p in data["projects"] if p["number"] == 3)
    item.pop("until_fy_be")
    item["budget_thb"]["2569"] = 5000
    row = apply_amendment(store, data, {"number": "2", "effective_fy": "2569"})
    assert [amend.change_line(c) for c in row.changes] == [
        "ลำดับที่ 3 · ปีสุดท้ายที่อยู่ในแผน: 2567 → —", "ลำดับที่ 3 · งบประมาณ ปี 2569: 0 → 5,000"]
    assert 3 in [i.number for i in list_item_refs(session=store, plan_id=pid, fiscal_year=2569)]
    assert [a.number for a in amendments.item_history(session=store, plan_id=pid, number=3)] == [1, 2]
    assert amendments.item_history(session=store, plan_id=pid, number=4) == []


def test_amendments_on_postgresql(pg_loaded_url, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2025-01-15")
    engine = make_engine(pg_loaded_url)
    with Session(engine) as s:
        pid = plan_id(s)
        before = export_plan(session=s, plan_id=pid)
        apply_amendment(s)
        s.commit()
    with Session(engine) as s:
        assert amendments.plan_as_of(session=s, plan_id=pid, number=0) == json.loads(json.dumps(before))
        assert 31 in [i.number for i in list_item_refs(session=s, plan_id=pid, fiscal_year=2568)]
        assert 31 not in [i.number for i in list_item_refs(session=s, plan_id=pid, fiscal_year=2567)]
        assert chain.verify(s).problems == []
    engine.dispose()


# ------------------------------------------------------------------------------------------------ command line


def test_plan_amend_from_a_workbook_on_the_command_line(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url), "ACPLAN_TODAY": "2025-01-15"}
    assert cli("plan", "export", "-o", str(tmp_path / "plan.xlsx"), env=env)[0] == 0
    with Session(loaded_engine) as s:
        original = export_plan(session=s, plan_id=plan_id(s))
    data = amended_plan(original)
    with Session(loaded_engine) as s:
        org = orgs.sole_org(session=s)
        (tmp_path / "amended.xlsx").write_bytes(workbook.write(data, org_slug=org.code, org_name_th=org.name_th))
    args = ("plan", "amend", str(tmp_path / "amended.xlsx"), "--date", "10/12/2567", "--reason", "เพิ่มโครงการ",
            "--reference", "มติสภา 4/2567")
    code, out, err = cli(*args, "--dry-run", env=env)
    assert code == 0 and "ลำดับที่ 31: เพิ่มใหม่" in out and "ยังไม่ได้บันทึก" in out, err
    with Session(loaded_engine) as s:
        assert export_plan(session=s, plan_id=plan_id(s)) == original  # a dry run writes nothing
    code, out, err = cli(*args, env=env)
    assert code == 0 and "บันทึกการแก้ไขแผนครั้งที่ 1 แล้ว" in out, err
    code, out, _ = cli("--lang", "en", "plan", "history", env=env)
    assert "No. 1 · approved 10 December 2024 (BE 2567) · takes effect in FY 2568" in out and "Item 3: dropped" in out
    assert cli("plan", "export", "--as-of", "0", "-o", str(tmp_path / "first.yaml"), env=env)[0] == 0
    assert yaml.safe_load((tmp_path / "first.yaml").read_text(encoding="utf-8")) == json.loads(json.dumps(original))
    code, _, err = cli("plan", "export", "--as-of", "7", "-o", str(tmp_path / "x.yaml"), env=env)
    assert code == 1 and "ไม่มีการแก้ไขครั้งที่ 7 (มี: 1)" in err
    # the amended plan's own workbook goes round: exported and amended with again, nothing differs
    assert cli("plan", "export", "-o", str(tmp_path / "now.xlsx"), env=env)[0] == 0
    code, _, err = cli("plan", "amend", str(tmp_path / "now.xlsx"), "--date", "11/12/2567", "--reason", "x", env=env)
    assert code == 1 and "ไม่ต่างจากแผนปัจจุบัน" in err


def test_plan_amend_names_each_cell_to_fix_and_writes_nothing(cli, loaded_engine, tmp_path):
    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url), "ACPLAN_TODAY": "2025-01-15"}
    path = tmp_path / "plan.xlsx"
    assert cli("plan", "export", "-o", str(path), env=env)[0] == 0
    from openpyxl import load_workbook
    wb = load_workbook(path)
    ws = next(w for w in wb.worksheets if w.title.endswith("(items)"))
    keys = {str(c.value).rsplit("(", 1)[-1].rstrip(")"): c.column for c in ws[1]}
    ws.cell(2, keys["budget_2568"]).value = "หนึ่งแสน"
    wb.save(path)
    code, _, err = cli("plan", "amend", str(path), "--date", "10/12/2567", "--reason", "x", env=env)
    assert code == 1
    assert "แผ่นงาน “รายการ (items)” แถว 2 คอลัมน์ J (budget_2568)" in err
    with Session(loaded_engine) as s:
        assert not amendments.list_amendments(session=s, plan_id=plan_id(s))
    ws.cell(2, keys["budget_2568"]).value = 180000
    ws.cell(2, keys["until_fy"]).value = 2566  # item 1 dropped before FY2567, but its budget runs on
    wb.save(path)
    code, _, err = cli("plan", "amend", str(path), "--date", "10/12/2567", "--reason", "x", env=env)
    assert code == 1 and "ลำดับที่ 1: มีงบประมาณปี 2567" in err and "อยู่ในแผนเฉพาะปี 2566–2566" in err
