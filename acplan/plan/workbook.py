"""The plan workbook: how a clerk enters a plan in Excel, and a stored plan written back as one.

Every sheet's name and every header cell end with a machine key in parentheses — `รายการ (items)`,
`งบประมาณ ปี 2568 (budget_2568)` — and the reader matches only the keys, so the Thai part may be retitled and
any tool can fill the file. `แผน (plan)` holds one field per row (key in column A, value in column B); every
other sheet is a table under its header row. The reader checks every cell and every reference and either
returns the whole plan as plan data (the data file's shape, data/README.md) or refuses it all, naming each
problem's sheet, row and column. Sheets the data file needs but a clerk need not fill (units, source notes,
committees) are optional, so a workbook with the eight sheets of the template imports.
"""

import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from acplan.errors import InvalidInput, Issue, UnusableInput
from acplan.format import BE_OFFSET, DateNotRead, date_numeric, parse_be_date
from acplan.i18n import t
from acplan.plan.models import DIMENSIONS, Comparison, IndicatorKind, ItemKind, RiskLevel
from acplan.xlsx import KEY, append_row, check_upload, print_setup, style_header, whole_number

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 2000  # per sheet; a plan of the national template has tens of items
MAX_COLUMNS = 60
MAX_TEXT = 20000
MAX_PLAN_YEARS = 10
FY_RANGE = (2500, 2700)
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
WRAP = Alignment(wrap_text=True, vertical="top")
BAHT = "#,##0"

# The sheets, in the workbook's order: key -> (columns, required). A column "budget_" / "stated_budget_" is one
# column per fiscal year of the plan.
SHEETS: dict[str, tuple[tuple[str, ...], bool]] = {
    "plan": (("field", "value"), True),
    "dimensions": (("dimension", "name_th", "stated_items", "stated_budget_"), True),
    "missions": (("mission", "dimension", "name_th"), True),
    "sub_items": (("sub_item", "mission", "name_th"), True),
    "items": (("number", "kind", "name_th", "dimension", "mission", "sub_items", "responsible_unit", "budget_", "note",
               "name_summary_th", "rationale_th", "objectives_th", "target_group_th", "target_head_count", "method_th",
               "duration_th", "budget_text_th", "from_fy", "until_fy"), True),
    "indicators": (("number", "kind", "text_th", "target_value", "target_unit", "comparison", "period",
                    "measured_by_th"), True),
    "risks": (("area", "process_th", "area_level_th", "issue_no", "level", "issue_th", "measure_no", "measure_th", "items",
               "partial_items"),
              True),
    "targets": (("fiscal_year", "ita_target", "case_reduction_pct", "case_baseline_fy"), True),
    "units": (("name_th", "aliases", "note_th"), False),
    "source_notes": (("subject", "key", "topic", "text_th", "readings", "kept_th"), False),
    "committees": (("committee", "name_th", "source_th", "order_no", "order_date", "item", "duties_th"), False),
    "committee_members": (("committee", "position_th", "role_th", "role", "head_count"), False),
}
# Columns a table must have (the rest may be left out): the issue's minimum.
REQUIRED_COLUMNS = {
    "dimensions": ("dimension", "name_th"), "missions": ("mission", "dimension", "name_th"),
    "sub_items": ("sub_item", "mission", "name_th"),
    "items": ("number", "kind", "name_th", "dimension", "mission", "sub_items", "responsible_unit"),
    "indicators": ("number", "kind", "text_th"), "risks": ("area", "level", "issue_th", "measure_th", "items"),
    "targets": ("fiscal_year", "ita_target", "case_reduction_pct"), "units": ("name_th",),
    "source_notes": ("subject", "key", "topic", "text_th"), "committees": ("committee", "name_th"),
    "committee_members": ("committee", "position_th"),
}
PLAN_FIELDS = ("org_slug", "org_name_th", "plan_code", "plan_title_th", "plan_title_en", "first_fy", "last_fy",
               "items_stated", "preface_date", "objectives_th", "goals_th", "benefits_th", "stated_total_",
               "adoption", "appointment", "source")
REQUIRED_PLAN_FIELDS = ("org_slug", "plan_title_th", "first_fy", "last_fy")
LIST_SEPARATOR = re.compile(r"[,，;\s]+")
WIDTHS = {"name_th": 50, "text_th": 50, "issue_th": 45, "measure_th": 45, "process_th": 30, "note": 30,
          "rationale_th": 40, "objectives_th": 40, "method_th": 40, "target_group_th": 30, "value": 70,
          "responsible_unit": 22, "sub_items": 14, "readings": 40, "kept_th": 30, "duties_th": 40, "field": 28}


def _words(prefix: str, enum) -> dict[str, str]:
    """The Thai word a sheet shows for each value (the catalog's `<prefix><value>`), as the reader takes it back."""
    return {t(f"{prefix}{v.value}", "th"): v.value for v in enum}


KIND_WORDS = _words("kind_", ItemKind)  # โครงการ / กิจกรรม / มาตรการ
INDICATOR_WORDS = _words("indicator_", IndicatorKind)  # ผลผลิต / ผลลัพธ์
LEVEL_WORDS = _words("level_", RiskLevel)  # สูง / ปานกลาง / ต่ำ
COMPARISON_WORDS = {"≥": Comparison.GTE, ">=": Comparison.GTE, "≤": Comparison.LTE, "<=": Comparison.LTE,
                    "=": Comparison.EQ}
SUBJECTS = ("plan", "dimension", "mission", "project", "risk_area", "committee")


@dataclass(frozen=True)
class PlanWorkbook:
    """A workbook read whole: the organisation it names and the plan as plan data (no `organisation` yet)."""

    org_slug: str
    org_name_th: str
    data: dict


