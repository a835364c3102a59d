"""The meeting pack: a Thai PDF with embedded fonts and an Excel workbook whose figures equal the store's."""

import io
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

from acplan.access import Actor
from acplan.db import make_engine
from acplan.errors import InvalidInput
from acplan.monitoring import entries, findings, rounds
from acplan.reporting import build_report
from tests.conftest import loaded_store, need
from tests.factories import OPERATOR, as_actor, entry_values, open_round, plan_id, project_id, user

TODAY = date(2026, 11, 27)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, template_root):
    """Round 2567-1 with two members' submitted scores and findings; round 2567-2 open with no scores."""
    engine = make_engine(loaded_store(tmp_path_factory.mktemp("report") / 'r.db', template_root))
    with Session(engine) as s:
        a, b, sec = user(s, "somchai"), user(s, "somsri"), user(s, "sec", "secretary")
        rnd = open_round(s, "2567-1")
        for member, scores in ((a, {1: 5, 2: 4, 19: 3}), (b, {1: 3, 2: 4, 19: 5})):
            for n, score in scores.items():
                entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, n),
                                   entry_in=entries.parse_entry(entry_values(score=score, status="completed" if n == 1 else "in_progress",
                                                       spent=30000 if n == 19 else 0)), expected_version=None)
            entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({"text": "ควรเผยแพร่รายงานการจัดซื้อจัดจ้างรายเดือน",
                             "severity": "high", "project_id": project_id(s, 4), "visibility": "public",
                             "responsible_unit": "กองคลัง", "due_date": date(2024, 6, 30)}))
        findings.add_finding(session=s, actor=as_actor(sec), rnd=rnd, finding_in=findings.parse_finding({"text": "ข้อค้นพบภายใน", "severity": "low",
                             "project_id": project_id(s, 5)}))
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        open_round(s, "2567-2", prefill=False)
        s.commit()
    yield engine
    engine.dispose()


def report(engine, code: str, fmt: str, internal: bool) -> bytes:
    with Session(engine) as s:
        return build_report(session=s, actor=OPERATOR, plan_id=plan_id(s), code=code, internal=internal, fmt=fmt, today=TODAY)


def searchable(text: str) -> str:
    """Text as a reader finds it: Unicode NFC, line breaks dropped (a name may wrap in a table cell)."""
    return unicodedata.normalize("NFC", text.replace("\n", ""))


def pdf_text(data: bytes) -> str:
    """The PDF's text layer as poppler's `pdftotext -raw` gives it: the text in the order it is drawn (a table cell's
    lines together; without -raw poppler interleaves the lines of side-by-side cells), as search and copy get it."""
    if not shutil.which("pdftotext"):
        need("poppler-utils (pdftotext) is not installed; run: apt-get install -y poppler-utils")
    return searchable(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                                     check=True).stdout.decode())


def squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def test_pdf_has_organisation_items_and_embedded_thai_font(seeded):
    data = report(seeded, "2567-1", "pdf", internal=True)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 5
    text = pdf_text(data)
    for expected in ("เทศบาลตำบลเชียงม่วน", "รายงานผลการติดตามประเมินผล", "โครงการจัดเวทีประชาคม", "มาตรการ NO Gift Policy",
                     "1 ต.ค. 2566", "หน้า 2 / ", "ข้อค้นพบภายใน"):
        assert searchable(expected) in text, expected
    assert "หน้า 1 /" not in text  # the cover carries no page number
    assert squeezed("4.00 ช่วง 3–5 (2 คน) ควรหารือ") in squeezed(text)  # item 1: scores 5 and 3, their range, a flag
    root = reader.trailer["/Root"]  # tagged for screen readers, in Thai
    assert (root["/Lang"], root["/MarkInfo"]["/Marked"], "/StructTreeRoot" in root) == ("th", True, True)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                descriptor = desc.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    fonts.add((str(desc.get_object()["/BaseFont"]).split("+")[-1], "/FontFile2" in descriptor.get_object()))
    assert ("Sarabun", True) in fonts and all(embedded for _, embedded in fonts)


def test_public_pdf_names_no_member_and_no_internal_finding(seeded):
    text = pdf_text(report(seeded, "2567-1", "pdf", internal=False))
    assert "somchai" not in text and "somsri" not in text
    assert "ข้อค้นพบภายใน" not in text and searchable("ควรเผยแพร่รายงานการจัดซื้อจัดจ้างรายเดือน") in text


