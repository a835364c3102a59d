"""Chart blocks of the dashboard pages, built once per plan and language (cached; cleared after every write)."""

import pandas as pd

from acplan import format as fmt
from acplan.i18n import t
from acplan.monitoring import evaluation, scoring
from acplan.plan import figures
from acplan.plan.models import DIMENSIONS
from acplan.reporting import charts
from acplan.ui import cache, state
from acplan.ui.views import by_year_table, chart_block, flagged_items, item_results_table, score_text


@cache.shared(immutable=True)  # pages only read it (charts, tables, figures)
def budget_blocks(plan_id: int, lang: str) -> dict[str, dict]:
    """The budget page's four charts with their tables; planned-versus-actual only once actuals exist."""
    bundle = state.plan_bundle()
    frames = state.budget_frames(plan_id)
    by_dim_year, by_unit, funded = frames["by_dim_year"], frames["by_unit"], frames["funded"]
    blocks = {
        "by_dim_year": chart_block("budget_by_dimension_year", by_dim_year, by_year_table(
            by_dim_year.pivot(index="fiscal_year_be", columns="dimension", values="amount_thb"), lang,
            {d: t("dimension_n", lang, n=d) for d in DIMENSIONS}), key="budget_by_dimension_year", lang=lang),
        "by_unit": chart_block("budget_by_unit", by_unit, by_unit.rename(columns={
            "unit": t("col_unit", lang), "amount_thb": t("col_budget", lang), "items": t("col_items", lang)}),
            key="budget_by_unit", lang=lang),
        "funded": chart_block("funded_vs_unfunded", funded, funded.assign(
            funded=[t("funded" if f else "unfunded", lang) for f in funded["funded"]]).rename(columns={
                "dimension": t("col_dimension", lang), "funded": t("col_funding", lang), "items": t("col_items", lang)}),
            key="funded_vs_unfunded", lang=lang),
    }
    approved = state.approved_budget(plan_id)
    if approved is not None:
        series = figures.approved_vs_amended(approved, bundle.budget)
        pivot = series.pivot(index="fiscal_year_be", columns="series", values="amount_thb")
        table = by_year_table(pivot[["approved", "amended"]], lang, {"approved": t("series_approved", lang),
                                                                      "amended": t("series_amended", lang)})
        blocks["approved_vs_amended"] = chart_block("approved_vs_amended", series, table, key="approved_vs_amended",
                                                    lang=lang)
    actual = state.actual_spending(plan_id)
    if not actual.empty:
        series = figures.planned_vs_actual(bundle.budget, actual)
        pivot = series.pivot(index="fiscal_year_be", columns="series", values="amount_thb")
        over = [t("check_year_over_plan", lang, spent=int(a), planned=int(p)) if pd.notna(a) and a > p else ""
                for a, p in zip(pivot.get("actual", pd.Series(index=pivot.index, dtype=float)), pivot["planned"],
                                strict=True)]
        table = by_year_table(pivot, lang, {"planned": t("series_planned", lang), "actual": t("series_actual", lang)})
        blocks["planned_vs_actual"] = chart_block("planned_vs_actual", series, table.assign(**{t("col_checks", lang): over}),
                                                  key="planned_vs_actual", lang=lang)
    return blocks


@cache.shared(immutable=True)  # pages only read it (charts, tables, figures)
def present_summary_block(plan_id: int, lang: str) -> dict:
    frames = state.budget_frames(plan_id)
    return chart_block("budget_by_dimension_year", frames["by_dim_year"], frames["by_dim_year"], key="present",
                       lang=lang, present=True)


def _shown(value, template: str, lang: str) -> str:
    return t("not_recorded", lang) if value is None or pd.isna(value) else t(template, lang, value=fmt.number(value))


@cache.shared(immutable=True)  # pages only read it (charts, tables, figures)
def targets_view(plan_id: int, lang: str) -> dict:
    """The targets page: baseline line, the target-versus-actual table, and the ITA chart block."""
    targets = state.plan_bundle().targets
    base_cases = targets["baseline_cases"].iloc[0]
    reductions = [figures.case_reduction_pct(None if pd.isna(base_cases) else int(base_cases),
                                             None if pd.isna(c) else int(c)) for c in targets["cases_actual"]]
    table = pd.DataFrame({
        t("col_fiscal_year", lang): [fmt.fiscal_year_label(y, lang) for y in targets["fiscal_year_be"]],
        t("col_ita_target", lang): [t("points_value", lang, value=v) for v in targets["ita_target"]],
        t("col_ita_actual", lang): [_shown(v, "points_value", lang) for v in targets["ita_actual"]],
        t("col_cases_target", lang): [t("percent_value", lang, value=v) for v in targets["case_reduction_target_pct"]],
        t("col_cases_actual", lang): [_shown(v, "cases_value", lang) for v in targets["cases_actual"]],
        t("col_cases_reduction", lang): [_shown(r, "percent_value", lang) for r in reductions],
    })
    baseline = int(targets["baseline_fy_be"].iloc[0])
    return {"baseline": baseline, "baseline_text": t("targets_baseline", lang, baseline=baseline,
                                                      value=_shown(base_cases, "cases_value", lang)),
            "table": table, "block": chart_block("ita_target_vs_actual", targets, table, key="ita_targets", lang=lang)}


