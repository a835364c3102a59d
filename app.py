"""acplan entry point: page config, the page list, presentation mode, run."""

import streamlit as st

from acplan.i18n import t
from acplan.ui import frame, state

st.set_page_config(page_title="acplan", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="collapsed")

frame.base_css()
lang = state.lang()
present = st.Page("pages/present.py", title=t("nav_present", lang), icon=":material/slideshow:", url_path="present",
                  visibility="hidden")
if st.query_params.get("present") == "1":
    st.navigation([present], position="hidden").run()
else:
    pages = [
        st.Page("pages/overview.py", title=t("nav_overview", lang), icon=":material/dashboard:", default=True),
        st.Page("pages/projects.py", title=t("nav_projects", lang), icon=":material/list:", url_path="projects"),
        st.Page("pages/project.py", title=t("nav_project", lang), icon=":material/article:", url_path="project",
                visibility="hidden"),
        st.Page("pages/budget.py", title=t("nav_budget", lang), icon=":material/payments:", url_path="budget"),
        st.Page("pages/risks.py", title=t("nav_risks", lang), icon=":material/warning:", url_path="risks"),
        st.Page("pages/targets.py", title=t("nav_targets", lang), icon=":material/flag:", url_path="targets"),
        present,
    ]
    st.navigation(pages, position="top").run()
