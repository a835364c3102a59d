"""The roll-up across organisations (#16): stored per-round figures equal a recomputation from the members' entries
through the results page's own path after every kind of write; what an oversight account and the public read."""

from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from acplan.access import Actor
from acplan.monitoring import amendments, entries, evaluation, findings, orgs, rollup, rounds, scoring, users
from acplan.monitoring.entries import read_entries
from acplan.monitoring.models import EvaluationRound, RoundStatus, RoundSummary
from acplan.monitoring.yearly import parse_yearly, set_yearly_result
from acplan.plan import models as m
from acplan.plan import queries
from tests.factories import OPERATOR, TODAY, as_actor, entry_values, example_org
from tests.test_amendments import DETAILS, amended_plan

SCORES = {  # member -> (score, status, reason) by item number; members differ so that modes and ties are exercised
    "m1": {1: (4, "completed", None), 2: (2, "not_possible", "no_budget"), 3: (1, "not_started", None)},
    "m2": {1: (5, "completed", None), 2: (1, "not_possible", "staffing"), 3: (3, "in_progress", None)},
    "m3": {1: (2, "in_progress", None), 2: (1, "not_possible", "no_budget")},
}


def independent(s: Session, rnd: EvaluationRound) -> dict:
    """A published round's figures from scratch, through the results page's path (evaluation, scoring)."""
    items = evaluation.round_items(session=s, actor=OPERATOR, plan_id=rnd.plan_id, round_id=rnd.id)
    projects = queries.list_projects(session=s, plan_id=rnd.plan_id)
    dims = scoring.dimension_results(items, projects)
    budget = queries.list_budget_lines(session=s, plan_id=rnd.plan_id)
    budget = budget[(budget["fiscal_year_be"] == rnd.fiscal_year_be) & budget["number"].isin(items["number"])]
    es = read_entries(session=s, round_id=rnd.id, submitted_only=True)
    reasons = Counter()
    for number in items.loc[items["status"] == "not_possible", "number"]:
        votes = Counter(str(r) for r in es.loc[(es["number"] == number) & (es["status"] == "not_possible"),
                                                "not_possible_reason"].dropna())
        best = max(votes.values()) if votes else 0
        reasons[next((r for r in rollup.REASONS if votes.get(r) == best), "unstated")] += 1
    statuses = Counter(items["status"].fillna("not_scored"))
    spent = [int(v) for v in items["spent_thb"].dropna()]
    day = rollup.published_on(rnd.published_at)
    return {"round_id": rnd.id, "plan_id": rnd.plan_id, "fiscal_year_be": rnd.fiscal_year_be, "round_no": rnd.round_no,
            "published_on": day, "on_time": day <= rollup.due_on(rnd.period_end),
            "result": scoring.round_result(items), "items": len(items), "items_scored": int(items["mean_exact"].notna().sum()),
            **{k: statuses.get(k, 0) for k in ("not_started", "in_progress", "completed", "not_possible", "not_scored")},
            **{f"reason_{r}": reasons.get(r, 0) for r in (*rollup.REASONS, "unstated")},
            "planned_thb": int(budget["amount_thb"].sum()), "spent_thb": sum(spent) if spent else None,
            **{f"dim{d}_{k}": None if k == "result" else 0 for d in (1, 2, 3, 4) for k in ("result", "scored", "items")},
            **{k: v for d in dims.itertuples() for k, v in (
                (f"dim{d.dimension}_result", None if d.result is None or d.result != d.result else d.result),
                (f"dim{d.dimension}_scored", d.scored), (f"dim{d.dimension}_items", d.items))}}


def assert_consistent(s: Session) -> None:
    s.flush()
    stored = {r.round_id: rollup.as_dict(r) for r in s.exec(select(RoundSummary))}
    published = s.exec(select(EvaluationRound).where(EvaluationRound.status == RoundStatus.PUBLISHED)).all()
    assert set(stored) == {r.id for r in published}  # one summary per published round, none for any other
    for rnd in published:
        assert stored[rnd.id] == independent(s, rnd), rnd.fiscal_year_be
    assert rollup.check(s) == []


def score_round(s: Session, pid: int, code: str, members, scores=SCORES) -> EvaluationRound:
    fy, no = rounds.parse_code(code)
    rounds.create_round(session=s, actor=OPERATOR, plan_id=pid, fiscal_year_be=fy, round_no=no, today=TODAY,
                        prefill=False)
    rnd = rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code=code, action="open")
    for member in members:
        for number, (score, status, reason) in scores.get(member.username.split("-")[-1], {}).items():
            values = entry_values(score=score, status=status, progress=100 if status == "completed" else 30,
                                  spent=1000 * number + score, not_possible_reason=reason)
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd,
                               project_id=queries.get_item_id(session=s, plan_id=pid, number=number),
                               entry_in=entries.parse_entry(values), expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
    return rnd


def finish(s: Session, pid: int, code: str, **early) -> None:
    for action in ("close", "publish"):
        rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code=code, action=action, **early)


