"""Shared look and safety of every workbook and CSV acplan writes.

Look: bold, shaded, wrapped header row; column widths; frozen header.
Safety: text a person typed is never a live formula. In a workbook every string is stored as a string cell
(openpyxl would otherwise store "=…" as a formula) and one that starts like a formula also carries Excel's
quote prefix, so it stays text when someone edits the cell. In a CSV, where there are no cell types, such a
value is prefixed with an apostrophe, as OWASP's guidance on CSV injection says.
"""

import io
import re
import zipfile
from collections.abc import Iterable

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from acplan.cells import looks_like_formula
from acplan.errors import Issue, UnusableInput

# The archive inside an .xlsx: a genuine acplan workbook unpacks to well under 1 MB at a ratio near 10.
MAX_ARCHIVE_ENTRIES = 100
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
KEY = re.compile(r"\(([a-z0-9_]+)\)\s*$")  # a sheet's or header's machine key: "คะแนน 1–5 (score)"
WHOLE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)")  # \d is any Unicode digit: Thai ๐–๙ and full-width too

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


def check_upload(data: bytes, max_bytes: int) -> None:
    """Refuse an empty or oversized file, then look inside the archive (`check_archive`), before any parsing."""
    if not data:
        raise UnusableInput(Issue("sheet_empty"))
    if len(data) > max_bytes:
        raise UnusableInput(Issue("sheet_too_large", {"max_mb": max_bytes // (1024 * 1024)}))
    check_archive(data)


def check_archive(data: bytes) -> None:
    """Look inside the .xlsx (a zip) before parsing it: entry count, unpacked size, compression ratio, macros."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnusableInput(Issue("sheet_unreadable")) from None
    names = {e.filename.lower() for e in entries}
    if any(n.endswith("vbaproject.bin") for n in names):
        raise UnusableInput(Issue("sheet_macro"))
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_BYTES or \
            any(e.file_size > MAX_RATIO * max(e.compress_size, 1024) for e in entries):
        raise UnusableInput(Issue("sheet_bomb", {"max_mb": MAX_UNPACKED_BYTES // (1024 * 1024)}))


def whole_number(value) -> int | None:
    """A cell as a whole number (1, 1.0, "1,200", Thai or full-width digits), or None when empty or not whole.

    A comma counts only as a thousands separator (groups of three digits), so "0,5" or "7,5" — a decimal
    comma — is not a whole number and is refused rather than read as 5 or 75.
    """
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and WHOLE.fullmatch(value.strip()):
        return int(value.strip().replace(",", ""))
    return None
