"""Run by bench/grid_edits.py under AppTest: the grid's on_change with the editor state the bench gives it."""

import streamlit as st
from sqlmodel import Session, select

from acplan.access import Actor
from acplan.db import make_engine
from acplan.monitoring.models import AppUser, EvaluationRound
from acplan.ui import grid

url, member, edits = st.session_state["bench_args"]
engine = make_engine(url)
with Session(engine) as s:
    account = s.exec(select(AppUser).where(AppUser.username == member)).one()
    actor = Actor(account.username, account.role, account.id, account.organisation_id)
    rnd = s.exec(select(EvaluationRound)).one()
    frame = grid.member_frame(s, actor, rnd, "th")
st.session_state["grid"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
grid.save_edits("grid", frame, rnd.id, actor, "th")
engine.dispose()
