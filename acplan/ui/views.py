"""Reusable view blocks: dimension cards, target metrics, chart with its table and CSV."""

from datetime import date

import pandas as pd
import streamlit as st

from acplan import format as fmt
from acplan.cells import csv_cell
from acplan.i18n import describe, t
from acplan.monitoring import scoring
from acplan.plan import figures
from acplan.plan.amend import change_row
from acplan.reporting import charts
from acplan.ui import cache
from acplan.ui.frame import lang_params


def short_name(name: str, limit: int = 48) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def items_line(view: dict, lang: str) -> str:
    """'**30 รายการ**: มาตรการ 12 · โครงการ 11 · … · รายการที่ไม่ใช้งบประมาณ 27' (labels and counts only)."""
    parts = [f"{t(f'kind_{k}', lang)} {n}" for k, n in view["kinds"]]
    parts.append(f"{t('metric_unfunded', lang)} {view['unfunded']}")
    return f"**{t('count_items', lang, n=view['items'])}**: " + " · ".join(parts)


def dimension_cards(cards: list[dict], lang: str) -> None:
    """Four cards, one per dimension: name, item count, five-year budget, a link to its items."""
    for col, card in zip(st.columns(len(cards)), cards, strict=True):
        with col.container(border=True):
            st.markdown(f"**{t('dimension_n', lang, n=card['dimension'])}**")
            st.caption(card["name_th"])
            st.markdown(t("dimension_card_items", lang, n=card["items"], budget=fmt.baht(card["budget"], lang)))
            st.page_link("pages/projects.py", label=t("dimension_card_open", lang, n=card["dimension"]),
                         icon=":material/arrow_forward:", query_params=lang_params(dim=card["dimension"]))


def latest_round(visible: list, results: pd.DataFrame, lang: str) -> None:
    """The latest round the viewer may see: status, items scored and overall result (SCORING.md §4)."""
    from acplan.monitoring import scoring

    if not visible:
        st.caption(t("overview_no_rounds", lang))
        return
    rnd = visible[-1]
    items = results[results["round"] == rnd.code]
    overall = scoring.round_result(items)
    st.markdown(t("overview_latest_round", lang, code=rnd.code, status=t(f"round_status_{rnd.status}", lang),
                  scored=int((items["n"] > 0).sum()), total=len(items),
                  result=t("no_score", lang) if overall is None else f"{overall:.2f}"))
    st.page_link("pages/results.py", label=t("nav_results", lang), icon=":material/insights:",
                 query_params=lang_params(round=rnd.code))


def target_metrics(target: dict | None, fy: int, lang: str, cols) -> None:
    """This fiscal year's ITA and case-reduction targets, with the actual figures once recorded."""
    if target is None:
        return
    ita_actual = t("metric_actual", lang, value=fmt.number(target["ita_actual"])) if pd.notna(target["ita_actual"]) \
        else t("not_recorded", lang)
    reduction = figures.case_reduction_pct(_int(target["baseline_cases"]), _int(target["cases_actual"]))
    case_actual = t("metric_actual", lang, value=t("percent_value", lang, value=fmt.number(reduction))) \
        if reduction is not None else t("not_recorded", lang)
    c1, c2 = cols
    c1.metric(t("metric_ita_target", lang, fy=fmt.fiscal_year_short(fy, lang)),
              t("points_value", lang, value=int(target["ita_target"])), ita_actual, delta_color="off",
              delta_arrow="off", border=True)
    c2.metric(t("metric_case_target", lang, fy=fmt.fiscal_year_short(fy, lang)),
              t("percent_value", lang, value=int(target["case_reduction_target_pct"])), case_actual, delta_color="off",
              delta_arrow="off", border=True)


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def chart_block(builder: str, data: pd.DataFrame, table: pd.DataFrame, *, key: str, lang: str,
                present: bool = False) -> dict:
    """A chart of acplan.charts built and validated once, with its table and the table's CSV (UTF-8 with BOM)."""
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    spec = cache.chart_spec(lambda: getattr(charts, builder)(data, lang=lang, present=present).to_dict(),
                            builder, lang, present, cache.frame_key(data))
    shown = table.assign(**{c: [_figure(v) for v in table[c]] for c in numeric})  # the numbers as people read them
    return {"spec": spec, "table": table, "shown": shown, "numeric": numeric,
            "csv": table.map(csv_cell).to_csv(index=False).encode("utf-8-sig"), "key": key, "present": present}