def sheet_title(key: str, lang: str = "th") -> str:
    return f"{t(f'pw_sheet_{key}', lang)} ({key})"


def column_title(key: str, lang: str = "th") -> str:
    """A header cell: its Thai title, then its key; a year column names its year."""
    for prefix in ("stated_budget_", "stated_total_", "budget_"):
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            title = t("pw_col_" + prefix.rstrip("_"), lang, year=key[len(prefix):])
            return f"{title} ({key})"
    return f"{t(f'pw_col_{key}', lang)} ({key})"


def _columns(sheet: str, years: list[int]) -> list[str]:
    out = []
    for key in SHEETS[sheet][0]:
        out += [f"{key}{y}" for y in years] if key.endswith("_") else [key]
    return out


# ---------------------------------------------------------------------------------------------- writing


def template(*, first_fy: int, last_fy: int, structure: dict | None = None) -> bytes:
    """An empty plan workbook for fiscal years `first_fy`–`last_fy`, its dimensions, missions and sub-missions
    filled from `structure` (plan data whose `dimensions` follow the national template) when given."""
    data = {"plan": {"start_fy_be": first_fy, "end_fy_be": last_fy, "title_th": "", "code": ""},
            "dimensions": [{**d, "summary_item_count": None, "summary_budget_thb": {}, "source_notes": [],
                            "missions": [{**ms, "source_notes": []} for ms in d["missions"]]}
                           for d in (structure or {}).get("dimensions", [])],
            "projects": [], "risks": [], "targets": [], "committees": []}
    return write(data, org_slug="", org_name_th="", stated=False)


