"""acplan entry point: page config, language switch, the page list, run."""

import streamlit as st

from acplan.i18n import t
from acplan.ui import state

st.set_page_config(page_title="acplan", page_icon=":material/balance:", layout="wide")

with st.sidebar:
    state.language_switch()

lang = state.lang()
pages = [
    st.Page("pages/overview.py", title=t("nav_overview", lang), icon=":material/dashboard:", url_path="", default=True),
]
st.navigation(pages).run()
