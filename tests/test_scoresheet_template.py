"""The member's Excel template as a committee uses it: the rubric on its own sheet, Thai hints on every entry
column, item number and name locked, printable; it survives being saved again by a real spreadsheet program."""

import io
import subprocess

from openpyxl import load_workbook
from sqlalchemy import select
from sqlmodel import Session

from acplan.monitoring import scoresheet
from acplan.monitoring.models import ScoreEntry
from tests.factories import OPERATOR, open_round, user
from tests.test_exports_safe import soffice


def make_template(engine) -> tuple[bytes, object, object]:
    with Session(engine) as s:
        member, rnd = user(s, "m1"), open_round(s, "2567-1")
        s.commit()
        return scoresheet.member_template(session=s, actor=OPERATOR, rnd=rnd, member=member), rnd.id, member.id


def test_the_template_has_the_rubric_thai_hints_locked_item_columns_and_print_setup(loaded_engine):
    data, _, _ = make_template(loaded_engine)
    wb = load_workbook(io.BytesIO(data))
    scores, _, rubric = wb.worksheets
    assert rubric.title == "เกณฑ์คะแนน"
    assert [r[0] for r in rubric.iter_rows(min_row=2, values_only=True)] == [5, 4, 3, 2, 1]
    assert rubric["B6"].value == "ไม่ได้ดำเนินการ หรือไม่มีหลักฐาน"
    prompts = {dv.promptTitle: dv.prompt for dv in scores.data_validations.dataValidation}
    assert set(prompts) == {"สถานะ", "เหตุที่ดำเนินการไม่ได้", "คะแนน 1–5", "ความก้าวหน้า", "ใช้จ่ายจริง"}
    assert all(dv.showInputMessage for dv in scores.data_validations.dataValidation)
    assert scores.protection.sheet and scores["A2"].protection.locked and scores["B31"].protection.locked
    assert not any(scores[f"{c}2"].protection.locked for c in "CDEFGH")
    assert (scores.page_setup.orientation, scores.print_title_rows, scores.auto_filter.ref) == ("landscape", "$1:$1", "A1:H31")


def test_a_template_filled_and_saved_again_by_libreoffice_imports(loaded_engine, tmp_path):
    data, round_id, member_id = make_template(loaded_engine)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for row in range(2, 32):
        ws[f"C{row}"], ws[f"E{row}"], ws[f"F{row}"] = "อยู่ระหว่างดำเนินการ", 40, 3
    (tmp_path / "in").mkdir()
    wb.save(tmp_path / "in" / "filled.xlsx")
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "in" / "filled.xlsx")],
                   check=True, capture_output=True, timeout=120)
    resaved = (tmp_path / "out" / "filled.xlsx").read_bytes()
    with Session(loaded_engine) as s:
        from acplan.monitoring.models import AppUser, EvaluationRound
        count = scoresheet.import_sheet(session=s, actor=OPERATOR, rnd=s.get(EvaluationRound, round_id),
                                        member=s.get(AppUser, member_id), data=resaved)
        s.commit()
        assert count == 30
        assert {e.score for e in s.exec(select(ScoreEntry)).scalars()} == {3}
