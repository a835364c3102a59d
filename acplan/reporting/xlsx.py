"""The meeting pack as one Excel workbook: a sheet per part with Thai headers and names, Thai status labels,
baht with thousands separators, real percentages, dates as dates (shown in the Buddhist Era), wrapped long
text, filter buttons, totals per dimension and for the plan, and A4 landscape print setup on every sheet."""

import io
from functools import partial

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from acplan import format as fmt
from acplan.i18n import describe, t
from acplan.monitoring import scoring
from acplan.plan import figures
from acplan.plan.labels import kind_label
from acplan.reporting.data import ReportData
from acplan.xlsx import append_row, print_setup, style_header

PERCENT = "0%"
PERCENT_1 = "0.0%"
SCORE = "0.00"
CHANGE = '+0.00;"−"0.00;0.00'
BE_DATE = "[$-107041E]d mmmm yyyy"  # calendar 07 (Thai Buddhist), locale 041E (Thai): a date, read as พ.ศ.
WRAP = Alignment(wrap_text=True, vertical="top")


def _blank(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


def _fraction(pct):
    """A percentage figure (50) as the fraction a spreadsheet formats as 50 %."""
    return None if _blank(pct) is None else float(pct) / 100


def _sheet(wb: Workbook, title: str, headers: list[tuple], rows: list[list], *, total_rows: int = 0):
    """A sheet of `rows` under `headers`, each (title, width, number format[, wrap]); the last `total_rows` bold."""
    ws = wb.create_sheet(title)
    append_row(ws, [h[0] for h in headers])
    for row in rows:
        append_row(ws, [_blank(v) for v in row])
    style_header(ws, [h[1] for h in headers], [h[2] for h in headers])
    for i, h in enumerate(headers):
        if len(h) > 3 and h[3]:
            for cell in ws[ws.cell(1, i + 1).column_letter][1:]:
                cell.alignment = WRAP
    for row in ws.iter_rows(min_row=ws.max_row - total_rows + 1) if total_rows else ():
        for cell in row:
            cell.font = Font(bold=True)
    print_setup(ws)
    return ws


def render_xlsx(data: ReportData, lang: str = "th") -> bytes:
    tr = partial(t, lang=lang)
    baht = tr("pack_baht_format")
    status = lambda s: tr(f"status_{s if isinstance(s, str) else 'not_scored'}")  # noqa: E731
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, tr("pack_sheet_summary"), [(tr("pack_topic"), 40, None, True), (tr("pack_value"), 50, None, True)], [
        [tr("pack_org"), data.org_name], [tr("pack_plan"), f"{data.plan_title} ({data.plan_period})"],
        [tr("pack_round"), f"{data.round_code} · {data.round_label}"],
        [tr("pack_round_status_label"), tr(f"round_status_{data.round_status}")],
        [tr("pack_overall"), data.overall], [tr("pack_scored"), f"{data.scored} / {len(data.items)}"],
        [tr("pack_budget_year_thb", year=fmt.fiscal_year_label(data.fiscal_year_be)), data.budget_year_thb],
        [tr("pack_spent_thb"), data.spent_thb], [tr("pack_generated_label"), data.generated],
        *([[tr("pack_audit_head_label"), data.audit_head]] if data.audit_head else []),
    ])
    summary = wb[tr("pack_sheet_summary")]
    for row in summary.iter_rows(min_row=2):
        if row[0].value in (tr("pack_budget_year_thb", year=fmt.fiscal_year_label(data.fiscal_year_be)), tr("pack_spent_thb")):
            row[1].number_format = baht
        elif row[0].value == tr("pack_generated_label"):
            row[1].number_format = BE_DATE
        elif row[0].value == tr("pack_overall"):
            row[1].number_format = SCORE
    dims = data.dimension_table
    _sheet(wb, tr("pack_sheet_dimensions"),
           [(tr("pack_dimension"), 40, None, True), (tr("pack_items_n"), 9, None), (tr("pack_completed_short"), 11, None),
            (tr("pack_in_progress_short"), 13, None), (tr("pack_not_started_short"), 13, None),
            (tr("pack_not_possible_short"), 13, None), (tr("status_not_scored"), 12, None),
            (tr("pack_completed_pct"), 12, PERCENT_1), (tr("pack_planned_short"), 16, baht), (tr("pack_spent_short"), 16, baht),
            (tr("pack_spent_pct"), 12, PERCENT_1), (tr("pack_result"), 11, SCORE)],
           [[f"{tr('pack_dimension_n', n=r.dimension)} {r.name_th}" if r.dimension else tr("pack_whole_plan"), r.items,
             r.completed, r.in_progress, r.not_started, r.not_possible, r.not_scored, _fraction(r.completed_pct),
             r.budget_thb, r.spent_thb, _fraction(r.spent_pct), r.result] for r in dims.itertuples()], total_rows=1)
    _sheet(wb, tr("pack_sheet_items"),
           [(tr("pack_item_no"), 9, None), (tr("pack_item"), 50, None, True), (tr("pack_kind"), 11, None),
            (tr("pack_responsible"), 22, None, True), (tr("pack_dimension"), 7, None),
            (tr("pack_finding_status"), 22, None), (tr("pack_progress"), 13, PERCENT), (tr("pack_mean"), 12, SCORE),
            (tr("pack_median"), 10, SCORE), (tr("pack_min"), 8, None), (tr("pack_max"), 8, None),
            (tr("pack_members_n"), 13, None), (tr("pack_discuss"), 10, None), (tr("pack_planned_short"), 16, baht),
            (tr("pack_spent_short"), 16, baht), (tr("pack_spent_pct"), 12, PERCENT_1),
            (tr("pack_change_col", code=data.prev_code or "—"), 14, CHANGE),
            (tr("pack_change_col", code=data.year_code or "—"), 14, CHANGE), (tr("pack_check"), 50, None, True)],
           [[r.number, r.name_th, kind_label(r.kind, lang), r.unit, r.dimension, status(r.status), _fraction(r.progress_pct),
             r.mean, r.median, r.min, r.max, r.n, tr("pack_yes") if r.flag else "", r.budget_thb, r.spent_thb,
             _fraction(r.spent_pct), r.change_prev, r.change_year,
             "; ".join(describe(i, lang) for i in scoring.inconsistencies(
                 r.status if isinstance(r.status, str) else None, r.progress_pct, r.spent_thb, r.budget_thb, r.mean))]
            for r in data.items.itertuples()])
    if data.internal and data.member_entries is not None:
        _sheet(wb, tr("pack_sheet_members"),
               [(tr("pack_member"), 24, None), (tr("pack_item_no"), 9, None), (tr("pack_finding_status"), 22, None),
                (tr("pack_progress"), 13, PERCENT), (tr("pack_score"), 9, None), (tr("pack_spent_short"), 16, baht),
                (tr("pack_comment"), 60, None, True)],
               [[e.member_name, e.number, status(e.status) if isinstance(e.status, str) else "", _fraction(e.progress_pct),
                 e.score, e.spent_thb, e.comment] for e in data.member_entries.itertuples()])
    if data.unit_reports is not None and not data.unit_reports.empty:
        _sheet(wb, tr("pack_sheet_unit_reports"),
               [(tr("pack_item_no"), 9, None), (tr("pack_item"), 40, None, True), (tr("pack_responsible"), 20, None, True),
                (tr("pack_finding_status"), 22, None), (tr("pack_progress"), 13, PERCENT), (tr("pack_spent_short"), 16, baht),
                (tr("unit_done"), 50, None, True), (tr("unit_problems"), 40, None, True),
                (tr("unit_suggestions"), 40, None, True)],
               [[u.number, u.name_th, u.unit, status(u.status) if isinstance(u.status, str) else "",
                 _fraction(u.progress_pct), None if pd.isna(u.spent_thb) else int(u.spent_thb), u.done_th, u.problems_th,
                 u.suggestions_th] for u in data.unit_reports.itertuples()])
    _sheet(wb, tr("pack_sheet_findings"),
           [(tr("pack_item"), 9, None), (tr("pack_finding"), 50, None, True), (tr("pack_severity"), 12, None),
            (tr("pack_recommendation"), 40, None, True), (tr("pack_responsible"), 20, None, True), (tr("pack_due"), 18, BE_DATE),
            (tr("pack_finding_status"), 12, None), (tr("pack_unit_response_long"), 40, None, True)],
           [[None if pd.isna(f.number) else int(f.number), f.text, tr(f"severity_{f.severity}"), f.recommendation,
             f.responsible_unit, f.due_date if f.due_date else None,
             tr(f"finding_status_{f.status}"), f.unit_response] for f in data.findings.itertuples()])
    targets = []
    for r in data.targets.itertuples():
        reduction = figures.case_reduction_pct(_int(r.baseline_cases), _int(r.cases_actual))
        ita = _blank(r.ita_actual)
        targets.append([fmt.fiscal_year_label(r.fiscal_year_be), r.ita_target, ita,
                        None if ita is None else tr("pack_pass" if ita >= r.ita_target else "pack_fail"),
                        _fraction(r.case_reduction_target_pct), _int(r.cases_actual), _fraction(reduction),
                        None if reduction is None else tr("pack_pass" if reduction >= r.case_reduction_target_pct else "pack_fail")])
    _sheet(wb, tr("pack_sheet_targets"),
           [(tr("pack_fiscal_year"), 36, None), (tr("pack_ita_target"), 13, None), (tr("pack_ita_actual"), 12, SCORE),
            (tr("pack_ita_passed"), 11, None), (tr("pack_case_target"), 16, PERCENT), (tr("pack_cases_actual"), 13, None),
            (tr("pack_case_reduction"), 16, PERCENT_1), (tr("pack_case_passed"), 13, None)], targets)
    if data.draft:  # printed on every page of every sheet
        for ws in wb.worksheets:
            ws.oddHeader.center.text = ws.evenHeader.center.text = tr("pack_draft_mark")
            ws.oddHeader.center.size = ws.evenHeader.center.size = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _int(value) -> int | None:
    return None if _blank(value) is None else int(value)
