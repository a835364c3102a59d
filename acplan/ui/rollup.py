"""The roll-up page across organisations (#16): filters kept in the address, the figures, and the organisations
behind each figure with links to their own pages. Every figure comes from stored per-round summaries
(monitoring/rollup.py); text from the store is shown as table cells, never as markup."""

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from acplan import clock
from acplan import format as fmt
from acplan.access import Actor
from acplan.i18n import t
from acplan.monitoring import rollup
from acplan.monitoring.models import ImplementationStatus
from acplan.ui import cache, frame, state, views
from acplan.ui.widgets import url_choice, url_select


@cache.shared(maxsize=200, immutable=True)  # the pure figure functions never change what they are given
def read(actor: Actor, filters: rollup.Filters, today: date) -> rollup.Rollup:
    with Session(state.engine()) as session:
        return rollup.read(session=session, actor=actor, filters=filters, today=today)


def filters(scope: pd.DataFrame, lang: str) -> rollup.Filters:
    """The filters, each kept in the address (?province=, ?district=, ?type=) as the items page keeps its own."""
    every = t("rollup_all", lang)
    c1, c2, c3 = st.columns(3)
    with c1:
        province = url_select("province", t("rollup_filter_province", lang), sorted(set(scope["province_th"]) - {""}),
                              str, every)
    in_province = scope if province is None else scope[scope["province_th"] == province]
    with c2:
        district = url_select("district", t("rollup_filter_district", lang), sorted(set(in_province["district_th"]) - {""}),
                              str, every)
    with c3:
        kind = url_select("type", t("rollup_filter_type", lang), sorted(set(scope["org_type"])),
                          lambda v: t(f"org_type_{v}", lang), every)
    return rollup.Filters(province, district, kind)


def page(actor: Actor, lang: str) -> None:
    frame.header(t("rollup_title", lang), of_organisation=False)
    today = clock.today()
    everything = read(actor, rollup.Filters(), today)
    scope = everything.scope_province or t("rollup_scope_all", lang)
    st.caption(t("rollup_intro_internal", lang, scope=scope) if everything.internal else t("rollup_intro_public", lang))
    chosen = filters(everything.choices, lang)
    head = overview(actor, chosen, today, lang)
    if head is None:
        st.info(t("rollup_none", lang))
        return
    counts, codes = head["counts"], head["codes"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("rollup_metric_orgs", lang), fmt.number(counts["orgs"]), border=True)
    c2.metric(t("rollup_metric_plans", lang, of=fmt.number(counts["orgs"])), fmt.number(counts["with_plan"]), border=True)
    c3.metric(t("rollup_metric_rounds", lang, of=fmt.number(counts["with_plan"])), fmt.number(counts["with_rounds"]),
              border=True)
    if codes:
        c4.metric(t("rollup_metric_on_time", lang, code=codes[0]), fmt.number(head["on_time"]), border=True)
    st.subheader(t("rollup_publication", lang))
    if not codes:
        st.info(t("rollup_no_published", lang))
    else:
        st.dataframe(head["publication"], hide_index=True, width="stretch")
        st.caption(t("rollup_publication_note", lang, days=rollup.PUBLISH_WITHIN_DAYS))
        code = url_choice("round", t("rollup_round", lang), codes[::-1], placeholder=t("choose_round", lang),
                          not_offered=t("round_not_offered", lang, codes=", ".join(codes)))  # the latest by default
        round_section(round_figures(actor, chosen, today, code, lang), code, lang)
    year_sections(head, lang)
    drill_section(actor, chosen, today, head["drills"], lang)


