"""Fictional organisations at national size, to try and measure the roll-up (#16): `python -m acplan demo-data`.

Every organisation is marked fictional in its name ("(ข้อมูลสมมติ)", province "จังหวัดตัวอย่าง NN") and its code
(`demo-NNNNN`), and its committee accounts cannot sign in (one hash of a random secret nobody keeps). The first two
plans are imported through the ordinary importer (the shipped municipality's plan and the example อบต.'s workbook,
checked and audited as any import); the others are copies of those two made in bulk, each with its own budget
scale, so that a thousand plans load in seconds rather than the import's minutes. Rounds follow each plan's fiscal
years; members' submitted scores, findings and yearly ITA results are drawn from a seeded generator (the same seed
gives the same store); the copied plans' rows and the entries go in by PostgreSQL COPY, or in batches on SQLite.
The round summaries of the roll-up are then computed as a publish computes them, and one audit row records what was
added.
"""

import functools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import JSON, Table, func, insert
from sqlmodel import Session, SQLModel, select

from acplan import clock
from acplan.access import Actor, Permission, Role
from acplan.monitoring import audit, orgs, plans, rollup, rounds
from acplan.monitoring.auth import authorize, rehash
from acplan.monitoring.models import (
    AppUser,
    EvaluationRound,
    Finding,
    FindingStatus,
    RoundStatus,
    Severity,
    Visibility,
    YearlyResult,
)
from acplan.plan import models as m

PREFIX = "demo-"
PROVINCES = 77
TYPES = (("sao", 0.70), ("subdistrict_municipality", 0.25), ("town_municipality", 0.03), ("pao", 0.01),
         ("city_municipality", 0.01))
TYPE_NAMES = {"sao": "อบต.", "subdistrict_municipality": "เทศบาลตำบล", "town_municipality": "เทศบาลเมือง",
              "pao": "อบจ.", "city_municipality": "เทศบาลนคร"}
STATUSES = ("not_started", "in_progress", "completed", "not_possible")
REASONS = ("no_budget", "policy_change", "staffing", "other")
ENTRY_BATCH = 20_000
ORG_BATCH = 250
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoResult:
    orgs: int
    rounds: int
    entries: int
    findings: int
    seconds: float


@functools.cache
def _plan_tables() -> tuple[Table, ...]:
    """The tables a plan's content lives in, parents first (the organisation, plan and amendments excepted)."""
    mine = {c.__table__.name for c in vars(m).values()
            if isinstance(c, type) and issubclass(c, SQLModel) and hasattr(c, "__table__") and c.__module__ == m.__name__}
    mine -= {"organisation", "plan", "planamendment"}
    return tuple(t for t in SQLModel.metadata.sorted_tables if t.name in mine)


def _template_rows(session: Session, plan_id: int) -> dict[str, list[dict]]:
    """Every row of the plan's content, table by table: rows whose `plan_id` is the plan's, or whose foreign key
    points at a row already taken."""
    taken: dict[str, set[int]] = {"plan": {plan_id}}
    out: dict[str, list[dict]] = {}
    for table in _plan_tables():
        fk = next(fk for fk in table.foreign_keys if fk.column.table.name in taken
                  and (fk.parent.name == "plan_id" or "plan_id" not in table.c))
        ids = taken[fk.column.table.name]
        rows = [dict(r) for r in session.connection().execute(select(table).where(fk.parent.in_(ids))).mappings()]
        out[table.name] = rows
        if "id" in table.c:
            taken[table.name] = {r["id"] for r in rows}
    return out


