"""The Excel round trip: a member's template, reading a filled sheet, and exporting a round's results.

Header cells read in Thai and end with a machine key in parentheses, e.g. "คะแนน 1–5 (score)"; the
key is what the reader matches, so a committee may retitle the Thai part. Formulas are never
evaluated: cells are read as stored values (`data_only`), and a formula without a stored value is empty.
"""

import csv
import io
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from acplan.cells import csv_cell
from acplan.errors import InvalidInput, Issue, UnusableInput
from acplan.i18n import t
from acplan.monitoring.entries import MAX_SPENT_THB, REASONS, SCORE_MAX, SCORE_MIN, STATUSES
from acplan.xlsx import KEY, append_row, check_upload, print_setup, style_header, whole_number

BAHT = '#,##0" บาท"'
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_UPLOAD_MB = 2  # the one definition: the app's uploader and .streamlit/config.toml (checked by a test) follow it
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 500
MAX_COLUMNS = 40  # the template has 8; columns beyond these are never read
# (machine key, column width); the Thai title of a column is the catalog's `sheet_col_<key>`.
TEMPLATE_COLUMNS = [("project_no", 9), ("name", 60), ("status", 24), ("not_possible_reason", 24), ("progress_pct", 16),
                    ("score", 11), ("spent_thb", 16), ("comment", 50)]
# (machine key, catalog key of its title) for the round export, whose titles are shorter than the template's.
EXPORT_COLUMNS = [("round", "sheet_col_round"), ("member", "sheet_col_member"), ("member_name", "sheet_col_member_name"),
                  ("project_no", "sheet_col_project_no"),
                  ("status", "sheet_export_status"), ("progress_pct", "sheet_export_progress"),
                  ("score", "sheet_export_score"), ("spent_thb", "sheet_col_spent_thb"), ("comment", "sheet_export_comment")]
AGGREGATE_COLUMNS = ["project_no", "score_mean", "score_median", "score_min", "score_max", "n_scored"]
ENTRY_KEYS = ("status", "not_possible_reason", "progress_pct", "score", "spent_thb", "comment")
INVALID_CODE = {"progress_pct": "progress_invalid", "score": "score_invalid", "spent_thb": "spent_invalid"}


def header(key: str, title_key: str | None = None) -> str:
    """A column's header: its Thai title, then its machine key in parentheses."""
    return f"{t(title_key or f'sheet_col_{key}', 'th')} ({key})"


def _status_labels() -> dict[str, str]:
    return {t(f"status_{s}", "th"): s for s in STATUSES}


def _reason_labels() -> dict[str, str]:
    return {t(f"reason_{r}", "th"): r for r in REASONS}


def template(*, round_code: str, member: str, items: list[tuple[int, str]], existing: pd.DataFrame | None = None) -> bytes:
    """A workbook listing every item, with drop-down lists for status, reason and score."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_title_scores", "th")
    append_row(ws, [header(k) for k, _ in TEMPLATE_COLUMNS])
    known = {} if existing is None else existing.set_index("number").to_dict("index")
    status_th = {v: k for k, v in _status_labels().items()}
    reason_th = {v: k for k, v in _reason_labels().items()}
    for number, name in items:
        e = known.get(number, {})
        append_row(ws, [number, name, status_th.get(e.get("status")), reason_th.get(e.get("not_possible_reason")),
                   _cell(e.get("progress_pct")), _cell(e.get("score")), _cell(e.get("spent_thb")), e.get("comment") or None])
    last = len(items) + 1
    _validations(ws, last)
    style_header(ws, [w for _, w in TEMPLATE_COLUMNS])
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell in (row[1], row[-1]):  # the item's name and the comment wrap
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _protect_item_columns(ws, last)
    print_setup(ws)
    meta = wb.create_sheet(t("sheet_title_round", "th"))
    append_row(meta, [header("round"), round_code])
    append_row(meta, [header("member"), member])
    _rubric_sheet(wb)
    return _bytes(wb)


def _cell(value):
    return None if value is None or pd.isna(value) else int(value)


def _column(key: str) -> str:
    """The template's column letter for a machine key."""
    return get_column_letter([k for k, _ in TEMPLATE_COLUMNS].index(key) + 1)


# (column key, catalog key of its hint) for the input messages Excel shows when a cell is selected.
PROMPTS = {"status": "status", "not_possible_reason": "reason", "score": "score", "progress_pct": "progress",
           "spent_thb": "spent"}


def _validation(key: str, **kw) -> DataValidation:
    prompt = PROMPTS[key]
    return DataValidation(**kw, allow_blank=True, showErrorMessage=True, showInputMessage=True,
                          promptTitle=t(f"sheet_prompt_{prompt}_title", "th"), prompt=t(f"sheet_prompt_{prompt}", "th"),
                          errorTitle=t("sheet_error_title", "th"), error=t("sheet_error", "th"))


def _validations(ws, last: int) -> None:
    scores = [str(n) for n in range(SCORE_MIN, SCORE_MAX + 1)]
    for key, options in (("status", list(_status_labels())), ("not_possible_reason", list(_reason_labels())),
                         ("score", scores)):
        dv = _validation(key, type="list", formula1='"' + ",".join(options) + '"')
        dv.add(f"{_column(key)}2:{_column(key)}{last}")
        ws.add_data_validation(dv)
    for key, low, high in (("progress_pct", 0, 100), ("spent_thb", 0, MAX_SPENT_THB)):
        dv = _validation(key, type="whole", operator="between", formula1=str(low), formula2=str(high))
        dv.add(f"{_column(key)}2:{_column(key)}{last}")
        ws.add_data_validation(dv)


