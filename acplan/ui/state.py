"""Cached engine and plan data for pages; the current language."""

import threading
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from acplan import clock, settings
from acplan import format as fmt
from acplan.access import Actor, Permission, Role
from acplan.i18n import LANGS, t
from acplan.monitoring import amendments, orgs, unitreports, yearly
from acplan.monitoring import evaluation as ev
from acplan.monitoring.models import AuditHead, EvaluationRound
from acplan.plan import figures, queries
from acplan.plan.filters import ProjectFilter, apply_filter, search_index
from acplan.plan.load import init_store
from acplan.plan.risks import register_view
from acplan.ui import cache, orglist

# One Engine per configured store, per process; not st.cache_resource, which any client may clear (ui/cache.py).
_engines: dict[tuple[str, bool, bool], Engine] = {}
_engines_lock = threading.Lock()


def engine() -> Engine:
    """The configured store's Engine; on a process's first start it migrates and loads the shipped plan."""
    config = settings.get()
    key = (config.database_url, config.public, config.auto_init)
    with _engines_lock:
        if key not in _engines:
            _engines[key] = _make_engine(*key)
        return _engines[key]


def _make_engine(url: str, public: bool, auto_init: bool) -> Engine:
    from acplan.db import make_engine

    if public:  # the public process holds no means to write: read-only connection, no migrations
        return make_engine(url, read_only=True)
    eng = make_engine(url)
    if auto_init:
        init_store(eng, settings.get().plan_file, actor=Actor.operator("app"))
    return eng


def forget_engines() -> None:
    """Dispose of this process's Engines (tests that switch stores)."""
    with _engines_lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()


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


@dataclass(frozen=True)
class OrgInfo:
    id: int
    code: str
    name_th: str
    name_en: str
    org_type: str
    province_th: str
    district_th: str


@cache.shared(immutable=True)  # read several times a run; thousands of rows at national scale
def organisations() -> tuple[OrgInfo, ...]:
    """Every organisation the store serves, by province and name."""
    with Session(engine()) as session:
        return tuple(OrgInfo(o.id, o.code, o.name_th, o.name_en, o.org_type, o.province_th, o.district_th)
                     for o in orgs.list_orgs(session=session))


ORG_KEY = "acplan_org"


def org_code() -> str | None:
    """The organisation the pages show: `?org=SLUG` (remembered for the session and put back into the URL, as the
    language is, so that the top menu's links keep it), else the one a signed-in account belongs to (set at
    sign-in), else the store's only one; None when there are several and none is chosen."""
    every = organisations()
    value = st.query_params.get("org")
    if value:
        st.session_state[ORG_KEY] = value
        return value
    remembered = st.session_state.get(ORG_KEY)
    if remembered and len(every) > 1:
        st.query_params["org"] = remembered
        return remembered
    return every[0].code if len(every) == 1 else None


def current_org() -> OrgInfo | None:
    """The organisation the pages show, if the store has it."""
    code = org_code()
    return next((o for o in organisations() if o.code == code), None)


def choose_org(code: str) -> None:
    """Show organisation `code` from now on (a button's callback on the list of organisations)."""
    st.session_state[ORG_KEY] = code
    st.query_params["org"] = code


def forget_org() -> None:
    """Back to the list of organisations (a button's callback)."""
    st.session_state.pop(ORG_KEY, None)
    st.session_state.pop(orglist.PICK_KEY, None)  # the list starts with nothing chosen
    st.query_params.pop("org", None)


def plan_bundle() -> PlanBundle | None:
    """The shown organisation's plan: its read-only data, fetched once and shared by every page."""
    return plan_bundle_of(org_code())


@cache.shared(immutable=True)  # read several times a run; pages derive frames from it (pandas copies on write)
def plan_bundle_of(org: str | None) -> PlanBundle | None:
    with Session(engine()) as session:
        plan = queries.get_plan(session=session, org_code=org)
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
            targets=yearly.list_targets(session=session, plan_id=plan.id),
            risk_areas=areas, risk_issues=issues, risk_measures=measures,
        )


