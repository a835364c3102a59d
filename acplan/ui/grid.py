"""The committee's entry grid: the member's 30 items as an editable table whose edits are saved as drafts at once."""

import pandas as pd
import streamlit as st
from sqlmodel import Session

from acplan import format as fmt
from acplan.access import Actor
from acplan.i18n import describe, t
from acplan.monitoring import entries, scoring, unitreports
from acplan.monitoring.models import AppUser, EvaluationRound
from acplan.plan import queries
from acplan.ui import cache, state
from acplan.ui import evidence as evidence_view
from acplan.ui.actions import attempt, run

MESSAGES_KEY = "grid_messages"


def member_frame(session: Session, actor: Actor, rnd: EvaluationRound, lang: str) -> pd.DataFrame:
    """One row per item (index = item number) with the acting member's current entry and its version."""
    items = pd.DataFrame(queries.list_item_refs(session=session, plan_id=rnd.plan_id, fiscal_year=rnd.fiscal_year_be),
                         columns=["number", "name_th", "project_id"])
    mine = entries.entries_frame(session=session, actor=actor, round_id=rnd.id, member_id=actor.user_id)
    df = items.merge(mine.drop(columns=["member", "member_name"]), on="number", how="left").set_index("number")
    previous = _previous(session, actor, rnd)
    units = unitreports.reports_frame(session=session, actor=actor, rnd=rnd).set_index("number")
    return df.assign(
        unit_label=[_unit_text(units.loc[n], lang) if n in units.index else "" for n in df.index],
        unit_diff=[_differs(row, units.loc[n]) if n in units.index else "" for n, row in df.iterrows()],
        status_label=[t(f"status_{s}", lang) if isinstance(s, str) else None for s in df["status"]],
        reason_label=[t(f"reason_{r}", lang) if isinstance(r, str) else None for r in df["not_possible_reason"]],
        state_label=[t(f"entry_state_{s}", lang) if isinstance(s, str) else t("entry_state_none", lang) for s in df["state"]],
        previous_label=[_previous_text(previous.get(n), lang) for n in df.index],
        carried_label=[_change_mark(row, previous.get(n)) for n, row in df.iterrows()])


@cache.shared(maxsize=500)
def member_view(actor: Actor, round_id: int, lang: str) -> dict:
    """The member's grid read through the app's cache (cleared after every write, this process's or another's):
    `frame` (member_frame), `editor` (the grid's frame), `disagree` (warnings), `labels` (the item form's choices)."""
    with Session(state.engine()) as session:
        df = member_frame(session, actor, session.get(EvaluationRound, round_id), lang)
    return {"frame": df, "editor": editor_frame(df, lang), "disagree": disagreements(df, lang),
            "labels": {n: f"{n}. {name[:70]}" for n, name in zip(df.index, df["name_th"], strict=True)}}


def _unit_text(report: pd.Series, lang: str) -> str:
    """What the unit reported, in one cell: status · progress · spending."""
    parts = [t(f"status_{report['status']}", lang) if isinstance(report["status"], str) else "—"]
    if pd.notna(report["progress_pct"]):
        parts.append(f"{int(report['progress_pct'])}%")
    if pd.notna(report["spent_thb"]):
        parts.append(fmt.baht(int(report["spent_thb"]), lang))
    return " · ".join(parts)


def _differs(entry: pd.Series, report: pd.Series) -> str:
    """≠ where the member's status, progress or spending differs from what the unit reported (both given)."""
    for field in ("status", "progress_pct", "spent_thb"):
        mine, theirs = entry[field], report[field]
        if not _empty(mine) and not _empty(theirs) and mine != theirs:
            return "≠"
    return ""


