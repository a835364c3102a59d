"""The meeting pack as a Thai A4 PDF.

HTML laid out by WeasyPrint (Pango/HarfBuzz shape Thai: marks sit on their consonants) with Sarabun
embedded; the charts are HTML tables of bars (`printcharts`), so their figures are text like the rest.
WeasyPrint is imported only here.
"""

import gc
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pandas as pd

from acplan import format as fmt
from acplan.i18n import describe, t
from acplan.monitoring import scoring
from acplan.plan import figures
from acplan.plan.labels import kind_label, targets_text
from acplan.reporting import pdftext, printcharts
from acplan.reporting.data import ReportData
from acplan.settings import ROOT

FONT_DIR = ROOT / "static" / "fonts"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"


def print_charts(data: ReportData, lang: str = "th") -> dict:
    """The charts the PDF draws (as HTML tables, `printcharts`): planned vs spent, then once scored the dimension
    results and statuses, the budget of every year per dimension (panels) and the ITA target against the score."""
    first = [printcharts.planned_vs_spent(data.dimension_table, lang)]
    if data.scored:
        first += [printcharts.dimension_scores(data.dimension_table, lang),
                  printcharts.status_distribution(data.status_counts, lang)]
    return {"first": first, "panels": printcharts.budget_by_dimension_year(data.budget_by_dim_year, lang),
            "panels_title": t("chart_budget_by_dimension_year", lang), "panels_unit": t("axis_baht", lang),
            "last": [printcharts.ita_target_vs_actual(data.targets, lang)]}


def signed(value: float) -> str:
    """A change with its sign: +0.50, −0.25 (a true minus sign), 0.00."""
    return f"{value:+.2f}".replace("-", "−") if value else "0.00"


def render_pdf(data: ReportData, lang: str = "th") -> bytes:
    """An A4 PDF in Thai with page numbers; every value typed by a person is escaped by the template engine."""
    import weasyprint
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    pdftext.install()  # an exact Thai text layer (see acplan/reporting/pdftext.py)

    env = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=select_autoescape(["html"]))
    env.filters.update(baht=lambda v: "—" if v is None or pd.isna(v) else fmt.baht(int(v)),
                       thaidate=lambda d: "—" if d is None or pd.isna(d) else fmt.date_long(d),
                       num=lambda v, d=2: "—" if v is None or pd.isna(v) else f"{v:.{d}f}",
                       money=lambda v: "—" if v is None or pd.isna(v) else fmt.number(int(v)),
                       intornone=lambda v: None if v is None or pd.isna(v) else int(v))
    html = env.get_template(TEMPLATE.name).render(
        d=data, font_dir=FONT_DIR.as_uri(), lang=lang, tr=partial(t, lang=lang),
        charts=print_charts(data, lang),
        fy_label=fmt.fiscal_year_label, reduction=figures.case_reduction_pct, kind=partial(kind_label, lang=lang),
        targets=partial(targets_text, lang=lang),
        signed=signed, changes=lambda r: " · ".join(
            t("pack_change_from", lang, code=code, change=signed(v)) for code, v in
            ((data.prev_code, r.change_prev), (data.year_code, r.change_year)) if code and v is not None and not pd.isna(v)),
        checks=lambda r: [describe(i, lang) for i in scoring.inconsistencies(
            r.status if isinstance(r.status, str) else None, r.progress_pct, r.spent_thb, r.budget_thb, r.mean)])
    with cyclic_gc_paused():
        return weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf(pdf_tags=True)  # tagged, /Lang th


@contextmanager
def cyclic_gc_paused():
    """Layout builds hundreds of thousands of boxes that live until the PDF is written; Python's cyclic collector
    would scan them again and again. Paused for the render (reference counting still frees what is dropped), the
    pack is made ~10 % faster for ~14 MB more at its peak (`bench/report_speed.py`, A/B of 4 interleaved runs)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