@cache.shared(maxsize=200, immutable=True)
def overview(actor: Actor, chosen: rollup.Filters, today: date, lang: str) -> dict | None:
    """The figures above the round chosen, built once per reader's scope, filters and language."""
    r = read(actor, chosen, today)
    if r.orgs.empty:
        return None
    pub = rollup.publication(r)
    budget = rollup.budget_by_year(r)
    out = {"counts": rollup.counts(r), "codes": rollup.round_codes(r), "on_time": int(pub.iloc[0]["on_time"]) if len(pub) else 0,
           "publication": pub.rename(columns={"code": t("col_round", lang), "published": t("col_published", lang),
                                              "on_time": t("col_on_time", lang), "late": t("col_late", lang),
                                              "not_published": t("col_not_published", lang)}),
           "budget": None, "ita": _ita_table(rollup.ita_by_year(r), lang), "overdue": r.overdue,
           "drills": drill_options(r, rollup.round_codes(r), lang)}
    if not budget.empty:
        data = pd.concat([budget.assign(series="planned", amount_thb=budget["planned_thb"]),
                          budget.assign(series="actual", amount_thb=budget["spent_thb"])])
        table = pd.DataFrame({t("col_fiscal_year", lang): [fmt.fiscal_year_short(y, lang) for y in budget["fiscal_year_be"]],
                              t("col_orgs_reporting", lang): budget["orgs"],
                              t("series_planned", lang): budget["planned_thb"],
                              t("series_actual", lang): budget["spent_thb"]})
        out["budget"] = views.chart_block("planned_vs_actual", data[["fiscal_year_be", "series", "amount_thb"]], table,
                                          key="rollup_budget", lang=lang)
    return out


@cache.shared(maxsize=200, immutable=True)
def round_figures(actor: Actor, chosen: rollup.Filters, today: date, code: str, lang: str) -> dict:
    """Round `code`'s figures: the dimensions' spread (chart and table), the items by status, the reasons."""
    r = read(actor, chosen, today)
    names = dict(zip(r.orgs["org_id"], r.orgs["name_th"], strict=True))
    points = rollup.dimension_points(r, code)
    statuses = rollup.item_statuses(r, code)
    order = [s.value for s in ImplementationStatus] + ["not_scored"]
    reasons = {k.removeprefix("reason_"): v for k, v in statuses.items() if k.startswith("reason_")}
    block = None
    if not points.empty:
        data = points.assign(org=[names.get(i, "") for i in points["org_id"]])
        block = views.chart_block("rollup_dimensions", data, _spread_table(points, lang), key=f"rollup_dims_{code}",
                                  lang=lang)
    return {"block": block,
            "statuses": pd.DataFrame({t("col_status", lang): [t(f"status_{s}", lang) for s in order],
                                      t("col_items", lang): [fmt.number(statuses.get(s, 0)) for s in order]}),
            "reasons": pd.DataFrame({t("col_reason", lang): [t(f"reason_{k}", lang) for k in reasons],
                                     t("col_items", lang): [fmt.number(v) for v in reasons.values()]})}


def round_section(figures: dict, code: str, lang: str) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("rollup_dimensions", lang, code=code))
        if figures["block"] is not None:
            views.show_block(figures["block"], lang)
    with right:
        st.subheader(t("rollup_items", lang, code=code))
        st.dataframe(figures["statuses"], hide_index=True, width="stretch")
        if not figures["reasons"].empty:
            st.caption(t("rollup_reasons", lang))
            st.dataframe(figures["reasons"], hide_index=True, width="stretch")


def _spread_table(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = []
    for dim, group in points.groupby("dimension"):
        v = group["result"]
        rows.append({t("col_dimension", lang): t("dimension_n", lang, n=int(dim)), t("col_orgs", lang): len(v),
                     t("col_median", lang): f"{v.median():.2f}",
                     t("col_quartiles", lang): f"{v.quantile(0.25):.2f}–{v.quantile(0.75):.2f}",
                     t("col_lowest", lang): f"{v.min():.2f}", t("col_highest", lang): f"{v.max():.2f}"})
    return pd.DataFrame(rows)


def _ita_table(ita: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col_fiscal_year", lang): [fmt.fiscal_year_short(y, lang) for y in ita["fiscal_year_be"]],
        t("col_recorded", lang): [f"{fmt.number(v)} / {fmt.number(n)}" for v, n in zip(ita["recorded"], ita["targets"],
                                                                                      strict=True)],
        t("col_met", lang): [fmt.number(v) for v in ita["met"]], t("col_below", lang): [fmt.number(v) for v in ita["below"]],
        t("col_median_ita", lang): ["" if pd.isna(v) else f"{v:.2f}" for v in ita["median_actual"]]})