def write(data: dict, *, org_slug: str, org_name_th: str, stated: bool = True,
          rows: dict[str, list[dict]] | None = None) -> bytes:
    """Plan data (export_plan's shape) as a plan workbook that `read` gives back unchanged.

    `stated`: write the figures the document states (summary counts and totals), which a clerk's own plan
    leaves empty (they are then the sums of the items). `rows`: sheets' rows to write instead of the plan's
    (the plan editor's tables, as typed)."""
    plan = data["plan"]
    years = list(range(plan["start_fy_be"], plan["end_fy_be"] + 1))
    wb = Workbook()
    wb.remove(wb.active)
    _plan_sheet(wb, data, years, org_slug, org_name_th, stated)
    rows = _rows(data, years, stated) | (rows or {})
    for key, (_cols, required) in SHEETS.items():
        if key == "plan" or (not required and not rows[key]):
            continue
        ws = wb.create_sheet(sheet_title(key))
        columns = _columns(key, years)
        append_row(ws, [column_title(c) for c in columns])
        for r in rows[key]:
            append_row(ws, [r.get(c) for c in columns])
        style_header(ws, [WIDTHS.get(c, 12 if "budget" in c else 16) for c in columns])
        for col, c in enumerate(columns, 1):
            for cell in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                cell[0].alignment = WRAP
                if "budget_" in c:
                    cell[0].number_format = BAHT
        _lists(ws, key, columns)
        print_setup(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _plan_sheet(wb: Workbook, data: dict, years: list[int], slug: str, name: str, stated: bool) -> None:
    plan = data["plan"]
    ws = wb.create_sheet(sheet_title("plan"))
    append_row(ws, [column_title("field"), column_title("value")])
    values = {"org_slug": slug, "org_name_th": name, "plan_code": plan.get("code"), "plan_title_th": plan.get("title_th"),
              "plan_title_en": plan.get("title_en"), "first_fy": years[0], "last_fy": years[-1],
              "items_stated": plan.get("total_items_stated") if stated else None,
              "preface_date": date_numeric(date.fromisoformat(plan["preface_date"])) if plan.get("preface_date") else None,
              "objectives_th": _lines(plan.get("objectives_th")), "goals_th": _lines(plan.get("goals_th")),
              "benefits_th": _lines(plan.get("benefits_th")),
              **{f"stated_total_{y}": (plan.get("summary_total_budget_thb") or {}).get(str(y)) if stated else None
                 for y in years},
              "adoption": _json(plan.get("adoption")), "appointment": _json(plan.get("appointment")),
              "source": _json(data.get("source"))}
    for key in [f for f in PLAN_FIELDS if not f.endswith("_")] + [f"stated_total_{y}" for y in years]:
        append_row(ws, [column_title(key), values.get(key)])
    style_header(ws, [WIDTHS["field"], WIDTHS["value"]])
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = row[1].alignment = WRAP


def _rows(data: dict, years: list[int], stated: bool) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {k: [] for k in SHEETS}
    for d in data["dimensions"]:
        rows["dimensions"].append({"dimension": d["number"], "name_th": d["name_th"],
                                   "stated_items": d.get("summary_item_count") if stated else None,
                                   **{f"stated_budget_{y}": d["summary_budget_thb"].get(str(y)) if stated else None
                                      for y in years}})
        for ms in d["missions"]:
            rows["missions"].append({"mission": ms["code"], "dimension": d["number"], "name_th": ms["name_th"]})
            rows["sub_items"] += [{"sub_item": s["code"], "mission": ms["code"], "name_th": s["name_th"]}
                                  for s in ms["sub_items"]]
    for p in data["projects"]:
        rows["items"].append({
            "number": p["number"], "kind": _label(KIND_WORDS, p["kind"]), "name_th": p["name_th"],
            "dimension": p["dimension"], "mission": p["mission"], "sub_items": ", ".join(p["sub_items"]) or None,
            "responsible_unit": p["responsible_unit"],
            **{f"budget_{y}": p["budget_thb"].get(str(y)) for y in years},
            "note": p.get("note_th") or None, "name_summary_th": p.get("name_summary_th"),
            "rationale_th": _lines(p.get("rationale_th")), "objectives_th": _lines(p.get("objectives_th")),
            "target_group_th": (p.get("target_group") or {}).get("text_th") or None,
            "target_head_count": (p.get("target_group") or {}).get("head_count"),
            "method_th": _lines(p.get("method_th")), "duration_th": p.get("duration_th") or None,
            "budget_text_th": p.get("budget_text_th") or None, "from_fy": p.get("from_fy_be"),
            "until_fy": p.get("until_fy_be")})
        for ind in p["indicators"]:
            targets = ind["targets"] or [None]
            for i, tg in enumerate(targets):
                rows["indicators"].append({
                    "number": p["number"], "kind": _label(INDICATOR_WORDS, ind["kind"]) if i == 0 else None,
                    "text_th": ind["text_th"] if i == 0 else None,
                    "measured_by_th": ind.get("measured_by_th") if i == 0 else None,
                    "target_value": tg["value"] if tg else None, "target_unit": tg["unit"] if tg else None,
                    "comparison": tg["comparison"] if tg and tg.get("comparison_explicit", True) else None,
                    "period": tg.get("period") if tg else None})
    for a in data["risks"]:
        issues, measures = a["issues"], a["measures"]
        for i in range(max(len(issues), len(measures), 1)):
            issue = issues[i] if i < len(issues) else None
            measure = measures[i] if i < len(measures) else None
            links = (measure or {}).get("implemented_by", [])
            rows["risks"].append({
                "area": a["number"], "process_th": a["process_th"] if i == 0 else None,
                "area_level_th": a["level_text_th"] if i == 0 else None,
                "issue_no": issue["number"] if issue else None, "measure_no": measure["number"] if measure else None,
                "level": _label(LEVEL_WORDS, issue["level"]) if issue else None,
                "issue_th": issue["text_th"] if issue else None, "measure_th": measure["text_th"] if measure else None,
                "items": ", ".join(str(lk["project"]) for lk in links) or None,
                "partial_items": ", ".join(str(lk["project"]) for lk in links if lk["match"] == "partial") or None})
    for tg in data["targets"]:
        rows["targets"].append({"fiscal_year": tg["fiscal_year_be"], "ita_target": tg["ita_score_target"],
                                "case_reduction_pct": tg["case_reduction_pct_target"],
                                "case_baseline_fy": tg["case_baseline_fy_be"]})
    rows["units"] = [{"name_th": u["name_th"], "aliases": "\n".join(u.get("aliases", [])) or None,
                      "note_th": u.get("note_th") or None} for u in data.get("units") or []]
    rows["source_notes"] = _note_rows(data)
    for c in data["committees"]:
        rows["committees"].append({"committee": c["code"], "name_th": c["name_th"], "source_th": c.get("source_th"),
                                   "order_no": c.get("order_no"),
                                   "order_date": date_numeric(date.fromisoformat(c["order_date"]))
                                   if c.get("order_date") else None,
                                   "item": c.get("project"), "duties_th": _lines(c.get("duties_th"))})
        rows["committee_members"] += [{"committee": c["code"], "position_th": mem["position_th"],
                                       "role_th": mem.get("role_th"), "role": mem.get("role"),
                                       "head_count": mem.get("head_count", 1)} for mem in c["members"]]
    return rows


# The sheets the plan editor shows as tables (what an amendment may change), and the risk columns it may edit.
EDITABLE = ("items", "indicators", "risks", "targets")
RISK_EDITABLE = ("items", "partial_items")


def tables(data: dict) -> dict[str, tuple[list[str], list[dict]]]:
    """The editor's tables: per sheet of EDITABLE, its columns and its rows as the workbook writes them."""
    years = list(range(data["plan"]["start_fy_be"], data["plan"]["end_fy_be"] + 1))
    rows = _rows(data, years, True)
    return {k: (_columns(k, years), rows[k]) for k in EDITABLE}


def read_tables(data: dict, edited: dict[str, list[dict]], *, org_slug: str, org_name_th: str) -> PlanWorkbook:
    """The plan `data` with the editor's tables in place of its sheets, read by the workbook's own reader (the same
    checks and messages as an imported workbook: a row is the table's row + 1)."""
    return read(write(data, org_slug=org_slug, org_name_th=org_name_th, rows=edited))


def note_holders(data: dict) -> dict[tuple[str, str], dict]:
    """Everything of plan data that carries `source_notes`, by (subject, key) as the source notes sheet names it."""
    out = {("plan", str(data["plan"].get("code"))): data["plan"]}
    for d in data["dimensions"]:
        out[("dimension", str(d["number"]))] = d
        out |= {("mission", ms["code"]): ms for ms in d["missions"]}
    out |= {("project", str(p["number"])): p for p in data["projects"]}
    out |= {("risk_area", str(a["number"])): a for a in data["risks"]}
    out |= {("committee", c["code"]): c for c in data["committees"]}
    return out


def _note_rows(data: dict) -> list[dict]:
    return [{"subject": kind, "key": key, "topic": n["topic"], "text_th": n["text_th"],
             "readings": _json(n.get("readings")), "kept_th": n.get("kept_th") or None}
            for (kind, key), holder in note_holders(data).items() for n in holder.get("source_notes") or []]


def _label(words: dict[str, str], value) -> str | None:
    return next((word for word, v in words.items() if v == value), None)


def _lines(values: list | None) -> str | None:
    return "\n".join(values) if values else None


def _json(value) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def _lists(ws, key: str, columns: list[str]) -> None:
    """Drop-down lists where a column takes one of a few words."""
    choices = {("items", "kind"): list(KIND_WORDS), ("indicators", "kind"): list(INDICATOR_WORDS),
               ("risks", "level"): list(LEVEL_WORDS)}
    for (sheet, column), words in choices.items():
        if sheet == key and column in columns:
            letter = get_column_letter(columns.index(column) + 1)
            dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
            dv.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(dv)


# ---------------------------------------------------------------------------------------------- reading


@dataclass
class _Cell:
    """Where a value was read: for the message that names it."""

    sheet: str
    row: int
    column: str  # "H (budget_2568)"


class _Reader:
    """Collects every problem of the workbook, so that one import lists them all."""

    def __init__(self):
        self.issues: list[Issue] = []

    def fail(self, where: _Cell | None, code: str, sheet: str | None = None, **params) -> None:
        self.issues.append(Issue(code, params, row=where.row if where else None,
                                 column=where.column if where else None, sheet=where.sheet if where else sheet))

    def text(self, where: _Cell, value, *, required: bool = False) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, "pw_required")
            return None
        text = _as_text(value)
        if len(text) > MAX_TEXT:
            self.fail(where, "pw_text_too_long", max=MAX_TEXT)
        return text

    def whole(self, where: _Cell, value, *, code: str = "pw_not_whole", low: int | None = None,
              high: int | None = None, required: bool = False) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, "pw_required")
            return None
        number = whole_number(value.strip() if isinstance(value, str) else value)
        if number is None or (low is not None and number < low) or (high is not None and number > high):
            self.fail(where, code, value=_as_text(value), low=low, high=high)
            return None
        return number

    def word(self, where: _Cell, value, table: dict, enum, code: str) -> str | None:
        text = self.text(where, value)
        if text is None:
            return None
        keys = {e.value for e in enum}
        found = table.get(text) or (text.lower() if text.lower() in keys else None)
        if found is None:
            self.fail(where, code, value=text)
        return None if found is None else str(found)

    def numbers(self, where: _Cell, value) -> list[int]:
        text = self.text(where, value)
        if text is None:
            return []
        out = []
        for part in (p for p in LIST_SEPARATOR.split(text) if p):
            number = whole_number(part)
            if number is None or number < 1:
                self.fail(where, "pw_not_item_list", value=text)
                return []
            out.append(number)
        return out

    def fiscal_year(self, where: _Cell, value, *, required: bool = True) -> int | None:
        return self.whole(where, value, code="pw_fy_invalid", low=FY_RANGE[0], high=FY_RANGE[1], required=required)

    def date(self, where: _Cell, value) -> str | None:
        if isinstance(value, datetime | date):  # a date cell: Excel keeps the year as typed, so 2565 means BE
            d = value.date() if isinstance(value, datetime) else value
            year = d.year - BE_OFFSET if d.year >= 2400 else d.year
            return d.replace(year=year).isoformat()
        text = self.text(where, value)
        if text is None:
            return None
        try:
            return parse_be_date(text).isoformat()
        except DateNotRead:
            self.fail(where, "pw_date_invalid", value=text)
            return None

    def json(self, where: _Cell, value, shape: type):
        text = self.text(where, value)
        if text is None:
            return shape()
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            parsed = None
        if not isinstance(parsed, shape):
            self.fail(where, "pw_json_invalid")
            return shape()
        return parsed


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class _Table:
    sheet: str
    columns: dict[str, tuple[int, str]]  # key -> (index, letter)
    rows: list[tuple[int, tuple]]  # (sheet row number, values)

    def at(self, row: int, key: str) -> _Cell:
        letter = self.columns[key][1] if key in self.columns else "?"
        return _Cell(self.sheet, row, f"{letter} ({key})")

    def get(self, values: tuple, key: str):
        index = self.columns.get(key, (None,))[0]
        return values[index] if index is not None and index < len(values) else None