def test_round_without_scores_still_renders_and_says_so(seeded):
    text = pdf_text(report(seeded, "2567-2", "pdf", internal=True))
    assert searchable("รอบนี้ยังไม่มีคะแนนที่ส่งแล้ว") in text
    wb = load_workbook(io.BytesIO(report(seeded, "2567-2", "xlsx", internal=True)))
    summary = {r[0]: r[1] for r in wb["สรุป"].iter_rows(min_row=2, values_only=True)}
    assert summary["รายการที่ประเมินแล้ว"] == "0 / 30" and summary["ผลประเมินภาพรวม (1–5)"] is None


def test_workbook_figures_equal_the_store(seeded):
    wb = load_workbook(io.BytesIO(report(seeded, "2567-1", "xlsx", internal=True)))
    assert wb.sheetnames == ["สรุป", "รายมิติ", "รายรายการ", "รายกรรมการ", "ข้อค้นพบ", "ค่าเป้าหมาย"]
    items = wb["รายรายการ"]
    assert items.freeze_panes == "A2" and items.auto_filter.ref == "A1:S31"
    assert (items.page_setup.orientation, items.page_setup.paperSize, items.print_title_rows) == ("landscape", 9, "$1:$1")
    rows = {r[0]: r for r in items.iter_rows(min_row=2, values_only=True)}
    assert rows[1][2:4] == ("โครงการ", "สำนักปลัด")
    assert rows[1][5:12] == ("ดำเนินการแล้วเสร็จ", 0.5, 4.0, 4.0, 3, 5, 2)   # SCORING.md: (5 + 3) / 2
    assert rows[2][7] == 4.0 and rows[19][7] == 4.0 and rows[19][14] == 30000
    assert rows[3][11] == 0 and rows[3][7] is None
    assert items["N2"].number_format == '#,##0" บาท"' and items["G2"].number_format == "0%"
    assert items["P2"].number_format == "0.0%" and items["B2"].alignment.wrap_text
    members = list(wb["รายกรรมการ"].iter_rows(min_row=2, values_only=True))
    assert len(members) == 6 and {m[0] for m in members} == {"ผู้ใช้ somchai", "ผู้ใช้ somsri"}  # names, not usernames
    summary = {r[0]: r[1] for r in wb["สรุป"].iter_rows(min_row=2, values_only=True)}
    assert summary["ผลประเมินภาพรวม (1–5)"] == 4.0
    assert summary["รายการที่ประเมินแล้ว"] == "3 / 30"
    assert summary["จัดทำเมื่อ"].date() == TODAY  # a date, shown in the Buddhist Era by its number format
    dims = list(wb["รายมิติ"].iter_rows(min_row=2, values_only=True))
    assert [d[0] for d in dims][-1] == "รวมทั้งแผน" and dims[-1][1] == 30 and dims[-1][9] == 30000
    assert sum(d[1] for d in dims[:-1]) == 30 and sum(d[8] for d in dims[:-1]) == dims[-1][8]
    assert dims[-1][-1] == summary["ผลประเมินภาพรวม (1–5)"]  # the whole plan's result is the round's, as summarised
    findings = {r[1]: r for r in wb["ข้อค้นพบ"].iter_rows(min_row=2, values_only=True)}
    assert findings["ควรเผยแพร่รายงานการจัดซื้อจัดจ้างรายเดือน"][5].date() == date(2024, 6, 30)
    assert wb["ข้อค้นพบ"]["F2"].number_format == "[$-107041E]d mmmm yyyy"
    assert wb["ค่าเป้าหมาย"]["B2"].value == 65


def test_public_workbook_has_no_member_sheet(seeded):
    wb = load_workbook(io.BytesIO(report(seeded, "2567-1", "xlsx", internal=False)))
    assert "รายกรรมการ" not in wb.sheetnames
    assert [r[1] for r in wb["ข้อค้นพบ"].iter_rows(min_row=2, values_only=True)] == [
        "ควรเผยแพร่รายงานการจัดซื้อจัดจ้างรายเดือน"]


