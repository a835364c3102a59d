"""Run a write as one transaction from a page: success clears the caches, refusal shows what to fix."""

from collections.abc import Callable

import streamlit as st
from sqlmodel import Session

from acplan.errors import AcplanError
from acplan.i18n import describe, t
from acplan.ui import state


def show_issues(issues: list, lang: str) -> None:
    """A red notice, then each issue as plain text: what a person typed is never rendered as markdown or HTML."""
    st.error(t("input_refused", lang), icon=":material/error:")
    for issue in issues:
        st.text("• " + describe(issue, lang))


def run(write: Callable[[Session], object], lang: str):
    """Call `write(session)` and commit; on an AcplanError nothing is written and each issue is shown."""
    try:
        with Session(state.engine()) as session:
            result = write(session)
            session.commit()
    except AcplanError as exc:
        show_issues(exc.issues, lang)
        return None
    st.cache_data.clear()
    return result if result is not None else True