def year_sections(head: dict, lang: str) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(t("rollup_budget", lang))
        if head["budget"] is not None:
            views.show_block(head["budget"], lang)
    with right:
        st.subheader(t("rollup_ita", lang))
        st.dataframe(head["ita"], hide_index=True, width="stretch")
        st.subheader(t("rollup_overdue", lang))
        overdue = head["overdue"]
        if overdue.empty:
            st.write(t("rollup_overdue_none", lang))
        else:
            st.write(t("rollup_overdue_line", lang, orgs=fmt.number(len(overdue)), n=fmt.number(int(overdue["overdue"].sum()))))


def drill_options(r: rollup.Rollup, codes: list[str], lang: str) -> dict[str, str]:
    """Every figure the page shows that has organisations behind it: key (kept in `?show=`) -> label."""
    out = {"no_plan": t("drill_no_plan", lang), "no_rounds": t("drill_no_rounds", lang)}
    for code in codes:
        for key in ("not_published", "late", "on_time", "not_started", "not_possible"):
            out[f"{key}:{code}"] = t(f"drill_{key}", lang, code=code)
        for n in sorted(set(rollup.dimension_points(r, code)["dimension"])):
            out[f"dimension:{code}:{n}"] = t("drill_dimension", lang, code=code, n=int(n))
    for fy in sorted(set(r.yearly["fiscal_year_be"]), reverse=True):
        out[f"ita_below:{fy}"] = t("drill_ita_below", lang, fy=fmt.fiscal_year_short(int(fy), lang))
        out[f"ita_missing:{fy}"] = t("drill_ita_missing", lang, fy=fmt.fiscal_year_short(int(fy), lang))
    for fy in sorted(set(r.summaries["fiscal_year_be"]), reverse=True):
        out[f"budget:{fy}"] = t("drill_budget", lang, fy=fmt.fiscal_year_short(int(fy), lang))
    out["overdue"] = t("drill_overdue", lang)
    return out


def drill_section(actor: Actor, chosen: rollup.Filters, today: date, options: dict[str, str], lang: str) -> None:
    st.subheader(t("rollup_drill", lang))
    key = url_select("show", t("rollup_drill_hint", lang), list(options), options.get, t("rollup_drill_hint", lang))
    if key is not None:
        st.dataframe(drill_table(actor, chosen, today, key, lang), hide_index=True, width="stretch",
                     column_config={t("rollup_open", lang): st.column_config.LinkColumn(display_text=t("rollup_open", lang))})


@cache.shared(maxsize=200, immutable=True)
def drill_table(actor: Actor, chosen: rollup.Filters, today: date, key: str, lang: str) -> pd.DataFrame:
    """The organisations behind figure `key` (as drill_options names it), with links to their own pages."""
    figure, *rest = key.split(":")
    kw = {}
    if figure in ("ita_below", "ita_missing", "budget"):
        kw["fiscal_year"] = int(rest[0])
    elif rest:
        kw["code"] = rest[0]
        if figure == "dimension":
            kw["dimension"] = int(rest[1])
    orgs = rollup.drill(read(actor, chosen, today), figure, **kw)
    return pd.DataFrame({
        t("col_province", lang): orgs["province_th"], t("col_district", lang): orgs["district_th"],
        t("col_org", lang): orgs["name_en"].where((orgs["name_en"] != "") & (lang == "en"), orgs["name_th"]),
        t("col_org_type", lang): [t(f"org_type_{v}", lang) for v in orgs["org_type"]],
        t("col_value", lang): [_value(v, lang) for v in orgs["value"]],
        t("rollup_open", lang): [f"./?org={c}&lang={lang}" for c in orgs["code"]]})


def _value(v, lang: str) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, date):  # a publication day, in the Buddhist Era either way
        return fmt.date_short(v) if lang == "th" else fmt.date_long(v, lang)
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.2f}"
    return fmt.number(int(v))