def test_pdf_pages_render_to_png(seeded, tmp_path):
    if not shutil.which("pdftoppm"):
        need("poppler-utils (pdftoppm) is not installed; run: apt-get install -y poppler-utils")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report(seeded, "2567-1", "pdf", internal=True))
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))  # pdftoppm pads the number to the page count's width
    assert len(pages) == 2 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in pages)


def test_report_command_writes_both_formats(tmp_path, cli, template_root):
    from tests.conftest import loaded_store
    env = {"ACPLAN_DATABASE_URL": loaded_store(tmp_path / "cli.db", template_root)}
    assert cli("round", "create", "2569", "2", env=env)[0] == 0
    for name in ("r.pdf", "r.xlsx"):
        code, _, err = cli("report", "--round", "2569-2", "-o", str(tmp_path / name), env=env)
        assert code == 0, err
        assert (tmp_path / name).stat().st_size > 1000
        # A draft round has no public edition: refused, and nothing is written.
        code, _, err = cli("report", "--round", "2569-2", "-o", str(tmp_path / f"public-{name}"), "--public", env=env)
        assert code == 1 and err.startswith("รอบ 2569-2 ยังไม่ได้เผยแพร่ จึงยังไม่มีฉบับเผยแพร่ต่อสาธารณะ")
        assert not (tmp_path / f"public-{name}").exists()
    assert cli("report", "--round", "2569-2", "-o", str(tmp_path / "r.txt"), env=env)[0] == 2
    code, _, err = cli("report", "--round", "2568-1", "-o", str(tmp_path / "x.pdf"), env=env)
    assert code == 1 and "ยังไม่มีรอบ 2568-1" in err


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_an_unpublished_rounds_report_says_draft_on_every_page_and_has_no_public_edition(seeded):
    pages = page_texts(report(seeded, "2567-2", "pdf", internal=True))
    assert len(pages) >= 3 and all("DRAFT" in text for text in pages)
    assert not any("DRAFT" in text for text in page_texts(report(seeded, "2567-1", "pdf", internal=True)))
    wb = load_workbook(io.BytesIO(report(seeded, "2567-2", "xlsx", internal=True)))
    assert {ws.oddHeader.center.text for ws in wb.worksheets} == {"ร่าง · DRAFT"}
    published = load_workbook(io.BytesIO(report(seeded, "2567-1", "xlsx", internal=True)))
    assert {ws.oddHeader.center.text for ws in published.worksheets} == {None}
    for fmt in ("pdf", "xlsx"):
        with pytest.raises(InvalidInput) as err:
            report(seeded, "2567-2", fmt, internal=False)
        assert [i.code for i in err.value.issues] == ["pack_public_unpublished"]