@cache.shared(immutable=True)  # pages only read it (charts, tables, figures)
def overview_view(plan_id: int, lang: str, fy: int) -> dict:
    """Headline figures of the overview for fiscal year `fy`: money, this year's targets, items, dimension cards."""
    bundle = state.plan_bundle()
    money = figures.budget_by_dimension_year(bundle.projects, bundle.budget).groupby("dimension")["amount_thb"].sum()
    counts = figures.items_by_dimension(bundle.projects).set_index("dimension")["items"]
    kinds = figures.items_by_kind(bundle.projects)
    by_year = figures.budget_by_year(bundle.budget)
    target = bundle.targets[bundle.targets["fiscal_year_be"] == fy]
    return {
        "total": figures.total_budget_thb(bundle.budget),
        "year": figures.total_budget_thb(bundle.budget[bundle.budget["fiscal_year_be"] == fy]),
        "target": None if target.empty else target.iloc[0].to_dict(),
        "items": len(bundle.projects), "unfunded": figures.unfunded_items(bundle.budget),
        "kinds": list(zip(kinds["kind"], kinds["items"].astype(int), strict=True)),
        "cards": [{"dimension": int(d), "name_th": name, "items": int(counts.get(d, 0)), "budget": int(money.get(d, 0))}
                  for d, name in zip(bundle.dimensions["dimension"], bundle.dimensions["dimension_name_th"], strict=True)],
        "by_year": list(zip(by_year["fiscal_year_be"].astype(int), by_year["amount_thb"].astype(int), strict=True)),
    }


def results_view(org: str | None, plan_id: int, actor, code: str, lang: str) -> dict:
    """The results page's figures for round `code` of organisation `org`'s plan, as the actor's kind of reader
    sees them (state.viewer)."""
    return _results_view(org, plan_id, state.viewer(actor), code, lang)


@cache.shared(maxsize=100, immutable=True)
def _results_view(org: str | None, plan_id: int, viewer, code: str, lang: str) -> dict:
    bundle = state.plan_bundle_of(org)
    visible, results = state.evaluation(plan_id, viewer)
    rnd = next(r for r in visible if r.code == code)
    items = results[results["round"] == code].merge(bundle.projects[["number", "name_th", "dimension"]], on="number")
    dims = scoring.dimension_results(items, bundle.projects)
    year_budget = bundle.budget[bundle.budget["fiscal_year_be"] == rnd.fiscal_year_be]
    table = item_results_table(items, lang, dict(zip(year_budget["number"], year_budget["amount_thb"], strict=True)))
    statuses = evaluation.status_distribution(items)
    return {
        "overall": scoring.round_result(items), "scored": f"{int((items['n'] > 0).sum())} / {len(items)}",
        "flagged_n": int(items["flag"].sum()),
        "dims": pd.DataFrame({t("col_dimension", lang): [t("dimension_n", lang, n=d) for d in dims["dimension"]],
                              t("col_result", lang): [score_text(v) for v in dims["result"]],
                              t("col_scored", lang): [f"{a} / {b}" for a, b in zip(dims["scored"], dims["items"], strict=True)]}),
        "items": table, "flagged": flagged_items(table, lang),
        "heatmap": charts.score_heatmap(results, lang=lang).to_dict(),  # every round's, a readable row per item
        "statuses": charts.status_distribution(statuses, lang=lang).to_dict(),
    }


def item_history(plan_id: int, actor, number: int, lang: str) -> pd.DataFrame:
    """Item `number`'s results in every round the actor's kind of reader sees, as the item page lists them."""
    return _item_history(plan_id, state.viewer(actor), number, lang)


@cache.shared(maxsize=500, immutable=True)
def _item_history(plan_id: int, viewer, number: int, lang: str) -> pd.DataFrame:
    visible, results = state.evaluation(plan_id, viewer)
    history = results[(results["number"] == number) & (results["n"] > 0)] if visible else results.iloc[0:0]
    if history.empty:
        return pd.DataFrame()
    return (item_results_table(history.assign(name_th=history["round"]), lang)
            .rename(columns={t("col_name", lang): t("col_round", lang)}).drop(columns=[t("col_number", lang)]))
