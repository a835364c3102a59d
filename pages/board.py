"""Round board: how far a round has got — per unit, per member, per item — and who is past a deadline; counts and
states only, never a score. For the secretary steering the round and the council following it."""

import streamlit as st

from acplan import clock
from acplan import format as fmt
from acplan.access import Permission
from acplan.i18n import t
from acplan.monitoring import board
from acplan.ui import frame, session, state
from acplan.ui.widgets import round_choice

lang = state.lang()
bundle = state.require_plan()
actor = session.require(Permission.READ_UNPUBLISHED)
frame.header(t("board_title", lang), t("board_subtitle", lang))
running = list(state.rounds_of(bundle.plan.id, actor))
if not running:
    st.info(t("rounds_none", lang))
    st.stop()
rnd, code = round_choice(running, lang)
b = state.round_board(rnd.id, actor, clock.today())
st.caption(" · ".join([
    t("board_due_units", lang, date=fmt.date_long(b.units_due_on, lang)) if b.units_due_on else t("board_no_due_units", lang),
    t("board_due_members", lang, date=fmt.date_long(b.members_due_on, lang)) if b.members_due_on
    else t("board_no_due_members", lang),
    t(f"round_status_{rnd.status}", lang)]))


def overdue(flag: bool) -> str:
    return t("board_overdue", lang) if flag else ""


late = int(b.units["overdue"].sum()) + int(b.members["overdue"].sum())
if late:
    st.warning(t("board_overdue_count", lang, n=late), icon=":material/schedule:")
units, members = st.columns(2)
with units:
    st.subheader(t("board_units", lang))
    st.dataframe(b.units.assign(overdue=b.units["overdue"].map(overdue)).rename(
        columns={c: t(f"col_board_{c}", lang) for c in board.UNIT_COLUMNS}), hide_index=True, width="stretch")
with members:
    st.subheader(t("board_members", lang))
    st.dataframe(b.members.assign(overdue=b.members["overdue"].map(overdue)).rename(
        columns={c: t(f"col_board_{c}", lang) for c in board.MEMBER_COLUMNS}), hide_index=True, width="stretch")
st.subheader(t("board_items", lang))
st.dataframe(b.items.assign(unit_report=[board.state_label(v, lang) for v in b.items["unit_report"]]).rename(
    columns={c: t(f"col_board_{c}", lang) for c in board.ITEM_COLUMNS}), hide_index=True, width="stretch")
st.download_button(t("board_download", lang), lambda: board.workbook(b, code, lang), on_click="ignore", file_name=f"acplan-board-{code}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="board_xlsx",
                   icon=":material/download:")