def test_the_report_carries_what_a_thai_committee_report_does(seeded):
    """The round named as Thai practice names it; per dimension (with its name) and for the plan: statuses,
    planned against spent with its share; per item its kind, unit, the year's budget beside spending; the
    ITA and case-reduction targets met or not; no glyph from outside the shipped fonts, no reference to SCORING.md."""
    from acplan.reporting.data import gather

    with Session(seeded) as s:
        data = gather(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", internal=True, today=TODAY)
    total = data.dimension_table.set_index("dimension").loc[0]
    assert total["items"] == 30 and total["completed"] == 1 and total["in_progress"] == 2 and total["not_scored"] == 27
    assert total["budget_thb"] == data.budget_year_thb and total["spent_thb"] == data.spent_thb == 30000
    assert total["spent_pct"] == round(100 * 30000 / data.budget_year_thb, 1)
    item19 = data.items.set_index("number").loc[19]
    assert item19["spent_pct"] == (round(100 * 30000 / item19["budget_thb"], 1) if item19["budget_thb"] else None)
    text = pdf_text(report(seeded, "2567-1", "pdf", internal=True))
    for expected in ("รอบ 6 เดือน (1 ต.ค. 2566 – 31 มี.ค. 2567)", "รวมทั้งแผน", "มิติที่ 1 การสร้างวัฒนธรรมสุจริต",
                     f"ร้อยละ {total['spent_pct']:.1f} ของงบตามแผน", "ผลเป้าหมายคดี",
                     "ผลประเมินรายมิติ (1–5)", "งบตามแผนของปีเทียบกับที่ใช้จ่ายจริง รายมิติ"):
        assert searchable(expected) in text, expected
    assert "SCORING" not in text and "⚠" not in text


def test_a_spreadsheet_program_shows_the_workbooks_dates_in_the_buddhist_era_and_baht_grouped(seeded, tmp_path):
    from tests.test_exports_safe import libreoffice_csv

    shown = libreoffice_csv(tmp_path, report(seeded, "2567-1", "xlsx", internal=True), "r.xlsx")
    assert "จัดทำเมื่อ,27 พฤศจิกายน 2569" in shown  # TODAY, 27 Nov 2026, as a Thai reader writes it
    assert "30 มิถุนายน 2567" in shown  # the finding's due date
    assert '"30,000 บาท"' in shown


def test_each_item_and_the_round_show_their_change_from_the_round_before(loaded_engine):
    with Session(loaded_engine) as s:
        member = user(s, "m1")
        for code, score in (("2567-1", 3), ("2567-2", 4)):
            rnd = open_round(s, code, prefill=False)
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 1),
                               entry_in=entries.parse_entry(entry_values(score=score)), expected_version=None)
            entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
            for action in ("close", "publish"):
                rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code=code, action=action)
        s.commit()
        public = build_report(session=s, actor=Actor.anonymous(), plan_id=plan_id(s), code="2567-2", internal=False,
                              fmt="xlsx", today=TODAY)
    text = pdf_text(report(loaded_engine, "2567-2", "pdf", internal=True))
    assert searchable("เทียบรอบ 2567-1: +1.00") in text
    items = load_workbook(io.BytesIO(public))["รายรายการ"]
    heads = [c.value for c in items[1]]
    change = heads.index("เทียบรอบ 2567-1")
    assert items.cell(2, change + 1).value == 1.0 and items.cell(3, change + 1).value is None
    assert heads[change + 1] == "เทียบรอบ —"  # no round 2566-2 to compare with


def test_the_report_and_meeting_dates_are_typed_in_the_buddhist_era_and_the_report_is_addressed(tmp_path, cli,
                                                                                                 template_root):
    from tests.conftest import loaded_store
    env = {"ACPLAN_DATABASE_URL": loaded_store(tmp_path / "cli.db", template_root)}
    assert cli("round", "create", "2569", "2", env=env)[0] == 0
    out = tmp_path / "r.pdf"
    code, _, err = cli("report", "--round", "2569-2", "-o", str(out), "--report-date", "27/11/2569",
                       "--meeting-date", "4 ธ.ค. 2569", env=env)
    assert code == 0, err
    text = pdf_text(out.read_bytes())
    for expected in ("จัดทำเมื่อ 27 พฤศจิกายน 2569", "เสนอในการประชุมคณะกรรมการ วันที่ 4 ธันวาคม 2569",
                     "เรียน นายกเทศมนตรีตำบลเชียงม่วน", "รอบ 12 เดือน (1 ต.ค. 2568 – 30 ก.ย. 2569)"):
        assert searchable(expected) in text, expected
    code, _, err = cli("report", "--round", "2569-2", "-o", str(tmp_path / "x.pdf"), "--meeting-date", "2026-12-04",
                       env=env)
    assert code == 2 and "วันประชุม" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_the_word_edition_holds_the_same_report_in_sarabun_and_a_word_processor_opens_it(seeded, tmp_path):
    """An editable .docx: python-docx reads every item name and the organisation back exactly (the text is the
    text, not glyphs), Sarabun is named for Thai, and LibreOffice opens it and lays it out on A4 pages."""
    from docx import Document
    from docx.oxml.ns import qn

    from tests.test_exports_safe import soffice

    data = report(seeded, "2567-1", "docx", internal=True)
    doc = Document(io.BytesIO(data))
    text = "\n".join([*(p.text for p in doc.paragraphs),
                      *(c.text for table in doc.tables for row in table.rows for c in row.cells)])
    assert "เทศบาลตำบลเชียงม่วน" in text and "รอบ 6 เดือน (1 ต.ค. 2566 – 31 มี.ค. 2567)" in text
    assert "เรียน นายกเทศมนตรีตำบลเชียงม่วน" in text and "ผู้ใช้ somchai" in text and "(ผู้ใช้ sec)" in text
    with Session(seeded) as s:
        from acplan.plan.queries import list_item_refs
        names = [i.name_th for i in list_item_refs(session=s, plan_id=plan_id(s))]
    assert [n for n in names if n not in text] == []
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:cs")} == {"Sarabun"}
    assert round(doc.sections[0].page_width.cm, 1) == 21.0 and len(doc.tables) >= 5
    assert len(doc.inline_shapes) == 2  # the two dimension charts
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.docx").write_bytes(data)
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "in" / "r.docx")],
                   check=True, capture_output=True, timeout=180)
    pages = PdfReader(tmp_path / "out" / "r.pdf").pages
    assert len(pages) >= 5 and round(float(pages[0].mediabox.width) / 72 * 2.54, 1) == 21.0