def _copy_plan(template: dict[str, list[dict]], plan_id: int, scale: float, next_id: dict[str, int],
               out: dict[str, list[dict]]) -> None:
    """Add to `out` a copy of `template`'s rows as plan `plan_id`'s, with budgets scaled; new ids from `next_id`
    (advanced)."""
    moved: dict[str, dict[int, int]] = {}
    for table in _plan_tables():
        rows = template[table.name]
        if not rows:
            continue
        if "id" in table.c:
            low = min(r["id"] for r in rows)
            delta = next_id[table.name] - low
            next_id[table.name] += max(r["id"] for r in rows) - low + 1
            moved[table.name] = {r["id"]: r["id"] + delta for r in rows}
        fks = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        copies = out.setdefault(table.name, [])
        for row in rows:
            new = dict(row)
            if "id" in new:
                new["id"] = moved[table.name][row["id"]]
            for column, target in fks.items():
                if new[column] is not None:
                    new[column] = plan_id if target == "plan" else moved[target][new[column]]
            if table.name == "budgetline":
                new["amount_thb"] = int(round(row["amount_thb"] * scale / 1000) * 1000)
            copies.append(new)


def _insert_plans(session: Session, rows: dict[str, list[dict]]) -> None:
    """Insert the plans' rows `_copy_plan` gathered, table by table (parents first): by COPY on PostgreSQL, each
    value as the column's type would bind it."""
    conn = session.connection()
    dialect = conn.dialect
    for table in _plan_tables():
        batch = rows.get(table.name)
        if not batch:
            continue
        if dialect.name != "postgresql":
            conn.execute(insert(table), batch)
            continue
        columns = tuple(batch[0])
        binders = [json.dumps if isinstance(table.c[c].type, JSON) else table.c[c].type.bind_processor(dialect)
                   for c in columns]  # (psycopg's JSON binder leaves the dict to a cast COPY has not)
        _copy(session, table.name, columns,
              [tuple(v if b is None or v is None else b(v) for v, b in zip((r[c] for c in columns), binders, strict=True))
               for r in batch])