def _protect_item_columns(ws, last: int) -> None:
    """The item number and name are locked (the sheet is protected without a password, so a committee can lift
    it); every entry column stays editable, and filtering and sorting stay allowed."""
    editable = [k for k, _ in TEMPLATE_COLUMNS if k not in ("project_no", "name")]
    for key in editable:
        for row in ws[f"{_column(key)}2:{_column(key)}{last}"]:
            for cell in row:
                cell.protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.autoFilter = ws.protection.sort = ws.protection.formatColumns = False


def _rubric_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(t("sheet_title_rubric", "th"))
    append_row(ws, [t("sheet_rubric_score", "th"), t("sheet_rubric_meaning", "th")])
    for n in range(SCORE_MAX, SCORE_MIN - 1, -1):
        append_row(ws, [n, t(f"rubric_{n}", "th")])
    style_header(ws, [10, 80])
    for row in ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


META_KEYS = ("round", "member")


@dataclass
class Sheet:
    """A filled template: its rows keyed by machine key (with `_row`, the sheet's row number), and the round and
    member written on its second sheet (absent from a sheet a committee made itself)."""

    rows: list[dict]
    meta: dict[str, str] = field(default_factory=dict)


def read_sheet(data: bytes) -> Sheet:
    """A filled template's rows and the round and member it was made for.

    Refuses what is not a workbook, an empty or oversized one, an archive that would unpack to far more than
    it weighs (a zip bomb), a macro workbook, a sheet whose header lacks the keys, and a damaged sheet.
    """
    check_upload(data, MAX_UPLOAD_BYTES)
    try:
        return _read(data)
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001  (openpyxl and the XML parser raise many types for a damaged file)
        raise UnusableInput(Issue("sheet_unreadable")) from None


def _read(data: bytes) -> Sheet:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
    head = next(rows, None)
    keys = [(KEY.search(str(c)).group(1) if c is not None and KEY.search(str(c)) else None) for c in (head or [])]
    if "project_no" not in keys:
        raise InvalidInput(Issue("sheet_no_header"))
    out = []
    for index, values in enumerate(rows, start=2):
        if index - 1 > MAX_ROWS:
            raise InvalidInput(Issue("sheet_too_many_rows", {"max": MAX_ROWS}))
        row = {k: v for k, v in zip(keys, values, strict=False) if k}
        if any(row.get(k) not in (None, "") for k in ENTRY_KEYS):  # a listed item left blank was not evaluated
            out.append(row | {"_row": index})
    meta = {}
    for other in wb.worksheets[1:3]:
        for label, value, *_ in other.iter_rows(values_only=True, max_row=10, min_col=1, max_col=2):
            key = KEY.search(str(label)) if label is not None else None
            if key and key.group(1) in META_KEYS and _text(value):
                meta.setdefault(key.group(1), _text(value))
    wb.close()
    return Sheet(out, meta)


def parse_row(row: dict) -> tuple[dict, list[Issue]]:
    """Entry values from a sheet row: Thai labels or keys for status and reason, whole numbers for the rest."""
    issues, values = [], {}
    statuses, reasons = _status_labels(), _reason_labels()
    for key, table in (("status", statuses), ("not_possible_reason", reasons)):
        raw = _text(row.get(key))
        values[key] = None if raw is None else table.get(raw, raw)
    for key in ("progress_pct", "score", "spent_thb"):
        raw = row.get(key)
        number = whole_number(raw)
        if raw not in (None, "") and number is None:
            issues.append(Issue(INVALID_CODE[key], {"value": raw}, row=row["_row"], column=key))
        values[key] = number
    values["comment"] = _text(row.get("comment")) or ""
    return values, issues


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def export_workbook(*, entries: pd.DataFrame, aggregates: pd.DataFrame, round_code: str) -> bytes:
    """Per-member rows and per-item aggregates, Thai headers ending in machine keys."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_title_members", "th")
    append_row(ws, [header(k, title) for k, title in EXPORT_COLUMNS])
    for row in export_rows(entries, round_code):
        append_row(ws, [row[k] for k, _ in EXPORT_COLUMNS])
    style_header(ws, [10, 16, 24, 10, 22, 14, 10, 16, 50], [None, None, None, None, None, None, None, BAHT, None])
    for row in ws.iter_rows(min_row=2):
        row[-1].alignment = WRAP
    print_setup(ws)
    agg = wb.create_sheet(t("sheet_title_items", "th"))
    append_row(agg, [header(k) for k in AGGREGATE_COLUMNS])
    for r in aggregates.to_dict("records"):
        append_row(agg, [r["number"], r["mean"], r["median"], r["min"], r["max"], r["n"]])
    style_header(agg, [10, 14, 12, 10, 10, 20], [None, "0.00", "0.00", None, None, None])
    print_setup(agg)
    return _bytes(wb)


def export_rows(entries: pd.DataFrame, round_code: str) -> list[dict]:
    return [{"round": round_code, "member": e["member"], "member_name": e["member_name"], "project_no": int(e["number"]),
             "status": t(f"status_{e['status']}", "th") if isinstance(e["status"], str) else None,
             "progress_pct": _cell(e["progress_pct"]), "score": _cell(e["score"]), "spent_thb": _cell(e["spent_thb"]),
             "comment": e["comment"]} for e in entries.to_dict("records")]


def export_csv(*, entries: pd.DataFrame, round_code: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([header(k, title) for k, title in EXPORT_COLUMNS])
    for row in export_rows(entries, round_code):
        writer.writerow([csv_cell(row[k]) if row[k] is not None else "" for k, _ in EXPORT_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")