def show_chart(block: dict) -> None:
    st.vega_lite_chart(block["spec"], width="stretch",
                       height=charts.CHART_HEIGHT_PX + (240 if block["present"] else 160))


def show_block(block: dict, lang: str) -> None:
    """The chart, its figures in a table beneath it, and the table as a CSV download."""
    show_chart(block)
    st.caption(t("table_of_chart", lang))
    st.dataframe(block["shown"], hide_index=True, width="stretch",
                 column_config={c: st.column_config.TextColumn(alignment="right") for c in block["numeric"]})
    st.download_button(t("download_csv", lang), block["csv"], file_name=f"{block['key']}.csv", mime="text/csv",
                       key=f"csv_{block['key']}", icon=":material/download:")


def by_year_table(pivot: pd.DataFrame, lang: str, columns: dict) -> pd.DataFrame:
    """A year-indexed pivot as a table: fiscal-year labels first, then the renamed value columns."""
    table = pivot.rename(columns=columns).rename_axis(columns=None).reset_index()
    years = [fmt.fiscal_year_short(int(y), lang) for y in table["fiscal_year_be"]]
    return table.drop(columns="fiscal_year_be").assign(**{t("col_fiscal_year", lang): years})[
        [t("col_fiscal_year", lang), *[c for c in table.columns if c != "fiscal_year_be"]]]


def _figure(value) -> str:
    """A table's number as people read it: '1,100,000', or '—' where there is none (never None or nan)."""
    return "—" if value is None or pd.isna(value) else fmt.number(value)


def _num(value, digits: int = 2) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def score_text(value) -> str:
    """A 1–5 result with two decimals, or a dash when nothing was scored (None or NaN)."""
    return _num(value)


def item_results_table(items: pd.DataFrame, lang: str, budgets: dict[int, int] | None = None) -> pd.DataFrame:
    """The per-item results of a round with Thai headers; changes signed (+0.50 / −0.25); and, from the item's
    budget of the round's fiscal year (`budgets`), what in its figures contradicts itself or the plan."""
    def signed(v) -> str:
        return "" if v is None or pd.isna(v) else f"{v:+.2f}"

    def checks(number, status, progress, spent, mean) -> str:
        found = scoring.inconsistencies(status, progress, spent, (budgets or {}).get(int(number)), mean)
        return "; ".join("⚠ " + describe(i, lang) for i in found)
    return pd.DataFrame({
        t("col_number", lang): items["number"], t("col_name", lang): items["name_th"],
        t("col_score_mean", lang): [_num(v) for v in items["mean"]],
        t("col_score_median", lang): [_num(v, 1) for v in items["median"]],
        t("col_spread", lang): [_num(v, 0) for v in items["spread"]],
        t("col_n_scored", lang): items["n"],
        t("col_flag", lang): ["⚠" if f else "" for f in items["flag"]],
        t("col_status", lang): [t(f"status_{s}", lang) if isinstance(s, str) else t("status_not_scored", lang)
                                for s in items["status"]],
        t("col_progress", lang): [_num(v, 0) for v in items["progress_pct"]],
        t("col_spent", lang): ["—" if v is None or pd.isna(v) else fmt.number(v) for v in items["spent_thb"]],
        t("col_change_prev", lang): [signed(v) for v in items["change_prev"]],
        t("col_change_year", lang): [signed(v) for v in items["change_year"]],
        t("col_checks", lang): [checks(*row) for row in zip(items["number"], items["status"], items["progress_pct"],
                                                            items["spent_thb"], items["mean"], strict=True)],
    })


def duty_label(duty: str | None, lang: str) -> str:
    """A committee duty as the users page lists it; None reads "not set"."""
    return t(f"duty_{duty}", lang) if duty else t("duty_none", lang)


def flagged_items(table: pd.DataFrame, lang: str) -> list[tuple[int, str]]:
    """(item number, note) for each row of `item_results_table` whose figures contradict themselves or the plan."""
    return [(int(n), note) for n, note in zip(table[t("col_number", lang)], table[t("col_checks", lang)], strict=True)
            if note]


