"""Build `plan-sao-example-2569-2573.xlsx`: a clearly fictional อบต.'s plan, typed into acplan's plan template.

It shows that any tool can fill the workbook by its keys (openpyxl here), and gives the tests and README's
"start your own organisation" walk-through a second plan unlike the shipped one: 18 items spread 4 / 6 / 3 / 5
over the dimensions (เชียงม่วน's are 3 / 15 / 5 / 7) and budgets that grow each year, where เชียงม่วน's are flat.

    python data/examples/make_example_plan.py   # rewrites the workbook beside this file
"""

import io
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from acplan.plan import datafile, workbook  # noqa: E402
from acplan.xlsx import KEY  # noqa: E402

OUT = Path(__file__).with_name("plan-sao-example-2569-2573.xlsx")
FIRST, LAST = 2569, 2573
UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "หน่วยตรวจสอบภายใน")
# (dimension, mission, sub-missions, kind, name, unit, budget in the first year, yearly growth in baht)
ITEMS = [
    (1, "1.1", "1.1.1", "โครงการ", "โครงการอบรมคุณธรรมจริยธรรมสำหรับพนักงานส่วนตำบล (ตัวอย่างสมมติ)", 0, 20000, 2000),
    (1, "1.1", "1.1.1", "กิจกรรม", "กิจกรรมรณรงค์วันต่อต้านคอร์รัปชันสากล (ตัวอย่างสมมติ)", 0, 5000, 500),
    (1, "1.1", "1.1.1", "มาตรการ", "มาตรการประกาศเจตจำนงสุจริตของผู้บริหาร (ตัวอย่างสมมติ)", 0, 0, 0),
    (1, "1.1", "1.1.1", "โครงการ", "โครงการโรงเรียนสุจริตในเขตตำบล (ตัวอย่างสมมติ)", 0, 10000, 2500),
    (2, "2.1", "2.1.1", "มาตรการ", "มาตรการเผยแพร่ข้อมูลการจัดซื้อจัดจ้างทางเว็บไซต์ (ตัวอย่างสมมติ)", 1, 0, 0),
    (2, "2.1", "2.1.2", "กิจกรรม", "กิจกรรมปรับปรุงศูนย์ข้อมูลข่าวสาร (ตัวอย่างสมมติ)", 0, 15000, 0),
    (2, "2.2", "2.2.1", "มาตรการ", "มาตรการป้องกันผลประโยชน์ทับซ้อน (ตัวอย่างสมมติ)", 0, 0, 0),
    (2, "2.2", "2.2.3", "โครงการ", "โครงการประเมินความพึงพอใจผู้รับบริการ (ตัวอย่างสมมติ)", 0, 30000, 5000),
    (2, "2.3", "2.3.1", "มาตรการ", "มาตรการลดขั้นตอนการอนุญาตก่อสร้าง (ตัวอย่างสมมติ)", 2, 0, 0),
    (2, "2.3", "2.3.2", "กิจกรรม", "กิจกรรมมอบอำนาจการอนุมัติให้ปลัด (ตัวอย่างสมมติ)", 0, 0, 0),
    (3, "3.1", "3.1.1", "โครงการ", "โครงการประชาคมแผนพัฒนาท้องถิ่น (ตัวอย่างสมมติ)", 0, 25000, 1000),
    (3, "3.2", "3.2.1", "มาตรการ", "มาตรการรับเรื่องร้องเรียนผ่านไลน์ทางการ (ตัวอย่างสมมติ)", 0, 3000, 0),
    (3, "3.3", "3.3.1", "กิจกรรม", "กิจกรรมอาสาสมัครเฝ้าระวังการทุจริต (ตัวอย่างสมมติ)", 0, 8000, 2000),
    (4, "4.1", "4.1.1", "โครงการ", "โครงการตรวจสอบภายในประจำปี (ตัวอย่างสมมติ)", 3, 0, 0),
    (4, "4.1", "4.1.2", "กิจกรรม", "กิจกรรมติดตามการควบคุมภายใน (ตัวอย่างสมมติ)", 3, 0, 0),
    (4, "4.2", "4.2.1", "โครงการ", "โครงการอบรมสมาชิกสภาเรื่องการตรวจสอบงบประมาณ (ตัวอย่างสมมติ)", 0, 40000, 10000),
    (4, "4.2", "4.2.2", "กิจกรรม", "กิจกรรมเปิดประชุมสภาให้ประชาชนรับชม (ตัวอย่างสมมติ)", 0, 2000, 0),
    (4, "4.3", "4.3.1", "มาตรการ", "มาตรการจัดการเรื่องร้องเรียนการทุจริตภายใน 15 วัน (ตัวอย่างสมมติ)", 0, 0, 0),
]