def add_finding(s: Session, rnd: EvaluationRound, due: date, **more) -> None:
    project = queries.get_item_id(session=s, plan_id=rnd.plan_id, number=1)
    findings.add_finding(session=s, actor=OPERATOR, rnd=rnd, finding_in=findings.parse_finding(
        {"text": "ยังไม่แก้ไข", "severity": "high", "project_id": project, "due_date": due, **more}))


EARLY = {"early": True, "reason": "ที่ประชุมคณะกรรมการขอให้เผยแพร่ก่อนสิ้นรอบ"}


@pytest.fixture
def two_orgs(loaded_engine):
    """The shipped plan's municipality (province เชียงราย… as loaded) and a second organisation with the example
    plan, each with three committee members."""
    with Session(loaded_engine) as s:
        b = example_org(s, district_th="อำเภอหนึ่ง")
        a = s.exec(select(m.Organisation).where(m.Organisation.code != b.code)).one()
        members = {}
        for org in (a, b):
            members[org.code] = [users.add_user(session=s, actor=OPERATOR, username=f"{org.code}-{name}",
                                                display_name=name, role="committee", password="a-long-password-9x",
                                                organisation_id=org.id) for name in ("m1", "m2", "m3")]
        s.commit()
        yield s, {o.code: queries.get_plan(session=s, org_code=o.code).id for o in (a, b)}, members


def test_stored_figures_equal_a_recomputation_after_every_kind_of_write(two_orgs):
    s, pids, members = two_orgs
    a, b = pids
    assert_consistent(s)
    score_round(s, pids[a], "2567-1", members[a])
    assert_consistent(s)  # open with submitted entries: nothing stored yet
    finish(s, pids[a], "2567-1")
    assert_consistent(s)  # published: stored
    row = s.get(RoundSummary, s.exec(select(EvaluationRound.id).where(EvaluationRound.plan_id == pids[a])).one())
    assert (row.completed, row.not_possible, row.not_started, row.on_time) == (1, 1, 1, False)  # item 3 ties: the less advanced; late
    assert (row.reason_no_budget, row.reason_staffing) == (1, 0) and row.items_scored == 3
    assert row.not_scored == row.items - 3
    rnd = rounds.transition(session=s, actor=OPERATOR, plan_id=pids[a], code="2567-1", action="reopen",
                            reason="แก้คะแนนที่บันทึกผิดตามมติที่ประชุม")
    assert_consistent(s)  # reopened: gone
    m1 = members[a][0]
    entries.save_entry(session=s, actor=as_actor(m1), member=m1, rnd=rnd,
                       project_id=queries.get_item_id(session=s, plan_id=pids[a], number=3),
                       entry_in=entries.parse_entry(entry_values(score=5, status="completed", progress=100)),
                       expected_version=entries.get_entry(session=s, round_id=rnd.id, project_id=queries.get_item_id(
                           session=s, plan_id=pids[a], number=3), member_id=m1.id).version)
    entries.submit_entries(session=s, actor=as_actor(m1), member=m1, rnd=rnd)
    add_finding(s, rnd, date(2025, 3, 31))
    finish(s, pids[a], "2567-1")
    assert_consistent(s)  # published again with the changed score
    score_round(s, pids[a], "2568-1", members[a])
    finish(s, pids[a], "2568-1")
    before = s.exec(select(RoundSummary).where(RoundSummary.fiscal_year_be == 2568)).one().planned_thb
    data = amended_plan(amendments.current_data(s, pids[a]))
    amendments.apply(session=s, actor=OPERATOR, plan_id=pids[a], proposed=data,
                     amendment=amendments.parse_amendment(session=s, plan_id=pids[a], values=DETAILS),
                     base_revision=s.get(m.Plan, pids[a]).revision)
    assert_consistent(s)  # the amendment moved item 1's FY2568 budget: the published round's planned budget follows
    assert s.exec(select(RoundSummary).where(RoundSummary.fiscal_year_be == 2568)).one().planned_thb != before
    set_yearly_result(session=s, actor=OPERATOR, plan_id=pids[a], result_in=parse_yearly(
        {"fiscal_year_be": 2568, "ita_score": 80.5}))
    orgs.set_org(session=s, actor=OPERATOR, code=a, org_in=orgs.parse_org({"province_th": "จังหวัดตัวอย่าง"}))
    score_round(s, pids[b], "2570-1", members[b], scores={"m1": {1: (3, "in_progress", None)}})
    finish(s, pids[b], "2570-1", **EARLY)
    assert_consistent(s)
    assert s.exec(select(RoundSummary).where(RoundSummary.plan_id == pids[b])).one().on_time  # published early
    s.commit()


def test_refresh_all_rebuilds_what_an_upgrade_or_a_repair_needs(two_orgs):
    s, pids, members = two_orgs
    a = next(iter(pids))
    score_round(s, pids[a], "2567-1", members[a])
    finish(s, pids[a], "2567-1")
    kept = {r.round_id: rollup.as_dict(r) for r in s.exec(select(RoundSummary))}
    s.get(RoundSummary, next(iter(kept))).result = 0.5  # a summary gone wrong (edited by hand)
    assert rollup.check(s) == [str(next(iter(kept)))]
    assert rollup.refresh_all(s) == 1
    assert {r.round_id: rollup.as_dict(r) for r in s.exec(select(RoundSummary))} == kept


