"""Run a write as one transaction from a page: success clears the caches, refusal shows what to fix."""

from collections.abc import Callable

import streamlit as st
from sqlmodel import Session

from acplan.errors import AcplanError
from acplan.i18n import describe
from acplan.ui import state


def run(write: Callable[[Session], object], lang: str):
    """Call `write(session)` and commit; on an AcplanError nothing is written and each issue is shown."""
    try:
        with Session(state.engine()) as session:
            result = write(session)
            session.commit()
    except AcplanError as exc:
        for issue in exc.issues:
            st.error(describe(issue, lang))
        return None
    st.cache_data.clear()
    return result if result is not None else True
