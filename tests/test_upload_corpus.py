"""Uploaded score sheets: malformed, empty, huge, wrong-type and formula-bearing files are refused and change nothing."""

import io
import zipfile
from functools import partial

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from acplan.errors import InvalidInput, Issue
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


def bomb(ratio_target: int = 1000) -> bytes:
    """A valid-looking .xlsx whose sheet unpacks to ~50 MB of zeros while the file stays under 2 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (50 * 1024 * 1024) + b"</worksheet>")
    return buf.getvalue()


def patched(template: bytes, part: str, change) -> bytes:
    """The template with one part of its archive rewritten by `change(text) -> text`, as a damaged file would be."""
    src = zipfile.ZipFile(io.BytesIO(template))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info.filename, change(data.decode()).encode() if info.filename == part else data)
    return buf.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def cell_in_row_2(xml: str) -> callable:
    return lambda text: text.replace('<row r="2">', f'<row r="2">{xml}', 1)


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 9)) + "]>")
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def entity_sheet(prolog: str, entity: str) -> callable:
    """The sheet preceded by a DOCTYPE, with a comment cell that uses `entity`."""
    return lambda text: prolog + text.replace('<row r="2">', f'<row r="2"><c r="H2" t="inlineStr"><is><t>&{entity};</t>'
                                              '</is></c>', 1)


def meta_sheet_first(template: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    wb.move_sheet(wb.worksheets[1], offset=-1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_macros(template: bytes) -> bytes:
    buf = io.BytesIO(template)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
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
    ("zip bomb under 2 MB", lambda t: bomb(), "sheet_bomb"),
    ("xlsm renamed", with_macros, "sheet_macro"),
    ("truncated xml", lambda t: patched(t, SHEET, lambda x: x[: len(x) // 2]), "sheet_unreadable"),
    ("bad shared-string index", lambda t: patched(t, SHEET, cell_in_row_2('<c r="F2" t="s"><v>99999</v></c>')),
     "sheet_unreadable"),
    ("bad number", lambda t: patched(t, SHEET, cell_in_row_2('<c r="F2"><v>abc</v></c>')), "sheet_unreadable"),
    ("bad date", lambda t: patched(t, SHEET, cell_in_row_2('<c r="F2" t="d"><v>2024-13-45</v></c>')),
     "sheet_unreadable"),
    ("bad reference", lambda t: patched(t, SHEET, cell_in_row_2('<c r="ZZZZZ0"><v>1</v></c>')), "sheet_unreadable"),
    ("decimal comma score", lambda t: workbook_bytes(set_cells(C2="อยู่ระหว่างดำเนินการ", F2="0,5"), t), "score_invalid"),
    ("decimal comma progress", lambda t: workbook_bytes(set_cells(C2="อยู่ระหว่างดำเนินการ", E2="7,5", F2=3), t),
     "progress_invalid"),
    ("decimal progress", lambda t: workbook_bytes(set_cells(C2="อยู่ระหว่างดำเนินการ", E2=7.5, F2=3), t),
     "progress_invalid"),
    ("entity expansion (billion laughs)", lambda t: patched(t, SHEET, entity_sheet(LAUGHS, "lol8")), "sheet_unreadable"),
    ("external entity", lambda t: patched(t, SHEET, entity_sheet(XXE, "xxe")), "sheet_unreadable"),
    ("round sheet first", meta_sheet_first, "sheet_no_header"),
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


@pytest.mark.parametrize(("cells", "expected"), [
    ({"E2": "๗๕", "F2": "๔"}, (75, 4, None)), ({"E2": "７５", "F2": "４"}, (75, 4, None)),
    ({"E2": 40, "F2": 3, "G2": "1,200,000"}, (40, 3, 1_200_000)), ({"E2": "40", "F2": 3.0}, (40, 3, None))])
def test_thai_and_full_width_digits_and_thousands_separators_are_read(ctx, cells, expected):
    s, rnd, member, template = ctx
    data = workbook_bytes(set_cells(C2="อยู่ระหว่างดำเนินการ", **cells), template)
    assert scoresheet.import_sheet(session=s, actor=OPERATOR, rnd=rnd, member=member, data=data) == 1
    saved = s.exec(select(ScoreEntry)).one()
    assert (saved.progress_pct, saved.score, saved.spent_thb) == expected


def test_a_prefilled_rounds_template_imports_with_its_untouched_carried_rows_left_as_drafts(loaded_engine):
    from acplan.monitoring import entries, rounds
    from tests.factories import as_actor, entry_values, plan_id, project_id
    with Session(loaded_engine) as s:
        member = user(s, "m1")
        first = open_round(s, "2567-1")
        for n in range(1, 31):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=first, project_id=project_id(s, n),
                               entry_in=entries.parse_entry(entry_values(status="in_progress", progress=40)),
                               expected_version=None)
        entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=first)
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="close")
        second = open_round(s, "2567-2")  # pre-filled: 30 carried drafts with status and progress, no score
        template = scoresheet.member_template(session=s, actor=OPERATOR, rnd=second, member=member)
        with pytest.raises(InvalidInput) as err:  # unchanged: nothing to import, and no row is called wrong
            scoresheet.import_sheet(session=s, actor=OPERATOR, rnd=second, member=member, data=template)
        assert [i.code for i in err.value.issues] == ["sheet_no_rows"]
        # the confirmation counts what the import would write, and says before asking what it would refuse
        preview = partial(scoresheet.preview, session=s, actor=OPERATOR, rnd=second, member=member)
        assert preview(data=template)[:2] == (0, [Issue("sheet_no_rows")])
        bad = preview(data=workbook_bytes(set_cells(F2=7), template))
        assert bad[0] == 0 and [(i.code, i.row) for i in bad[1]] == [("score_invalid", 2)]
        filled = workbook_bytes(set_cells(E2=100, F2=5, C2="ดำเนินการแล้วเสร็จ", F3=4), template)
        assert preview(data=filled) == (2, [], [])
        assert scoresheet.import_sheet(session=s, actor=OPERATOR, rnd=second, member=member, data=filled) == 2
        states = {e.state for e in s.exec(select(ScoreEntry).where(ScoreEntry.round_id == second.id))}
        assert states == {"submitted", "draft"}
        assert len(s.exec(select(ScoreEntry).where(ScoreEntry.round_id == second.id,
                                                   ScoreEntry.state == "draft")).all()) == 28
