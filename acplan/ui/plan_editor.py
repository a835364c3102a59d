"""The plan editor's draft: the plan's tables as the admin edits them, kept until saved as an amendment or thrown away.

The tables are the plan workbook's sheets (items, indicators, risk links, yearly targets), so an edit goes through
the workbook reader's own checks and messages. The draft lives in the session, not in the widgets: leaving the
page and coming back finds it as it was left (each table's widget starts again from the last edited copy). It
remembers the plan's revision it started from; an amendment saved meanwhile by someone else is then refused and
the draft kept.
"""

import re

import pandas as pd
import streamlit as st
from sqlmodel import Session

from acplan.errors import InvalidInput, Issue
from acplan.i18n import describe, t
from acplan.monitoring import amendments
from acplan.plan import workbook
from acplan.plan.models import Plan
from acplan.plan.workbook import INDICATOR_WORDS, KIND_WORDS, LEVEL_WORDS, RISK_EDITABLE
from acplan.ui import state

DRAFT_KEY = "plan_draft"
COLUMN_KEY = re.compile(r"\(([a-z0-9_]+)\)\s*$")


def draft(plan_id: int) -> dict:
    """The session's draft for the plan, started from the stored plan when there is none (or it is another plan's)."""
    current = st.session_state.get(DRAFT_KEY)
    if current is None or current["plan_id"] != plan_id:
        with Session(state.engine()) as s:
            data = amendments.current_data(s, plan_id)
            revision = s.get(Plan, plan_id).revision
        tables = {k: _frame(cols, rows) for k, (cols, rows) in workbook.tables(data).items()}
        current = {"plan_id": plan_id, "revision": revision, "data": data, "generation": 0, "edited": {},
                   "tables": tables, "stored": {k: f.copy() for k, f in tables.items()}, "preview": None}
        st.session_state[DRAFT_KEY] = current
    return current


def discard() -> None:
    """Throw the draft away (a button's callback): the editor starts again from the stored plan."""
    st.session_state.pop(DRAFT_KEY, None)


def widget_key(d: dict, sheet: str) -> str:
    return f"plan_edit_{sheet}_{d['generation']}"


def base(d: dict, sheet: str) -> pd.DataFrame:
    """What the table's widget starts from: the last edited copy when the widget is new (the page was left)."""
    if widget_key(d, sheet) not in st.session_state and sheet in d["edited"]:
        d["tables"][sheet] = d["edited"][sheet]
    return d["tables"][sheet]


def keep(d: dict, sheet: str, edited: pd.DataFrame) -> None:
    """Remember the table as the widget now shows it."""
    d["edited"][sheet] = edited


def shown(d: dict) -> dict[str, pd.DataFrame]:
    """Every table as it now stands (edited or not)."""
    return {**d["tables"], **d["edited"]}


def same(a: pd.DataFrame | None, b: pd.DataFrame | None) -> bool:
    """Whether two tables show the same cells (whatever types the editor gave them back as)."""
    if a is None or b is None:
        return a is b
    return list(a.columns) == list(b.columns) and _cells(a) == _cells(b)


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip() for v in row]
            for row in frame.itertuples(index=False)]


def pending(d: dict) -> list[str]:
    """The tables edited and not yet saved, in the editor's order."""
    return [k for k, f in shown(d).items() if not same(f, d["stored"][k])]


def set_preview(d: dict, data: dict, changes: list, revision: int, source: str, values: dict) -> None:
    """The differences shown for `data` (from the tables, or from an uploaded workbook) at `revision`, with the
    amendment's fields as they were typed then."""
    d["preview"] = {"data": data, "changes": changes, "revision": revision, "source": source, "values": dict(values),
                    "tables": {k: f.copy() for k, f in shown(d).items()}}


def preview_current(d: dict, values: dict, source: str) -> dict | None:
    """The shown differences while they still describe what would be saved: an edit of a table or of the
    amendment's fields since, or another source, makes them stale (they are asked for again)."""
    pv = d["preview"]
    if pv is None or pv["source"] != source or pv["values"] != values:
        return None
    if source == "tables" and any(not same(f, pv["tables"].get(k)) for k, f in shown(d).items()):
        return None
    return pv


