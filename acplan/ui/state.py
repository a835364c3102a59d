"""Cached engine and plan data for pages; the current language."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from acplan import config, format as fmt, queries
from acplan.filters import ProjectFilter, apply_filter, search_index
from acplan.i18n import LANGS, t
from acplan.store import init_store

CACHE_TTL_S = 300


@st.cache_resource
def engine() -> Engine:
    """One Engine per server process; on first start it migrates and loads the shipped plan."""
    from acplan.db import make_engine

    if config.public_mode():  # the public process holds no means to write: read-only connection, no migrations
        return make_engine(read_only=True)
    eng = make_engine()
    if config.get("ACPLAN_AUTO_INIT") == "1":
        init_store(eng, config.plan_file())
    return eng


@dataclass(frozen=True)
class PlanBundle:
    plan: queries.PlanInfo
    dimensions: pd.DataFrame
    missions: pd.DataFrame
    projects: pd.DataFrame
    budget: pd.DataFrame
    search: pd.DataFrame
    targets: pd.DataFrame
    risk_areas: pd.DataFrame
    risk_issues: pd.DataFrame
    risk_measures: pd.DataFrame


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def plan_bundle() -> PlanBundle | None:
    """The plan's read-only data, fetched once and shared by every page."""
    with Session(engine()) as session:
        plan = queries.get_plan(session=session)
        if plan is None:
            return None
        areas, issues, measures = queries.list_risk_register(session=session, plan_id=plan.id)
        return PlanBundle(
            plan=plan,
            dimensions=queries.list_dimensions(session=session, plan_id=plan.id),
            missions=queries.list_missions(session=session, plan_id=plan.id),
            projects=queries.list_projects(session=session, plan_id=plan.id),
            budget=queries.list_budget_lines(session=session, plan_id=plan.id),
            search=search_index(queries.list_search_text(session=session, plan_id=plan.id)),
            targets=queries.list_targets(session=session, plan_id=plan.id),
            risk_areas=areas, risk_issues=issues, risk_measures=measures,
        )


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def project_detail(plan_id: int, number: int) -> queries.ProjectDetail | None:
    with Session(engine()) as session:
        return queries.get_project(session=session, plan_id=plan_id, number=number)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def actual_spending(plan_id: int, statuses: tuple[str, ...] = ("published",)) -> pd.DataFrame:
    """Actual spending per fiscal year from the rounds with these statuses (SCORING.md §5)."""
    with Session(engine()) as session:
        return queries.list_actual_spending(session=session, plan_id=plan_id, statuses=statuses)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def notes(plan_id: int, subject_type: str, key: str) -> list[dict]:
    with Session(engine()) as session:
        return queries.list_notes(session=session, plan_id=plan_id, subject_type=subject_type, key=key)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def risk_view(plan_id: int) -> list[dict]:
    """The fraud-risk register page's data, computed once per plan."""
    from acplan.register import register_view

    bundle = plan_bundle()
    names = dict(zip(bundle.projects["number"], bundle.projects["name_th"], strict=True))
    with Session(engine()) as session:
        notes = {int(a): queries.list_notes(session=session, plan_id=plan_id, subject_type="risk_area", key=str(a))
                 for a in bundle.risk_areas["area"]}
    return register_view(bundle.risk_areas, bundle.risk_issues, bundle.risk_measures, names, notes)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def budget_frames(plan_id: int) -> dict[str, pd.DataFrame]:
    """The budget page's tidy frames (by dimension and year, by unit, funded or not), computed once per plan."""
    from acplan import summary

    bundle = plan_bundle()
    return {"by_dim_year": summary.budget_by_dimension_year(bundle.projects, bundle.budget),
            "by_unit": summary.budget_by_unit(bundle.projects, bundle.budget),
            "funded": summary.funded_by_dimension(bundle.projects, bundle.budget)}


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=500)
def filtered_projects(plan_id: int, flt: ProjectFilter) -> pd.DataFrame:
    """The projects list for one filter state (cached: a filtered view is often reopened from a link)."""
    bundle = plan_bundle()
    return apply_filter(bundle.projects, bundle.budget, bundle.search, flt)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def evaluation(plan_id: int, role: str | None) -> tuple[list, pd.DataFrame]:
    """Rounds the role may see and every item's results in them, with round-over-round and year-over-year changes."""
    from acplan import evaluation as ev

    with Session(engine()) as session:
        visible = ev.list_visible_rounds(session=session, plan_id=plan_id, role=role)
        results = ev.results_over_rounds(session=session, plan_id=plan_id, rounds=visible)
    return visible, ev.with_changes(results, visible) if visible else results


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def member_entries(round_id: int) -> pd.DataFrame:
    from acplan import evaluation as ev

    with Session(engine()) as session:
        return ev.member_entries(session=session, round_id=round_id)


def project_audit(plan_id: int, number: int, lang: str) -> pd.DataFrame:
    """Audit rows about one item, as a table (internal roles only; not cached: it must show the latest writes)."""
    from acplan import audit
    from acplan.i18n import t

    with Session(engine()) as session:
        rows = audit.project_history(session=session, plan_id=plan_id, number=number)
    return pd.DataFrame({t("col_when", lang): [fmt.datetime_short(r.at, lang) for r in rows],
                         t("col_who", lang): [r.actor for r in rows], t("col_action", lang): [r.action for r in rows],
                         t("col_detail", lang): [audit.change_text(r.before, r.after) for r in rows]})


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=20)
def round_report(plan_id: int, code: str, internal: bool, fmt_key: str) -> bytes:
    """A round's report (PDF or XLSX), built when first asked for and cached until the next write."""
    from acplan.reports import build_report

    with Session(engine()) as session:
        return build_report(session=session, plan_id=plan_id, code=code, internal=internal, fmt=fmt_key, today=date.today())


def current_fiscal_year() -> int:
    """Fiscal year (BE) of today, or of ACPLAN_TODAY when set."""
    today = config.get("ACPLAN_TODAY")
    return fmt.fiscal_year_of(date.fromisoformat(today) if today else date.today())


def lang() -> str:
    """The interface language from `?lang=` (th or en), Thai by default."""
    value = st.query_params.get("lang", "th")
    return value if value in LANGS else "th"


def _apply_lang_switch() -> None:
    chosen = st.session_state.get("lang_switch") or "th"
    if chosen == "th":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = chosen


def language_switch() -> None:
    """ไทย | English control that keeps the choice in the URL (`?lang=en`), so links carry it."""
    current = lang()
    st.segmented_control(
        t("language", current), options=list(LANGS), default=current, key="lang_switch", label_visibility="collapsed",
        format_func=lambda code: {"th": "ไทย", "en": "English"}[code], on_change=_apply_lang_switch)


def ensure_router() -> None:
    """Make sure app.py (frame, navigation, page config) runs, even for a fresh server's first deep link.

    Streamlit runs the first request of a new server process through its legacy `pages/` folder mode
    when that folder exists, executing the page without app.py; it leaves that mode only once
    `st.navigation` has run. Switching the flag off and rerunning sends the request through app.py.
    Only a session's first run reruns: a later run may carry a button press or form submission that a
    rerun would drop (Streamlit's test harness re-enters the legacy mode on every run).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not st.session_state.get("_acplan_routed"):
            st.session_state["_acplan_routed"] = True
            st.rerun()
    st.session_state["_acplan_routed"] = True


def require_plan() -> PlanBundle:
    """The plan bundle, or a clear message and a stopped page when the store holds no plan."""
    ensure_router()
    bundle = plan_bundle()
    if bundle is None:
        st.warning(t("no_plan_loaded", lang()))
        st.stop()
    return bundle
