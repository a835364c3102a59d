"""The meeting pack as an editable Word document: the PDF's sections and tables, charts as images, A4, Sarabun
named as the font of Thai (complex-script) and Latin text, so the secretary can adjust wording before the
chair signs. python-docx and vl-convert are imported only here."""

import io
from functools import partial
from urllib.parse import urlparse
from urllib.request import url2pathname

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from acplan import format as fmt
from acplan.i18n import describe, t
from acplan.monitoring import scoring
from acplan.plan import figures
from acplan.plan.labels import kind_label
from acplan.reporting import charts
from acplan.reporting.data import ReportData
from acplan.reporting.pdf import FONT_DIR, signed

FONT = "Sarabun"
A4 = (Cm(21.0), Cm(29.7))


def _font(style, size_pt: float, bold: bool = False) -> None:
    """Name Sarabun for every script (Latin, East Asian, complex: Thai is a complex script in Word) and size."""
    style.font.name, style.font.size, style.font.bold = FONT, Pt(size_pt), bold
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    size_cs = r_pr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = r_pr.makeelement(qn("w:szCs"), {})
        r_pr.append(size_cs)
    size_cs.set(qn("w:val"), str(int(size_pt * 2)))
    if bold:
        r_pr.append(r_pr.makeelement(qn("w:bCs"), {}))


def _num(v, digits: int = 2) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:.{digits}f}"


def _money(v) -> str:
    return "—" if v is None or pd.isna(v) else fmt.number(int(v))


