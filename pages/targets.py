"""Targets: how far is the municipality from each year's ITA score and case-reduction targets?"""

import pandas as pd
import streamlit as st

from acplan import charts, format as fmt, summary
from acplan.i18n import t
from acplan.ui import frame, state
from acplan.ui.views import chart_with_table

lang = state.lang()
bundle = state.require_plan()
targets = bundle.targets
baseline = int(targets["baseline_fy_be"].iloc[0])
frame.header(t("targets_page_title", lang), t("targets_intro", lang, baseline=baseline))


def shown(value, template: str) -> str:
    return t("not_recorded", lang) if pd.isna(value) else t(template, lang, value=fmt.number(value))


base_cases = targets["baseline_cases"].iloc[0]
st.caption(t("targets_baseline", lang, baseline=baseline, value=shown(base_cases, "cases_value")))
reductions = [summary.case_reduction_pct(None if pd.isna(base_cases) else int(base_cases),
                                         None if pd.isna(c) else int(c)) for c in targets["cases_actual"]]
table = pd.DataFrame({
    t("col_fiscal_year", lang): [fmt.fiscal_year_label(y, lang) for y in targets["fiscal_year_be"]],
    t("col_ita_target", lang): [t("points_value", lang, value=v) for v in targets["ita_target"]],
    t("col_ita_actual", lang): [shown(v, "points_value") for v in targets["ita_actual"]],
    t("col_cases_target", lang): [t("percent_value", lang, value=v) for v in targets["case_reduction_target_pct"]],
    t("col_cases_actual", lang): [shown(v, "cases_value") for v in targets["cases_actual"]],
    t("col_cases_reduction", lang): [shown(r, "percent_value") if r is not None else t("not_recorded", lang)
                                     for r in reductions],
})
st.table(table, hide_index=True)
chart_with_table(charts.ita_target_vs_actual(targets, lang=lang), table, key="ita_targets", lang=lang)
