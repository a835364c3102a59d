"""A unit's report as an Excel workbook: a template per round and unit, filled in Excel, imported all or nothing.

Three sheets, each named and headed by machine keys in parentheses as the score sheet is: `รายงาน (reports)` one row
per item (`(project_no)` first), `กิจกรรม (activities)` one row per activity, `ตัวชี้วัด (indicators)` one row per
indicator; a fourth, `ข้อมูล (about)`, names the round and unit it was made for, so a sheet of another round or unit
is refused whole. Every row is checked with the page's own rules; the import saves every item's report as a draft
(submitted too, when asked) or, if anything is wrong, nothing, naming each sheet, row and column.
"""

import io
from collections import defaultdict

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import Session, select

from acplan import format as fmt
from acplan.access import Actor, Permission
from acplan.errors import InvalidInput, Issue, UnusableInput
from acplan.i18n import t
from acplan.monitoring import entries, unitreports
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import EvaluationRound
from acplan.plan.models import Indicator, PlanItem, Unit
from acplan.xlsx import KEY, append_row, check_upload, print_setup, set_text, style_header

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
SHEETS = {
    "reports": (("project_no", 9), ("name", 50), ("status", 24), ("progress_pct", 14), ("spent_thb", 16),
                ("done_th", 50), ("problems_th", 40), ("suggestions_th", 40)),
    "activities": (("project_no", 9), ("text_th", 50), ("start_on", 16), ("end_on", 16), ("place_th", 30),
                   ("count", 12)),
    "indicators": (("project_no", 9), ("indicator_no", 9), ("text", 60), ("actual_value", 16)),
}
READ_ONLY = {"name", "text"}  # shown to help, not read back


def _title(sheet: str, lang: str = "th") -> str:
    return f"{t(f'us_sheet_{sheet}', lang)} ({sheet})"


def _header(key: str, lang: str = "th") -> str:
    return f"{t(f'us_col_{key}', lang)} ({key})"


def _unit(session: Session, rnd: EvaluationRound, unit_name: str) -> Unit:
    units = list(session.exec(select(Unit).where(Unit.plan_id == rnd.plan_id)))
    match = next((u for u in units if unit_name.strip() in (u.name_th, *u.aliases)), None)
    if match is None:
        raise InvalidInput(Issue("unit_unknown", {"value": unit_name, "units": ", ".join(u.name_th for u in units)}))
    return match


def _may(session: Session, actor: Actor, rnd: EvaluationRound, unit: Unit, on_behalf: bool = False) -> None:
    """The unit's own account, or (`on_behalf`) the operator importing for it."""
    if on_behalf:
        authorize(session=session, actor=actor, permission=Permission.IMPORT_UNIT_SHEET, round_id=rnd.id)
        return
    authorize(session=session, actor=actor, permission=Permission.REPORT_UNIT, writes=False, round_id=rnd.id)
    if unit.id not in unitreports.units_of(session, actor.user_id):
        raise InvalidInput(Issue("report_not_your_unit", {"number": "—", "unit": unit.name_th}))