TABLE_TEXT = "acplan table text"
WIDTH_CM = 17.0  # A4 less the margins


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float] | None = None, total: bool = False):
    """A bordered table in 11 pt whose header row repeats on every page; columns `widths_cm` wide (the first takes
    what is left when none are given)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    head = table.rows[0]._tr.get_or_add_trPr()  # the header row repeats on every page
    head.append(head.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = "" if text is None else str(text)
            if total and i == len(rows) - 1:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    widths_cm = widths_cm or [WIDTH_CM - 2.0 * (len(headers) - 1)] + [2.0] * (len(headers) - 1)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                paragraph.style = doc.styles[TABLE_TEXT]
    return table


def _chart_pngs(data: ReportData) -> list[bytes]:
    import vl_convert as vlc

    vlc.register_font_directory(str(FONT_DIR))
    specs = [charts.planned_vs_spent_by_dimension(data.dimension_table, lang="th")]
    if data.scored:
        specs += [charts.dimension_scores(data.dimension_table, lang="th")]
    out = []
    for chart in specs:
        spec = chart.properties(width=560).to_dict()
        spec["config"]["legend"]["orient"] = "bottom"
        out.append(vlc.vegalite_to_png(spec, scale=2))
    return out


def _committee_and_conclusion(doc, data: ReportData, tr) -> None:
    """The committee (people with positions and duties in the internal edition, the plan's seats otherwise), the
    committee's conclusion as typed, and a signature block for the chair and the secretary."""
    doc.add_heading(tr("pack_h_committee"), level=1)
    if data.internal and data.committee:
        _table(doc, [tr("pack_no"), tr("pack_col_name"), tr("pack_col_position"), tr("pack_col_duty")],
               [[str(i), p["name"], p["position"] or "—", p["duty_label"]] for i, p in enumerate(data.committee, 1)],
               [1.2, 5.2, 6.4, 4.2])
    elif data.committee_seats:
        doc.add_paragraph(tr("pack_committee_seats", name=data.committee_name))
        _table(doc, [tr("pack_col_position"), tr("pack_col_duty"), tr("pack_col_seats")],
               [[seat["position"], seat["duty"], str(seat["head_count"])] for seat in data.committee_seats],
               [9.0, 6.0, 2.0])
    if data.internal:
        doc.add_paragraph(tr("pack_members_scored", n=len(data.members)) +
                          (": " + ", ".join(data.members) if data.members else ""))
    doc.add_heading(tr("pack_h_conclusion"), level=1)
    paragraphs = [p for p in data.conclusion.splitlines() if p.strip()]
    for text in paragraphs or [tr("pack_no_conclusion") if data.internal else "—"]:
        doc.add_paragraph(text).paragraph_format.first_line_indent = Cm(1.25) if paragraphs else None
    signatures = doc.add_table(rows=1, cols=len(data.signatories))
    for cell, person in zip(signatures.rows[0].cells, data.signatories, strict=True):
        lines = [f"{tr('pack_sign')} ......................................",
                 f"({person['name']})" if person["name"] else tr("pack_sign_blank"),
                 *([person["position"]] if person["position"] else []), person["duty_label"]]
        cell.text = "\n".join(lines)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def render_docx(data: ReportData, lang: str = "th") -> bytes:
    tr = partial(t, lang=lang)
    doc = Document()
    section = doc.sections[0]
    section.orientation, (section.page_width, section.page_height) = WD_ORIENT.PORTRAIT, A4
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Cm(2.2), Cm(1.8), Cm(2), Cm(2)
    _font(doc.styles["Normal"], 14)  # Thai official documents: Sarabun 14–16 pt
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 15)):
        _font(doc.styles[name], size, bold=True)
    _font(doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH), 11)
    if data.draft:
        section.header.paragraphs[0].text = tr("pack_draft_mark")
    if data.logo and not data.logo.endswith(".svg"):  # Word takes PNG and JPEG; an SVG emblem stays in the PDF
        doc.add_picture(url2pathname(urlparse(data.logo).path), height=Cm(3))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (data.org_name, f"{data.plan_title} ({data.plan_period})"):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph(tr("pack_title", code=data.round_code), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (data.round_label, tr("pack_generated", date=fmt.date_long(data.generated)),
                 *([tr("pack_meeting", date=fmt.date_long(data.meeting_date))] if data.meeting_date else [])):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if data.addressee:
        doc.add_paragraph(tr("pack_to", to=data.addressee))
        doc.add_paragraph(tr("pack_intro", round=data.round_label, plan=data.plan_title))

    doc.add_heading(tr("pack_h_summary"), level=1)
    spent = fmt.baht(data.spent_thb) + (f" ({tr('pack_percent_of_plan', n=_num(100 * data.spent_thb / data.budget_year_thb, 1))})"
                                       if data.budget_year_thb else "")
    _table(doc, [tr("pack_topic"), tr("pack_value")], [
        [tr("pack_overall"), _num(data.overall)], [tr("pack_scored"), f"{data.scored} / {len(data.items)}"],
        [tr("pack_budget_year", year=fmt.fiscal_year_label(data.fiscal_year_be)), fmt.baht(data.budget_year_thb)],
        [tr("pack_spent"), spent]], [8.0, 9.0])
    doc.add_paragraph()
    _table(doc, [tr("pack_dimension"), tr("pack_items_n"), tr("pack_completed_short"), tr("pack_in_progress_short"),
                 tr("pack_not_started_short"), tr("pack_not_possible_short"), tr("pack_planned_short"),
                 tr("pack_spent_short"), tr("pack_result")],
           [[f"{tr('pack_dimension_n', n=r.dimension)} {r.name_th}" if r.dimension else tr("pack_whole_plan"), r.items,
             r.completed, r.in_progress, r.not_started, r.not_possible, _money(r.budget_thb), _money(r.spent_thb),
             _num(r.result)] for r in data.dimension_table.itertuples()],
           [4.6, 1.3, 1.4, 1.6, 1.6, 1.6, 1.8, 1.8, 1.3], total=True)

    doc.add_heading(tr("pack_h_charts"), level=1)
    for png in _chart_pngs(data):
        doc.add_picture(io.BytesIO(png), width=Cm(16.5))

    doc.add_heading(tr("pack_h_items"), level=1)
    rows = []
    for r in data.items.itertuples():
        notes = [describe(i, lang) for i in scoring.inconsistencies(
            r.status if isinstance(r.status, str) else None, r.progress_pct, r.spent_thb, r.budget_thb, r.mean)]
        moves = [tr("pack_change_from", code=code, change=signed(v)) for code, v in
                 ((data.prev_code, r.change_prev), (data.year_code, r.change_year))
                 if code and v is not None and not pd.isna(v)]
        name = "\n".join([r.name_th, f"{kind_label(r.kind, lang)} · {r.unit}", *moves,
                          *(f"{tr('pack_check')}: {n}" for n in notes)])
        score = "\n".join([_num(r.mean), *([tr("pack_score_range", lo=_num(r.min, 0), hi=_num(r.max, 0), n=r.n)]
                                            if r.n and not pd.isna(r.min) else []), *([tr("pack_discuss")] if r.flag else [])])
        rows.append([r.number, name, tr(f"status_{r.status if isinstance(r.status, str) else 'not_scored'}"),
                     _num(r.progress_pct, 0), score,
                     _money(r.budget_thb), _money(r.spent_thb), _num(r.spent_pct, 1)])
    _table(doc, [tr("pack_no"), tr("pack_item"), tr("pack_finding_status"), tr("pack_progress"), tr("pack_mean"),
                 tr("pack_planned_short"), tr("pack_spent_short"), tr("pack_spent_pct")], rows,
           [1.0, 6.0, 2.7, 1.4, 1.5, 1.8, 1.8, 1.8])
    doc.add_paragraph(tr("pack_flag_note"))

    if data.unit_reports is not None and not data.unit_reports.empty:
        doc.add_heading(tr("pack_h_unit_reports"), level=2)
        for u in data.unit_reports.itertuples():
            doc.add_paragraph(f"{tr('pack_item_heading', no=u.number)} {u.name_th} · {u.unit}")
            for label, text in (("unit_done", u.done_th), ("unit_problems", u.problems_th),
                                ("unit_suggestions", u.suggestions_th)):
                if text:
                    doc.add_paragraph(f"{tr(label)}: {text}")

    doc.add_heading(tr("pack_h_findings"), level=1)
    if data.findings.empty:
        doc.add_paragraph(tr("pack_no_findings" if data.internal else "pack_no_public_findings"))
    else:
        _table(doc, [tr("pack_item"), tr("pack_finding"), tr("pack_severity"), tr("pack_responsible"), tr("pack_due"),
                     tr("pack_finding_status")],
               [[None if pd.isna(f.number) else int(f.number),
                 "\n".join([f.text, *([f"{tr('pack_recommendation')}: {f.recommendation}"] if f.recommendation else []),
                            *([f"{tr('pack_unit_response')}: {f.unit_response}"] if f.unit_response else [])]),
                 tr(f"severity_{f.severity}"), f.responsible_unit, fmt.date_long(f.due_date) if f.due_date else "—",
                 tr(f"finding_status_{f.status}")] for f in data.findings.itertuples()],
               [1.2, 7.4, 1.8, 2.6, 2.2, 1.8])

    doc.add_heading(tr("pack_h_targets"), level=1)
    target_rows = []
    for r in data.targets.itertuples():
        base = None if pd.isna(r.baseline_cases) else int(r.baseline_cases)
        cases = None if r.cases_actual is None or pd.isna(r.cases_actual) else int(r.cases_actual)
        reduction = figures.case_reduction_pct(base, cases)
        ita = None if r.ita_actual is None or pd.isna(r.ita_actual) else r.ita_actual
        target_rows.append([fmt.fiscal_year_label(r.fiscal_year_be), tr("pack_points", n=r.ita_target),
                            _num(ita) if ita is not None else tr("pack_not_recorded"),
                            "—" if ita is None else tr("pack_pass" if ita >= r.ita_target else "pack_fail"),
                            tr("pack_percent", n=r.case_reduction_target_pct),
                            "—" if reduction is None else tr("pack_percent", n=_num(reduction, 1)),
                            "—" if reduction is None else tr("pack_pass" if reduction >= r.case_reduction_target_pct
                                                             else "pack_fail")])
    _table(doc, [tr("pack_fiscal_year"), tr("pack_ita_target"), tr("pack_ita_actual"), tr("pack_ita_passed"),
                 tr("pack_case_target"), tr("pack_case_reduction"), tr("pack_case_passed")], target_rows,
           [4.4, 2.0, 2.2, 1.8, 2.2, 2.4, 2.0])
    _committee_and_conclusion(doc, data, tr)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