def _next_ids(session: Session) -> dict[str, int]:
    conn = session.connection()
    return {t.name: (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1 for t in _plan_tables() if "id" in t.c}


def _reset_sequences(session: Session, tables: list[str]) -> None:
    """PostgreSQL: after rows were inserted with their ids given, move each table's id sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    conn = session.connection()
    for name in tables:
        conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # names from the metadata
                             f"(SELECT coalesce(max(id), 1) FROM \"{name}\"))")


def load(*, session: Session, actor: Actor, n_orgs: int, n_rounds: int, n_members: int, seed: int,
         plan_file: Path, example_workbook: Path, progress: Progress | None = None) -> DemoResult:
    """Add `n_orgs` fictional organisations with plans, members, rounds, scores, findings and ITA results."""
    from acplan.plan import workbook as plan_workbook
    from acplan.plan.datafile import read_file

    started = datetime.now(UTC)
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ORGS)
    tell = progress or (lambda step, done, total: None)
    rng = np.random.default_rng(seed)
    first = _first_free_number(session)
    today = clock.today()
    now = datetime.now(UTC)
    shipped, _sha = read_file(plan_file)
    shipped.pop("organisation", None)
    templates_data = [shipped, plan_workbook.read(example_workbook.read_bytes()).data]
    hashed = rehash(secrets.token_urlsafe(32))  # one unusable password for every demo account
    drawn = []
    for i in range(n_orgs):
        number = first + i
        province = int(rng.integers(1, PROVINCES + 1))
        kind = TYPES[int(rng.choice(len(TYPES), p=[p for _, p in TYPES]))][0]
        drawn.append((f"{PREFIX}{number:05d}", orgs.parse_org({
            "name_th": f"{TYPE_NAMES[kind]}ตัวอย่าง {number} (ข้อมูลสมมติ)", "name_en": f"Demo {number} (fictional)",
            "org_type": kind, "province_th": f"จังหวัดตัวอย่าง {province:02d}",
            "district_th": f"อำเภอตัวอย่าง {province:02d}-{int(rng.integers(1, 16))}"})))
    org_rows: list[tuple[int, str]] = []
    plan_ids: list[int] = []
    templates: list[tuple[dict, dict]] = []
    for code, org_in in drawn[:len(templates_data)]:  # the first ones through the ordinary, checked importer
        org = orgs.add_org(session=session, actor=actor, code=code, org_in=org_in)
        plan = plans.import_plan(session=session, actor=actor, org_code=code, data=templates_data[len(templates)],
                                 sha256=f"demo-template-{len(templates)}")
        templates.append((plan.model_dump(exclude={"id", "organisation_id", "loaded_at", "data_sha256"}),
                          _template_rows(session, plan.id)))
        org_rows.append((org.id, code))
        plan_ids.append(plan.id)
    tell("demo_step_plans", len(org_rows), n_orgs)
    next_id = _next_ids(session)
    rest = drawn[len(templates_data):]
    for start in range(0, len(rest), ORG_BATCH):  # the others in bulk: no query per organisation
        batch = rest[start:start + ORG_BATCH]
        made = [m.Organisation(code=code, **{k: (v.value if hasattr(v, "value") else v)
                                             for k, v in org_in.model_dump().items() if v is not None})
                for code, org_in in batch]
        session.add_all(made)
        session.flush()
        copies = []
        for k, org in enumerate(made):
            template, _rows = templates[(len(org_rows) + k) % len(templates)]
            copies.append(m.Plan(**template, organisation_id=org.id, loaded_at=now, data_sha256=f"demo-{org.code}"))
        session.add_all(copies)
        session.flush()
        rows: dict[str, list[dict]] = {}
        for k, copy in enumerate(copies):
            _copy_plan(templates[(len(org_rows) + k) % len(templates)][1], copy.id, float(rng.uniform(0.5, 1.8)),
                       next_id, rows)
        _insert_plans(session, rows)
        org_rows += [(o.id, o.code) for o in made]
        plan_ids += [c.id for c in copies]
        session.expunge_all()  # nothing here is read again through the session
        tell("demo_step_plans", len(org_rows), n_orgs)
    _reset_sequences(session, [t.name for t in _plan_tables() if "id" in t.c])
    _analyze(session)
    members = _members(session, org_rows, n_members, hashed, now)
    made_rounds = _rounds(session, plan_ids, n_rounds, rng, today)
    tell("demo_step_rounds", 1, 1)
    entries = _entries(session, made_rounds, members, rng, now, tell)
    found = _findings_and_results(session, made_rounds, rng, today, now)
    _analyze(session)  # the summaries read the entries round by round
    rollup.refresh_all(session, progress=lambda done, total: tell("demo_step_summaries", done, total))
    seconds = (datetime.now(UTC) - started).total_seconds()
    result = DemoResult(n_orgs, len(made_rounds), entries, found, seconds)
    audit.record(session, actor=actor.username, action="demo_data", entity="store", entity_id=f"{PREFIX}{first:05d}",
                 before=None, after={"organisations": n_orgs, "rounds": len(made_rounds), "entries": entries,
                                     "findings": found, "seed": seed, "fictional": True})
    return result


def _first_free_number(session: Session) -> int:
    codes = session.exec(select(m.Organisation.code).where(m.Organisation.code.startswith(PREFIX))).all()
    return max((int(c[len(PREFIX):]) for c in codes if c[len(PREFIX):].isdigit()), default=0) + 1


def _members(session: Session, org_rows: list[tuple[int, str]], n: int, hashed: str,
             now: datetime) -> dict[int, list[int]]:
    users = [AppUser(organisation_id=org_id, username=f"{code}-m{j}", display_name=f"กรรมการตัวอย่าง {j}",
                     role=Role.COMMITTEE, password_hash=hashed, created_at=now, updated_at=now)
             for org_id, code in org_rows for j in range(1, n + 1)]
    session.add_all(users)
    session.flush()
    out: dict[int, list[int]] = {}
    for u in users:
        out.setdefault(u.organisation_id, []).append(u.id)
    session.expunge_all()
    return out


def _analyze(session: Session) -> None:
    """PostgreSQL: refresh the planner's statistics of the tables this transaction filled (otherwise it plans for
    the empty tables it last saw, and reads a million rows for each organisation's query)."""
    if session.get_bind().dialect.name == "postgresql":
        session.flush()
        session.connection().exec_driver_sql("ANALYZE")


@dataclass
class _Round:
    row: EvaluationRound
    organisation_id: int
    items: np.ndarray  # project ids listed
    budget: np.ndarray  # their budget that fiscal year
    quality: float  # the organisation's tendency (scores drawn around it)


def _rounds(session: Session, plan_ids: list[int], n_rounds: int, rng, today: date) -> list[_Round]:
    made = []
    plans_by_id, items, budget = {}, {}, {}
    for start in range(0, len(plan_ids), 1000):  # a few queries for all plans, none per plan
        chunk = plan_ids[start:start + 1000]
        plans_by_id |= {p.id: (p.organisation_id, p.start_fy_be, p.end_fy_be)
                        for p in session.exec(select(m.Plan).where(m.Plan.id.in_(chunk)))}
        for plan_id, item_id, first, last in session.exec(
                select(m.PlanItem.plan_id, m.PlanItem.id, m.PlanItem.from_fy_be, m.PlanItem.until_fy_be)
                .where(m.PlanItem.plan_id.in_(chunk)).order_by(m.PlanItem.plan_id, m.PlanItem.number)):
            items.setdefault(plan_id, []).append((item_id, first, last))
        budget |= {(p, y): a for p, y, a in session.exec(
            select(m.BudgetLine.project_id, m.BudgetLine.fiscal_year_be, m.BudgetLine.amount_thb)
            .join(m.PlanItem, m.PlanItem.id == m.BudgetLine.project_id).where(m.PlanItem.plan_id.in_(chunk)))}
    session.expunge_all()
    for plan_id in plan_ids:
        organisation_id, start_fy, end_fy = plans_by_id[plan_id]
        quality = float(rng.uniform(2.0, 4.5))
        years = range(start_fy, end_fy + 1)
        codes = [(fy, no) for fy in years for no in (1, 2)][:n_rounds]
        for fy, no in codes:
            start, end = rounds.period(fy, no)
            if start > today:
                break
            delay = int(rng.integers(5, 150))
            published = end + timedelta(days=delay)
            status = RoundStatus.PUBLISHED if published <= today else (
                RoundStatus.OPEN if today <= end else RoundStatus.CLOSED)
            at = datetime.combine(published, time(3, 0), tzinfo=UTC) if status == RoundStatus.PUBLISHED else None
            row = EvaluationRound(plan_id=plan_id, fiscal_year_be=fy, round_no=no, period_start=start, period_end=end,
                                  status=status, opened_at=datetime.combine(start, time(3, 0), tzinfo=UTC),
                                  closed_at=at, published_at=at)
            listed = [r for r in items.get(plan_id, []) if m.in_year(r[1], r[2], fy)]
            made.append(_Round(row, organisation_id, np.array([r[0] for r in listed], dtype=np.int64),
                               np.array([budget.get((r[0], fy), 0) for r in listed], dtype=np.int64), quality))
    session.add_all([r.row for r in made])
    session.flush()
    return made


def _entries(session: Session, made: list[_Round], members: dict[int, list[int]], rng, now: datetime,
             tell: Progress) -> int:
    """Every member's submitted entry for every listed item of every round not open (open: half of them)."""
    columns = ("round_id", "project_id", "member_id", "status", "not_possible_reason", "progress_pct", "score",
               "spent_thb", "comment", "state", "carried_forward", "created_at", "updated_at", "version")
    pg = session.get_bind().dialect.name == "postgresql"
    written = 0
    batch: list[tuple] = []

    def flush() -> None:
        nonlocal batch
        if not batch:
            return
        if pg:
            _copy(session, "scoreentry", columns, batch)
        else:
            session.connection().exec_driver_sql(
                f"INSERT INTO scoreentry ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", batch)
        batch = []

    for k, rnd in enumerate(made):
        ids = members[rnd.organisation_id]
        if rnd.row.status == RoundStatus.OPEN:
            ids = ids[: len(ids) // 2]
        n_items = len(rnd.items)
        if not n_items or not ids:
            continue
        # per item a common tendency, per member a draw around it: members mostly agree, sometimes not
        base = np.clip(rng.normal(rnd.quality, 0.8, n_items), 1, 5)
        for member in ids:
            scores = np.clip(np.rint(base + rng.normal(0, 0.6, n_items)), 1, 5).astype(int)
            roll = rng.random(n_items)
            status = np.where(roll < 0.05, 3, np.where(roll < 0.12, 0, np.where(scores >= 4, 2, 1)))
            reason = rng.integers(0, len(REASONS), n_items)
            progress = np.where(status == 2, 100, np.where(status == 0, 0, rng.integers(10, 95, n_items)))
            spent = (rnd.budget * np.where(status == 2, rng.uniform(0.6, 1.0, n_items),
                                           np.where(status == 1, rng.uniform(0.1, 0.6, n_items), 0))).astype(np.int64)
            for j in range(n_items):
                st = STATUSES[status[j]]
                batch.append((rnd.row.id, int(rnd.items[j]), member, st, REASONS[reason[j]] if st == "not_possible" else None,
                              int(progress[j]), int(scores[j]), int(spent[j]), "", "submitted", False, now, now, 1))
            written += n_items
        if len(batch) >= ENTRY_BATCH:
            flush()
            tell("demo_step_entries", k + 1, len(made))
    flush()
    tell("demo_step_entries", len(made), len(made))
    return written


def _copy(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """PostgreSQL COPY of `rows` into `table` on the session's own connection (so inside its transaction)."""
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _findings_and_results(session: Session, made: list[_Round], rng, today: date, now: datetime) -> int:
    found = []
    for rnd in made:
        if rnd.row.status != RoundStatus.PUBLISHED or not len(rnd.items):
            continue
        for _ in range(int(rng.poisson(1.2))):
            due = rnd.row.period_end + timedelta(days=int(rng.integers(60, 240)))
            state = list(FindingStatus)[int(rng.choice(4, p=[0.3, 0.2, 0.35, 0.15]))]
            found.append(Finding(round_id=rnd.row.id, project_id=int(rng.choice(rnd.items)),
                                 text="ข้อค้นพบตัวอย่าง (ข้อมูลสมมติ)", severity=list(Severity)[int(rng.integers(0, 3))],
                                 recommendation="ข้อเสนอแนะตัวอย่าง", due_date=due, status=state,
                                 visibility=Visibility.PUBLIC if rng.random() < 0.5 else Visibility.INTERNAL, created_at=now, updated_at=now))
    session.add_all(found)
    targets = session.exec(select(m.YearlyTarget.plan_id, m.YearlyTarget.fiscal_year_be, m.YearlyTarget.ita_score_target)
                           .where(m.YearlyTarget.plan_id.in_({r.row.plan_id for r in made}))).all()
    done_years = {(r.row.plan_id, r.row.fiscal_year_be) for r in made
                  if r.row.status == RoundStatus.PUBLISHED and r.row.round_no == 2}
    session.add_all([YearlyResult(plan_id=p, fiscal_year_be=fy, ita_score=float(np.clip(round(rng.normal(target - 3, 9), 2), 0, 100)),
                                  corruption_cases=int(rng.poisson(0.3)), note="ข้อมูลสมมติ", updated_at=now)
                     for p, fy, target in targets if (p, fy) in done_years and rng.random() < 0.85])
    session.flush()
    return len(found)