def test_members_comments_and_obstacles_are_listed_per_item_in_the_internal_edition_only(loaded_engine):
    with Session(loaded_engine) as s:
        a, b = user(s, "m1"), user(s, "m2")
        rnd = open_round(s, "2567-1", prefill=False)
        for member, values in ((a, entry_values(comment="จัดอบรมแล้ว 2 ครั้ง <b>มีรายชื่อผู้เข้าร่วม</b>")),
                               (b, entry_values(status="not_possible", progress=0, score=1,
                                                not_possible_reason="no_budget"))):
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 3),
                               entry_in=entries.parse_entry(values), expected_version=None)
            entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        for action in ("close", "publish"):
            rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action=action)
        s.commit()
    internal = pdf_text(report(loaded_engine, "2567-1", "pdf", internal=True))
    for expected in ("ลำดับที่ 3", "ผู้ใช้ m1: จัดอบรมแล้ว 2 ครั้ง <b>มีรายชื่อผู้เข้าร่วม</b>",  # as typed, never markup
                     "ไม่ได้รับงบประมาณ (กรรมการ 1 คน)"):
        assert searchable(expected) in internal, expected
    public = pdf_text(report(loaded_engine, "2567-1", "pdf", internal=False))
    assert "จัดอบรมแล้ว" not in public and "ผู้ใช้ m1" not in public


def test_indicators_show_their_targets_and_what_members_recorded_once_the_round_is_not_sealed(loaded_engine):
    from acplan.monitoring import evaluation
    from acplan.plan.queries import list_indicators

    with Session(loaded_engine) as s:
        a, b = user(s, "m1"), user(s, "m2")
        rnd = open_round(s, "2567-1", prefill=False)
        first = list_indicators(session=s, project_id=project_id(s, 1))[0]["id"]
        for member, value, achieved in ((a, 2, True), (b, 1, False)):
            values = entry_values() | {"indicators": {first: {"actual_value": value, "achieved": achieved}}}
            entries.save_entry(session=s, actor=as_actor(member), member=member, rnd=rnd, project_id=project_id(s, 1),
                               entry_in=entries.parse_entry(values), expected_version=None)
            entries.submit_entries(session=s, actor=as_actor(member), member=member, rnd=rnd)
        s.commit()
        sealed = evaluation.indicator_results(session=s, actor=as_actor(a), plan_id=plan_id(s), round_id=rnd.id)
        assert sealed["recorded"].sum() == 0  # open round: a member learns nothing of the others
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", action="close")
        s.commit()
        table = evaluation.indicator_results(session=s, actor=OPERATOR, plan_id=plan_id(s), round_id=rnd.id)
    row = table[(table["number"] == 1) & (table["seq"] == table[table["number"] == 1]["seq"].min())].iloc[0]
    assert (row["recorded"], row["actual_median"], row["achieved"]) == (2, 1.5, 1)
    assert set(table["number"]) == set(range(1, 31))  # every item's indicators are listed
    text = pdf_text(report(loaded_engine, "2567-1", "pdf", internal=True))
    squeezed = "".join(text.split())  # a narrow cell wraps the phrase
    assert "กรรมการ1จาก2คนเห็นว่าบรรลุ" in squeezed and searchable("ไม่น้อยกว่า1ครั้งต่อปี") in squeezed


