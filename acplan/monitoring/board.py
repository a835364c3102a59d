"""The round's board: who has done what, for the secretary steering a round and the council following it.

Counts and states only, never a score: per unit, the items the round expects of it and how many it has reported
and submitted; per member, how many items they have entered and submitted; per item, whether its unit has
reported and how many members have submitted it. A unit or member still short after their deadline is overdue.
"""

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import Session, select

from acplan.access import Actor, Permission, Role
from acplan.i18n import t
from acplan.monitoring import unitreports
from acplan.monitoring.auth import authorize, org_of
from acplan.monitoring.models import AppUser, EntryState, EvaluationRound, Evidence, ReportState, ScoreEntry, UnitReport
from acplan.plan.models import PlanItem
from acplan.plan.queries import list_item_refs
from acplan.xlsx import append_row, print_setup, style_header

UNIT_COLUMNS = ["unit", "items", "submitted", "in_progress", "missing", "overdue"]
MEMBER_COLUMNS = ["member", "entered", "submitted", "missing", "overdue"]
ITEM_COLUMNS = ["number", "name_th", "unit", "unit_report", "evidence", "members_submitted", "members"]


@dataclass(frozen=True)
class Board:
    units: pd.DataFrame
    members: pd.DataFrame
    items: pd.DataFrame
    units_due_on: date | None
    members_due_on: date | None


def round_board(*, session: Session, actor: Actor, rnd: EvaluationRound, today: date) -> Board:
    """The board of round `rnd` as of `today` (what is overdue depends on it)."""
    authorize(session=session, actor=actor, permission=Permission.READ_UNPUBLISHED, round_id=rnd.id)
    units = unitreports.items_frame(session, rnd, units=None, states=None)
    late_units = rnd.units_due_on is not None and today > rnd.units_due_on
    unit_rows = []
    for unit, group in units.groupby("unit", sort=True):
        states = group["state"]
        submitted = int((states == ReportState.SUBMITTED).sum())
        unit_rows.append([unit, len(group), submitted, int(states.isin([ReportState.DRAFT, ReportState.RETURNED]).sum()),
                          int(states.isna().sum()), late_units and submitted < len(group)])
    expected = {i.id: i.number for i in list_item_refs(session=session, plan_id=rnd.plan_id,
                                                         fiscal_year=rnd.fiscal_year_be)}
    members = session.exec(select(AppUser).where(AppUser.role == Role.COMMITTEE, AppUser.is_active,
                                                 AppUser.organisation_id == org_of(session, round_id=rnd.id))
                           .order_by(AppUser.display_name)).all()
    entries = session.exec(select(ScoreEntry.member_id, ScoreEntry.project_id, ScoreEntry.state)
                           .where(ScoreEntry.round_id == rnd.id)).all()
    late_members = rnd.members_due_on is not None and today > rnd.members_due_on
    member_rows = []
    for m in members:
        mine = [(p, s) for member_id, p, s in entries if member_id == m.id and p in expected]
        submitted = sum(1 for _p, s in mine if s == EntryState.SUBMITTED)
        member_rows.append([m.display_name, len(mine), submitted, len(expected) - submitted,
                            late_members and submitted < len(expected)])
    per_item = {n: 0 for n in expected.values()}
    for _member, p, s in entries:
        if p in expected and s == EntryState.SUBMITTED:
            per_item[expected[p]] += 1
    files = _evidence_per_item(session, rnd)
    states = dict(zip(units["number"], units["state"], strict=True))
    names = dict(zip(units["number"], units["name_th"], strict=True))
    unit_of = dict(zip(units["number"], units["unit"], strict=True))
    item_rows = [[n, names.get(n, ""), unit_of.get(n, ""), states.get(n), files.get(n, 0), per_item[n], len(members)]
                 for n in sorted(per_item)]
    return Board(pd.DataFrame(unit_rows, columns=UNIT_COLUMNS), pd.DataFrame(member_rows, columns=MEMBER_COLUMNS),
                 pd.DataFrame(item_rows, columns=ITEM_COLUMNS), rnd.units_due_on, rnd.members_due_on)


def _evidence_per_item(session: Session, rnd: EvaluationRound) -> dict[int, int]:
    """How many files (not withdrawn) each item's unit report and members' entries carry in the round."""
    out: dict[int, int] = {}
    for model, subject in ((UnitReport, "unit_report"), (ScoreEntry, "entry")):
        rows = session.exec(select(PlanItem.number, func.count(Evidence.id))
                            .join(model, model.id == Evidence.subject_id).join(PlanItem, PlanItem.id == model.project_id)
                            .where(Evidence.subject == subject, Evidence.round_id == rnd.id,
                                   Evidence.withdrawn_at.is_(None)).group_by(PlanItem.number))
        for number, n in rows:
            out[number] = out.get(number, 0) + n
    return out


def state_label(state, lang: str) -> str:
    return t(f"report_state_{state}" if isinstance(state, str) else "report_state_none", lang)


def workbook(board: Board, code: str, lang: str = "th") -> bytes:
    """The board as a workbook: a sheet each for units, members and items (counts and states: no user text that
    could be a formula but names, written as text)."""
    wb = Workbook()
    wb.remove(wb.active)
    yes = t("yes", lang)
    sheets = (
        ("board_units", UNIT_COLUMNS, [[*r[:-1], yes if r[-1] else ""] for r in board.units.itertuples(index=False)]),
        ("board_members", MEMBER_COLUMNS, [[*r[:-1], yes if r[-1] else ""] for r in board.members.itertuples(index=False)]),
        ("board_items", ITEM_COLUMNS, [[r.number, r.name_th, r.unit, state_label(r.unit_report, lang), r.evidence,
                                         r.members_submitted, r.members] for r in board.items.itertuples()]),
    )
    for title, columns, rows in sheets:
        ws = wb.create_sheet(f"{t(title, lang)} {code}"[:31])
        append_row(ws, [t(f"col_board_{c}", lang) for c in columns])
        for row in rows:
            append_row(ws, row)
        style_header(ws, [40 if c in ("unit", "member", "name_th") else 14 for c in columns])
        print_setup(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
