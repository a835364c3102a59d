"""Presentation: step through the plan at a council meeting — headline numbers first, then one dimension per screen."""

import streamlit as st

from acplan import format as fmt
from acplan.i18n import t
from acplan.plan import figures
from acplan.ui import blocks, frame, session, state, views

ITEMS_PER_SCREEN = 5  # what fits 1280×720 at projector size; a longer dimension continues on the next screen
# What a presenter's clicker sends (arrows, Page Up/Down) moves between screens; our own constant script,
# never anything a person typed.
PRESENTER_KEYS = """<script>
if (!window.__acplanPresenterKeys) {
  window.__acplanPresenterKeys = true;
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, [contenteditable=true]")) return;
    const forward = ["ArrowRight", "ArrowDown", "PageDown"].includes(event.key);
    const back = ["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key);
    if (!forward && !back) return;
    const button = document.querySelector(forward ? ".st-key-present_next button" : ".st-key-present_prev button");
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
}
</script>"""

lang = state.lang()
bundle = state.require_plan()
frame.presentation_chrome()
st.html(PRESENTER_KEYS, unsafe_allow_javascript=True)
screens = [None, *views.presentation_screens(bundle.projects, ITEMS_PER_SCREEN)]
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
    dim, numbers = screens[screen]
    name = bundle.dimensions.set_index("dimension").loc[dim, "dimension_name_th"]
    parts = [s_ for s_ in screens[1:] if s_[0] == dim]
    part = f" ({parts.index(screens[screen]) + 1}/{len(parts)})" if len(parts) > 1 else ""
    st.header(f"{t('dimension_n', lang, n=dim)} {name}{part}")
    all_items = bundle.projects[bundle.projects["dimension"] == dim]
    money = bundle.budget[bundle.budget["number"].isin(all_items["number"])]
    st.subheader(t("present_dimension_line", lang, items=t("count_items", lang, n=len(all_items)),
                   budget=fmt.baht(figures.total_budget_thb(money), lang)))
    visible, results = state.evaluation(bundle.plan.id, session.actor())
    columns = views.presentation_table(all_items[all_items["number"].isin(numbers)], money, visible, results, lang)
    st.table(columns, hide_index=True)
