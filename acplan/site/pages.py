"""The website's pages in one language, as blocks (blocks.py) for `page.html`; every address is stable between builds
(`items/19.html`, `rounds/2567-1.html`), so links handed to ITA assessors keep working."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan import figures
from acplan.plan.labels import kind_label, target_text
from acplan.reporting import charts
from acplan.site.blocks import Block, Chart, FileCard, Link, Table, svg_chart
from acplan.site.content import RoundContent, SiteContent
from acplan.site.output import evidence_path, thumb_path

STATUSES = ("completed", "in_progress", "not_started", "not_possible", "not_scored")


@dataclass
class Page:
    path: str  # under the language's root
    title: str
    blocks: list[Block] = field(default_factory=list)
    nav: str = ""  # which top link is this page's
    printable: bool = False


def score(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.2f}"


def baht(value) -> str:
    return "—" if value is None or pd.isna(value) else fmt.number(int(value))


def blank(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def build(content: SiteContent, lang: str) -> list[Page]:
    pages = [home(content, lang), plan(content, lang), budget(content, lang), risks(content, lang),
             targets(content, lang), rounds_index(content, lang), findings(content, lang)]
    pages += [item(content, lang, n) for n in sorted(content.details)]
    pages += [round_page(content, r, lang) for r in content.rounds]
    return pages


def org_name(content: SiteContent, lang: str) -> str:
    """The organisation's name in the page's language, Thai where it has no English name."""
    return (content.plan.org_name_en if lang == "en" else None) or content.plan.org_name_th


def dim_name(content: SiteContent, n: int, lang: str) -> str:
    names = dict(zip(content.dimensions["dimension"], content.dimensions["dimension_name_th"], strict=True))
    return f"{t('dimension_n', lang, n=n)} {names.get(n, '')}".strip()


def home(content: SiteContent, lang: str) -> Page:
    plan_ = content.plan
    p = Page("index.html", (plan_.title_en if lang == "en" else None) or plan_.title_th, nav="index")
    total = int(content.budget["amount_thb"].sum())
    p.blocks += [Block("p", t("site_home_intro", lang, org=org_name(content, lang), start=plan_.start_fy_be,
                                end=plan_.end_fy_be)),
                 Block("dl", [(t("site_items", lang), fmt.number(len(content.projects))),
                              (t("site_budget_total", lang), f"{fmt.number(total)} {t('site_baht', lang)}"),
                              (t("site_period", lang), f"{plan_.start_fy_be}–{plan_.end_fy_be}"),
                              (t("site_published_rounds", lang), fmt.number(len(content.rounds)))])]
    table = Table("dimensions", t("site_by_dimension", lang), [t("col_dimension", lang), t("col_items", lang),
                  t("col_budget", lang)], ["dimension", "items", "budget_thb"], numeric=frozenset({1, 2}))
    by_dim = content.budget.merge(content.projects[["number", "dimension"]], on="number")
    for d in content.dimensions.itertuples():
        items = int((content.projects["dimension"] == d.dimension).sum())
        amount = int(by_dim.loc[by_dim["dimension"] == d.dimension, "amount_thb"].sum())
        table.add([d.dimension, items, amount], [dim_name(content, d.dimension, lang), fmt.number(items), baht(amount)])
    p.blocks.append(Block("table", table))
    if content.rounds:
        latest = content.rounds[-1]
        p.blocks += [Block("h2", t("site_latest_round", lang)),
                     Block("dl", [(t("col_round", lang), Link(round_title(latest, lang), f"rounds/{latest.code}.html")),
                                  (t("col_result", lang), score(latest.report.overall)),
                                  (t("site_published_on", lang), fmt.date_long(latest.published_on, lang))])]
    else:
        p.blocks.append(Block("note", t("site_no_round_yet", lang)))
    p.blocks += [Block("h2", t("site_pages", lang)), Block("links", nav_links(lang)[1:])]
    return p


NAV = ("index", "plan", "budget", "risks", "targets", "rounds", "findings", "oit")  # the top links, by page stem


def nav_links(lang: str) -> list[Link]:
    return [Link(t(f"site_nav_{k}", lang), f"{k}.html") for k in NAV]


def plan(content: SiteContent, lang: str) -> Page:
    p = Page("plan.html", t("site_plan_title", lang), nav="plan")
    table = Table("items", t("site_all_items", lang, n=len(content.projects)),
                  [t("col_number", lang), t("col_name", lang), t("col_kind", lang), t("col_dimension", lang),
                   t("col_mission", lang), t("col_unit", lang), t("col_budget_5y", lang)],
                  ["number", "name_th", "kind", "dimension", "mission", "unit", "budget_thb"],
                  numeric=frozenset({0, 6}), filterable=True)
    totals = content.budget.groupby("number")["amount_thb"].sum()
    for r in content.projects.itertuples():
        amount = int(totals.get(r.number, 0))
        table.add([int(r.number), r.name_th, blank(r.kind), int(r.dimension), r.mission, r.unit, amount],
                  [str(r.number), Link(r.name_th, f"items/{r.number}.html"), kind_label(r.kind, lang),
                   t("dimension_n", lang, n=int(r.dimension)), r.mission, r.unit, baht(amount)])
    units = sorted(set(content.projects["unit"]))
    p.blocks += [Block("p", t("site_plan_intro", lang)),
                 Block("filter", {"dimensions": [(int(d), dim_name(content, int(d), lang))
                                                 for d in content.dimensions["dimension"]], "units": units}),
                 Block("table", table)]
    return p


def item(content: SiteContent, lang: str, number: int) -> Page:
    d = content.details[number]
    p = Page(f"items/{number}.html", t("site_item_title", lang, n=number, name=d.name_th), nav="plan")
    facts = [(t("col_kind", lang), kind_label(d.kind.value if d.kind else None, lang)),
             (t("col_dimension", lang), dim_name(content, d.dimension, lang)),
             (t("col_mission", lang), f"{d.mission} {d.mission_name_th}"),
             (t("col_unit", lang), d.responsible_unit)]
    if d.target_group_th:
        facts.append((t("site_target_group", lang), d.target_group_th))
    if d.duration_th:
        facts.append((t("site_duration", lang), d.duration_th))
    p.blocks.append(Block("dl", facts))
    for key, paragraphs in (("site_rationale", d.rationale_th), ("site_objectives", d.objectives_th),
                            ("site_method", d.method_th)):
        if paragraphs:
            p.blocks += [Block("h2", t(key, lang)), *[Block("p", x) for x in paragraphs]]
    money = Table(f"items/{number}-budget", t("site_item_budget", lang), [t("col_fiscal_year", lang),
                  t("col_budget", lang)], ["fiscal_year_be", "amount_thb"], numeric=frozenset({1}))
    for fy, amount in sorted(d.budget.items()):
        money.add([fy, amount], [str(fy), baht(amount)])
    p.blocks += [Block("h2", t("site_item_budget", lang)), Block("table", money)]
    if d.budget_text_th:
        p.blocks.append(Block("note", t("site_budget_as_written", lang, text=d.budget_text_th)))
    if d.indicators:
        ind = Table(f"items/{number}-indicators", t("site_indicators", lang),
                    [t("col_indicator_kind", lang), t("col_indicator", lang), t("col_target", lang)],
                    ["kind", "text_th", "targets"])
        for i in d.indicators:
            targets = "; ".join(target_text(x, lang) for x in i["targets"])
            ind.add([str(i["kind"].value if hasattr(i["kind"], "value") else i["kind"]), i["text_th"], targets],
                    [t(f"indicator_{getattr(i['kind'], 'value', i['kind'])}", lang), i["text_th"], targets])
        p.blocks += [Block("h2", t("site_indicators", lang)), Block("table", ind)]
    if d.source_notes:  # where the signed document contradicts itself: said, never silently fixed
        p.blocks.append(Block("h2", t("site_source_notes", lang)))
        for note in d.source_notes:
            p.blocks.append(Block("note", note["text_th"]))
            p.blocks.append(Block("dl", [(r["where_th"], r["text_th"]) for r in note.get("readings", [])]))
            if note.get("kept_th"):
                p.blocks.append(Block("p", t("site_source_kept", lang, text=note["kept_th"])))
    results = Table(f"items/{number}-results", t("site_item_results", lang),
                    [t("col_round", lang), t("col_result", lang), t("col_status", lang), t("col_progress", lang),
                     t("col_spent", lang)], ["round", "result", "status", "progress_pct", "spent_thb"],
                    numeric=frozenset({1, 3, 4}))
    for r in content.rounds:
        row = r.report.items[r.report.items["number"] == number]
        if row.empty:
            continue
        x = row.iloc[0]
        status = blank(x["status"])
        results.add([r.code, blank(x["mean"]), status, blank(x["progress_pct"]), blank(x["spent_thb"])],
                    [Link(round_title(r, lang), f"rounds/{r.code}.html"), score(x["mean"]),
                     t(f"status_{status or 'not_scored'}", lang),
                     "—" if blank(x["progress_pct"]) is None else fmt.number(x["progress_pct"]), baht(x["spent_thb"])])
    p.blocks.append(Block("h2", t("site_item_results", lang)))
    p.blocks.append(Block("table", results) if results.rows else Block("note", t("site_no_round_yet", lang)))
    for r in content.rounds:
        reports = r.report.unit_reports
        mine = reports[reports["number"] == number] if reports is not None and len(reports) else pd.DataFrame()
        files = [f for f in content.files if f.number == number and f.round_code == r.code]
        if mine.empty and not files:
            continue
        p.blocks.append(Block("h2", t("site_unit_report_of", lang, round=round_title(r, lang))))
        if not mine.empty:
            x = mine.iloc[0]
            p.blocks.append(Block("dl", [(t("unit_done", lang), x["done_th"] or "—"),
                                         (t("unit_problems", lang), x["problems_th"] or "—"),
                                         (t("unit_suggestions", lang), x["suggestions_th"] or "—")]))
        if files:
            p.blocks.append(Block("files", file_cards(files, lang)))
    return p


def file_cards(files, lang: str) -> list[FileCard]:
    return [FileCard(f.name, evidence_path(f), thumb_path(f) if f.thumbnail_sha256 else None,
                     f"{f.name} · {fmt.number(max(1, round(f.size / 1024)))} KB",
                     t("site_evidence_alt", lang, name=f.name, number=f.number)) for f in files]


def budget(content: SiteContent, lang: str) -> Page:
    p = Page("budget.html", t("site_budget_title", lang), nav="budget")
    df = figures.budget_by_dimension_year(content.projects, content.budget)
    table = Table("budget-by-dimension-year", t("site_budget_table", lang),
                  [t("col_dimension", lang), t("col_fiscal_year", lang), t("col_budget", lang)],
                  ["dimension", "fiscal_year_be", "amount_thb"], numeric=frozenset({1, 2}))
    for r in df.itertuples():
        table.add([int(r.dimension), int(r.fiscal_year_be), int(r.amount_thb)],
                  [dim_name(content, int(r.dimension), lang), str(r.fiscal_year_be), baht(r.amount_thb)])
    title = t("site_budget_chart", lang)
    p.blocks += [Block("p", t("site_budget_intro", lang, total=fmt.number(int(content.budget["amount_thb"].sum())))),
                 Block("chart", Chart(title, svg_chart(charts.budget_by_dimension_year(df, lang=lang).to_dict(),
                                                       title, "budget"), table))]
    units = figures.budget_by_unit(content.projects, content.budget)
    by_unit = Table("budget-by-unit", t("site_budget_by_unit", lang), [t("col_unit", lang), t("col_budget", lang)],
                    ["unit", "amount_thb"], numeric=frozenset({1}))
    for r in units.itertuples():
        by_unit.add([r.unit, int(r.amount_thb)], [r.unit, baht(r.amount_thb)])
    p.blocks += [Block("h2", t("site_budget_by_unit", lang)), Block("table", by_unit)]
    return p


def risks(content: SiteContent, lang: str) -> Page:
    p = Page("risks.html", t("site_risks_title", lang), nav="risks")
    p.blocks.append(Block("p", t("site_risks_intro", lang)))
    for a in content.risk_areas.itertuples():
        p.blocks.append(Block("h2", t("risk_area_heading", lang, n=a.area, process=a.process_th)))
        p.blocks.append(Block("dl", [(t("col_level", lang), a.level_text_th)]))
        issues = Table(f"risks/{a.area}-issues", t("risk_issues", lang), [t("col_number", lang),
                       t("site_risk", lang), t("col_level", lang)], ["issue", "text_th", "level"])
        for r in content.risk_issues[content.risk_issues["area"] == a.area].itertuples():
            issues.add([int(r.issue), r.text_th, r.level], [str(r.issue), r.text_th, t(f"level_{r.level}", lang)])
        measures = Table(f"risks/{a.area}-measures", t("site_measures", lang), [t("col_number", lang),
                         t("site_measure", lang), t("site_plan_item", lang)], ["measure", "text_th", "item"])
        for r in content.risk_measures[content.risk_measures["area"] == a.area].itertuples():
            linked = None if pd.isna(r.project) else int(r.project)
            measures.add([int(r.measure), r.text_th, linked],
                         [str(r.measure), r.text_th,
                          Link(t("site_item_n", lang, n=linked), f"items/{linked}.html") if linked
                          else t("site_no_item", lang)])
        p.blocks += [Block("table", issues), Block("table", measures)]
    return p


def targets(content: SiteContent, lang: str) -> Page:
    p = Page("targets.html", t("site_targets_title", lang), nav="targets")
    df = content.targets
    table = Table("targets", t("site_targets_table", lang),
                  [t("col_fiscal_year", lang), t("col_ita_target", lang), t("col_ita_actual", lang),
                   t("col_cases_target", lang), t("col_cases_actual", lang)],
                  ["fiscal_year_be", "ita_target", "ita_actual", "case_reduction_target_pct", "cases_actual"],
                  numeric=frozenset({1, 2, 3, 4}))
    for r in df.itertuples():
        table.add([int(r.fiscal_year_be), blank(r.ita_target), blank(r.ita_actual), blank(r.case_reduction_target_pct),
                   blank(r.cases_actual)],
                  [str(r.fiscal_year_be), fmt.number(r.ita_target), not_yet(r.ita_actual, lang),
                   f"{fmt.number(r.case_reduction_target_pct)} %", not_yet(r.cases_actual, lang)])
    title = t("site_ita_chart", lang)
    p.blocks += [Block("p", t("site_targets_intro", lang)),
                 Block("chart", Chart(title, svg_chart(charts.ita_target_vs_actual(df, lang=lang).to_dict(), title,
                                                       "ita"), table))]
    return p


def not_yet(value, lang: str) -> str:
    return t("site_not_recorded", lang) if blank(value) is None else fmt.number(value)


def round_title(r: RoundContent, lang: str) -> str:
    months = 6 if r.report.round_no == 1 else 12
    return t("site_round_title", lang, code=r.code, months=months, fy=r.report.fiscal_year_be)


def rounds_index(content: SiteContent, lang: str) -> Page:
    p = Page("rounds.html", t("site_rounds_title", lang), nav="rounds")
    table = Table("rounds", t("site_rounds_title", lang),
                  [t("col_round", lang), t("col_period", lang), t("col_result", lang), t("site_published_on", lang),
                   t("site_report_pdf", lang)], ["round", "period", "result", "published_on", "pdf"],
                  numeric=frozenset({2}))
    for r in reversed(content.rounds):
        period = f"{fmt.date_short(r.report.period[0])} – {fmt.date_short(r.report.period[1])}"
        table.add([r.code, f"{r.report.period[0]}/{r.report.period[1]}", r.report.overall, r.published_on.isoformat(),
                   f"rounds/{r.code}.pdf"],
                  [Link(round_title(r, lang), f"rounds/{r.code}.html"), period, score(r.report.overall),
                   fmt.date_long(r.published_on, lang), Link("PDF", f"rounds/{r.code}.pdf", shared=True, download=True)])
    p.blocks += [Block("p", t("site_rounds_intro", lang)),
                 Block("table", table) if table.rows else Block("note", t("site_no_round_yet", lang))]
    return p


def round_page(content: SiteContent, r: RoundContent, lang: str) -> Page:
    data = r.report
    p = Page(f"rounds/{r.code}.html", round_title(r, lang), nav="rounds", printable=True)
    p.blocks.append(Block("dl", [
        (t("col_period", lang), f"{fmt.date_long(data.period[0], lang)} – {fmt.date_long(data.period[1], lang)}"),
        (t("col_result", lang), score(data.overall)),
        (t("site_scored_items", lang), f"{fmt.number(data.scored)} / {fmt.number(len(data.items))}"),
        (t("site_published_on", lang), fmt.date_long(r.published_on, lang)),
        (t("site_downloads", lang), [Link(t("site_report_pdf", lang), f"rounds/{r.code}.pdf", shared=True, download=True),
                                     Link(t("site_report_xlsx", lang), f"rounds/{r.code}.xlsx", shared=True,
                                          download=True)])]))
    if data.after_the_fact:
        p.blocks.append(Block("note", t("site_after_the_fact", lang)))
    dims = Table(f"rounds/{r.code}-dimensions", t("dimension_results", lang),
                 [t("col_dimension", lang), t("col_result", lang), t("col_scored", lang)],
                 ["dimension", "result", "scored", "items"], numeric=frozenset({1, 2}))
    for d in data.dimensions.itertuples():
        dims.add([int(d.dimension), blank(d.result), int(d.scored), int(d.items)],
                 [dim_name(content, int(d.dimension), lang), score(d.result), f"{d.scored} / {d.items}"])
    title = t("site_dimension_chart", lang)
    chart_df = data.dimensions.assign(result_text=[score(v) for v in data.dimensions["result"]])
    p.blocks += [Block("h2", t("dimension_results", lang)),
                 Block("chart", Chart(title, svg_chart(charts.dimension_scores(chart_df, lang=lang).to_dict(), title,
                                                       f"dims-{r.code}"), dims))]
    names = dict(zip(content.projects["number"], content.projects["name_th"], strict=True))
    items = Table(f"rounds/{r.code}-items", t("item_results", lang),
                  [t("col_number", lang), t("col_name", lang), t("col_result", lang), t("col_status", lang),
                   t("col_progress", lang), t("col_budget", lang), t("col_spent", lang)],
                  ["number", "name_th", "result", "status", "progress_pct", "budget_thb", "spent_thb"],
                  numeric=frozenset({0, 2, 4, 5, 6}))
    for x in data.items.itertuples():
        status = blank(x.status)
        items.add([int(x.number), names.get(x.number, ""), blank(x.mean), status, blank(x.progress_pct),
                   int(x.budget_thb), blank(x.spent_thb)],
                  [str(x.number), Link(names.get(x.number, ""), f"items/{x.number}.html"), score(x.mean),
                   t(f"status_{status or 'not_scored'}", lang),
                   "—" if blank(x.progress_pct) is None else fmt.number(x.progress_pct), baht(x.budget_thb),
                   baht(x.spent_thb)])
    p.blocks += [Block("h2", t("item_results", lang)), Block("table", items)]
    counts = Table(f"rounds/{r.code}-statuses", t("chart_status_distribution", lang),
                   [t("col_status", lang), t("col_items", lang)], ["status", "items"], numeric=frozenset({1}))
    for s in data.status_counts.itertuples():
        counts.add([s.status, int(s.items)], [t(f"status_{s.status}", lang), fmt.number(s.items)])
    title = t("chart_status_distribution", lang)
    p.blocks.append(Block("chart", Chart(title, svg_chart(
        charts.status_distribution(data.status_counts, lang=lang).to_dict(), title, f"status-{r.code}"), counts)))
    if data.unit_reports is not None and len(data.unit_reports):
        reports = Table(f"rounds/{r.code}-unit-reports", t("pack_h_unit_reports", lang),
                        [t("col_number", lang), t("col_unit", lang), t("unit_done", lang), t("unit_problems", lang),
                         t("unit_suggestions", lang)], ["number", "unit", "done_th", "problems_th", "suggestions_th"],
                        numeric=frozenset({0}))
        for x in data.unit_reports.itertuples():
            reports.add([int(x.number), x.unit, x.done_th, x.problems_th, x.suggestions_th],
                        [Link(str(x.number), f"items/{x.number}.html"), x.unit, x.done_th, x.problems_th,
                         x.suggestions_th])
        p.blocks += [Block("h2", t("pack_h_unit_reports", lang)), Block("table", reports)]
    files = [f for f in content.files if f.round_code == r.code]
    if files:
        p.blocks += [Block("h2", t("site_evidence", lang)), Block("files", file_cards(files, lang))]
    mine = content.findings[content.findings["round"] == r.code] if len(content.findings) else content.findings
    p.blocks += [Block("h2", t("site_findings_title", lang)), findings_block(mine, f"rounds/{r.code}-findings", lang)]
    if data.conclusion:
        p.blocks += [Block("h2", t("site_conclusion", lang)), Block("p", data.conclusion)]
    return p


def findings(content: SiteContent, lang: str) -> Page:
    p = Page("findings.html", t("site_findings_title", lang), nav="findings")
    p.blocks += [Block("p", t("site_findings_intro", lang)), findings_block(content.findings, "findings", lang)]
    return p


def findings_block(df: pd.DataFrame, name: str, lang: str) -> Block:
    if df is None or df.empty:
        return Block("note", t("site_no_findings", lang))
    table = Table(name, t("site_findings_title", lang),
                  [t("col_round", lang), t("col_number", lang), t("col_finding", lang), t("col_severity", lang),
                   t("site_recommendation", lang), t("col_unit", lang), t("col_due", lang),
                   t("col_finding_status", lang), t("site_unit_response", lang)],
                  ["round", "number", "text", "severity", "recommendation", "responsible_unit", "due_date", "status",
                   "unit_response"])
    for f in df.sort_values(["round", "id"]).itertuples():
        number = None if pd.isna(f.number) else int(f.number)
        due = f.due_date if isinstance(f.due_date, date) else None  # NaN/None when no date was set
        table.add([f.round, number, f.text, f.severity, f.recommendation, f.responsible_unit,
                   due.isoformat() if due else None, f.status, f.unit_response],
                  [Link(f.round, f"rounds/{f.round}.html"),
                   Link(str(number), f"items/{number}.html") if number else "—", f.text,
                   t(f"severity_{f.severity}", lang), f.recommendation, f.responsible_unit,
                   fmt.date_long(due, lang) if due else "—", t(f"finding_status_{f.status}", lang), f.unit_response])
    return Block("table", table)