def read(raw: bytes) -> PlanWorkbook:
    """The plan a workbook holds, or InvalidInput listing every problem (UnusableInput: not a workbook at all)."""
    check_upload(raw, MAX_BYTES)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl and the XML parser raise many types for a damaged file)
        raise UnusableInput(Issue("sheet_unreadable")) from None
    try:
        return _read(wb)
    except (InvalidInput, UnusableInput):
        raise
    except Exception:  # noqa: BLE001  (a damaged part of the file found while reading its rows)
        raise UnusableInput(Issue("sheet_unreadable")) from None
    finally:
        wb.close()


def _read(wb) -> PlanWorkbook:
    r = _Reader()
    sheets = {}
    for ws in wb.worksheets:
        match = KEY.search(ws.title)
        if match and match.group(1) in SHEETS and match.group(1) not in sheets:
            sheets[match.group(1)] = ws
    missing = [k for k, (_c, required) in SHEETS.items() if required and k not in sheets]
    if missing:
        raise InvalidInput(*[Issue("pw_sheet_missing", {"sheet": sheet_title(k)}) for k in missing])
    fields = _plan_fields(r, sheets["plan"])
    first, last = fields.get("first_fy"), fields.get("last_fy")
    if first and last and not 0 <= last - first < MAX_PLAN_YEARS:
        r.fail(None, "pw_fy_order", sheet="plan", first=first, last=last, max=MAX_PLAN_YEARS)
        first = last = None
    if r.issues or not (first and last):
        raise InvalidInput(*r.issues)
    years = list(range(first, last + 1))
    tables = {k: _table(r, ws, k, years) for k, ws in sheets.items() if k != "plan"}
    if r.issues:
        raise InvalidInput(*r.issues)
    data = _Plan(r, fields, years, tables).build()
    if r.issues:
        raise InvalidInput(*r.issues)
    return PlanWorkbook(fields["org_slug"], fields.get("org_name_th") or "", data)