def template(*, session: Session, actor: Actor, rnd: EvaluationRound, unit_name: str) -> bytes:
    """The unit's workbook for the round: its items, with what it has reported so far."""
    unit = _unit(session, rnd, unit_name)
    _may(session, actor, rnd, unit, on_behalf=actor.user_id is None)
    frame = unitreports.items_frame(session, rnd, units={unit.id}, states=None)
    wb = Workbook()
    wb.remove(wb.active)
    statuses = [t(f"status_{s}", "th") for s in entries.STATUSES]
    sheets = {k: wb.create_sheet(_title(k)) for k in SHEETS}
    for key, ws in sheets.items():
        append_row(ws, [_header(c) for c, _w in SHEETS[key]])
    for row in frame.itertuples():
        activities, values = ([], {}) if pd.isna(row.report_id) else \
            unitreports.report_details(session=session, actor=_reader(actor), report_id=int(row.report_id))
        append_row(sheets["reports"], [row.number, row.name_th, t(f"status_{row.status}", "th")
                                       if isinstance(row.status, str) else None, _int(row.progress_pct),
                                       _int(row.spent_thb), row.done_th or None, row.problems_th or None,
                                       row.suggestions_th or None])
        for a in activities:
            append_row(sheets["activities"], [row.number, a["text_th"], fmt.date_numeric(a["start_on"]) or None,
                                              fmt.date_numeric(a["end_on"]) or None, a["place_th"] or None, a["count"]])
        item_id = session.exec(select(PlanItem.id).where(PlanItem.plan_id == rnd.plan_id,
                                                         PlanItem.number == row.number)).one()
        for seq, ind in enumerate(session.exec(select(Indicator).where(Indicator.project_id == item_id)
                                               .order_by(Indicator.seq)), 1):
            append_row(sheets["indicators"], [row.number, seq, ind.text_th, values.get(ind.id)])
    for key, ws in sheets.items():
        style_header(ws, [w for _c, w in SHEETS[key]])
        print_setup(ws)
    check = DataValidation(type="list", formula1='"' + ",".join(statuses) + '"', allow_blank=True)
    sheets["reports"].add_data_validation(check)
    check.add(f"C2:C{max(len(frame) + 1, 2)}")
    about = wb.create_sheet(_title("about"))
    for key, value in (("round", f"{rnd.fiscal_year_be}-{rnd.round_no}"), ("unit", unit.name_th)):
        append_row(about, [_header(key), None])
        set_text(about, about.max_row, 2, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_for(*, actor: Actor, rnd: EvaluationRound, unit_name: str, engine) -> bytes:
    """`template` in a session of its own (a download made when it is clicked)."""
    with Session(engine) as session:
        return template(session=session, actor=actor, rnd=session.merge(rnd), unit_name=unit_name)


def _reader(actor: Actor) -> Actor:
    return actor if actor.user_id is not None else Actor.operator(actor.username)


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


# ------------------------------------------------------------------------------------------------ reading


def read(raw: bytes) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The filled workbook's rows per sheet (keyed by machine key, with `_row`) and its round and unit."""
    check_upload(raw, MAX_BYTES)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl and the XML parser raise many types for a damaged file)
        raise UnusableInput(Issue("sheet_unreadable")) from None
    try:
        found = {m.group(1): ws for ws in wb.worksheets if (m := KEY.search(ws.title))}
        if "reports" not in found:
            raise InvalidInput(Issue("pw_sheet_missing", {"sheet": _title("reports")}))
        rows = {k: _rows(found[k]) if k in found else [] for k in SHEETS}
        meta = {}
        if "about" in found:
            for label, value, *_ in found["about"].iter_rows(values_only=True, max_row=10, max_col=2):
                if label is not None and (m := KEY.search(str(label))) and value is not None:
                    meta[m.group(1)] = str(value).strip()
        return rows, meta
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001  (a damaged part found while reading the rows)
        raise UnusableInput(Issue("sheet_unreadable")) from None
    finally:
        wb.close()


def _rows(ws) -> list[dict]:
    it = ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=20)
    head = next(it, None) or ()
    keys = [(m.group(1) if c is not None and (m := KEY.search(str(c))) else None) for c in head]
    out = []
    for index, values in enumerate(it, start=2):
        if index - 1 > MAX_ROWS:
            raise InvalidInput(Issue("sheet_too_many_rows", {"max": MAX_ROWS}))
        row = {k: v for k, v in zip(keys, values, strict=False) if k and k not in READ_ONLY}
        if any(v not in (None, "") for k, v in row.items() if k not in ("project_no", "indicator_no")):
            out.append(row | {"_row": index})
    return out