def test_oversight_reads_its_province_with_rounds_held_and_the_public_reads_published_only(two_orgs):
    s, pids, members = two_orgs
    a, b = pids
    orgs.set_org(session=s, actor=OPERATOR, code=a, org_in=orgs.parse_org({"province_th": "เชียงใหม่", "district_th": "เชียงม่วน"}))
    score_round(s, pids[a], "2567-1", members[a])
    finish(s, pids[a], "2567-1")
    score_round(s, pids[a], "2567-2", members[a])  # held, not published
    score_round(s, pids[b], "2570-1", members[b])  # held, not published
    for org, due in ((a, date(2025, 3, 31)), (b, date(2027, 1, 1))):
        rnd = s.exec(select(EvaluationRound).where(EvaluationRound.plan_id == pids[org],
                                                   EvaluationRound.status == RoundStatus.OPEN)).first()
        add_finding(s, rnd, due, visibility="public")
    national = users.add_user(session=s, actor=OPERATOR, username="nacc", display_name="สำนักงาน ป.ป.ช.",
                              role="oversight", password="a-long-password-9x")
    province = users.add_user(session=s, actor=OPERATOR, username="prov", display_name="จังหวัด", role="oversight",
                              password="a-long-password-9x", oversight_province_th="จังหวัดตัวอย่าง")
    s.commit()
    today = date(2027, 6, 1)
    every = rollup.read(session=s, actor=as_actor(national), filters=rollup.Filters(), today=today)
    assert every.internal and rollup.counts(every) == {"orgs": 2, "with_plan": 2, "with_rounds": 2}
    assert set(every.orgs["code"]) == {a, b} and every.overdue["overdue"].sum() == 2  # findings of rounds not published
    public = rollup.read(session=s, actor=Actor.anonymous(), filters=rollup.Filters(), today=today)
    assert not public.internal and rollup.counts(public) == {"orgs": 2, "with_plan": 2, "with_rounds": 1}
    assert public.overdue.empty  # those findings belong to rounds not yet published
    assert rollup.publication(public).to_dict("records") == [
        {"code": "2567-1", "published": 1, "on_time": 0, "late": 1, "not_published": 1}]
    assert list(rollup.drill(public, "not_published", code="2567-1")["code"]) == [b]
    assert list(rollup.drill(public, "late", code="2567-1")["code"]) == [a]
    mine = rollup.read(session=s, actor=as_actor(province), filters=rollup.Filters(), today=today)
    assert list(mine.orgs["code"]) == [b] and mine.scope_province == "จังหวัดตัวอย่าง"
    assert set(mine.choices["province_th"]) == {"จังหวัดตัวอย่าง"}
    # a province account asking for another province by filter still gets only its own
    other = rollup.read(session=s, actor=as_actor(province), filters=rollup.Filters(province="เชียงใหม่"), today=today)
    assert other.orgs.empty
    assert list(rollup.read(session=s, actor=Actor.anonymous(), filters=rollup.Filters(district="เชียงม่วน"),
                            today=today).orgs["code"]) == [a]
    assert list(rollup.read(session=s, actor=Actor.anonymous(), filters=rollup.Filters(org_type="sao"),
                            today=today).orgs["code"]) == [b]
    points = rollup.dimension_points(public, "2567-1")
    assert set(points["dimension"]) <= {1, 2, 3, 4} and (points["org_id"] == public.orgs.set_index("code").loc[a, "org_id"]).all()
    statuses = rollup.item_statuses(public, "2567-1")
    assert statuses["not_possible"] == 1 and statuses["reason_no_budget"] == 1
    set_yearly_result(session=s, actor=OPERATOR, plan_id=pids[a], result_in=parse_yearly(
        {"fiscal_year_be": 2567, "ita_score": 10}))
    s.commit()
    again = rollup.read(session=s, actor=Actor.anonymous(), filters=rollup.Filters(), today=today)
    ita = rollup.ita_by_year(again).set_index("fiscal_year_be").loc[2567]
    assert (ita["recorded"], ita["below"]) == (1, 1)
    assert list(rollup.drill(again, "ita_below", fiscal_year=2567)["code"]) == [a]


def test_the_upgrade_fills_the_summaries_of_rounds_published_before_it(two_orgs, loaded_engine):
    """Migration 0016 on a store whose rounds were published before it: their summaries, as a publish writes them."""
    from alembic import command

    from acplan.db.engine import alembic_config, migrate

    s, pids, members = two_orgs
    a = next(iter(pids))
    score_round(s, pids[a], "2567-1", members[a])
    finish(s, pids[a], "2567-1")
    s.commit()
    kept = {r.round_id: rollup.as_dict(r) for r in s.exec(select(RoundSummary))}
    s.close()
    command.downgrade(alembic_config(loaded_engine), "0015")  # the store as it stood before: no summaries
    migrate(loaded_engine)
    with Session(loaded_engine) as fresh:
        assert {r.round_id: rollup.as_dict(r) for r in fresh.exec(select(RoundSummary))} == kept != {}
        assert rollup.check(fresh) == []
