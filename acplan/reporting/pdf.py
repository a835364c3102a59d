"""The meeting pack as a Thai A4 PDF.

HTML laid out by WeasyPrint (Pango/HarfBuzz shape Thai: marks sit on their consonants) with Sarabun
embedded; charts are Vega-Lite rendered to SVG by vl-convert and drawn by WeasyPrint with the same
font, so their Thai is shaped the same way. WeasyPrint and vl-convert are imported only here.
"""

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pandas as pd

from acplan import format as fmt
from acplan.i18n import describe, t
from acplan.monitoring import scoring
from acplan.plan import figures
from acplan.plan.labels import kind_label, targets_text
from acplan.reporting import charts, pdftext
from acplan.reporting.data import ReportData
from acplan.settings import ROOT

FONT_DIR = ROOT / "static" / "fonts"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"
CHART_WIDTH_PX = 560


def chart_svgs(data: ReportData) -> list[str]:
    """The dashboard's charts for the report, as SVG with Thai text in Sarabun."""
    import vl_convert as vlc

    vlc.register_font_directory(str(FONT_DIR))
    specs = [charts.planned_vs_spent_by_dimension(data.dimension_table, lang="th")]
    if data.scored:
        specs += [charts.dimension_scores(data.dimension_table, lang="th"),
                  charts.status_distribution(data.status_counts, lang="th")]
    specs.append(charts.ita_target_vs_actual(data.targets, lang="th"))
    specs = [chart.properties(width=CHART_WIDTH_PX) for chart in specs]
    specs.insert(-1, charts.budget_by_dimension_year_print(data.budget_by_dim_year, lang="th"))  # panels: no legend
    out = []
    for chart in specs:
        spec = chart.to_dict()
        if "legend" in spec["config"]:
            spec["config"]["legend"]["orient"] = "bottom"
        out.append(vlc.vegalite_to_svg(spec))
    return out


def signed(value: float) -> str:
    """A change with its sign: +0.50, −0.25 (a true minus sign), 0.00."""
    return f"{value:+.2f}".replace("-", "−") if value else "0.00"


def render_pdf(data: ReportData, lang: str = "th") -> bytes:
    """An A4 PDF in Thai with page numbers; every value typed by a person is escaped by the template engine.

    The charts are drawn in a second thread while WeasyPrint is imported: vl-convert's first call starts its
    JavaScript engine (about 0.7 s) and releases the GIL meanwhile (`bench/report_speed.py`)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        svgs = pool.submit(chart_svgs, data)
        import weasyprint
        from jinja2 import Environment, FileSystemLoader, select_autoescape
        from markupsafe import Markup

        pdftext.install()  # an exact Thai text layer (see acplan/reporting/pdftext.py)
        charts_svg = [Markup(svg) for svg in svgs.result()]  # noqa: S704 (SVG that vl-convert drew from our chart specs)

    env = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=select_autoescape(["html"]))
    env.filters.update(baht=lambda v: "—" if v is None or pd.isna(v) else fmt.baht(int(v)),
                       thaidate=lambda d: "—" if d is None or pd.isna(d) else fmt.date_long(d),
                       num=lambda v, d=2: "—" if v is None or pd.isna(v) else f"{v:.{d}f}",
                       money=lambda v: "—" if v is None or pd.isna(v) else fmt.number(int(v)),
                       intornone=lambda v: None if v is None or pd.isna(v) else int(v))
    html = env.get_template(TEMPLATE.name).render(
        d=data, font_dir=FONT_DIR.as_uri(), lang=lang, tr=partial(t, lang=lang),
        charts=charts_svg,
        fy_label=fmt.fiscal_year_label, reduction=figures.case_reduction_pct, kind=partial(kind_label, lang=lang),
        targets=partial(targets_text, lang=lang),
        signed=signed, changes=lambda r: " · ".join(
            t("pack_change_from", lang, code=code, change=signed(v)) for code, v in
            ((data.prev_code, r.change_prev), (data.year_code, r.change_year)) if code and v is not None and not pd.isna(v)),
        checks=lambda r: [describe(i, lang) for i in scoring.inconsistencies(
            r.status if isinstance(r.status, str) else None, r.progress_pct, r.spent_thb, r.budget_thb, r.mean)])
    return weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf(pdf_tags=True)  # tagged, /Lang th: screen readers

