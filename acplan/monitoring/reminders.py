"""Reminders by e-mail: when a round opens, some days before each deadline, and for findings past their due date.

Off unless a mail server is set (`ACPLAN_SMTP_HOST`). `remind` (run once a day, e.g. by cron) works out who should
hear what today and sends each reminder once: every one sent is logged (who, what kind, about what), and a person
without an e-mail address is skipped. A reminder says what to do and by when, and links to the app; it never
carries a score or anyone's entry.
"""

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from acplan import format as fmt
from acplan import settings
from acplan.access import Actor, Permission, Role
from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import board as boards
from acplan.monitoring import findings, unitreports
from acplan.monitoring.auth import authorize, org_of
from acplan.monitoring.models import (
    AccountUnit,
    AppUser,
    EvaluationRound,
    Finding,
    ReminderLog,
    RoundStatus,
)
from acplan.plan.models import Unit


@dataclass(frozen=True)
class Reminder:
    user_id: int
    email: str
    kind: str
    about: str
    round_id: int | None
    subject: str
    body: str


def due(*, session: Session, actor: Actor, plan_id: int, today: date, days_before: int = 3) -> list[Reminder]:
    """Every reminder due today for the plan's organisation that has not been sent yet (nothing is sent here)."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ROUNDS, writes=False, plan_id=plan_id)
    org = org_of(session, plan_id=plan_id)
    people = session.exec(select(AppUser).where(AppUser.organisation_id == org, AppUser.is_active,
                                                AppUser.email != "")).all()
    sent = {(r.kind, r.user_id, r.about) for r in session.exec(select(ReminderLog))}
    out: list[Reminder] = []
    link = settings.get().app_url or ""
    for rnd in session.exec(select(EvaluationRound).where(EvaluationRound.plan_id == plan_id,
                                                          EvaluationRound.status == RoundStatus.OPEN)):
        code = f"{rnd.fiscal_year_be}-{rnd.round_no}"
        b = boards.round_board(session=session, actor=actor, rnd=rnd, today=today)
        for person in people:
            units = unitreports.units_of(session, person.id) if person.role == Role.UNIT else set()
            if person.role in (Role.UNIT, Role.COMMITTEE):
                out.append(_make(person, "round_open", code, rnd, link, due=rnd.units_due_on if units
                                 else rnd.members_due_on))
            if person.role == Role.UNIT and rnd.units_due_on and _window(today, rnd.units_due_on, days_before):
                names = set(session.exec(select(Unit.name_th).join(AccountUnit, AccountUnit.unit_id == Unit.id)
                                         .where(AccountUnit.user_id == person.id)))
                missing = int(b.units[b.units["unit"].isin(names)]["missing"].sum() +
                              b.units[b.units["unit"].isin(names)]["in_progress"].sum())
                if missing:
                    out.append(_make(person, "units_due", f"{code}:{rnd.units_due_on}", rnd, link, due=rnd.units_due_on,
                                     n=missing))
            if person.role == Role.COMMITTEE and rnd.members_due_on and _window(today, rnd.members_due_on, days_before):
                row = b.members[b.members["member"] == person.display_name]
                missing = int(row["missing"].sum()) if not row.empty else 0
                if missing:
                    out.append(_make(person, "members_due", f"{code}:{rnd.members_due_on}", rnd, link,
                                     due=rnd.members_due_on, n=missing))
    rounds = select(EvaluationRound.id).where(EvaluationRound.plan_id == plan_id)
    overdue = session.exec(select(Finding).where(Finding.round_id.in_(rounds), findings.overdue(today))).all()
    for finding in overdue:
        for person in people:
            if person.role in (Role.SECRETARY, Role.ADMIN):
                out.append(_make(person, "finding_overdue", f"finding:{finding.id}:{finding.due_date}", None, link,
                                 due=finding.due_date, n=finding.id))
    return [r for r in out if (r.kind, r.user_id, r.about) not in sent]


def _window(today: date, deadline: date, days_before: int) -> bool:
    """From `days_before` days before a deadline on (and after it: overdue is reminded once more, as its own)."""
    return today >= deadline - timedelta(days=days_before)


def _make(person: AppUser, kind: str, about: str, rnd: EvaluationRound | None, link: str, *, due: date | None,
          n: int = 0) -> Reminder:
    code = f"{rnd.fiscal_year_be}-{rnd.round_no}" if rnd else ""
    when = fmt.date_long(due) if due else t("reminder_no_deadline")
    subject = t(f"reminder_{kind}_subject", code=code, n=n)
    body = "\n\n".join(filter(None, [t("reminder_greeting", name=person.display_name),
                                     t(f"reminder_{kind}_body", code=code, date=when, n=n),
                                     t("reminder_link", url=link) if link else "", t("reminder_footer")]))
    return Reminder(person.id, person.email, kind, about, rnd.id if rnd else None, subject, body)


def send(*, session: Session, actor: Actor, plan_id: int, today: date, days_before: int = 3) -> int:
    """Send today's reminders through the mail server, each logged once in the caller's transaction (a reminder
    whose sending fails is not logged, so it is tried again the next day). How many were sent."""
    s = settings.get()
    if not s.smtp_host:
        raise InvalidInput(Issue("smtp_not_configured"))
    pending = due(session=session, actor=actor, plan_id=plan_id, today=today, days_before=days_before)
    if not pending:
        return 0
    sent = 0
    with _connect(s) as smtp:
        for r in pending:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = s.smtp_sender, r.email, r.subject
            message.set_content(r.body)
            smtp.send_message(message)
            try:
                with session.begin_nested():
                    session.add(ReminderLog(round_id=r.round_id, kind=r.kind, user_id=r.user_id, about=r.about,
                                            sent_at=datetime.now(UTC)))
            except IntegrityError:  # logged meanwhile by another run: its row stands
                continue
            sent += 1
    return sent


def _connect(s: settings.Settings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, context=context, timeout=30) if s.smtp_tls == "ssl" else \
        smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30)
    if s.smtp_tls == "starttls":
        smtp.starttls(context=context)
    if s.smtp_user:
        smtp.login(s.smtp_user, s.smtp_password.get_secret_value() if s.smtp_password else "")
    return smtp
