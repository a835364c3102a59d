"""The pieces a public page is made of: headings, text, facts, tables (each downloadable), charts (inline SVG with
their figures in a table), links and evidence files. `page.html` draws them in order."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import vl_convert
from markupsafe import escape

from acplan.cells import csv_cell

CHART_WIDTH_PX = 760  # drawn at this width, scaled down with the page on a phone
INNER_ARIA = re.compile(r' (?:role|aria-roledescription|aria-label)="[^"]*"')
FONTS = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # relative to the language's root ("items/19.html") unless `shared` (relative to the site's root)
    shared: bool = False
    download: bool = False


@dataclass
class Table:
    """A table as shown (`cells`: text or Link) and as data (`rows`: raw values under `keys`) for CSV and JSON."""

    name: str  # file stem of its CSV/JSON: a stable address
    caption: str
    headers: list[str]
    keys: list[str]
    rows: list[list] = field(default_factory=list)
    cells: list[list] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()  # columns aligned right
    filterable: bool = False  # rows carry data-* attributes for the page's filter

    def add(self, raw: list, shown: list | None = None) -> None:
        self.rows.append(raw)
        self.cells.append(shown if shown is not None else ["" if v is None else v for v in raw])

    def csv(self) -> bytes:
        """UTF-8 with BOM (Excel reads Thai right), headers as shown, no cell a spreadsheet would run as a formula."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.headers)
        for row in self.rows:
            writer.writerow([csv_cell("" if v is None else v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def json(self) -> bytes:
        return dumps([dict(zip(self.keys, row, strict=True)) for row in self.rows])


@dataclass
class Chart:
    title: str
    svg: str  # inline, with role="img" and its title as the accessible name
    table: Table


@dataclass(frozen=True)
class FileCard:
    name: str
    href: str  # relative to the site's root
    thumb: str | None
    caption: str
    alt: str


@dataclass(frozen=True)
class Block:
    kind: str  # h2 | p | note | dl | table | chart | links | files | filter
    value: object = None
    extra: object = None


def dumps(value) -> bytes:
    """JSON as the site writes it: UTF-8, keys in order, one stable form for the same data."""
    return (json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")


@cache
def _fonts() -> None:
    vl_convert.register_font_directory(str(FONTS))


def svg_chart(spec: dict, title: str, chart_id: str) -> str:
    """A Vega-Lite chart as inline SVG (drawn at build time in Sarabun, served by the site itself)."""
    _fonts()
    if "width" not in spec and "facet" not in spec and "hconcat" not in spec:
        spec = {**spec, "width": CHART_WIDTH_PX}  # the dashboard's charts fill their column; here they have a width
    svg = INNER_ARIA.sub("", vl_convert.vegalite_to_svg(spec))  # one image, named by its title; its figures are
    # in the table beside it, so the marks carry no roles or labels of their own
    head = f'<svg role="img" aria-labelledby="{chart_id}-t" '
    svg = svg.replace("<svg ", head, 1)
    close = svg.index(">", len(head)) + 1
    return svg[:close] + f'<title id="{chart_id}-t">{escape(title)}</title>' + svg[close:]
