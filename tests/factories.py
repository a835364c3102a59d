"""Small deterministic factories for the monitoring workflow tests."""

from datetime import date

from sqlmodel import Session, select

from acplan import rounds, users
from acplan.models import AppUser, Project
from acplan.queries import get_plan

TODAY = date(2026, 11, 27)


def plan_id(session: Session) -> int:
    return get_plan(session=session).id


def user(session: Session, username: str, role: str = "committee") -> AppUser:
    return users.add_user(session=session, actor="test", username=username, display_name=f"ผู้ใช้ {username}", role=role,
                          password=f"{username}-password-1")


def open_round(session: Session, code: str = "2567-1", prefill: bool = True):
    fy, no = rounds.parse_code(code)
    rounds.create_round(session=session, actor="test", plan_id=plan_id(session), fiscal_year_be=fy, round_no=no,
                        today=TODAY, prefill=prefill)
    return rounds.transition(session=session, actor="test", plan_id=plan_id(session), code=code, action="open")


def project_id(session: Session, number: int) -> int:
    return session.exec(select(Project.id).where(Project.number == number)).one()


def entry_values(score: int = 4, status: str = "in_progress", progress: int = 50, spent: int = 0, **extra) -> dict:
    return {"status": status, "progress_pct": progress, "score": score, "spent_thb": spent, "comment": "", **extra}
