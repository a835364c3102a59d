"""The one write path of the pages: a service call in one transaction; success refreshes, refusal says what to fix."""

from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from acplan.errors import AcplanError, Issue
from acplan.i18n import describe, t
from acplan.ui import state


def show_issues(issues: list[Issue], lang: str, headline: str = "input_refused") -> None:
    """A red notice, then each issue as plain text: what a person typed is never rendered as markdown or HTML."""
    st.error(t(headline, lang), icon=":material/error:")
    for issue in issues:
        st.text("• " + describe(issue, lang))


def attempt(write: Callable[[Session], object]) -> tuple[object, list[Issue]]:
    """Call `write(session)` and commit: (result, []) — or (None, issues) with nothing written. Renders nothing,
    so widget callbacks can use it too."""
    try:
        with Session(state.engine()) as session:
            result = write(session)
            session.commit()
    except AcplanError as exc:
        return None, exc.issues
    except OperationalError:  # SQLite busy beyond its timeout, a PostgreSQL lock or connection lost: nothing saved
        return None, [Issue("database_busy")]
    state.data_changed()
    return result, []


def run(write: Callable[[Session], object], lang: str, headline: str = "input_refused"):
    """`attempt` from a page: the result (True when the service returns nothing), or None after showing why not."""
    result, issues = attempt(write)
    if issues:
        show_issues(issues, lang, headline)
        return None
    return True if result is None else result
