"""Operator use cases on the store: initialise (migrate + load the shipped plan)."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from acplan import db, plandata
from acplan.loader import load_plan


class InvalidPlanData(ValueError):
    """The plan file fails validation; `report` lists why."""

    def __init__(self, report: plandata.Report):
        super().__init__(f"{len(report.problems)} problem(s) in the plan data")
        self.report = report


@dataclass(frozen=True)
class InitResult:
    revision: str | None
    plan_id: int
    loaded: bool


def init_store(engine: Engine, plan_path: Path) -> InitResult:
    """Migrate the schema to head and load `plan_path` if the store does not hold that plan yet."""
    db.migrate(engine)
    data, sha = plandata.read_file(plan_path)
    report = plandata.validate(data)
    if not report.ok:
        raise InvalidPlanData(report)
    with Session(engine) as session:
        plan, loaded = load_plan(session=session, data=data, sha256=sha)
        session.commit()
        plan_id = plan.id
    return InitResult(db.current_revision(engine), plan_id, loaded)