@cache.shared()
def project_detail(plan_id: int, number: int) -> queries.ProjectDetail | None:
    with Session(engine()) as session:
        return queries.get_project(session=session, plan_id=plan_id, number=number)


@cache.shared()
def amendments_of(plan_id: int) -> list[amendments.AmendmentInfo]:
    """The plan's amendments, oldest first, with each one's changes (public, as the plan is)."""
    with Session(engine()) as session:
        return amendments.infos(session=session, plan_id=plan_id)


@cache.shared()
def item_amendments(plan_id: int, number: int) -> list[amendments.AmendmentInfo]:
    with Session(engine()) as session:
        return amendments.item_history(session=session, plan_id=plan_id, number=number)


@cache.shared()
def approved_budget(plan_id: int) -> pd.DataFrame | None:
    """The budget lines of the plan as first approved (None while it has no amendment)."""
    with Session(engine()) as session:
        if not amendments.list_amendments(session=session, plan_id=plan_id):
            return None
        return figures.budget_lines(amendments.plan_as_of(session=session, plan_id=plan_id, number=0))


@cache.shared()
def actual_spending(plan_id: int) -> pd.DataFrame:
    """Actual spending per fiscal year from the published rounds (SCORING.md §5)."""
    with Session(engine()) as session:
        return ev.list_actual_spending(session=session, actor=Actor.anonymous(), plan_id=plan_id)


@cache.shared()
def risk_view(plan_id: int) -> list[dict]:
    """The fraud-risk register page's data, computed once per plan."""
    bundle = plan_bundle()
    names = dict(zip(bundle.projects["number"], bundle.projects["name_th"], strict=True))
    with Session(engine()) as session:
        notes = {int(a): queries.list_notes(session=session, plan_id=plan_id, subject_type="risk_area", key=str(a))
                 for a in bundle.risk_areas["area"]}
    return register_view(bundle.risk_areas, bundle.risk_issues, bundle.risk_measures, names, notes)


@cache.shared()
def budget_frames(plan_id: int) -> dict[str, pd.DataFrame]:
    """The budget page's tidy frames (by dimension and year, by unit, funded or not), computed once per plan."""
    bundle = plan_bundle()
    return {"by_dim_year": figures.budget_by_dimension_year(bundle.projects, bundle.budget),
            "by_unit": figures.budget_by_unit(bundle.projects, bundle.budget),
            "funded": figures.funded_by_dimension(bundle.projects, bundle.budget)}


@cache.shared(maxsize=500)
def filtered_projects(plan_id: int, flt: ProjectFilter) -> pd.DataFrame:
    """The projects list for one filter state (cached: a filtered view is often reopened from a link)."""
    bundle = plan_bundle()
    return apply_filter(bundle.projects, bundle.budget, bundle.search, flt)


def viewer(actor: Actor) -> Actor:
    """What a cached read depends on (one cache entry per kind): whether the actor may read unpublished rounds,
    and whether it may read the scores of a round still open."""
    if actor.can(Permission.READ_OPEN_ROUND_SCORES):
        return Actor("viewer", Role.OPERATOR)
    return Actor("viewer", Role.COUNCIL) if actor.can(Permission.READ_UNPUBLISHED) else Actor.anonymous()


def evaluation(plan_id: int, actor: Actor) -> tuple[list, pd.DataFrame]:
    """Rounds the actor may see and every item's results in them, with round-over-round and year-over-year changes."""
    return _evaluation(plan_id, viewer(actor))


@cache.shared(immutable=True)  # pages derive their frames from it, never change it
def _evaluation(plan_id: int, viewer: Actor) -> tuple[list, pd.DataFrame]:
    with Session(engine()) as session:
        visible = ev.list_visible_rounds(session=session, actor=viewer, plan_id=plan_id)
        results = ev.results_over_rounds(session=session, actor=viewer, plan_id=plan_id, rounds=visible)
    return visible, ev.with_changes(results, visible) if visible else results


