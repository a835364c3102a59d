"""Uploaded score sheets: malformed, empty, huge, wrong-type and formula-bearing files are refused and change nothing."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from acplan.errors import InvalidInput
from acplan.monitoring import scoresheet
from acplan.monitoring.models import ScoreEntry
from tests.factories import OPERATOR, open_round, user


@pytest.fixture
def ctx(loaded_engine):
    with Session(loaded_engine) as s:
        rnd, member = open_round(s), user(s, "m1")
        template = scoresheet.member_template(session=s, actor=OPERATOR, rnd=rnd, member=member)
        yield s, rnd, member, template


def workbook_bytes(mutate, template: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    mutate(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bomb_like() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/padding.bin", b"\0" * (3 * 1024 * 1024))
    return buf.getvalue()


def many_rows() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["ลำดับที่ (project_no)", "คะแนน (score)"])
    for _ in range(600):
        ws.append([1, 3])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def set_cells(**cells):
    def mutate(ws):
        for ref, value in cells.items():
            ws[ref] = value
    return mutate


CASES = [
    ("empty", lambda t: b"", "sheet_empty"),
    ("random bytes", lambda t: b"\x00\x01not a workbook" * 10, "sheet_unreadable"),
    ("csv renamed", lambda t: "ลำดับที่ (project_no),คะแนน (score)\n1,5\n".encode(), "sheet_unreadable"),
    ("html renamed", lambda t: b"<html><script>alert(1)</script></html>", "sheet_unreadable"),
    ("huge", lambda t: zip_bomb_like(), "sheet_too_large"),
    ("no header", lambda t: workbook_bytes(set_cells(A1="x", B1="y", C1="z"), t), "sheet_no_header"),
    ("too many rows", lambda t: many_rows(), "sheet_too_many_rows"),
    ("formula score", lambda t: workbook_bytes(set_cells(C2="in_progress", F2="=2+3"), t), "score_required"),
    ("nothing filled", lambda t: t, "sheet_no_rows"),
]


@pytest.mark.parametrize(("name", "make", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_upload_is_refused_and_nothing_changes(ctx, name, make, code):
    s, rnd, member, template = ctx
    with pytest.raises(InvalidInput) as err:
        scoresheet.import_sheet(session=s, actor=OPERATOR, rnd=rnd, member=member, data=make(template))
    assert code in [i.code for i in err.value.issues]
    assert s.exec(select(ScoreEntry)).all() == []


def test_formula_is_never_evaluated_and_text_formula_stays_text(ctx):
    s, rnd, member, template = ctx
    data = workbook_bytes(set_cells(C2="completed", F2=4, H2='=HYPERLINK("https://evil.example","x")'), template)
    assert scoresheet.import_sheet(session=s, actor=OPERATOR, rnd=rnd, member=member, data=data) == 1
    saved = s.exec(select(ScoreEntry)).one()
    assert saved.comment == ""  # a formula has no stored value: nothing of it is imported, nothing is evaluated