def workbook_as_of(plan_id: int, number: int | None, org_code: str, org_name_th: str) -> bytes:
    """The plan workbook as of amendment `number` (None: as it stands), for a download."""
    with Session(state.engine()) as s:
        data = amendments.plan_as_of(session=s, plan_id=plan_id, number=number)
    return workbook.write(data, org_slug=org_code, org_name_th=org_name_th)


def revision_now(plan_id: int) -> int:
    with Session(state.engine()) as s:
        return s.get(Plan, plan_id).revision


def rebase(d: dict) -> None:
    """Compare the draft with the plan as it now stands (another amendment was saved meanwhile): the tables keep
    what was typed; the differences are asked for again."""
    with Session(state.engine()) as s:
        d["data"] = amendments.current_data(s, d["plan_id"])
        d["revision"] = s.get(Plan, d["plan_id"]).revision
    d["preview"] = None


def uploaded(raw: bytes, org_code: str) -> dict:
    """The plan of an uploaded workbook (the amended plan, whole), refused if it names another organisation."""
    book = workbook.read(raw)
    if book.org_slug and book.org_slug != org_code:
        raise InvalidInput(Issue("plan_other_org", {"file": book.org_slug, "org": org_code}))
    return book.data


def _frame(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    """A sheet as text cells, as a person reads and types them (numbers without separators, empty for none)."""
    return pd.DataFrame([{c: _cell(r.get(c)) for c in columns} for r in rows], columns=columns, dtype="object")


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def column_config(sheet: str, columns: list[str], lang: str) -> dict:
    """Each column titled as the workbook's header (without its key); the kinds and levels as choices; in the risk
    register only the item links editable."""
    config = {}
    for c in columns:
        label = workbook.column_title(c, lang).rsplit(" (", 1)[0]
        if sheet == "items" and c == "kind":
            config[c] = st.column_config.SelectboxColumn(label, options=list(KIND_WORDS))
        elif sheet == "indicators" and c == "kind":
            config[c] = st.column_config.SelectboxColumn(label, options=list(INDICATOR_WORDS))
        elif sheet == "risks" and c == "level":
            config[c] = st.column_config.SelectboxColumn(label, options=list(LEVEL_WORDS), disabled=True)
        else:
            numeric = c.startswith("budget_") or c in ("number", "target_value", "ita_target", "case_reduction_pct")
            config[c] = st.column_config.TextColumn(label, alignment="right" if numeric else None,
                                                    disabled=sheet == "risks" and c not in RISK_EDITABLE)
    return config


def proposed(d: dict, org_code: str, org_name_th: str) -> dict:
    """The plan the edited tables make, read by the workbook reader (InvalidInput naming each cell to fix)."""
    edited = {k: [{c: _typed(v) for c, v in row.items()} for row in frame.to_dict("records")]
              for k, frame in shown(d).items()}
    return workbook.read_tables(d["data"], edited, org_slug=org_code, org_name_th=org_name_th).data


def _typed(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value).strip() or None


def describe_cell(issue: Issue, lang: str) -> str:
    """An issue as the editor says it: the table, its row as the table counts them, the column by its title."""
    if issue.sheet is None or issue.sheet not in workbook.EDITABLE:
        return describe(issue, lang)
    message = t(issue.code, lang, **issue.params) if issue.params else t(issue.code, lang)
    table = t(f"pw_sheet_{issue.sheet}", lang)
    if issue.row is None:
        return t("issue_in_table", lang, table=table, message=message)
    key = m.group(1) if (m := COLUMN_KEY.search(issue.column or "")) else None
    column = workbook.column_title(key, lang).rsplit(" (", 1)[0] if key else "—"
    return t("issue_in_table_at", lang, table=table, row=issue.row - 1, column=column, message=message)
