"""Loading a plan data file into the store; `init_store` migrates the schema and loads the shipped plan."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import StatementError
from sqlmodel import Session, select

from acplan import db
from acplan.access import Actor, Permission, require
from acplan.errors import Issue
from acplan.plan import datafile
from acplan.plan import models as m


class InvalidPlanData(ValueError):
    """The plan file fails validation; `report` lists why."""

    def __init__(self, report: datafile.Report):
        super().__init__(f"{len(report.problems)} problem(s) in the plan data")
        self.report = report


@dataclass(frozen=True)
class InitResult:
    revision: str | None
    plan_id: int | None  # None: no plan loaded (migrated only, or the store serves other organisations)
    loaded: bool


def init_store(engine: Engine, plan_path: Path | None, *, actor: Actor) -> InitResult:
    """Migrate the schema to head and load `plan_path` into a store that holds no organisation yet.

    A store that already holds that plan gets any `units` section added to the file since; a store serving
    other organisations is left as it is (each brings its own plan with `plan import`). `plan_path` None:
    migrate only."""
    require(actor.role, Permission.EDIT_PLAN)
    data = None
    if plan_path is not None:
        data, sha = datafile.read_file(plan_path)  # the file is read and checked before the store is touched
        report = datafile.validate(data)
        if not report.ok:
            raise InvalidPlanData(report)
    db.migrate(engine)
    if data is None:
        return InitResult(db.current_revision(engine), None, False)
    with Session(engine) as session:
        existing = find_plan(session=session, org_code=data["organisation"]["code"], plan_code=data["plan"]["code"])
        if existing is None and session.exec(select(m.Organisation.id)).first() is not None:
            return InitResult(db.current_revision(engine), None, False)
        try:
            plan, loaded = load_plan(session=session, actor=actor, data=data, sha256=sha)
            if not loaded:
                sync_units(session, plan.id, data)
            session.commit()
        except (TypeError, AttributeError, KeyError, ValueError, StatementError):
            session.rollback()
            raise datafile.PlanDataError(Issue("plan_shape_invalid")) from None
        plan_id = plan.id
    return InitResult(db.current_revision(engine), plan_id, loaded)


def find_plan(*, session: Session, org_code: str, plan_code: str) -> m.Plan | None:
    stmt = (select(m.Plan).join(m.Organisation, m.Organisation.id == m.Plan.organisation_id)
            .where(m.Organisation.code == org_code, m.Plan.code == plan_code))
    return session.exec(stmt).first()


def load_plan(*, session: Session, actor: Actor, data: dict, sha256: str) -> tuple[m.Plan, bool]:
    """Load `data` unless the store already holds that organisation's plan; True if it was added.

    The caller commits; a failure part-way leaves nothing behind once the session rolls back.
    """
    require(actor.role, Permission.EDIT_PLAN)
    existing = find_plan(session=session, org_code=data["organisation"]["code"], plan_code=data["plan"]["code"])
    if existing is not None:
        return existing, False
    org = _organisation(session, data["organisation"])
    plan = _plan(session, org, data["plan"], data.get("source", {}), sha256)
    missions, sub_items = _dimensions(session, plan, data["dimensions"])
    projects = {p["number"]: add_item(session, plan, p, missions, sub_items) for p in data["projects"]}
    sync_units(session, plan.id, data)
    _risks(session, plan, data["risks"], projects)
    for t in data["targets"]:
        session.add(m.YearlyTarget(plan_id=plan.id, **t))
    _committees(session, plan, data["committees"], projects)
    session.flush()
    return plan, True


def sync_units(session: Session, plan_id: int, data: dict) -> None:
    """Give every item of the plan its unit: the data file's `units` (a name, the other wordings the document
    uses for it, a note) and, for any wording not listed there, a unit of that name. Running it again on a
    loaded plan applies a `units` section added since (items keep their own wording)."""
    listed = {u["name_th"]: u for u in data.get("units") or []}
    canonical = {alias: name for name, u in listed.items() for alias in u.get("aliases", [])} | {n: n for n in listed}
    units = {u.name_th: u for u in session.exec(select(m.Unit).where(m.Unit.plan_id == plan_id))}
    for name, u in listed.items():
        row = units.get(name) or m.Unit(plan_id=plan_id, name_th=name)
        row.aliases, row.note_th = list(u.get("aliases", [])), u.get("note_th", "")
        session.add(row)
        units[name] = row
    session.flush()
    for item in session.exec(select(m.PlanItem).where(m.PlanItem.plan_id == plan_id)):
        name = canonical.get(item.responsible_unit, item.responsible_unit)
        if name not in units:
            units[name] = m.Unit(plan_id=plan_id, name_th=name)
            session.add(units[name])
            session.flush()
        item.unit_id = units[name].id
        session.add(item)
    session.flush()
    used = set(session.exec(select(m.PlanItem.unit_id).where(m.PlanItem.plan_id == plan_id)))
    for row in units.values():  # a wording now listed as an alias no longer stands as a unit of its own
        if row.id not in used and row.name_th not in listed:
            session.delete(row)
    session.flush()


def _organisation(session: Session, org: dict) -> m.Organisation:
    row = session.exec(select(m.Organisation).where(m.Organisation.code == org["code"])).first()
    if row is None:
        row = m.Organisation(**org)
        session.add(row)
        session.flush()
    return row


def _plan(session: Session, org: m.Organisation, p: dict, source: dict, sha256: str) -> m.Plan:
    fields = {k: v for k, v in p.items() if k != "source_notes"}
    fields["preface_date"] = date.fromisoformat(p["preface_date"]) if p.get("preface_date") else None
    fields["summary_total_budget_thb"] = _str_keys(p["summary_total_budget_thb"])
    plan = m.Plan(organisation_id=org.id, source=source, data_sha256=sha256, loaded_at=datetime.now(UTC), **fields)
    session.add(plan)
    session.flush()
    _notes(session, plan, "plan", plan.code, p["source_notes"])
    return plan


def _notes(session: Session, plan: m.Plan, subject_type: str, key: object, notes: list[dict]) -> None:
    for seq, n in enumerate(notes):
        session.add(m.SourceNote(plan_id=plan.id, subject_type=subject_type, subject_key=str(key), seq=seq, **n))


def _dimensions(session: Session, plan: m.Plan, dims: list[dict]) -> tuple[dict, dict]:
    missions: dict[str, m.Mission] = {}
    sub_items: dict[str, m.SubItem] = {}
    for d in dims:
        dim = m.Dimension(plan_id=plan.id, number=d["number"], name_th=d["name_th"],
                          summary_item_count=d["summary_item_count"], summary_budget_thb=_str_keys(d["summary_budget_thb"]))
        session.add(dim)
        session.flush()
        _notes(session, plan, "dimension", dim.number, d["source_notes"])
        for ms in d["missions"]:
            mission = m.Mission(plan_id=plan.id, dimension_id=dim.id, code=ms["code"], name_th=ms["name_th"])
            session.add(mission)
            session.flush()
            missions[mission.code] = mission
            _notes(session, plan, "mission", mission.code, ms["source_notes"])
            for s in ms["sub_items"]:
                sub = m.SubItem(plan_id=plan.id, mission_id=mission.id, code=s["code"], name_th=s["name_th"])
                session.add(sub)
                sub_items[sub.code] = sub
    session.flush()
    return missions, sub_items


def _str_keys(d: dict) -> dict:
    return {str(k): v for k, v in d.items()}


def add_item(session: Session, plan: m.Plan, p: dict, missions: dict, sub_items: dict) -> m.PlanItem:
    """Add item `p` (plan data) to the plan with its sub-missions, budget, indicators and source notes."""
    mission = missions[p["mission"]]
    row = m.PlanItem(
        plan_id=plan.id, number=p["number"], kind=p["kind"], name_th=p["name_th"],
        name_summary_th=p.get("name_summary_th"), dimension_id=mission.dimension_id, mission_id=mission.id,
        rationale_th=p["rationale_th"], objectives_th=p["objectives_th"],
        target_group_th=p["target_group"]["text_th"], target_head_count=p["target_group"]["head_count"],
        method_th=p["method_th"], duration_th=p["duration_th"], budget_text_th=p["budget_text_th"],
        responsible_unit=p["responsible_unit"], note_th=p.get("note_th", ""),
        from_fy_be=p.get("from_fy_be"), until_fy_be=p.get("until_fy_be"))
    session.add(row)
    session.flush()
    for seq, code in enumerate(p["sub_items"]):
        session.add(m.ProjectSubItem(project_id=row.id, sub_item_id=sub_items[code].id, seq=seq))
    for y, amount in p["budget_thb"].items():
        session.add(m.BudgetLine(project_id=row.id, fiscal_year_be=int(y), amount_thb=amount))
    for seq, ind in enumerate(p["indicators"]):
        indicator = m.Indicator(project_id=row.id, seq=seq, kind=ind["kind"], text_th=ind["text_th"],
                                measured_by_th=ind["measured_by_th"])
        session.add(indicator)
        session.flush()
        for tseq, t in enumerate(ind["targets"]):
            session.add(m.IndicatorTarget(indicator_id=indicator.id, seq=tseq, **t))
    _notes(session, plan, "project", row.number, p["source_notes"])
    return row


def _risks(session: Session, plan: m.Plan, risks: list[dict], projects: dict) -> None:
    for a in risks:
        area = m.RiskArea(plan_id=plan.id, number=a["number"], process_th=a["process_th"], level_text_th=a["level_text_th"])
        session.add(area)
        session.flush()
        for i in a["issues"]:
            session.add(m.RiskIssue(risk_area_id=area.id, **i))
        for cm in a["measures"]:
            measure = m.ControlMeasure(risk_area_id=area.id, number=cm["number"], text_th=cm["text_th"])
            session.add(measure)
            session.flush()
            for link in cm["implemented_by"]:
                session.add(m.ControlMeasureProject(control_measure_id=measure.id,
                                                    project_id=projects[link["project"]].id, match=link["match"]))
        _notes(session, plan, "risk_area", area.number, a["source_notes"])


def _committees(session: Session, plan: m.Plan, committees: list[dict], projects: dict) -> None:
    for c in committees:
        row = m.Committee(
            plan_id=plan.id, code=c["code"], name_th=c["name_th"], source_th=c["source_th"], order_no=c.get("order_no"),
            order_date=date.fromisoformat(c["order_date"]) if c.get("order_date") else None,
            project_id=projects[c["project"]].id if c.get("project") else None, duties_th=c["duties_th"])
        session.add(row)
        session.flush()
        for mem in c["members"]:
            session.add(m.CommitteeMember(committee_id=row.id, **mem))
        _notes(session, plan, "committee", row.code, c["source_notes"])
