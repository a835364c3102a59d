"""acplan entry point: page config, the page list, presentation mode, run."""

import streamlit as st

from acplan.i18n import t
from acplan.ui import frame, state

st.set_page_config(page_title="acplan", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="collapsed")
frame.base_css()
lang = state.lang()
presenting = st.query_params.get("present") == "1"


def page(path: str, title_key: str, icon: str, url_path: str, *, hidden: bool = False) -> st.Page:
    """A page; while presenting, every page but the presentation is hidden (still reachable to leave it)."""
    return st.Page(path, title=t(title_key, lang), icon=icon, url_path=url_path or None,
                   default=url_path == ("present" if presenting else ""),
                   visibility="hidden" if hidden or presenting else "visible")


pages = [
    page("pages/overview.py", "nav_overview", ":material/dashboard:", ""),
    page("pages/projects.py", "nav_projects", ":material/list:", "projects"),
    page("pages/project.py", "nav_project", ":material/article:", "project", hidden=True),
    page("pages/budget.py", "nav_budget", ":material/payments:", "budget"),
    page("pages/risks.py", "nav_risks", ":material/warning:", "risks"),
    page("pages/targets.py", "nav_targets", ":material/flag:", "targets"),
    page("pages/present.py", "nav_present", ":material/slideshow:", "present", hidden=True),
]
st.navigation(pages, position="hidden" if presenting else "top").run()
