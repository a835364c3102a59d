"""The meeting pack as one Excel workbook: a sheet per part, Thai headers, baht and percent formats, frozen headers."""

import io

import pandas as pd
from openpyxl import Workbook

from acplan import format as fmt
from acplan.i18n import t
from acplan.reporting.data import ReportData
from acplan.xlsx import style_header

BAHT = '#,##0" บาท"'
PERCENT = '0" %"'
SCORE = "0.00"


def _sheet(wb: Workbook, title: str, headers: list[tuple[str, int, str | None]], rows: list[list]) -> None:
    ws = wb.create_sheet(title)
    ws.append([h for h, _, _ in headers])
    for row in rows:
        ws.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    style_header(ws, [w for _, w, _ in headers], [f for _, _, f in headers])


def render_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "สรุป", [("หัวข้อ", 40, None), ("ค่า", 30, None)], [
        ["องค์กร", data.org_name], ["แผน", f"{data.plan_title} ({data.plan_period})"], ["รอบ", data.round_code],
        ["ช่วงเวลา", f"{fmt.date_long(data.period[0])} – {fmt.date_long(data.period[1])}"],
        ["สถานะรอบ", t(f"round_status_{data.round_status}", "th")],
        ["ผลประเมินภาพรวม (1–5)", data.overall], ["รายการที่ประเมินแล้ว", f"{data.scored} / {len(data.items)}"],
        [f"งบประมาณตามแผน {fmt.fiscal_year_label(data.fiscal_year_be)} (บาท)", data.budget_year_thb],
        ["ใช้จ่ายจริงที่รายงาน (บาท)", data.spent_thb], ["จัดทำเมื่อ", fmt.date_long(data.generated)],
        *[[f"มิติที่ {r.dimension} (ผลประเมิน, ประเมินแล้ว {r.scored}/{r.items})", r.result] for r in data.dimensions.itertuples()],
    ])
    _sheet(wb, "รายรายการ", [("ลำดับที่", 9, None), ("รายการ", 60, None), ("มิติ", 7, None), ("สถานะ", 22, None),
                             ("ความก้าวหน้า", 13, PERCENT), ("คะแนนเฉลี่ย", 12, SCORE), ("มัธยฐาน", 10, SCORE),
                             ("ต่ำสุด", 8, None), ("สูงสุด", 8, None), ("จำนวนกรรมการ", 13, None), ("ควรหารือ", 10, None),
                             ("ใช้จ่ายจริง", 16, BAHT)],
           [[r.number, r.name_th, r.dimension, t(f"status_{r.status if isinstance(r.status, str) else 'not_scored'}", "th"),
             r.progress_pct, r.mean, r.median, r.min, r.max, r.n, "ใช่" if r.flag else "", r.spent_thb]
            for r in data.items.itertuples()])
    if data.internal and data.member_entries is not None:
        _sheet(wb, "รายกรรมการ", [("กรรมการ", 16, None), ("ลำดับที่", 9, None), ("สถานะ", 22, None),
                                  ("ความก้าวหน้า", 13, PERCENT), ("คะแนน", 9, None), ("ใช้จ่ายจริง", 16, BAHT),
                                  ("ความเห็น", 60, None)],
               [[e.member, e.number, t(f"status_{e.status}", "th") if isinstance(e.status, str) else "", e.progress_pct,
                 e.score, e.spent_thb, e.comment] for e in data.member_entries.itertuples()])
    _sheet(wb, "ข้อค้นพบ", [("รายการ", 9, None), ("ข้อค้นพบ", 50, None), ("ความรุนแรง", 12, None),
                            ("ข้อเสนอแนะ", 40, None), ("ผู้รับผิดชอบ", 20, None), ("กำหนดเสร็จ", 16, None),
                            ("สถานะ", 12, None), ("คำชี้แจงของหน่วยงาน", 40, None)],
           [[None if pd.isna(f.number) else int(f.number), f.text, t(f"severity_{f.severity}", "th"), f.recommendation,
             f.responsible_unit, fmt.date_long(f.due_date) if f.due_date else None,
             t(f"finding_status_{f.status}", "th"), f.unit_response] for f in data.findings.itertuples()])
    _sheet(wb, "ค่าเป้าหมาย", [("ปีงบประมาณ", 36, None), ("เป้าหมาย ITA", 13, None), ("ITA ที่ได้", 12, SCORE),
                               ("เป้าหมายคดีลดลง", 16, PERCENT), ("คดีที่เกิดขึ้น", 13, None)],
           [[fmt.fiscal_year_label(r.fiscal_year_be), r.ita_target, r.ita_actual, r.case_reduction_target_pct,
             r.cases_actual] for r in data.targets.itertuples()])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
