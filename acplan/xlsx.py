"""Shared look of every workbook acplan writes: bold, shaded, wrapped header row; column widths; frozen header."""

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


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