def unit_reports(round_id: int, actor: Actor) -> pd.DataFrame:
    """The units' submitted reports of a round, as the actor's kind of reader sees them (read through the cache)."""
    return _unit_reports(round_id, viewer(actor))


@cache.shared()
def _unit_reports(round_id: int, viewer: Actor) -> pd.DataFrame:
    with Session(engine()) as session:
        rnd = session.get(EvaluationRound, round_id)
        return unitreports.reports_frame(session=session, actor=viewer, rnd=rnd)


def member_entries(round_id: int, actor: Actor) -> pd.DataFrame:
    """Every member's submitted entries of a round (checked for the actor, then read through the cache)."""
    with Session(engine()) as session:
        ev.may_read_member_scores(session, actor, round_id)
    return _member_entries(round_id)


@cache.shared()
def _member_entries(round_id: int) -> pd.DataFrame:
    with Session(engine()) as session:
        return ev.member_entries(session=session, actor=Actor.operator("app"), round_id=round_id)


def project_audit(plan_id: int, number: int, actor: Actor, lang: str) -> pd.DataFrame:
    """Audit rows about one item, as a table (internal roles only; not cached: it must show the latest writes)."""
    from acplan.monitoring import audit

    with Session(engine()) as session:
        rows = audit.project_history(session=session, actor=actor, plan_id=plan_id, number=number)
    return pd.DataFrame({t("col_when", lang): [fmt.datetime_short(r.at, lang) for r in rows],
                         t("col_who", lang): [r.actor for r in rows], t("col_action", lang): [r.action for r in rows],
                         t("col_detail", lang): [audit.change_text(r.before, r.after) for r in rows]})


@dataclass(frozen=True)
class AccountRow:
    """An account as the users page lists and edits it (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    is_active: bool
    position_th: str
    committee_duty: str | None
    email: str


@cache.shared(maxsize=100, immutable=True)
def accounts(actor: Actor) -> tuple[AccountRow, ...]:
    """The accounts the administrator `actor` manages (users.list_users), read through the cache."""
    from acplan.monitoring import users

    with Session(engine()) as session:
        return tuple(AccountRow(u.id, u.username, u.display_name, u.role, u.is_active, u.position_th, u.committee_duty,
                                u.email)
                     for u in users.list_users(session=session, actor=actor))


@cache.shared(maxsize=200, immutable=True)
def rounds_of(plan_id: int, actor: Actor) -> tuple[EvaluationRound, ...]:
    """The plan's rounds as `actor` may list them (rounds.list_rounds), read through the cache: detached records that
    callers read and never change."""
    from acplan.monitoring import rounds

    with Session(engine()) as session:
        return tuple(rounds.list_rounds(session=session, actor=actor, plan_id=plan_id))


@cache.shared(maxsize=200)
def unit_progress(round_id: int, actor: Actor) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A round's units' progress and their submitted reports, as the staff see them (read through the cache)."""
    with Session(engine()) as session:
        rnd = session.get(EvaluationRound, round_id)
        return (unitreports.unit_progress(session=session, actor=actor, rnd=rnd),
                unitreports.reports_frame(session=session, actor=actor, rnd=rnd))


@cache.shared(maxsize=200, immutable=True)
def round_board(round_id: int, actor: Actor, today: date):
    """The round board (monitoring/board.py) read through the cache; its frames are only read."""
    from acplan.monitoring import board

    with Session(engine()) as session:
        return board.round_board(session=session, actor=actor, rnd=session.get(EvaluationRound, round_id), today=today)


def round_report(plan_id: int, code: str, actor: Actor, fmt_key: str) -> bytes:
    """A round's report (PDF or XLSX): the internal edition for who may read member scores, else the public one."""
    internal = actor.can(Permission.READ_MEMBER_SCORES)
    return _round_report(plan_id, code, viewer(actor) if internal else Actor.anonymous(), internal, fmt_key)


@cache.shared(maxsize=20)
def _round_report(plan_id: int, code: str, viewer: Actor, internal: bool, fmt_key: str) -> bytes:
    from acplan.reporting import build_report

    with Session(engine()) as session:
        return build_report(session=session, actor=viewer, plan_id=plan_id, code=code, internal=internal, fmt=fmt_key,
                            today=clock.today())


