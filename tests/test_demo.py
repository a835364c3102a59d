"""`demo-data` (#16): fictional organisations marked as such, loaded fast on SQLite and by COPY on PostgreSQL, the
same seed giving the same store, the roll-up's stored figures equal to a fresh computation, and a store that keeps
working for the organisations added after."""

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.monitoring import auth, orgs, plans, rollup
from acplan.monitoring.models import AppUser, AuditLog, EvaluationRound, RoundStatus, RoundSummary, ScoreEntry
from acplan.plan import models as m
from acplan.plan import workbook as plan_workbook
from tests.factories import OPERATOR
from tests.test_plan_workbook import EXAMPLE


def _store(cli, url: str, *extra: str) -> tuple[int, str, str]:
    env = {"ACPLAN_DATABASE_URL": url, "ACPLAN_TODAY": "2030-12-01"}
    assert cli("init", "--no-plan", env=env)[0] == 0
    return cli("demo-data", *extra, env=env)


def _entries(url: str) -> list[tuple]:
    engine = make_engine(url)
    with Session(engine) as s:
        rows = s.exec(select(m.Organisation.code, m.PlanItem.number, EvaluationRound.fiscal_year_be,
                             EvaluationRound.round_no, AppUser.username, ScoreEntry.status, ScoreEntry.score,
                             ScoreEntry.spent_thb)
                      .join(EvaluationRound, EvaluationRound.id == ScoreEntry.round_id)
                      .join(m.Plan, m.Plan.id == EvaluationRound.plan_id)
                      .join(m.Organisation, m.Organisation.id == m.Plan.organisation_id)
                      .join(m.PlanItem, m.PlanItem.id == ScoreEntry.project_id)
                      .join(AppUser, AppUser.id == ScoreEntry.member_id)).all()
    engine.dispose()
    return sorted(rows)


def test_demo_data_on_sqlite_is_marked_fictional_checked_and_the_same_for_the_same_seed(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    code, out, err = _store(cli, url, "--orgs", "5", "--rounds", "4", "--members", "3", "--seed", "7")
    assert code == 0, err
    assert "เพิ่มข้อมูลสมมติแล้ว: 5 องค์กร" in out and "บันทึกคะแนนของกรรมการ" in err  # the progress bar
    engine = make_engine(url)
    with Session(engine) as s:
        every = s.exec(select(m.Organisation)).all()
        assert len(every) == 5 and all("(ข้อมูลสมมติ)" in o.name_th and o.code.startswith("demo-") for o in every)
        assert all(o.province_th.startswith("จังหวัดตัวอย่าง ") for o in every)
        assert s.exec(select(func.count()).select_from(m.Plan)).one() == 5
        # each copied plan has its own items, budgets scaled, and the same shape as its template
        items = dict(s.exec(select(m.PlanItem.plan_id, func.count()).group_by(m.PlanItem.plan_id)).all())
        assert items[1] == items[3] == items[5] and items[2] == items[4] and items[1] != items[2]
        budgets = dict(s.exec(select(m.PlanItem.plan_id, func.sum(m.BudgetLine.amount_thb))
                              .join(m.BudgetLine, m.BudgetLine.project_id == m.PlanItem.id).group_by(m.PlanItem.plan_id)).all())
        assert len({budgets[1], budgets[3], budgets[5]}) == 3
        assert s.exec(select(func.count()).select_from(EvaluationRound)).one() == 5 * 4
        assert s.exec(select(func.count()).select_from(RoundSummary)).one() == s.exec(
            select(func.count()).select_from(EvaluationRound).where(EvaluationRound.status == RoundStatus.PUBLISHED)).one() > 0
        assert rollup.check(s) == []
        accounts = s.exec(select(AppUser)).all()
        assert len(accounts) == 15 and not any(auth.verify_password(a.password_hash, guess) for a in accounts[:1]
                                               for guess in ("demo", "password", a.username))
        assert s.exec(select(AuditLog.action).order_by(AuditLog.id.desc())).first() == "demo_data"
        # the store goes on: an organisation added by hand gets its plan without clashing ids
        org = orgs.add_org(session=s, actor=OPERATOR, code="sao-real", org_in=orgs.parse_org(
            {"name_th": "อบต.จริง", "org_type": "sao", "province_th": "เชียงใหม่"}))
        plans.import_plan(session=s, actor=OPERATOR, org_code=org.code,
                          data=plan_workbook.read(EXAMPLE.read_bytes()).data, sha256="x")
        s.commit()
    engine.dispose()
    assert cli("audit", "verify", env={"ACPLAN_DATABASE_URL": url})[0] == 0
    again = f"sqlite:///{tmp_path / 'b.db'}"
    assert _store(cli, again, "--orgs", "5", "--rounds", "4", "--members", "3", "--seed", "7")[0] == 0
    assert _entries(again) == _entries(url)
    other = f"sqlite:///{tmp_path / 'c.db'}"
    assert _store(cli, other, "--orgs", "5", "--rounds", "4", "--members", "3", "--seed", "8")[0] == 0
    assert _entries(other) != _entries(url)


def test_demo_data_by_copy_on_postgresql_then_more_of_it(cli, pg_url):
    assert _store(cli, pg_url, "--orgs", "3", "--rounds", "10")[0] == 0
    code, out, err = cli("demo-data", "--orgs", "2", "--rounds", "2")  # numbering goes on
    assert code == 0, err
    engine = make_engine(pg_url)
    with Session(engine) as s:
        assert sorted(s.exec(select(m.Organisation.code)).all()) == [f"demo-0000{i}" for i in range(1, 6)]
        assert rollup.check(s) == []
        n = s.exec(select(func.count()).select_from(ScoreEntry)).one()
        assert n > 1000
    engine.dispose()
    assert cli("rollup", "check")[0] == 0


@pytest.mark.parametrize("args", [("--orgs", "0"), ("--orgs", "5", "--rounds", "21"), ("--orgs", "5", "--members", "0")])
def test_sizes_out_of_range_are_refused_and_nothing_is_written(cli, tmp_path, args):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    code, out, err = _store(cli, url, *args)
    assert code == 1 and "ขนาดไม่ถูกต้อง" in err
    engine = make_engine(url)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(m.Organisation)).one() == 0
    engine.dispose()
