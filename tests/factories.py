"""Small deterministic factories for the tests: actors, accounts, rounds, entries."""

from datetime import date
from pathlib import Path

from sqlmodel import Session

from acplan.access import Actor
from acplan.monitoring import rounds, users
from acplan.monitoring.models import AppUser
from acplan.plan.queries import get_item_id, get_plan

TODAY = date(2026, 11, 27)
OPERATOR = Actor.operator("test")


def as_actor(user: AppUser) -> Actor:
    """The Actor a signed-in account acts as."""
    return Actor(user.username, user.role, user.id, user.organisation_id)


def plan_id(session: Session) -> int:
    return get_plan(session=session).id


def user(session: Session, username: str, role: str = "committee") -> AppUser:
    return users.add_user(session=session, actor=OPERATOR, username=username, display_name=f"ผู้ใช้ {username}", role=role,
                          password=f"{username}-password-1")


def open_round(session: Session, code: str = "2567-1", prefill: bool = True):
    fy, no = rounds.parse_code(code)
    rounds.create_round(session=session, actor=OPERATOR, plan_id=plan_id(session), fiscal_year_be=fy, round_no=no,
                        today=TODAY, prefill=prefill)
    return rounds.transition(session=session, actor=OPERATOR, plan_id=plan_id(session), code=code, action="open")


def project_id(session: Session, number: int) -> int:
    return get_item_id(session=session, plan_id=plan_id(session), number=number)


def entry_values(score: int = 4, status: str = "in_progress", progress: int = 50, spent: int = 0, **extra) -> dict:
    return {"status": status, "progress_pct": progress, "score": score, "spent_thb": spent, "comment": "", **extra}


EXAMPLE_WORKBOOK = Path(__file__).resolve().parent.parent / "data" / "examples" / "plan-sao-example-2569-2573.xlsx"


def example_org(session: Session, **fields: str):
    """Organisation `sao-example` (an อบต. in จังหวัดตัวอย่าง unless `fields` say otherwise) with the example workbook's
    plan imported, as a second organisation of a store."""
    from acplan.monitoring import orgs, plans
    from acplan.plan import workbook

    org = orgs.add_org(session=session, actor=OPERATOR, code="sao-example", org_in=orgs.parse_org(
        {"name_th": "อบต.ตัวอย่าง", "org_type": "sao", "province_th": "จังหวัดตัวอย่าง", **fields}))
    plans.import_plan(session=session, actor=OPERATOR, org_code=org.code,
                      data=workbook.read(EXAMPLE_WORKBOOK.read_bytes()).data, sha256="x")
    return org