def member_table(entries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every member's submitted entries (internal roles only), as text so nothing typed is rendered as markup."""
    return pd.DataFrame({
        t("col_member", lang): entries["member_name"], t("col_number", lang): entries["number"],
        t("col_status", lang): [t(f"status_{s}", lang) if isinstance(s, str) else "" for s in entries["status"]],
        t("col_progress", lang): [_num(v, 0) for v in entries["progress_pct"]],
        t("colname_score", lang): [_num(v, 0) for v in entries["score"]],
        t("col_spent", lang): ["—" if v is None or pd.isna(v) else fmt.number(v) for v in entries["spent_thb"]],
        t("col_comment", lang): entries["comment"],
    })


def findings_table(findings: pd.DataFrame, names: dict[int, str], lang: str) -> dict:
    """Findings with Thai headers and labels; the typed texts stay plain cell values (never markup)."""
    return {
        "#": findings["id"], t("col_round", lang): findings["round"],
        t("col_item", lang): [f"{int(n)}. {names[int(n)][:40]}" if pd.notna(n) else "" for n in findings["number"]],
        t("col_finding", lang): findings["text"],
        t("col_severity", lang): [t(f"severity_{v}", lang) for v in findings["severity"]],
        t("colname_responsible_unit", lang): findings["responsible_unit"], t("col_due", lang): [
            fmt.date_long(d, lang) if isinstance(d, date) else "—" for d in findings["due_date"]],
        t("col_finding_status", lang): [t(f"finding_status_{v}", lang) for v in findings["status"]],
        t("colname_unit_response", lang): findings["unit_response"],
        t("col_visibility", lang): [t(f"visibility_{v}", lang) for v in findings["visibility"]],
    }


def round_confirm_lines(done, action: str, lang: str, early_until: date | None = None) -> list[str]:
    """What the confirmation of a round transition says: its effect, the counts, what is missing, and whether the
    round's period is still running."""
    lines = [t(f"round_effect_{action}", lang),
             t("round_confirm_counts", lang, scored=len(done.items_scored), items=done.items,
               submitted=len(done.members_submitted), members=len(done.members))]
    if done.incomplete_for(action) and done.items_unscored:
        lines.append(t("round_confirm_unscored", lang, numbers=", ".join(str(n) for n in done.items_unscored)))
    if done.incomplete_for(action) and done.members_missing:
        lines.append(t("round_confirm_missing", lang, names=", ".join(done.members_missing)))
    if early_until is not None:
        lines.append(t("round_confirm_early", lang, end=early_until))
    return lines


def round_confirm_boxes(done, action: str, early: bool, lang: str) -> list[str]:
    """The boxes to tick before an incomplete or early close or publication."""
    return [t("round_confirm_ack", lang)] * done.incomplete_for(action) + [t("round_confirm_early_ack", lang)] * early


def presentation_screens(projects: pd.DataFrame, per_screen: int) -> list[tuple[int, list[int]]]:
    """(dimension, item numbers) per presentation screen: a dimension continues over screens of `per_screen`."""
    screens = []
    for dim, group in projects.groupby("dimension", sort=True):
        numbers = group["number"].tolist()
        screens += [(int(dim), numbers[i:i + per_screen]) for i in range(0, len(numbers), per_screen)]
    return screens


def presentation_table(items: pd.DataFrame, money: pd.DataFrame, rounds: list, results: pd.DataFrame,
                       lang: str) -> dict:
    """A presentation screen's items: five-year budget ("ไม่ใช้งบประมาณ", never a bare 0) and the latest
    published round's result and status."""
    per_item = money.groupby("number")["amount_thb"].sum()
    numbers = items["number"].tolist()
    columns = {t("col_number", lang): numbers, t("col_name", lang): items["name_th"].tolist(),
               t("col_budget_5y", lang): [fmt.number(per_item[n]) if per_item.get(n, 0) else t("present_no_budget", lang)
                                          for n in numbers]}
    published = [r for r in rounds if r.status == "published"]
    if published:
        code = published[-1].code
        latest = results[results["round"] == code].set_index("number")
        columns[t("present_score", lang, code=code)] = [score_text(latest.loc[n, "mean"]) for n in numbers]
        columns[t("present_status", lang, code=code)] = [
            t(f"status_{latest.loc[n, 'status']}", lang) if isinstance(latest.loc[n, "status"], str) else "—"
            for n in numbers]
    return columns


def changes_table(changes: list[dict], lang: str) -> pd.DataFrame:
    """An amendment's changes as a table: what, which field, before, after (text cells, never markdown)."""
    rows = [change_row(c, lang) for c in changes]
    return pd.DataFrame(rows, columns=["subject", "field", "before", "after"]).rename(columns={
        "subject": t("col_change_subject", lang), "field": t("col_change_field", lang),
        "before": t("col_change_before", lang), "after": t("col_change_after", lang)})
