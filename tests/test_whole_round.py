"""A whole round as #14 tells it: two units report with evidence, three members score from their reports, the
secretary's board shows what is missing, reminders arrive at a real SMTP server, and once published the meeting
pack, the public snapshot and the static public website show the units' reports and public evidence — and nothing internal."""

import sqlite3

from sqlmodel import Session, select

from acplan.monitoring import board, entries, evidence, rounds, unitreports, users
from acplan.monitoring.models import AppUser, EvaluationRound
from acplan.plan.models import PlanItem
from acplan.reporting import build_report
from tests.factories import OPERATOR, TODAY, as_actor, plan_id, project_id, user
from tests.test_evidence import jpeg, pdf
from tests.test_reminders import smtp, subjects  # noqa: F401  (the SMTP server fixture)
from tests.test_report import pdf_text
from tests.test_unit_reports import open_round


def test_two_units_report_three_members_score_the_board_reminds_and_the_public_sees_the_right_things(
        loaded_engine, tmp_path, monkeypatch, cli, smtp):  # noqa: F811
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("ACPLAN_TODAY", "2025-04-13")
    with Session(loaded_engine) as s:
        pid = plan_id(s)
        items = {n: s.get(PlanItem, project_id(s, n)) for n in range(1, 31)}
        first, second = items[1].unit_id, next(i.unit_id for i in items.values() if i.unit_id != items[1].unit_id)
        names = {u: s.get(unitreports.Unit, u).name_th for u in (first, second)}
        accounts = {}
        for name, unit in (("unit-a", first), ("unit-b", second)):
            user(s, name, "unit")
            unitreports.set_units(session=s, actor=OPERATOR, username=name, plan_id=pid, unit_names=[names[unit]])
            users.set_email(session=s, actor=OPERATOR, username=name, email=f"{name}@example.org")
            accounts[name] = as_actor(s.exec(select(AppUser).where(AppUser.username == name)).one())
        members = [user(s, f"m{i}", "committee") for i in (1, 2, 3)]
        for m in members:
            users.set_email(session=s, actor=OPERATOR, username=m.username, email=f"{m.username}@example.org")
        rnd = open_round(s)
        rounds.set_deadlines(session=s, actor=OPERATOR, plan_id=pid, code="2568-1", units_due="15/04/2568",
                             members_due="20/04/2568")
        a_item = 1
        b_item = next(n for n, i in items.items() if i.unit_id == second)
        for account, number, photo_public in (("unit-a", a_item, True), ("unit-b", b_item, False)):
            report = unitreports.save_report(
                session=s, actor=accounts[account], rnd=rnd, project_id=items[number].id, expected_version=None,
                report_in=unitreports.parse_typed({"status": "completed", "progress_pct": "100", "spent_thb": "5000",
                                                   "done_th": f"รายงานของ {account}"}, [], {}))
            evidence.attach(session=s, actor=accounts[account], subject="unit_report", subject_id=report.id,
                            name=f"{account}.jpg", raw=jpeg(gps=True), public=photo_public)
            evidence.attach(session=s, actor=accounts[account], subject="unit_report", subject_id=report.id,
                            name=f"{account}-ใบเสร็จ.pdf", raw=pdf())
            unitreports.submit_reports(session=s, actor=accounts[account], rnd=rnd)
        for m in members:  # each member takes the units' figures and scores those two items
            me = as_actor(m)
            assert unitreports.take_unit_values(session=s, actor=me, member=m, rnd=rnd) == 2
            for number in (a_item, b_item):
                entry = entries.get_entry(session=s, round_id=rnd.id, project_id=items[number].id, member_id=m.id)
                entries.save_entry(session=s, actor=me, member=m, rnd=rnd, project_id=items[number].id,
                                   expected_version=entry.version, entry_in=entries.parse_entry(
                                       {"status": "completed", "progress_pct": 100, "spent_thb": 5000, "score": 4,
                                        "comment": "ความเห็นภายในของกรรมการ"}))
        s.commit()

        b = board.round_board(session=s, actor=OPERATOR, rnd=rnd, today=TODAY)
        units = b.units.set_index("unit")
        assert units.loc[names[first], "submitted"] == 1 and units.loc[names[first], "missing"] == \
            units.loc[names[first], "items"] - 1  # what is missing is on the board
        assert set(b.members["entered"]) == {2} and set(b.members["submitted"]) == {0}
        per_item = b.items.set_index("number")
        assert (per_item.loc[a_item, "evidence"], per_item.loc[b_item, "evidence"]) == (2, 2)  # a photo and a PDF each
        assert per_item.drop(index=[a_item, b_item])["evidence"].eq(0).all()

    env = {"ACPLAN_DATABASE_URL": str(loaded_engine.url)}
    code, out, err = cli("remind", env=env)
    assert code == 0, err
    got = subjects(smtp)
    assert "ใกล้กำหนดรายงานผล รอบ 2568-1" in got["unit-a@example.org"]  # unit A still has items to report
    assert all("เปิดรอบประเมิน 2568-1 แล้ว" in got[f"m{i}@example.org"] for i in (1, 2, 3))
    assert not any("4" in m.get_content().replace("2568-1", "").replace("/2568", "") for _to, m in smtp.messages)

    with Session(loaded_engine) as s:
        rnd = s.exec(select(EvaluationRound)).one()
        for m in s.exec(select(AppUser).where(AppUser.role == "committee")):
            entries.submit_entries(session=s, actor=as_actor(m), member=m, rnd=rnd)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=pid, code="2568-1", action=action, early=True,
                              reason="ทดสอบทั้งรอบ")
        s.commit()
        public_pack = pdf_text(build_report(session=s, actor=OPERATOR, plan_id=pid, code="2568-1", internal=False,
                                            fmt="pdf", today=TODAY))
    assert "รายงานของ unit-a" in public_pack and "รายงานของ unit-b" in public_pack
    assert "ความเห็นภายในของกรรมการ" not in public_pack and "ผู้ใช้ m1" not in public_pack  # nothing internal

    code, _, err = cli("publish-snapshot", str(tmp_path / "public.db"), "--evidence-dir", str(tmp_path / "public-ev"),
                       env=env)
    assert code == 0, err
    conn = sqlite3.connect(tmp_path / "public.db")
    try:
        assert conn.execute("SELECT original_name FROM evidence").fetchall() == [("unit-a.jpg",)]
        assert conn.execute("SELECT count(*) FROM unit_report WHERE state = 'submitted'").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM reminder_log").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM scoreentry WHERE comment != ''").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM appuser WHERE email != ''").fetchone() == (0,)
    finally:
        conn.close()

    code, _, err = cli("publish-site", "-o", str(tmp_path / "site"), env=env)  # the static public website
    assert code == 0, err
    site = tmp_path / "site"
    item_a = (site / "items" / f"{a_item}.html").read_text(encoding="utf-8")
    item_b = (site / "items" / f"{b_item}.html").read_text(encoding="utf-8")
    assert "รายงานของ unit-a" in item_a and 'download="unit-a.jpg"' in item_a  # the unit's report and public photo
    assert "รายงานของ unit-b" in item_b and "unit-b.jpg" not in item_b  # unit B's photo is internal
    everything = "".join(p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*")
                         if p.suffix in (".html", ".csv", ".json"))
    assert "ใบเสร็จ" not in everything and "ความเห็นภายในของกรรมการ" not in everything and "@example.org" not in everything
    assert len([p for p in (site / "evidence").rglob("*.jpg")]) == 2  # unit A's photo and its thumbnail
