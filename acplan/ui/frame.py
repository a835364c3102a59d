"""Page frame shared by every page: heading row with the language switch, links that keep ?lang=."""

import logging

import streamlit as st

from acplan.i18n import t
from acplan.ui import state

BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stMetricValue"] { font-size: 1.9rem; }
</style>
"""
PRESENT_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2.5rem; max-width: 100%; }
html { font-size: 24px; }
[data-testid="stMetricValue"] { font-size: 2.1rem; }
</style>
"""


def page_failed(page: str, lang: str) -> None:
    """A fault in a page: the reader is told in their language (never Streamlit's English notice or a traceback);
    the operator finds the fault in the server log."""
    logging.getLogger("acplan").exception("page %r failed", page or "/")
    st.error(t("page_failed", lang), icon=":material/error:")


def lang_params(**params: object) -> dict[str, str]:
    """Query parameters for a link, keeping the current language."""
    out = {k: str(v) for k, v in params.items() if v is not None}
    if state.lang() != "th":
        out["lang"] = state.lang()
    return out


def header(title: str, caption: str | None = None, *, of_organisation: bool = True) -> None:
    """Page title at the left; language switch and presentation toggle at the right. A page `of_organisation` (all
    but the roll-up across organisations) also names the organisation shown, with the way back to the list; the
    roll-up has neither that nor the presentation, which presents one organisation's plan."""
    left, switch, present = st.columns([6, 1.6, 1.4], vertical_alignment="center")
    with left:
        st.header(title)
    with switch:
        state.language_switch()
    with present:
        if of_organisation and st.button(t("present_toggle", state.lang()), icon=":material/slideshow:",
                                         key="present_on", width="stretch"):
            st.switch_page("pages/present.py", query_params=lang_params(present=1))
    org = state.current_org() if of_organisation and len(state.organisations()) > 1 else None
    if org is None:
        if caption:
            st.caption(caption)
        return
    # several organisations: whose pages these are, and the way back to the list, in the caption's row
    name = org.name_en if state.lang() == "en" and org.name_en else org.name_th
    left, other = st.columns([6, 3], vertical_alignment="center")
    with left:
        if caption:
            st.caption(caption)
        if name not in (caption or ""):
            st.text(name)  # plain text, never markup
    other.button(t("org_other", state.lang()), icon=":material/apartment:", key="org_other", width="stretch",
                 on_click=state.forget_org)


def base_css() -> None:
    """Tighten the frame so the overview fits a 1280×720 projector (constant CSS; no user text)."""
    st.html(BASE_CSS)


def presentation_chrome() -> None:
    """Hide the app chrome and enlarge type for the room (constant CSS; no user text is rendered as HTML)."""
    st.html(PRESENT_CSS)


def configure_logging(level: str) -> None:
    """acplan's log lines to standard error at `level` (ACPLAN_LOG_LEVEL), set up once per process."""
    logger = logging.getLogger("acplan")
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