def import_sheet(*, session: Session, actor: Actor, rnd: EvaluationRound, unit_name: str, raw: bytes,
                 submit: bool = False, on_behalf: bool = False) -> int:
    """Save every item the workbook reports on as the unit's draft (and submit them, when asked): all or none.
    The unit's own account imports its workbook; with `on_behalf` the operator imports one for the unit.
    InvalidInput names each problem's sheet, row and column. How many items were saved."""
    unit = _unit(session, rnd, unit_name)
    _may(session, actor, rnd, unit, on_behalf)
    rows, meta = read(raw)
    code = f"{rnd.fiscal_year_be}-{rnd.round_no}"
    wrong = [Issue("us_other_round", {"sheet": meta["round"], "round": code})] if meta.get("round", code) != code else []
    if meta.get("unit", unit.name_th) != unit.name_th:
        wrong.append(Issue("us_other_unit", {"sheet": meta["unit"], "unit": unit.name_th}))
    if wrong:
        raise InvalidInput(*wrong)
    items = {r.number: r for r in session.exec(select(PlanItem).where(PlanItem.plan_id == rnd.plan_id,
                                                                      PlanItem.unit_id == unit.id))}
    expected = {n for n, r in items.items() if r.in_year(rnd.fiscal_year_be)}
    issues: list[Issue] = []
    reports, activities, values = {}, defaultdict(list), defaultdict(list)
    statuses = {t(f"status_{s}", "th"): s for s in entries.STATUSES} | {s.value: s for s in entries.STATUSES}
    for sheet, sheet_rows in rows.items():
        for row in sheet_rows:
            number = unitreports.whole(row.get("project_no"))
            if number not in expected:
                issues.append(_at(sheet, row, "project_no", Issue("us_unknown_item", {"value": row.get("project_no"),
                                                                                     "unit": unit.name_th})))
                continue
            if sheet == "reports":
                if number in reports:
                    issues.append(_at(sheet, row, "project_no", Issue("sheet_duplicate_item", {
                        "number": number, "first": reports[number]["_row"]})))
                    continue
                status = row.get("status")
                if status not in (None, "") and str(status).strip() not in statuses:
                    issues.append(_at(sheet, row, "status", Issue("status_invalid", {"value": status})))
                reports[number] = {**row, "status": statuses.get(str(status).strip()) if status else None}
            elif sheet == "activities":
                activities[number].append(row)
            else:
                values[number].append(row)
    drafts = []
    for number in sorted(set(reports) | set(activities) | set(values)):
        base = reports.get(number, {})
        ind_ids = list(session.exec(select(Indicator.id).where(Indicator.project_id == items[number].id)
                                    .order_by(Indicator.seq)))
        typed = {}
        for row in values[number]:
            value = row.get("actual_value")
            seq = unitreports.whole(row.get("indicator_no"))
            if not isinstance(seq, int) or not 1 <= seq <= len(ind_ids):
                issues.append(_at("indicators", row, "indicator_no", Issue("us_unknown_indicator", {
                    "value": row.get("indicator_no"), "number": number, "count": len(ind_ids)})))
            else:
                typed[ind_ids[seq - 1]] = value
        try:
            report_in = unitreports.parse_typed(
                {k: base.get(k) for k in ("status", "progress_pct", "spent_thb", "done_th", "problems_th",
                                          "suggestions_th")} | {k: str(base[k]) if base.get(k) is not None else ""
                                                                 for k in ("done_th", "problems_th", "suggestions_th")},
                [{k: _cell(r.get(k)) for k in ("text_th", "start_on", "end_on", "place_th", "count")}
                 for r in activities[number]], typed)
        except InvalidInput as exc:
            for issue in exc.issues:
                sheet, row = _where(issue, base, activities[number])
                issues.append(_at(sheet, row, issue.column or "project_no", issue))
            continue
        drafts.append((number, report_in))
    if issues:
        raise InvalidInput(*issues)
    for number, report_in in drafts:
        report = unitreports.get_report(session=session, round_id=rnd.id, project_id=items[number].id)
        unitreports.save_report(session=session, actor=actor, rnd=rnd, project_id=items[number].id,
                                report_in=report_in, expected_version=report.version if report else None,
                                on_behalf=on_behalf)
    if submit:
        unitreports.submit_reports(session=session, actor=actor, rnd=rnd, unit_ids={unit.id} if on_behalf else None)
    return len(drafts)


def _cell(value):
    if hasattr(value, "year") and hasattr(value, "month"):  # a date cell: Excel keeps the year as typed (BE)
        return f"{value.day}/{value.month}/{value.year}"
    return value


def _where(issue: Issue, report_row: dict, activity_rows: list[dict]) -> tuple[str, dict]:
    """Which sheet row a report's issue comes from: an activity's (its `row` counts the item's activities)."""
    if issue.row is not None and activity_rows:
        return "activities", activity_rows[issue.row - 1]
    if issue.column == "indicators":
        return "indicators", {"_row": None}
    return "reports", report_row or {"_row": None}


def _at(sheet: str, row: dict, column: str, issue: Issue) -> Issue:
    letter = next((chr(ord("A") + i) for i, (c, _w) in enumerate(SHEETS[sheet]) if c == column), "?")
    return Issue(issue.code, issue.params, row=row.get("_row"), column=f"{letter} ({column})", sheet=f"us:{sheet}")
