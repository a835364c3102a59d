"""Two people saving the same record at once: the later save is refused; no lost update (SQLite and PostgreSQL)."""

import threading

import pytest
from sqlmodel import Session, select

from acplan.db import make_engine
from acplan.errors import Conflict
from acplan.monitoring import entries
from acplan.monitoring.models import AppUser, EvaluationRound, ScoreEntry
from acplan.plan.load import init_store
from tests.conftest import PLAN_FILE, store_url
from tests.factories import OPERATOR, as_actor, entry_values, open_round, project_id, user


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    eng = make_engine(store_url(request, request.param))
    with Session(eng) as s:
        open_round(s)
        user(s, "member1")
        entries.save_entry(session=s, actor=as_actor(s.exec(select(AppUser)).one()), member=s.exec(select(AppUser)).one(),
                           rnd=s.exec(select(EvaluationRound)).one(), project_id=project_id(s, 7),
                           entry_in=entries.parse_entry(entry_values(score=3)), expected_version=None)
        s.commit()
    yield eng
    eng.dispose()


def save(engine, score: int, version: int, results: list, barrier: threading.Barrier) -> None:
    with Session(engine) as s:
        member = s.exec(select(AppUser)).one()
        rnd = s.exec(select(EvaluationRound)).one()
        barrier.wait()
        try:
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 7),
                               entry_in=entries.parse_entry(entry_values(score=score)), expected_version=version)
            s.commit()
            results.append(("saved", score))
        except Conflict:
            s.rollback()
            results.append(("refused", score))
        except Exception as exc:  # noqa: BLE001  (a lock timeout is also a refusal, never a lost update)
            s.rollback()
            results.append(("refused", type(exc).__name__))


def test_concurrent_saves_one_wins_one_is_refused(engine):
    results: list = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=save, args=(engine, score, 1, results, barrier)) for score in (4, 5)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["refused", "saved"]
    winner = next(score for outcome, score in results if outcome == "saved")
    with Session(engine) as s:
        member = s.exec(select(AppUser)).one()
        rnd = s.exec(select(EvaluationRound)).one()
        row = entries.get_entry(session=s, round_id=rnd.id, project_id=project_id(s, 7), member_id=member.id)
        assert (row.score, row.version) == (winner, 2)


def test_sequential_stale_save_is_refused(engine):
    with Session(engine) as a, Session(engine) as b:
        member_a, rnd_a = a.exec(select(AppUser)).one(), a.exec(select(EvaluationRound)).one()
        member_b, rnd_b = b.exec(select(AppUser)).one(), b.exec(select(EvaluationRound)).one()
        entries.save_entry(session=a, actor=as_actor(member_a), member=member_a, rnd=rnd_a, project_id=project_id(a, 7),
                           entry_in=entries.parse_entry(entry_values(score=5)), expected_version=1)
        a.commit()
        with pytest.raises(Conflict):
            entries.save_entry(session=b, actor=as_actor(member_b), member=member_b, rnd=rnd_b, project_id=project_id(b, 7),
                               entry_in=entries.parse_entry(entry_values(score=1)), expected_version=1)


def test_a_save_between_the_completeness_check_and_the_submission_refuses_the_submission(engine):
    """Submission read a complete draft; before it wrote, the member's other tab emptied the score: nothing is submitted."""
    with Session(engine, expire_on_commit=False) as a:
        member, rnd = a.exec(select(AppUser)).one(), a.exec(select(EvaluationRound)).one()
        stale = entries.get_entry(session=a, round_id=rnd.id, project_id=project_id(a, 7), member_id=member.id)
        a.commit()  # what the submitting tab read, still held in its session
        with Session(engine) as b:
            m = b.exec(select(AppUser)).one()
            entries.save_entry(session=b, actor=as_actor(m), member=m, rnd=b.exec(select(EvaluationRound)).one(),
                               project_id=project_id(b, 7), entry_in=entries.parse_entry(entry_values(score=None)),
                               expected_version=stale.version)
            b.commit()
        assert stale.score == 3  # the submitting tab still sees the complete draft
        with pytest.raises(Conflict):
            entries.submit_entries(session=a, actor=as_actor(member), member=member, rnd=rnd)
        a.rollback()
    with Session(engine) as s:
        row = s.exec(select(ScoreEntry)).one()
        assert (row.state, row.score) == ("draft", None)


def test_reads_that_need_a_staff_permission_take_no_write_lock(sqlite_url, monkeypatch):
    """Listing accounts or a round's progress while another process writes: answered, never 'database is locked'."""
    import sqlite3

    from acplan.db import engine as engine_module
    from acplan.monitoring import rounds, users
    from tests.factories import plan_id
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0.2)
    eng = make_engine(sqlite_url)
    init_store(eng, PLAN_FILE, actor=OPERATOR)
    with Session(eng) as s:
        open_round(s)
        s.commit()
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        with Session(eng) as s:
            assert users.list_users(session=s, actor=OPERATOR) == []
            assert rounds.completeness(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1").items == 30
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        eng.dispose()
