"""The meeting pack as one Excel workbook: a sheet per part, headers from the catalog, baht and percent formats,
frozen headers."""

import io
from functools import partial

import pandas as pd
from openpyxl import Workbook

from acplan import format as fmt
from acplan.i18n import t
from acplan.reporting.data import ReportData
from acplan.xlsx import append_row, style_header

PERCENT = '0" %"'
SCORE = "0.00"


def _sheet(wb: Workbook, title: str, headers: list[tuple[str, int, str | None]], rows: list[list]):
    ws = wb.create_sheet(title)
    append_row(ws, [h for h, _, _ in headers])
    for row in rows:
        append_row(ws, [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    style_header(ws, [w for _, w, _ in headers], [f for _, _, f in headers])
    return ws


def render_xlsx(data: ReportData, lang: str = "th") -> bytes:
    tr = partial(t, lang=lang)
    baht = tr("pack_baht_format")
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, tr("pack_sheet_summary"), [(tr("pack_topic"), 40, None), (tr("pack_value"), 30, None)], [
        [tr("pack_org"), data.org_name], [tr("pack_plan"), f"{data.plan_title} ({data.plan_period})"],
        [tr("pack_round"), data.round_code],
        [tr("pack_period_label"), f"{fmt.date_long(data.period[0])} – {fmt.date_long(data.period[1])}"],
        [tr("pack_round_status_label"), tr(f"round_status_{data.round_status}")],
        [tr("pack_overall"), data.overall], [tr("pack_scored"), f"{data.scored} / {len(data.items)}"],
        [tr("pack_budget_year_thb", year=fmt.fiscal_year_label(data.fiscal_year_be)), data.budget_year_thb],
        [tr("pack_spent_thb"), data.spent_thb], [tr("pack_generated_label"), fmt.date_long(data.generated)],
        *[[tr("pack_dimension_row", n=r.dimension, scored=r.scored, items=r.items), r.result]
          for r in data.dimensions.itertuples()],
        *([[tr("pack_audit_head_label"), data.audit_head]] if data.audit_head else []),
    ])
    _sheet(wb, tr("pack_sheet_items"),
           [(tr("pack_item_no"), 9, None), (tr("pack_item"), 60, None), (tr("pack_dimension"), 7, None),
            (tr("pack_finding_status"), 22, None), (tr("pack_progress"), 13, PERCENT), (tr("pack_mean"), 12, SCORE),
            (tr("pack_median"), 10, SCORE), (tr("pack_min"), 8, None), (tr("pack_max"), 8, None),
            (tr("pack_members_n"), 13, None), (tr("pack_discuss"), 10, None), (tr("pack_spent_short"), 16, baht)],
           [[r.number, r.name_th, r.dimension, tr(f"status_{r.status if isinstance(r.status, str) else 'not_scored'}"),
             r.progress_pct, r.mean, r.median, r.min, r.max, r.n, tr("pack_yes") if r.flag else "", r.spent_thb]
            for r in data.items.itertuples()])
    if data.internal and data.member_entries is not None:
        _sheet(wb, tr("pack_sheet_members"),
               [(tr("pack_member"), 16, None), (tr("pack_item_no"), 9, None), (tr("pack_finding_status"), 22, None),
                (tr("pack_progress"), 13, PERCENT), (tr("pack_score"), 9, None), (tr("pack_spent_short"), 16, baht),
                (tr("pack_comment"), 60, None)],
               [[e.member, e.number, tr(f"status_{e.status}") if isinstance(e.status, str) else "", e.progress_pct,
                 e.score, e.spent_thb, e.comment] for e in data.member_entries.itertuples()])
    _sheet(wb, tr("pack_sheet_findings"),
           [(tr("pack_item"), 9, None), (tr("pack_finding"), 50, None), (tr("pack_severity"), 12, None),
            (tr("pack_recommendation"), 40, None), (tr("pack_responsible"), 20, None), (tr("pack_due"), 16, None),
            (tr("pack_finding_status"), 12, None), (tr("pack_unit_response_long"), 40, None)],
           [[None if pd.isna(f.number) else int(f.number), f.text, tr(f"severity_{f.severity}"), f.recommendation,
             f.responsible_unit, fmt.date_long(f.due_date) if f.due_date else None,
             tr(f"finding_status_{f.status}"), f.unit_response] for f in data.findings.itertuples()])
    _sheet(wb, tr("pack_sheet_targets"),
           [(tr("pack_fiscal_year"), 36, None), (tr("pack_ita_target"), 13, None), (tr("pack_ita_actual"), 12, SCORE),
            (tr("pack_case_target"), 16, PERCENT), (tr("pack_cases_actual"), 13, None)],
           [[fmt.fiscal_year_label(r.fiscal_year_be), r.ita_target, r.ita_actual, r.case_reduction_target_pct,
             r.cases_actual] for r in data.targets.itertuples()])
    if data.draft:  # printed on every page of every sheet
        for ws in wb.worksheets:
            ws.oddHeader.center.text = ws.evenHeader.center.text = tr("pack_draft_mark")
            ws.oddHeader.center.size = ws.evenHeader.center.size = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