def data_changed() -> None:
    """After a write: drop this process's cached reads so the next run shows it."""
    cache.clear()


_seen_writes: dict[str, int | None] = {}


def notice_other_writes() -> None:
    """Drop the cached reads when the store was written by another process since (the command line, another app
    server, an import): every write appends to the audit chain, whose one-row head counts its rows, so one small
    read per run tells. Where the head cannot be read, the cache's time limit still applies."""
    try:
        with Session(engine()) as session:
            rows = session.exec(select(AuditHead.rows).where(AuditHead.id == 1)).first()
    except SQLAlchemyError:
        return
    key = settings.get().database_url
    with _engines_lock:
        changed = key in _seen_writes and _seen_writes[key] != rows
        _seen_writes[key] = rows
    if changed:
        cache.clear()


def current_fiscal_year() -> int:
    """Fiscal year (BE) of today (`ACPLAN_TODAY` when set)."""
    return fmt.fiscal_year_of(clock.today())


LANG_KEY = "acplan_lang"


def lang() -> str:
    """The interface language: `?lang=` (th or en), else the one chosen earlier in this session, Thai by default.

    The top menu's links do not carry the query string, so the session remembers the choice and puts it
    back into the URL: English stays English from page to page, and the address can still be shared.
    """
    value = st.query_params.get("lang")
    if value in LANGS:
        st.session_state[LANG_KEY] = value
        return value
    remembered = st.session_state.get(LANG_KEY, "th")
    if remembered != "th":
        st.query_params["lang"] = remembered
    return remembered


def _apply_lang_switch() -> None:
    chosen = st.session_state.get("lang_switch") or "th"
    st.session_state[LANG_KEY] = chosen
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


FRAMED_KEY = "_acplan_framed"
REROUTED_KEY = "_acplan_rerouted"
ROUTE_PARAM = "_route"


def mark_framed() -> None:
    """Called by app.py on every run it frames (router, page config, navigation)."""
    st.session_state[FRAMED_KEY] = True


def ensure_router() -> None:
    """Make sure the page runs inside app.py's frame, even for a fresh server's first deep link.

    Streamlit runs a fresh server's first request through its legacy `pages/` folder mode, executing
    the page without app.py (until some run calls `st.navigation`). A page run without app.py's mark
    switches once to app.py (a page the legacy mode knows), carrying its own address in `?_route=`;
    app.py then calls `st.navigation` and switches to that page (public API only).
    """
    if st.session_state.get(FRAMED_KEY) or st.session_state.get(REROUTED_KEY):
        return
    st.session_state[REROUTED_KEY] = True
    path = urlsplit(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    st.switch_page("app.py", query_params={**st.query_params.to_dict(), ROUTE_PARAM: path})


def follow_route(pages: list) -> None:
    """In app.py after `st.navigation`: go to the page a legacy-mode run asked for (see ensure_router)."""
    target = st.query_params.get(ROUTE_PARAM)
    if target is None:
        return
    del st.query_params[ROUTE_PARAM]
    page = next((p for p in pages if p.url_path == target), None)
    if page is not None:
        st.switch_page(page, query_params=st.query_params.to_dict())


def require_plan() -> PlanBundle:
    """The shown organisation's plan bundle; or, while several organisations are served and none is chosen (or
    the one asked for is unknown), the list of organisations to choose from; or a clear message when there is no
    plan. The page stops in the last two cases."""
    ensure_router()
    every = organisations()
    code = org_code()
    if (code is None and len(every) > 1) or (code is not None and every and current_org() is None):
        if code is not None:
            st.warning(t("org_unknown_page", lang(), org=code), icon=":material/warning:")
        if chosen := orglist.organisation_list(every, lang()):
            choose_org(chosen)
            st.rerun()
        st.stop()
    bundle = plan_bundle()
    if bundle is None:
        st.warning(t("no_plan_loaded", lang()))
        st.stop()
    return bundle