def _plan_fields(r: _Reader, ws) -> dict:
    raw: dict[str, tuple[int, object]] = {}
    for index, (label, value, *_rest) in enumerate(ws.iter_rows(values_only=True, max_row=200, max_col=2), start=1):
        match = KEY.search(str(label)) if label is not None else None
        if match and match.group(1) != "field":
            raw.setdefault(match.group(1), (index, value))

    def at(key: str) -> _Cell:
        return _Cell("plan", raw[key][0] if key in raw else 0, f"B ({key})")

    out: dict = {}
    for key in REQUIRED_PLAN_FIELDS:
        if key not in raw:
            r.fail(None, "pw_field_missing", sheet="plan", field=key)
    slug = r.text(at("org_slug"), raw.get("org_slug", (0, None))[1], required="org_slug" in raw)
    if slug is not None and not SLUG.match(slug):
        r.fail(at("org_slug"), "pw_slug_invalid", value=slug)
    out["org_slug"] = slug
    for key in ("org_name_th", "plan_code", "plan_title_th", "plan_title_en"):
        out[key] = r.text(at(key), raw.get(key, (0, None))[1], required=key == "plan_title_th" and key in raw)
    for key in ("first_fy", "last_fy"):
        out[key] = r.fiscal_year(at(key), raw.get(key, (0, None))[1], required=key in raw)
    out["items_stated"] = r.whole(at("items_stated"), raw.get("items_stated", (0, None))[1], low=1, high=MAX_ROWS)
    out["preface_date"] = r.date(at("preface_date"), raw.get("preface_date", (0, None))[1])
    for key in ("objectives_th", "goals_th", "benefits_th"):
        out[key] = _split_lines(r.text(at(key), raw.get(key, (0, None))[1]))
    for key in ("adoption", "appointment", "source"):
        out[key] = r.json(at(key), raw.get(key, (0, None))[1], dict)
    out["stated_total"] = {}
    for key, (_index, value) in raw.items():
        if key.startswith("stated_total_"):
            year = whole_number(key.removeprefix("stated_total_"))
            amount = r.whole(at(key), value, code="pw_budget_invalid", low=0)
            if amount is not None and year is not None:
                out["stated_total"][year] = amount
    return out


def _split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _table(r: _Reader, ws, key: str, years: list[int]) -> _Table:
    rows = ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
    head = next(rows, None) or ()
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(head):
        match = KEY.search(str(cell)) if cell is not None else None
        if match and match.group(1) not in columns:
            columns[match.group(1)] = (index, get_column_letter(index + 1))
    for column in REQUIRED_COLUMNS[key]:
        if column not in columns:
            r.fail(None, "pw_column_missing", sheet=key, column=column)
    if "budget_" in SHEETS[key][0]:
        for y in years:
            if f"budget_{y}" not in columns:
                r.fail(None, "pw_column_missing", sheet=key, column=f"budget_{y}")
    for column in columns:
        for prefix in ("budget_", "stated_budget_"):
            if column.startswith(prefix) and column[len(prefix):].isdigit() and int(column[len(prefix):]) not in years:
                r.fail(_Cell(key, 1, f"{columns[column][1]} ({column})"), "pw_fy_outside",
                       year=int(column[len(prefix):]), first=years[0], last=years[-1])
    body = []
    for index, values in enumerate(rows, start=2):
        if index - 1 > MAX_ROWS:
            r.fail(None, "pw_too_many_rows", sheet=key, max=MAX_ROWS)
            break
        if any(v is not None and str(v).strip() for v in values):
            body.append((index, values))
    return _Table(key, columns, body)