def fill(ws, rows: list[dict]) -> None:
    """Append `rows` under the header, each value in the column whose header ends with its key."""
    keys = {KEY.search(str(c.value)).group(1): c.column for c in ws[1] if c.value and KEY.search(str(c.value))}
    for r in rows:
        row = ws.max_row + 1
        for key, value in r.items():
            ws.cell(row, keys[key], value)


def build() -> bytes:
    structure, _sha = datafile.read_file(ROOT / "data" / "plan-tt-chiang-muan-2566-2570.yaml")
    wb = load_workbook(io.BytesIO(workbook.template(first_fy=FIRST, last_fy=LAST, structure=structure)))
    sheets = {KEY.search(ws.title).group(1): ws for ws in wb.worksheets}
    plan = {KEY.search(str(a.value)).group(1): b for a, b in sheets["plan"].iter_rows(min_row=2)}
    plan["org_slug"].value = "sao-example"
    plan["org_name_th"].value = "องค์การบริหารส่วนตำบลหนองข้าวหอม (ตัวอย่างสมมติ)"
    plan["plan_title_th"].value = "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2569–2573 (ตัวอย่างสมมติ)"
    fill(sheets["items"], [
        {"number": n, "kind": kind, "name_th": name, "dimension": dim, "mission": mission, "sub_items": sub,
         "responsible_unit": UNITS[unit],
         **{f"budget_{y}": (start + growth * (y - FIRST)) or None for y in range(FIRST, LAST + 1)}}
        for n, (dim, mission, sub, kind, name, unit, start, growth) in enumerate(ITEMS, 1)])
    fill(sheets["indicators"], [
        {"number": 1, "kind": "ผลผลิต", "text_th": "พนักงานเข้าร่วมอบรมไม่น้อยกว่าร้อยละ 80", "target_value": 80,
         "target_unit": "percent"},
        {"number": 1, "kind": "ผลลัพธ์", "text_th": "ผู้เข้าอบรมผ่านแบบทดสอบหลังอบรม", "target_value": 70,
         "target_unit": "percent"},
        {"number": 8, "kind": "ผลลัพธ์", "text_th": "ความพึงพอใจไม่น้อยกว่าร้อยละ 85", "target_value": 85,
         "target_unit": "percent"},
        {"number": 18, "kind": "ผลผลิต", "text_th": "เรื่องร้องเรียนได้รับการตอบภายใน 15 วันทุกเรื่อง"}])
    fill(sheets["risks"], [
        {"area": 1, "process_th": "การจัดซื้อจัดจ้าง", "level": "สูง",
         "issue_th": "การกำหนดคุณลักษณะเฉพาะเอื้อผู้ขายบางราย", "measure_th": "เผยแพร่ร่างขอบเขตงานให้ประชาชนวิจารณ์",
         "items": "5"},
        {"area": 1, "level": "ปานกลาง", "issue_th": "การตรวจรับงานไม่ครบถ้วน",
         "measure_th": "ตรวจสอบภายในสุ่มตรวจการตรวจรับ", "items": "14, 15"},
        {"area": 2, "process_th": "การอนุญาตก่อสร้าง", "level": "ปานกลาง",
         "issue_th": "การใช้ดุลพินิจในการพิจารณาคำขอ", "measure_th": "คู่มือขั้นตอนและระยะเวลาที่ประกาศ", "items": "9, 10"}])
    fill(sheets["targets"], [{"fiscal_year": y, "ita_target": 80 + (y - FIRST) * 3, "case_reduction_pct": 10 * (y - FIRST + 1)}
                             for y in range(FIRST, LAST + 1)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