def test_pdf_text_layer_is_exact(seeded):
    """Search, copy and screen readers get the Thai that was typed: every item name, the organisation and every
    member's name verbatim in poppler's text (NFC, whitespace ignored), in both editions. Before, SARA AM read
    as SARA AA (ตำบล → ตาบล) and tone marks moved (ที่ → ท่ี), so 10 of 30 item names could be found."""
    with Session(seeded) as s:
        from acplan.plan.queries import list_item_refs
        names = [i.name_th for i in list_item_refs(session=s, plan_id=plan_id(s))]
    assert len(names) == 30
    for internal in (True, False):
        text = squeezed(pdf_text(report(seeded, "2567-1", "pdf", internal=internal)))
        expected = [*names, "เทศบาลตำบลเชียงม่วน", "นายกเทศมนตรีตำบลเชียงม่วน",
                    *(["ผู้ใช้ somchai", "ผู้ใช้ somsri", "ผู้ใช้ sec"] if internal else [])]
        assert [n for n in expected if squeezed(n) not in text] == [], internal


def test_pdf_glyph_map_reads_each_glyph_as_its_own_character():
    """For viewers that ignore /ActualText, each glyph's ToUnicode entry is the character the glyph draws (and a
    NIKHAHIT + tone ligature its two marks), never the cluster it was first drawn in: ำ reads as ํ + า (the same
    look), so pypdf's extraction, which reads only the glyph map, finds the words after NFKC."""
    from acplan.reporting import pdftext
    from acplan.reporting.pdf import FONT_DIR

    own = pdftext.own_chars((FONT_DIR / "Sarabun-Regular.ttf").read_bytes())
    assert "\u0e33" not in "".join(own.values()) or own.get(_glyph("uni0E33")) == "\u0e33"
    assert own[_glyph("uni0E32")] == "\u0e32" and own[_glyph("uni0E4D")] == "\u0e4d"
    assert own[_glyph("uni0E4D0E48")] in ("\u0e4d\u0e48", "\u0e48\u0e4d")  # a ligature: both its marks

    import weasyprint
    pdftext.install()
    words = "เทศบาลตำบลเชียงม่วน น้ำ ค่ำ ที่ กิจกรรม"
    html = (f"<html lang=th><style>@font-face {{ font-family: S; src: url({FONT_DIR.as_uri()}/Sarabun-Regular.ttf) }}"
            f"</style><body style='font-family: S'><p>{words}</p></body></html>")
    data = weasyprint.HTML(string=html).write_pdf()
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    nfkc = lambda t: "".join(unicodedata.normalize("NFKC", t).split())  # noqa: E731
    assert [w for w in words.split() if nfkc(w) not in nfkc(extracted)] == []
    assert squeezed(words) in squeezed(pdf_text(data))


def _glyph(name: str) -> int:
    from fontTools.ttLib import TTFont

    from acplan.reporting.pdf import FONT_DIR
    return TTFont(FONT_DIR / "Sarabun-Regular.ttf", lazy=True).getGlyphID(name)


def _png(path, size=(120, 120)):
    from PIL import Image
    Image.new("RGB", size, (11, 83, 148)).save(path)
    return path


