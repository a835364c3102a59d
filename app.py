"""acplan entry point: page config, the page list for the signed-in role, presentation mode, run."""

import streamlit as st

from acplan import settings
from acplan.access import Permission, Role
from acplan.i18n import t
from acplan.ui import frame, session, state

st.set_page_config(page_title="acplan", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="collapsed")
state.mark_framed()
lang = state.lang()
try:
    public = settings.get().public
    frame.configure_logging(settings.get().log_level)
except settings.SettingsError as exc:  # a mistyped setting must not start the app in some other mode
    st.error(t("settings_invalid", lang), icon=":material/error:")
    st.text(str(exc))
    st.stop()
frame.base_css()
state.notice_other_writes()
presenting = st.query_params.get("present") == "1"
actor = session.actor()


def page(path: str, title_key: str, icon: str, url_path: str, *, hidden: bool = False) -> st.Page:
    """A page; while presenting, every page but the presentation is hidden (still reachable to leave it).

    The top bar shows titles only (icons would push pages into a "more" menu at 1280 px); `icon` serves the
    hidden pages' browser tab.
    """
    return st.Page(path, title=t(title_key, lang), icon=icon if hidden else None, url_path=url_path or None,
                   default=url_path == ("present" if presenting else ""),
                   visibility="hidden" if hidden or presenting else "visible")


# Pages a role may not use are not offered; each of them also refuses by itself when reached by URL.
pages = [
    page("pages/overview.py", "nav_overview", ":material/dashboard:", ""),
    page("pages/score.py", "nav_score", ":material/edit_note:", "score", hidden=not actor.can(Permission.SCORE)),
    page("pages/unit_report.py", "nav_unit_report", ":material/assignment:", "unit-report",
         hidden=not actor.can(Permission.REPORT_UNIT)),
    # The staff reach the board from the rounds page: a twelfth item would not fit the top menu at 1280 px, and the
    # menu's overflow is labelled by Streamlit in English.
    page("pages/board.py", "nav_board", ":material/checklist:", "board",
         hidden=not actor.can(Permission.READ_UNPUBLISHED) or actor.can(Permission.MANAGE_ROUNDS)),
    page("pages/rounds.py", "nav_rounds", ":material/event_repeat:", "rounds", hidden=not actor.can(Permission.MANAGE_ROUNDS)),
    page("pages/projects.py", "nav_projects", ":material/list:", "projects"),
    page("pages/project.py", "nav_project", ":material/article:", "project", hidden=True),
    page("pages/budget.py", "nav_budget", ":material/payments:", "budget"),
    page("pages/risks.py", "nav_risks", ":material/warning:", "risks"),
    page("pages/targets.py", "nav_targets", ":material/flag:", "targets"),
    page("pages/results.py", "nav_results", ":material/insights:", "results"),
    page("pages/findings.py", "nav_findings", ":material/fact_check:", "findings"),
    page("pages/plan_edit.py", "nav_plan_edit", ":material/edit_document:", "plan-edit",
         hidden=not actor.can(Permission.EDIT_PLAN)),
    # Across organisations: for oversight offices and the public, once the store serves several.
    page("pages/rollup.py", "nav_rollup", ":material/travel_explore:", "rollup",
         hidden=len(state.organisations()) < 2 or actor.role not in (None, Role.OVERSIGHT)),
    page("pages/users.py", "nav_users", ":material/group:", "users", hidden=not actor.can(Permission.MANAGE_USERS)),
    page("pages/login.py", "nav_account" if actor.role else "nav_login", ":material/person:", "login", hidden=public),
    page("pages/present.py", "nav_present", ":material/slideshow:", "present", hidden=True),
]
current = st.navigation(pages, position="hidden" if presenting else "top")
state.follow_route(pages)
try:
    current.run()
except Exception:  # Streamlit's own rerun/stop are BaseExceptions and pass through
    if settings.get().show_errors:
        raise
    frame.page_failed(current.url_path, lang)
