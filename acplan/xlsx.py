"""Shared look and safety of every workbook and CSV acplan writes.

Look: bold, shaded, wrapped header row; column widths; frozen header.
Safety: text a person typed is never a live formula. In a workbook every string is stored as a string cell
(openpyxl would otherwise store "=…" as a formula) and one that starts like a formula also carries Excel's
quote prefix, so it stays text when someone edits the cell. In a CSV, where there are no cell types, such a
value is prefixed with an apostrophe, as OWASP's guidance on CSV injection says.
"""

from collections.abc import Iterable

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from acplan.cells import looks_like_formula

HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
def append_row(ws: Worksheet, values: Iterable) -> None:
    """Append a row; every string lands as a string cell, never a formula."""
    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if looks_like_formula(cell.value):
                cell.quotePrefix = True


def set_text(ws: Worksheet, row: int, column: int, value: object):
    """Write one cell as `append_row` would."""
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def style_header(ws: Worksheet, widths: list[int], number_formats: list[str | None] | None = None) -> None:
    """Style row 1 as the header, set each column's width (and number format of the cells below), freeze row 1."""
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(1, i)
        ws.column_dimensions[cell.column_letter].width = width
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number_formats and number_formats[i - 1]:
            for below in ws[cell.column_letter][1:]:
                below.number_format = number_formats[i - 1]
    ws.freeze_panes = "A2"


def print_setup(ws: Worksheet, *, autofilter: bool = True) -> None:
    """Print on A4 landscape, fitted to the page's width, with the header row repeated on every page; filter
    buttons on the header."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if autofilter and ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