def test_the_pack_lists_the_committee_ends_with_its_conclusion_and_a_signature_block(tmp_path, cli, template_root):
    """Through the command line as a secretary would: positions and duties on the accounts, the conclusion typed
    (HTML-looking text stays text), the emblem from ACPLAN_LOGO_FILE; the internal edition names the people, chair
    first, and signs with names; the public edition shows the plan's seats and leaves the names to the pen."""
    from tests.conftest import loaded_store
    env = {"ACPLAN_DATABASE_URL": loaded_store(tmp_path / "cli.db", template_root),
           "ACPLAN_LOGO_FILE": str(_png(tmp_path / "emblem.png"))}
    for username, name, role, position, duty in (
            ("chair1", "นายสมชาย ใจดี", "committee", "ผู้ทรงคุณวุฒิ", "chair"),
            ("mem1", "นางสาวสมศรี รักงาน", "committee", "ผู้แทนสมาชิกสภา", None),
            ("sec1", "นายปลัด ตั้งใจ", "secretary", "ปลัดเทศบาลตำบลเชียงม่วน", None)):
        args = ["user", "add", username, "--role", role, "--name", name, "--password-stdin", "--position", position]
        assert cli(*args, *(["--duty", duty] if duty else []), stdin=f"{username}-long-password-9\n", env=env)[0] == 0
    assert cli("user", "set-place", "mem1", "--position", "ผู้แทนสมาชิกสภา", "--duty", "vice_chair", env=env)[0] == 0
    code, _, err = cli("user", "set-place", "mem1", "--position", "x" * 201, env=env)
    assert code == 1 and "ตำแหน่งยาวได้ไม่เกิน 200 ตัวอักษร" in err
    assert cli("round", "create", "2569", "1", env=env)[0] == 0
    conclusion = "คณะกรรมการเห็นว่าการดำเนินการเป็นไปตามแผน <b>ร้อยละ 80</b>\n\nควรเร่งรัดมิติที่ 3 ในรอบถัดไป"
    assert cli("round", "conclusion", "2569-1", "--text-stdin", stdin=conclusion + "\n", env=env)[0] == 0
    out = tmp_path / "r.pdf"
    assert cli("report", "--round", "2569-1", "-o", str(out), env=env)[0] == 0
    text = pdf_text(out.read_bytes())
    at = [text.index(s) for s in ("6. คณะกรรมการ", "นายสมชาย ใจดี", "ผู้ทรงคุณวุฒิ", "ประธานกรรมการ", "นางสาวสมศรี รักงาน",
                                  "รองประธานกรรมการ", "นายปลัด ตั้งใจ", "กรรมการและเลขานุการ")]
    assert at == sorted(at)  # chair, vice-chair, then the secretary
    assert "คณะกรรมการเห็นว่าการดำเนินการเป็นไปตามแผน <b>ร้อยละ 80</b>" in text
    assert "ควรเร่งรัดมิติที่ 3 ในรอบถัดไป" in text
    tail = text[text.index("7. สรุปผลการติดตาม"):]
    assert "(นายสมชาย ใจดี)" in tail and "(นายปลัด ตั้งใจ)" in tail and "ปลัดเทศบาลตำบลเชียงม่วน" in tail
    cover = PdfReader(out).pages[0]
    assert any(str(x.get_object()["/Subtype"]) == "/Image" for x in cover["/Resources"]["/XObject"].values())
    # the Word edition carries the same
    docx = tmp_path / "r.docx"
    assert cli("report", "--round", "2569-1", "-o", str(docx), env=env)[0] == 0
    from docx import Document
    doc = Document(docx)
    words = "\n".join([*(p.text for p in doc.paragraphs),
                       *(c.text for t in doc.tables for row in t.rows for c in row.cells)])
    assert "(นายสมชาย ใจดี)" in words and "ควรเร่งรัดมิติที่ 3 ในรอบถัดไป" in words
    assert round(doc.inline_shapes[0].height.cm, 1) == 3.0  # the emblem heads the cover
    # published: the public edition lists the seats the plan sets, no names, the conclusion as typed
    for action in ("open", "close", "publish"):
        assert cli("round", action, "2569-1", *([] if action == "open" else ["--early", "--reason", "ทดสอบก่อนสิ้นรอบ"]),
                   env=env)[0] == 0
    code, _, err = cli("round", "conclusion", "2569-1", "--text-stdin", stdin="แก้หลังเผยแพร่", env=env)
    assert code == 1 and "เผยแพร่แล้ว" in err
    public = tmp_path / "p.pdf"
    assert cli("report", "--round", "2569-1", "-o", str(public), "--public", env=env)[0] == 0
    text = pdf_text(public.read_bytes())
    assert "ผู้แทนชุมชนองค์กรภาคประชาชน ภาคเอกชน" in text and "ควรเร่งรัดมิติที่ 3 ในรอบถัดไป" in text
    assert not any(n in text for n in ("นายสมชาย", "สมศรี", "นายปลัด"))