def _empty(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _previous(session: Session, actor: Actor, rnd: EvaluationRound) -> dict[int, dict]:
    """The member's entries in the round this one was pre-filled from, by item number."""
    if rnd.prefilled_from_id is None:
        return {}
    frame = entries.entries_frame(session=session, actor=actor, round_id=rnd.prefilled_from_id, member_id=actor.user_id)
    return {int(r["number"]): r for r in frame.to_dict("records")}


def _previous_text(prev: dict | None, lang: str) -> str:
    if not prev or not isinstance(prev.get("status"), str):
        return ""
    progress = "" if prev.get("progress_pct") is None or pd.isna(prev["progress_pct"]) else f" {int(prev['progress_pct'])}%"
    return t(f"status_{prev['status']}", lang) + progress


def _change_mark(row: pd.Series, prev: dict | None) -> str:
    """↻ carried forward and unchanged; ✎ changed from the previous round; empty when there is nothing to compare."""
    if not prev:
        return ""
    same = row["status"] == prev.get("status") and (row["progress_pct"] == prev.get("progress_pct")
                                                    or (pd.isna(row["progress_pct"]) and pd.isna(prev.get("progress_pct"))))
    return "↻" if same else "✎"


@cache.shared(maxsize=500)
def _unit_report_data(actor: Actor, round_id: int, plan_id: int, number: int) -> dict | None:
    with Session(state.engine()) as s:
        rnd = s.get(EvaluationRound, round_id)
        reports = unitreports.reports_frame(session=s, actor=actor, rnd=rnd).set_index("number")
        if number not in reports.index:
            return None
        report = reports.loc[number]
        activities, values = unitreports.report_details(session=s, actor=actor, report_id=int(report["report_id"]))
        indicators = {i["id"]: i["text_th"] for i in queries.list_indicators(
            session=s, project_id=queries.get_item_id(session=s, plan_id=plan_id, number=number))}
    return {"report": report, "activities": activities, "values": values, "indicators": indicators}


def unit_report(rnd: EvaluationRound, actor: Actor, number: int, lang: str) -> None:
    """The unit's submitted report on item `number` (what it did, its activities, indicator values, problems and
    suggestions), as plain text: what the member scores from."""
    data = _unit_report_data(actor, rnd.id, rnd.plan_id, number)
    if data is None:
        st.caption(t("unit_report_none", lang))
        return
    report, activities, values, indicators = data["report"], data["activities"], data["values"], data["indicators"]
    with st.container(border=True):
        st.caption(t("unit_report_heading", lang, unit=report["unit"]))
        st.text(_unit_text(report, lang))
        for label, text in (("unit_done", report["done_th"]), ("unit_problems", report["problems_th"]),
                            ("unit_suggestions", report["suggestions_th"])):
            if text:
                st.text(f"{t(label, lang)}: {text}")
        for a in activities:
            when = " – ".join(fmt.date_short(d) for d in (a["start_on"], a["end_on"]) if d)
            st.text("• " + " · ".join(p for p in (a["text_th"], when, a["place_th"],
                                                   t("unit_count", lang, n=a["count"]) if a["count"] is not None else "")
                                      if p))
        for indicator_id, value in values.items():
            if value is not None and indicator_id in indicators:
                st.text("◦ " + t("unit_indicator_reported", lang, text=indicators[indicator_id], value=fmt.number(value)))
        evidence_view.show("unit_report", int(report["report_id"]), actor, lang)


def editor_columns(lang: str) -> dict:
    statuses = [t(f"status_{s}", lang) for s in entries.STATUSES]
    reasons = [t(f"reason_{r}", lang) for r in entries.REASONS]
    return {
        # pinned: the item's name stays in view while the member scrolls to the columns on the right; 500 px show
        # about 60 characters, enough to tell items 13 and 14 apart. Not wrapped: the grid wraps text only at spaces
        # and otherwise between any two characters, which would put a Thai vowel at the start of a line (ต / ำบล).
        # The whole name opens in the cell's overlay (Enter or a double click) and heads the item form below.
        "name_th": st.column_config.TextColumn(t("col_name", lang), disabled=True, width=500, pinned=True),
        "unit_label": st.column_config.TextColumn(t("col_unit_reported", lang), disabled=True, width="medium",
                                                  help=t("col_unit_reported_help", lang)),
        "unit_diff": st.column_config.TextColumn("≠", disabled=True, width="small", help=t("col_unit_diff_help", lang)),
        "status_label": st.column_config.SelectboxColumn(t("col_status", lang), options=statuses, width="medium"),
        "reason_label": st.column_config.SelectboxColumn(t("colname_not_possible_reason", lang), options=reasons),
        # No min/max here: the editor would clamp 7 to 5 or drop a minus sign without a word. What is typed
        # reaches the service, which refuses it with the same message the Excel import gives.
        "progress_pct": st.column_config.NumberColumn(t("col_progress", lang), step=1),
        "score": st.column_config.NumberColumn(t("colname_score", lang), step=1),
        "spent_thb": st.column_config.NumberColumn(t("col_spent", lang), step=1, format="localized"),
        "comment": st.column_config.TextColumn(t("col_comment", lang), max_chars=entries.MAX_COMMENT_CHARS, width="large"),
        "state_label": st.column_config.TextColumn(t("col_entry_state", lang), disabled=True),
        "previous_label": st.column_config.TextColumn(t("col_previous_round", lang), disabled=True),
        "carried_label": st.column_config.TextColumn("↻ / ✎", disabled=True, help=t("carried_help", lang), width="small"),
    }


EDITABLE = ["status_label", "reason_label", "progress_pct", "score", "spent_thb", "comment"]


def editor_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The grid's frame: nullable types so empty cells show empty, the item number as the Thai-labelled index; what
    the units reported beside the name once any unit has reported in the round."""
    reported = bool((df["unit_label"] != "").any())
    columns = ["name_th", *(["unit_label"] if reported else []), *EDITABLE, *(["unit_diff"] if reported else []),
               "state_label", "carried_label", "previous_label"]
    out = df[columns].astype({
        "status_label": "string", "reason_label": "string", "comment": "string",
        "progress_pct": "Int64", "score": "Int64", "spent_thb": "Int64"})
    out.index.name = t("col_number", lang)
    return out


def _values(row: pd.Series, lang: str) -> dict:
    statuses = {t(f"status_{s}", lang): s for s in entries.STATUSES}
    reasons = {t(f"reason_{r}", lang): r for r in entries.REASONS}

    def whole(v):  # a value that is not whole is passed on as it is, for the service to refuse
        if v is None or pd.isna(v):
            return None
        return int(v) if float(v).is_integer() else v
    return {"status": statuses.get(row["status_label"]), "not_possible_reason": reasons.get(row["reason_label"]),
            "progress_pct": whole(row["progress_pct"]), "score": whole(row["score"]), "spent_thb": whole(row["spent_thb"]),
            "comment": row["comment"] if isinstance(row["comment"], str) else ""}


def _save(actor: Actor, round_id: int, project_id: int, values: dict, version: int | None):
    """The write of one item's entry, for `attempt` (its new version): member and round re-read in its own session."""
    def write(session: Session) -> int:
        entry_in = entries.parse_entry(values)
        return entries.save_entry(session=session, actor=actor, member=session.get(AppUser, actor.user_id),
                                  rnd=session.get(EvaluationRound, round_id), project_id=project_id, entry_in=entry_in,
                                  expected_version=version).version
    return write


def disagreements(df: pd.DataFrame, lang: str) -> list[str]:
    """The member's entries whose score contradicts their status (a warning beside the grid, never a refusal)."""
    return [f"{t('project_heading', lang, no=number)}: {describe(w, lang)}" for number, row in df.iterrows()
            for w in scoring.score_status_warnings(row["status"] if isinstance(row["status"], str) else None,
                                                   row["score"])]


def _version(row: pd.Series) -> int | None:
    return None if pd.isna(row["version"]) else int(row["version"])


def refresh_grid() -> None:
    """Draw the grid anew from the store on the next run (its edit state is keyed by this generation)."""
    st.session_state["grid_generation"] = st.session_state.get("grid_generation", 0) + 1


def save_edits(key: str, frame: pd.DataFrame, round_id: int, actor: Actor, lang: str) -> None:
    """on_change of the grid: save each edited row whose values differ from what is stored, one transaction each.

    The editor's state holds every edit since the grid was drawn; a row is written only when what it now says
    differs from the store, so an edit writes (and audits) one entry, not every entry edited before it. The
    grid is not drawn anew after an edit: its scroll position and the row stay where the member is, and a
    refused value stays in its cell as typed (nothing stored) until it is corrected.
    """
    edited = st.session_state[key]["edited_rows"]
    versions = st.session_state.setdefault(f"{key}_versions", {})  # versions this grid itself has since written
    with Session(state.engine()) as session:
        stored = member_frame(session, actor, session.get(EvaluationRound, round_id), lang)
    messages = []
    for position, changes in edited.items():
        number = int(frame.index[int(position)])
        row = stored.loc[number].copy()
        for column, value in changes.items():
            row[column] = value
        values = _values(row, lang)
        if values == _values(stored.loc[number], lang):
            continue  # what the row says is already stored: nothing to write
        version = versions.get(number, _version(frame.loc[number]))
        saved_version, issues = attempt(_save(actor, round_id, int(row["project_id"]), values, version))
        if issues:
            messages += [("error", f"{t('project_heading', lang, no=number)}: {describe(i, lang)}") for i in issues]
        else:
            versions[number] = saved_version
            messages.append(("success", t("grid_saved", lang, number=number)))
            messages += [("warning", f"{t('project_heading', lang, no=number)}: {describe(w, lang)}")
                         for w in scoring.score_status_warnings(values["status"], values["score"])]
    st.session_state[MESSAGES_KEY] = messages


def detail_form(df: pd.DataFrame, labels: dict[int, str], rnd: EvaluationRound, actor: Actor, lang: str) -> None:
    """One item's entry in full: each indicator's actual value and whether it was achieved, and the evidence."""
    number = st.selectbox(t("detail_item", lang), list(labels), key="detail_item", format_func=labels.get,
                          placeholder=t("choose", lang))
    row = df.loc[number]
    st.text(f"{t('project_heading', lang, no=number)} {row['name_th']}")  # the whole name, wrapped by the browser
    unit_report(rnd, actor, number, lang)
    indicators, saved, entry = _detail_data(actor, rnd.id, int(row["project_id"]))
    with st.form(f"detail_{number}", enter_to_submit=False):
        results = {}
        for ind_id, text in indicators:
            st.text(text)
            left, right = st.columns([1, 2])
            prior = saved.get(ind_id, {})
            achieved = left.checkbox(t("indicator_achieved", lang), value=bool(prior.get("achieved")), key=f"ach_{number}_{ind_id}")
            actual = right.number_input(t("indicator_actual", lang), value=prior.get("actual_value"), key=f"act_{number}_{ind_id}")
            results[ind_id] = {"achieved": achieved, "actual_value": actual}
        comment = st.text_area(t("col_comment", lang), value=row["comment"] if isinstance(row["comment"], str) else "",
                               max_chars=entries.MAX_COMMENT_CHARS, key=f"comment_{number}")
        if st.form_submit_button(t("save_detail", lang)):
            values = _values(row, lang) | {"comment": comment, "indicators": results}
            if run(_save(actor, rnd.id, int(row["project_id"]), values, _version(row)), lang):
                st.session_state[MESSAGES_KEY] = [("success", t("grid_saved", lang, number=number))] + [
                    ("warning", f"{t('project_heading', lang, no=number)}: {describe(w, lang)}")
                    for w in scoring.score_status_warnings(values["status"], values["score"])]
                refresh_grid()
                st.rerun()
    if entry is not None:  # the member's own evidence, on their entry once it exists
        evidence_view.show("entry", entry[0], actor, lang, writable=entry[1] != "submitted")
    else:
        st.caption(t("evidence_after_entry", lang))


@cache.shared(maxsize=500)
def _detail_data(actor: Actor, round_id: int, project_id: int) -> tuple[list, dict, tuple | None]:
    """An item's indicators, the member's recorded results for them, and the member's entry (id, state) if any."""
    with Session(state.engine()) as s:
        indicators = [(i["id"], i["text_th"]) for i in queries.list_indicators(session=s, project_id=project_id)]
        saved = entries.indicator_results(session=s, actor=actor, round_id=round_id, project_id=project_id,
                                          member_id=actor.user_id)
        entry = entries.get_entry(session=s, round_id=round_id, project_id=project_id, member_id=actor.user_id)
    return indicators, saved, None if entry is None else (entry.id, str(entry.state))