class _Plan:
    """The tables checked against each other and assembled as plan data."""

    def __init__(self, r: _Reader, fields: dict, years: list[int], tables: dict[str, _Table]):
        self.r, self.fields, self.years, self.tables = r, fields, years, tables

    def build(self) -> dict:
        dims = self._dimensions()
        missions = self._missions(dims)
        subs = self._sub_items(missions)
        items = self._items(dims, missions, subs)
        numbers = {p["number"] for p in items}
        self._indicators(items)
        risks = self._risks(numbers)
        targets = self._targets()
        committees = self._committees(numbers)
        f = self.fields
        plan = {"code": f.get("plan_code") or f"acp-{self.years[0]}-{self.years[-1]}", "title_th": f["plan_title_th"],
                "title_en": f.get("plan_title_en") or "", "start_fy_be": self.years[0], "end_fy_be": self.years[-1],
                "preface_date": f.get("preface_date"), "adoption": f["adoption"], "appointment": f["appointment"],
                "total_items_stated": f.get("items_stated") or len(items),
                "objectives_th": f["objectives_th"], "goals_th": f["goals_th"], "benefits_th": f["benefits_th"],
                "summary_total_budget_thb": {str(y): f["stated_total"].get(y, sum(p["budget_thb"][str(y)] for p in items))
                                             for y in self.years}}
        for d in dims.values():
            listed = [p for p in items if p["dimension"] == d["number"]]
            d["summary_item_count"] = d.pop("_stated_items", None) or len(listed)
            stated = d.pop("_stated_budget")
            d["summary_budget_thb"] = {str(y): stated.get(y, sum(p["budget_thb"][str(y)] for p in listed)) for y in self.years}
            for ms in d["missions"]:
                ms.pop("_dimension")
        data = {"schema_version": 1, "source": f["source"], "plan": plan,
                "dimensions": [dims[n] for n in sorted(dims)], "projects": items, "risks": risks,
                "targets": targets, "committees": committees}
        self._attach_notes(data)
        if units := self._units():
            data["units"] = units
        return data

    def _unique(self, table: _Table, key: str, value, row: int, seen: dict) -> bool:
        if value in seen:
            self.r.fail(table.at(row, key), "pw_duplicate", value=value, first=seen[value])
            return False
        seen[value] = row
        return True

    def _dimensions(self) -> dict[int, dict]:
        table, r = self.tables["dimensions"], self.r
        out: dict[int, dict] = {}
        seen: dict = {}
        for row, v in table.rows:
            number = r.whole(table.at(row, "dimension"), table.get(v, "dimension"), code="pw_dimension_invalid",
                             low=DIMENSIONS[0], high=DIMENSIONS[-1], required=True)
            name = r.text(table.at(row, "name_th"), table.get(v, "name_th"), required=True)
            stated_items = r.whole(table.at(row, "stated_items"), table.get(v, "stated_items"), low=0, high=MAX_ROWS)
            stated = {}
            for y in self.years:
                amount = r.whole(table.at(row, f"stated_budget_{y}"), table.get(v, f"stated_budget_{y}"),
                                 code="pw_budget_invalid", low=0)
                if amount is not None:
                    stated[y] = amount
            if number is not None and self._unique(table, "dimension", number, row, seen):
                out[number] = {"number": number, "name_th": name, "missions": [], "_stated_items": stated_items,
                               "_stated_budget": stated}
        for n in DIMENSIONS:
            if n not in out and not any(i.sheet == "dimensions" for i in r.issues):
                r.fail(None, "pw_dimension_missing", sheet="dimensions", dimension=n)
        return out

    def _missions(self, dims: dict) -> dict[str, dict]:
        table, r = self.tables["missions"], self.r
        out: dict[str, dict] = {}
        seen: dict = {}
        for row, v in table.rows:
            code = r.text(table.at(row, "mission"), table.get(v, "mission"), required=True)
            dim = self._dimension_ref(table, row, v, dims)
            name = r.text(table.at(row, "name_th"), table.get(v, "name_th"), required=True)
            if code and self._unique(table, "mission", code, row, seen) and dim is not None:
                out[code] = {"code": code, "name_th": name, "sub_items": [], "_dimension": dim}
                dims[dim]["missions"].append(out[code])
        return out

    def _dimension_ref(self, table: _Table, row: int, v: tuple, dims: dict) -> int | None:
        raw = table.get(v, "dimension")
        dim = self.r.whole(table.at(row, "dimension"), raw, code="pw_dimension_invalid", low=DIMENSIONS[0],
                           high=DIMENSIONS[-1], required=True)
        if dim is not None and dim not in dims:
            self.r.fail(table.at(row, "dimension"), "pw_unknown_dimension", value=dim)
            return None
        return dim

    def _sub_items(self, missions: dict) -> dict[str, str]:
        table, r = self.tables["sub_items"], self.r
        out: dict[str, str] = {}  # code -> its mission
        seen: dict = {}
        for row, v in table.rows:
            code = r.text(table.at(row, "sub_item"), table.get(v, "sub_item"), required=True)
            mission = r.text(table.at(row, "mission"), table.get(v, "mission"), required=True)
            name = r.text(table.at(row, "name_th"), table.get(v, "name_th"), required=True)
            if mission is not None and mission not in missions:
                r.fail(table.at(row, "mission"), "pw_unknown_mission", value=mission)
            elif code and mission and self._unique(table, "sub_item", code, row, seen):
                out[code] = mission
                missions[mission]["sub_items"].append({"code": code, "name_th": name})
        return out

    def _items(self, dims: dict, missions: dict, subs: dict) -> list[dict]:
        table, r = self.tables["items"], self.r
        out = []
        seen: dict = {}
        for row, v in table.rows:
            at = table.at
            number = r.whole(at(row, "number"), table.get(v, "number"), low=1, high=MAX_ROWS, required=True)
            kind = r.word(at(row, "kind"), table.get(v, "kind"), KIND_WORDS, ItemKind, "pw_unknown_kind")
            name = r.text(at(row, "name_th"), table.get(v, "name_th"), required=True)
            dim = self._dimension_ref(table, row, v, dims)
            mission = r.text(at(row, "mission"), table.get(v, "mission"), required=True)
            if mission is not None and mission not in missions:
                r.fail(at(row, "mission"), "pw_unknown_mission", value=mission)
            elif mission is not None and dim is not None and missions[mission]["_dimension"] != dim:
                r.fail(at(row, "mission"), "pw_mission_other_dimension", mission=mission, dimension=dim,
                       its=missions[mission]["_dimension"])
            sub_codes = [s for s in LIST_SEPARATOR.split(r.text(at(row, "sub_items"), table.get(v, "sub_items")) or "")
                         if s]
            for s in sub_codes:
                if subs.get(s) != mission and mission in missions:
                    r.fail(at(row, "sub_items"), "pw_unknown_sub_item", value=s, mission=mission)
            unit = r.text(at(row, "responsible_unit"), table.get(v, "responsible_unit"), required=True)
            budget = {}
            for y in self.years:
                amount = r.whole(at(row, f"budget_{y}"), table.get(v, f"budget_{y}"), code="pw_budget_invalid", low=0)
                budget[str(y)] = amount or 0  # empty: no budget that year
            head = r.whole(at(row, "target_head_count"), table.get(v, "target_head_count"), low=0)
            item = {"number": number, "kind": kind, "name_th": name, "dimension": dim, "mission": mission,
                    "sub_items": sub_codes,
                    "rationale_th": _split_lines(r.text(at(row, "rationale_th"), table.get(v, "rationale_th"))),
                    "objectives_th": _split_lines(r.text(at(row, "objectives_th"), table.get(v, "objectives_th"))),
                    "target_group": {"text_th": r.text(at(row, "target_group_th"), table.get(v, "target_group_th")) or "",
                                     "head_count": head},
                    "method_th": _split_lines(r.text(at(row, "method_th"), table.get(v, "method_th"))),
                    "duration_th": r.text(at(row, "duration_th"), table.get(v, "duration_th")) or "",
                    "budget_text_th": r.text(at(row, "budget_text_th"), table.get(v, "budget_text_th")) or "",
                    "budget_thb": budget, "responsible_unit": unit, "indicators": []}
            summary = r.text(at(row, "name_summary_th"), table.get(v, "name_summary_th"))
            if summary is not None:
                item["name_summary_th"] = summary
            note = r.text(at(row, "note"), table.get(v, "note"))
            if note:
                item["note_th"] = note
            for key in ("from_fy", "until_fy"):  # the years an item is in the plan, when an amendment set them
                year = r.fiscal_year(at(row, key), table.get(v, key), required=False)
                if year is not None:
                    item[f"{key}_be"] = year
            if number is not None and self._unique(table, "number", number, row, seen):
                out.append(item)
        return sorted(out, key=lambda p: p["number"])

    def _indicators(self, items: list[dict]) -> None:
        table, r = self.tables["indicators"], self.r
        by_number = {p["number"]: p for p in items}
        last: dict | None = None
        for row, v in table.rows:
            at = table.at
            number = r.whole(at(row, "number"), table.get(v, "number"), low=1, required=True)
            if number is not None and number not in by_number:
                r.fail(at(row, "number"), "pw_unknown_item", value=number)
                continue
            text = r.text(at(row, "text_th"), table.get(v, "text_th"))
            kind = r.word(at(row, "kind"), table.get(v, "kind"), INDICATOR_WORDS, IndicatorKind, "pw_indicator_kind")
            value = r.whole(at(row, "target_value"), table.get(v, "target_value"))
            unit = r.text(at(row, "target_unit"), table.get(v, "target_unit"))
            if unit is not None and len(unit) > 16:
                r.fail(at(row, "target_unit"), "pw_text_too_long", max=16)
            comparison = r.word(at(row, "comparison"), table.get(v, "comparison"), COMPARISON_WORDS, Comparison,
                                "pw_comparison")
            period = r.text(at(row, "period"), table.get(v, "period"))
            target = None
            if value is not None or unit is not None or comparison is not None:
                target = {"value": value, "unit": unit, "comparison": comparison or Comparison.GTE.value,
                          "comparison_explicit": comparison is not None, "period": period}
            if number is None:
                continue
            if text is None:  # a row without text adds a target to the indicator above it
                if last is None or last["_number"] != number or target is None:
                    r.fail(at(row, "text_th"), "pw_required")
                else:
                    last["targets"].append(target)
                continue
            if kind is None and table.get(v, "kind") in (None, ""):
                r.fail(at(row, "kind"), "pw_required")
            last = {"kind": kind, "text_th": text,
                    "measured_by_th": r.text(at(row, "measured_by_th"), table.get(v, "measured_by_th")),
                    "targets": [target] if target else [], "_number": number}
            by_number[number]["indicators"].append(last)
        for p in items:
            for ind in p["indicators"]:
                ind.pop("_number", None)

    def _risks(self, numbers: set[int]) -> list[dict]:
        table, r = self.tables["risks"], self.r
        areas: dict[int, dict] = {}
        for row, v in table.rows:
            at = table.at
            n = r.whole(at(row, "area"), table.get(v, "area"), low=1, high=MAX_ROWS, required=True)
            process = r.text(at(row, "process_th"), table.get(v, "process_th"))
            level_text = r.text(at(row, "area_level_th"), table.get(v, "area_level_th"))
            issue = r.text(at(row, "issue_th"), table.get(v, "issue_th"))
            level = r.word(at(row, "level"), table.get(v, "level"), LEVEL_WORDS, RiskLevel, "pw_risk_level")
            measure = r.text(at(row, "measure_th"), table.get(v, "measure_th"))
            issue_no = r.whole(at(row, "issue_no"), table.get(v, "issue_no"), low=1, high=MAX_ROWS)
            measure_no = r.whole(at(row, "measure_no"), table.get(v, "measure_no"), low=1, high=MAX_ROWS)
            links = r.numbers(at(row, "items"), table.get(v, "items"))
            partial = r.numbers(at(row, "partial_items"), table.get(v, "partial_items"))
            for number in links:
                if number not in numbers:
                    r.fail(at(row, "items"), "pw_unknown_item", value=number)
            for number in partial:
                if number not in links:
                    r.fail(at(row, "partial_items"), "pw_partial_not_linked", value=number)
            if issue is not None and level is None and table.get(v, "level") in (None, ""):
                r.fail(at(row, "level"), "pw_required")
            if issue is None and measure is None:
                r.fail(at(row, "issue_th"), "pw_risk_row_empty")
            if links and measure is None:
                r.fail(at(row, "measure_th"), "pw_required")
            if n is None:
                continue
            area = areas.setdefault(n, {"number": n, "process_th": "", "level_text_th": "", "issues": [], "measures": []})
            area["process_th"] = area["process_th"] or process or ""
            area["level_text_th"] = area["level_text_th"] or level_text or ""
            if issue is not None:  # numbered as the document numbers them (a gap is kept), else in order
                area["issues"].append({"number": issue_no or len(area["issues"]) + 1, "text_th": issue, "level": level})
            if measure is not None:
                area["measures"].append({"number": measure_no or len(area["measures"]) + 1, "text_th": measure,
                                         "implemented_by": [{"project": x, "match": "partial" if x in partial else "exact"}
                                                            for x in sorted(set(links))]})
        for a in areas.values():
            if not a["level_text_th"]:  # the area's level as the document words it: its highest issue's
                levels = [i["level"] for i in a["issues"] if i["level"]]
                top = next((lv for lv in RiskLevel if lv.value in levels), None)
                a["level_text_th"] = _label(LEVEL_WORDS, top.value) if top else ""
        return [areas[n] for n in sorted(areas)]

    def _targets(self) -> list[dict]:
        table, r = self.tables["targets"], self.r
        out = []
        seen: dict = {}
        for row, v in table.rows:
            at = table.at
            year = r.fiscal_year(at(row, "fiscal_year"), table.get(v, "fiscal_year"))
            if year is not None and year not in self.years:
                r.fail(at(row, "fiscal_year"), "pw_fy_outside", year=year, first=self.years[0], last=self.years[-1])
                year = None
            ita = r.whole(at(row, "ita_target"), table.get(v, "ita_target"), code="pw_percent", low=0, high=100,
                          required=True)
            cut = r.whole(at(row, "case_reduction_pct"), table.get(v, "case_reduction_pct"), code="pw_percent",
                          low=0, high=100, required=True)
            base = r.fiscal_year(at(row, "case_baseline_fy"), table.get(v, "case_baseline_fy"), required=False)
            if year is not None and self._unique(table, "fiscal_year", year, row, seen):
                out.append({"fiscal_year_be": year, "ita_score_target": ita, "case_reduction_pct_target": cut,
                            "case_baseline_fy_be": base or self.years[0] - 1})
        return sorted(out, key=lambda x: x["fiscal_year_be"])

    def _units(self) -> list[dict]:
        table, r = self.tables.get("units"), self.r
        if table is None:
            return []
        out = []
        seen: dict = {}
        for row, v in table.rows:
            name = r.text(table.at(row, "name_th"), table.get(v, "name_th"), required=True)
            aliases = _split_lines(r.text(table.at(row, "aliases"), table.get(v, "aliases")))
            note = r.text(table.at(row, "note_th"), table.get(v, "note_th")) or ""
            if name and self._unique(table, "name_th", name, row, seen):
                out.append({"name_th": name, "aliases": aliases, "note_th": note})
        return out

    def _attach_notes(self, data: dict) -> None:
        """Each source note to what it is about; a note about something the plan does not have is refused."""
        holders = note_holders(data)
        for holder in holders.values():
            holder["source_notes"] = []
        table, r = self.tables.get("source_notes"), self.r
        for row, v in (table.rows if table else []):
            subject = r.text(table.at(row, "subject"), table.get(v, "subject"), required=True)
            if subject is not None and subject not in SUBJECTS:
                r.fail(table.at(row, "subject"), "pw_unknown_subject", value=subject, subjects=", ".join(SUBJECTS))
            key = r.text(table.at(row, "key"), table.get(v, "key"), required=True)
            note = {"topic": r.text(table.at(row, "topic"), table.get(v, "topic"), required=True),
                    "text_th": r.text(table.at(row, "text_th"), table.get(v, "text_th"), required=True),
                    "readings": r.json(table.at(row, "readings"), table.get(v, "readings"), list),
                    "kept_th": r.text(table.at(row, "kept_th"), table.get(v, "kept_th")) or ""}
            if (subject, key) in holders:
                holders[(subject, key)]["source_notes"].append(note)
            elif subject in SUBJECTS and key:
                r.fail(table.at(row, "key"), "pw_note_subject_unknown", subject=subject, value=key)

    def _committees(self, numbers: set[int]) -> list[dict]:
        table, r = self.tables.get("committees"), self.r
        if table is None:
            return []
        out: dict[str, dict] = {}
        seen: dict = {}
        for row, v in table.rows:
            at = table.at
            code = r.text(at(row, "committee"), table.get(v, "committee"), required=True)
            item = r.whole(at(row, "item"), table.get(v, "item"), low=1)
            if item is not None and item not in numbers:
                r.fail(at(row, "item"), "pw_unknown_item", value=item)
            c = {"code": code, "name_th": r.text(at(row, "name_th"), table.get(v, "name_th"), required=True),
                 "source_th": r.text(at(row, "source_th"), table.get(v, "source_th")) or "", "project": item,
                 "order_no": r.text(at(row, "order_no"), table.get(v, "order_no")),
                 "order_date": r.date(at(row, "order_date"), table.get(v, "order_date")),
                 "members": [], "duties_th": _split_lines(r.text(at(row, "duties_th"), table.get(v, "duties_th")))}
            if code and self._unique(table, "committee", code, row, seen):
                out[code] = c
        members = self.tables.get("committee_members")
        seqs: Counter = Counter()
        for row, v in (members.rows if members else []):
            at = members.at
            code = r.text(at(row, "committee"), members.get(v, "committee"), required=True)
            if code is not None and code not in out:
                r.fail(at(row, "committee"), "pw_unknown_committee", value=code)
                continue
            mem = {"seq": seqs[code] + 1,
                   "position_th": r.text(at(row, "position_th"), members.get(v, "position_th"), required=True),
                   "role_th": r.text(at(row, "role_th"), members.get(v, "role_th")) or "",
                   "role": r.text(at(row, "role"), members.get(v, "role")) or "member",
                   "head_count": r.whole(at(row, "head_count"), members.get(v, "head_count"), low=1) or 1}
            if code is not None:
                seqs[code] += 1
                out[code]["members"].append(mem)
        return list(out.values())