def test_a_rounds_conclusion_is_audited_refused_when_too_long_and_kept_as_typed(loaded_engine):
    from acplan.errors import Conflict, NotAllowed
    from acplan.monitoring.models import AuditLog
    with Session(loaded_engine) as s:
        rnd = open_round(s, "2567-1")
        version = rnd.version
        with pytest.raises(InvalidInput) as exc:
            rounds.set_conclusion(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", text="ก" * 5001)
        assert exc.value.issues[0].code == "conclusion_too_long" and rnd.conclusion_th == ""
        typed = "  บรรทัดแรก\n  บรรทัดสอง  \n"
        rounds.set_conclusion(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", text=typed, was="")
        assert rnd.conclusion_th == "บรรทัดแรก\n  บรรทัดสอง" and rnd.version == version + 1
        with pytest.raises(Conflict):
            rounds.set_conclusion(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2567-1", text="อื่น", was="")
        rows = s.exec(select(AuditLog).where(AuditLog.action == "round.conclusion")).all()
        assert len(rows) == 1 and rows[0].entity_id == "2567-1"
        with pytest.raises(NotAllowed):
            rounds.set_conclusion(session=s, actor=as_actor(user(s, "m1")), plan_id=plan_id(s), code="2567-1", text="x")


def test_the_pdfs_charts_are_text_every_bar_with_its_value_and_no_chart_engine_is_loaded(seeded):
    """The charts are tables of bars: each figure is in the text layer beside its label (a screen reader reads a
    table, a photocopy keeps the numbers); making the PDF loads neither Altair nor vl-convert (their JavaScript
    engine was a quarter of the pack's memory)."""
    text = pdf_text(report(seeded, "2567-1", "pdf", internal=True))
    charts = text[text.index("2. แผนภูมิ"):text.index("3. ผลรายรายการ")]
    for label in ("งบตามแผนของปีเทียบกับที่ใช้จ่ายจริง รายมิติ", "ผลประเมินรายมิติ (1–5)", "สถานะการดำเนินงานของรายการ",
                  "งบประมาณตามมิติและปีงบประมาณ", "คะแนน ITA: เป้าหมายและผลจริง"):
        assert label in charts, label
    for pair in ("มิติที่ 1 190,000", "ปีงบ 2566 190,000", "ปีงบ 2566 65 ยังไม่ได้บันทึก"):  # label, then its values
        assert squeezed(pair) in squeezed(charts), pair
    code = ("import sys; from tests.test_report import *; from tests.conftest import PLAN_FILE\n"
            "from acplan.db import make_engine; from acplan.plan.load import init_store\n"
            "import tempfile, pathlib; d = pathlib.Path(tempfile.mkdtemp())\n"
            "e = make_engine(f'sqlite:///{d}/r.db'); init_store(e, PLAN_FILE, actor=OPERATOR)\n"
            "with Session(e) as s: open_round(s, '2567-1'); s.commit()\n"
            "assert report(e, '2567-1', 'pdf', internal=True)[:5] == b'%PDF-'\n"
            "print(sorted(m for m in ('altair', 'vl_convert', 'weasyprint') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split()[-1] == "['weasyprint']"


def test_print_chart_bars_are_in_proportion_and_leave_room_for_their_values():
    import pandas as pd

    from acplan.reporting import printcharts
    table = pd.DataFrame({"dimension": [1, 2, 0], "result": [3.14, None, 3.14], "budget_thb": [190000, 0, 190000],
                          "spent_thb": [95000, float("nan"), 95000]})
    money = printcharts.planned_vs_spent(table, "th")
    assert [(g.label, [(b.text, b.series) for b in g.bars]) for g in money.groups] == [
        ("มิติที่ 1", [("190,000", 0), ("95,000", 1)]), ("มิติที่ 2", [("0", 0)])]  # no spending bar where none reported
    planned, spent = money.groups[0].bars
    assert spent.pct == round(planned.pct / 2, 1) and planned.pct == round(100 / printcharts.HEADROOM, 1)
    scores = printcharts.dimension_scores(table, "th")
    assert [(g.label, g.bars[0].text) for g in scores.groups] == [("มิติที่ 1", "3.14")]  # unscored left out
    assert scores.groups[0].bars[0].pct == round(100 * 3.14 / (5 * printcharts.HEADROOM), 1)
    panels = printcharts.budget_by_dimension_year(pd.DataFrame(
        {"dimension": [1, 1, 2, 2, 3, 3, 4, 4], "fiscal_year_be": [2566, 2567] * 4,
         "amount_thb": [100, 200, 0, 50, 0, 0, 0, 0]}), "th")
    assert [p.title for p in panels] == ["มิติที่ 1", "มิติที่ 2", "มิติที่ 3", "มิติที่ 4"]
    assert panels[1].groups[1].bars[0].pct == round(panels[0].groups[1].bars[0].pct / 4, 1)  # one scale for all


def test_the_cyclic_collector_paused_for_a_render_is_running_again_afterwards_even_after_a_failure():
    import gc

    from acplan.reporting.pdf import cyclic_gc_paused
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("layout failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
