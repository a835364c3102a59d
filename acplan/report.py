"""The meeting pack of a round: its figures gathered once, then written as a Thai A4 PDF or an Excel workbook.

The PDF is HTML laid out by WeasyPrint (Pango/HarfBuzz shape Thai: marks sit on their consonants, ำ
is not split) with Sarabun embedded; charts are Vega-Lite rendered to SVG by vl-convert and drawn
by WeasyPrint with the same font, so their Thai is shaped the same way.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
from sqlmodel import Session, select

from acplan import charts, evaluation, format as fmt, queries, rounds, scoring, summary
from acplan.config import ROOT
from acplan.findings import findings_frame
from acplan.i18n import t
from acplan.models import AppUser, EntryState, ScoreEntry

FONT_DIR = ROOT / "static" / "fonts"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"


@dataclass
class ReportData:
    """Everything a round's report shows; `internal` adds the members who scored and internal findings."""

    org_name: str
    plan_title: str
    plan_period: str
    round_code: str
    fiscal_year_be: int
    round_status: str
    period: tuple[date, date]
    after_the_fact: bool
    generated: date
    internal: bool
    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: float | None
    status_counts: pd.DataFrame
    budget_year_thb: int
    spent_thb: int
    findings: pd.DataFrame
    targets: pd.DataFrame
    members: list[str] = field(default_factory=list)
    member_entries: pd.DataFrame | None = None
    budget_by_dim_year: pd.DataFrame | None = None

    @property
    def scored(self) -> int:
        return int((self.items["n"] > 0).sum())


def gather(*, session: Session, plan_id: int, code: str, internal: bool, today: date) -> ReportData:
    """Collect a round's figures from the store (the public version: published data and no member names)."""
    plan = queries.get_plan(session=session, plan_id=plan_id)
    rnd = rounds.get_round(session=session, plan_id=plan_id, code=code)
    projects = queries.list_projects(session=session, plan_id=plan_id)
    budget = queries.list_budget_lines(session=session, plan_id=plan_id)
    items = evaluation.round_items(session=session, plan_id=plan_id, round_id=rnd.id).merge(
        projects[["number", "name_th", "dimension", "kind"]], on="number")
    year_budget = budget[budget["fiscal_year_be"] == rnd.fiscal_year_be]
    data = ReportData(
        org_name=plan.org_name_th, plan_title=plan.title_th, plan_period=f"พ.ศ. {plan.start_fy_be}–{plan.end_fy_be}",
        round_code=code, fiscal_year_be=rnd.fiscal_year_be, round_status=rnd.status, period=(rnd.period_start, rnd.period_end),
        after_the_fact=rnd.recorded_after_fact, generated=today, internal=internal, items=items,
        dimensions=scoring.dimension_results(items, projects), overall=scoring.round_result(items),
        status_counts=evaluation.status_distribution(items), budget_year_thb=summary.total_budget_thb(year_budget),
        spent_thb=int(items["spent_thb"].fillna(0).sum()),
        findings=findings_frame(session=session, round_ids=[rnd.id], public_only=not internal),
        targets=queries.list_targets(session=session, plan_id=plan_id),
        budget_by_dim_year=summary.budget_by_dimension_year(projects, budget))
    if internal:
        data.members = list(session.exec(
            select(AppUser.display_name).join(ScoreEntry, ScoreEntry.member_id == AppUser.id)
            .where(ScoreEntry.round_id == rnd.id, ScoreEntry.state == EntryState.SUBMITTED).distinct()
            .order_by(AppUser.display_name)))
        data.member_entries = evaluation.member_entries(session=session, round_id=rnd.id)
    return data


def chart_svgs(data: ReportData) -> list[str]:
    """The dashboard's charts for the report, as SVG with Thai text in Sarabun."""
    import vl_convert as vlc

    vlc.register_font_directory(str(FONT_DIR))
    specs = [charts.budget_by_dimension_year(data.budget_by_dim_year, lang="th")]
    if data.scored:
        specs.append(charts.status_distribution(data.status_counts, lang="th"))
    specs.append(charts.ita_target_vs_actual(data.targets, lang="th"))
    out = []
    for chart in specs:
        spec = chart.properties(width=560).to_dict()
        spec["config"]["legend"]["orient"] = "bottom"
        out.append(vlc.vegalite_to_svg(spec))
    return out


def render_pdf(data: ReportData) -> bytes:
    """An A4 PDF in Thai with page numbers; every value typed by a person is escaped by the template engine."""
    import weasyprint
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATE.parent), autoescape=select_autoescape(["html"]))
    env.filters.update(baht=lambda v: "—" if v is None or pd.isna(v) else fmt.baht(int(v)),
                       thaidate=lambda d: "—" if d is None or pd.isna(d) else fmt.date_long(d),
                       num=lambda v, d=2: "—" if v is None or pd.isna(v) else f"{v:.{d}f}")
    html = env.get_template(TEMPLATE.name).render(
        d=data, charts=[Markup(svg) for svg in chart_svgs(data)], font_dir=FONT_DIR.as_uri(), t=t,
        fy_label=fmt.fiscal_year_label, reduction=summary.case_reduction_pct)
    return weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf()

