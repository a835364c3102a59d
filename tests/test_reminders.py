"""Reminders by e-mail (#14), sent to a real SMTP server the test starts (aiosmtpd): a round opened, deadlines near,
a finding overdue; each reminder once, logged; none carries a score; off without a mail server."""

from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from acplan.monitoring import entries, findings, rounds, unitreports, users
from acplan.monitoring.models import AppUser, ReminderLog
from tests.factories import OPERATOR, as_actor, entry_values, plan_id, project_id, user
from tests.server import free_port
from tests.test_unit_reports import open_round, unit_of


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"ACPLAN_SMTP_HOST": "127.0.0.1", "ACPLAN_SMTP_PORT": str(port), "ACPLAN_SMTP_TLS": "none",
                        "ACPLAN_SMTP_SENDER": "acplan@tt-chiang-muan.example", "ACPLAN_APP_URL": "https://acplan.example"
                        }.items():
        monkeypatch.setenv(name, value)
    yield inbox
    controller.stop()


@pytest.fixture
def store(loaded_engine, monkeypatch):
    monkeypatch.setenv("ACPLAN_TODAY", "2025-04-13")
    with Session(loaded_engine) as s:
        user(s, "unit1", "unit")
        unitreports.set_units(session=s, actor=OPERATOR, username="unit1", plan_id=plan_id(s),
                              unit_names=[unit_of(s, 1).name_th])
        member = user(s, "m1", "committee")
        user(s, "sec1", "secretary")
        user(s, "noemail", "committee")
        for name in ("unit1", "m1", "sec1"):
            users.set_email(session=s, actor=OPERATOR, username=name, email=f"{name}@tt-chiang-muan.example")
        rnd = open_round(s)
        rounds.set_deadlines(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", units_due="15/04/2568",
                             members_due="30/04/2568")
        entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 1),
                           entry_in=entries.parse_entry(entry_values(score=4, comment="คะแนนลับ")), expected_version=None)
        findings.add_finding(session=s, actor=OPERATOR, rnd=rnd, finding_in=findings.parse_finding(
            {"text": "ยังไม่มีหลักฐาน", "severity": "medium", "project_id": project_id(s, 2),
             "due_date": findings.parse_due_date("01/04/2568")}))
        s.commit()
    return loaded_engine


def subjects(inbox) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for to, message in inbox.messages:
        out.setdefault(to[0], []).append(str(make_header(decode_header(message["Subject"]))))
    return out


def test_reminders_arrive_once_each_and_carry_no_score(smtp, store, cli):
    env = {"ACPLAN_DATABASE_URL": str(store.url)}
    code, out, err = cli("remind", "--dry-run", env=env)
    assert code == 0 and "unit1@tt-chiang-muan.example\tunits_due" in out, err
    assert smtp.messages == []  # a dry run sends nothing
    code, out, err = cli("remind", env=env)
    assert code == 0 and "ส่งการแจ้งเตือนแล้ว 4 ฉบับ" in out, err
    got = subjects(smtp)
    assert sorted(got["unit1@tt-chiang-muan.example"]) == ["เปิดรอบประเมิน 2568-1 แล้ว", "ใกล้กำหนดรายงานผล รอบ 2568-1"]
    assert got["m1@tt-chiang-muan.example"] == ["เปิดรอบประเมิน 2568-1 แล้ว"]  # 30 Apr is not near yet
    assert got["sec1@tt-chiang-muan.example"] == ["ข้อค้นพบหมายเลข 1 เลยกำหนดแล้ว"]
    assert set(got) == {"unit1@tt-chiang-muan.example", "m1@tt-chiang-muan.example", "sec1@tt-chiang-muan.example"}
    for _to, message in smtp.messages:
        body = message.get_content()
        assert "คะแนนลับ" not in body and "4" not in body.replace("2568-1", "").replace("4/2568", "")
        assert "https://acplan.example" in body
    unit_body = next(m.get_content() for to, m in smtp.messages if to == ["unit1@tt-chiang-muan.example"]
                     and "รายงานผล" in str(make_header(decode_header(m["Subject"]))))
    assert "15 เมษายน 2568" in unit_body
    code, out, _ = cli("remind", env=env)  # the next run the same day: nothing again
    assert code == 0 and "ส่งการแจ้งเตือนแล้ว 0 ฉบับ" in out and len(smtp.messages) == 4
    with Session(store) as s:
        assert len(s.exec(select(ReminderLog)).all()) == 4
        assert s.exec(select(AppUser).where(AppUser.username == "noemail")).one().email == ""


def test_members_hear_of_their_deadline_when_it_nears(smtp, store, cli, monkeypatch):
    env = {"ACPLAN_DATABASE_URL": str(store.url), "ACPLAN_TODAY": "2025-04-28"}
    assert cli("remind", env=env)[0] == 0
    assert "ใกล้กำหนดให้คะแนน รอบ 2568-1" in subjects(smtp)["m1@tt-chiang-muan.example"]


def test_no_mail_server_no_reminder(store, cli, monkeypatch):
    monkeypatch.delenv("ACPLAN_SMTP_HOST", raising=False)
    code, _, err = cli("remind", env={"ACPLAN_DATABASE_URL": str(store.url)})
    assert code == 1 and "ACPLAN_SMTP_HOST" in err


def test_an_email_address_is_checked(store, cli):
    code, _, err = cli("user", "set-email", "m1", "not an address", env={"ACPLAN_DATABASE_URL": str(store.url)})
    assert code == 1 and "อีเมล “not an address” ไม่ถูกต้อง" in err
