"""Presentation: step through the plan at a council meeting — headline numbers first, then one dimension per screen."""

import streamlit as st

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan import figures
from acplan.ui import blocks, frame, state, views

lang = state.lang()
bundle = state.require_plan()
frame.presentation_chrome()
dims = bundle.dimensions["dimension"].tolist()
screens = [None, *dims]
raw = st.query_params.get("screen", "0")
screen = int(raw) if raw.isdigit() and int(raw) < len(screens) else 0


def go(to: int) -> None:
    st.query_params["screen"] = str(to)


nav_prev, nav_label, nav_next, nav_exit = st.columns([1.1, 1.6, 1.1, 1.6], vertical_alignment="center")
nav_prev.button(t("present_prev", lang), icon=":material/arrow_back:", disabled=screen == 0, on_click=go,
                args=(screen - 1,), key="present_prev", width="stretch")
nav_label.caption(t("present_screen", lang, n=screen + 1, total=len(screens)))
nav_next.button(t("present_next", lang), icon=":material/arrow_forward:", disabled=screen == len(screens) - 1,
                on_click=go, args=(screen + 1,), key="present_next", width="stretch")
if nav_exit.button(t("present_exit", lang), icon=":material/close:", key="present_exit", width="stretch"):
    st.switch_page("pages/overview.py", query_params=frame.lang_params())

if screens[screen] is None:
    st.header(t("present_summary_title", lang))
    c1, c2, c3 = st.columns(3)
    c1.metric(t("metric_items", lang), t("count_items", lang, n=len(bundle.projects)))
    c2.metric(t("metric_budget_total", lang), fmt.baht(figures.total_budget_thb(bundle.budget), lang))
    c3.metric(t("metric_unfunded", lang), t("count_items", lang, n=figures.unfunded_items(bundle.budget)))
    views.show_chart(blocks.present_summary_block(bundle.plan.id, lang))
else:
    dim = screens[screen]
    name = bundle.dimensions.set_index("dimension").loc[dim, "dimension_name_th"]
    st.header(f"{t('dimension_n', lang, n=dim)} {name}")
    items = bundle.projects[bundle.projects["dimension"] == dim]
    money = bundle.budget[bundle.budget["number"].isin(items["number"])]
    c1, c2 = st.columns(2)
    c1.metric(t("metric_items", lang), t("count_items", lang, n=len(items)))
    c2.metric(t("metric_budget_total", lang), fmt.baht(figures.total_budget_thb(money), lang))
    per_item = money.groupby("number")["amount_thb"].sum()
    st.table({t("col_number", lang): items["number"].tolist(), t("col_name", lang): items["name_th"].tolist(),
              t("col_budget_5y", lang): [fmt.number(per_item.get(n, 0)) for n in items["number"]]}, hide_index=True)
