"""The one write path of the pages: a service call in one transaction; success refreshes, refusal says what to fix."""

from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from acplan.errors import AcplanError, Conflict, InvalidInput, Issue, NotAllowed, NotFound
from acplan.i18n import describe, t
from acplan.ui import state


def show_issues(issues: list[Issue], lang: str, headline: str = "input_refused") -> None:
    """A red notice, then each issue as plain text: what a person typed is never rendered as markdown or HTML."""
    st.error(t(headline, lang), icon=":material/error:")
    for issue in issues:
        st.text("• " + describe(issue, lang))


# The headline above a refusal's reasons: only input the person can correct is "fix what is listed".
HEADLINES = {InvalidInput: "input_refused", Conflict: "input_conflict", NotAllowed: "input_not_allowed",
             NotFound: "input_not_allowed"}


def attempt(write: Callable[[Session], object]) -> tuple[object, list[Issue]]:
    """Call `write(session)` and commit: (result, []) — or (None, issues) with nothing written. Renders nothing,
    so widget callbacks can use it too."""
    result, issues, _headline = _attempt(write)
    return result, issues


def _attempt(write: Callable[[Session], object]) -> tuple[object, list[Issue], str]:
    try:
        with Session(state.engine()) as session:
            result = write(session)
            session.commit()
    except AcplanError as exc:
        return None, exc.issues, next((h for kind, h in HEADLINES.items() if isinstance(exc, kind)), "input_not_saved")
    except OperationalError:  # SQLite busy beyond its timeout, a PostgreSQL lock or connection lost: nothing saved
        return None, [Issue("database_busy")], "input_not_saved"
    state.data_changed()
    return result, [], ""


def run(write: Callable[[Session], object], lang: str):
    """`attempt` from a page: the result (True when the service returns nothing), or None after showing why not,
    under a headline that fits the refusal (input to correct, a change made meanwhile, not allowed, not saved)."""
    result, issues, headline = _attempt(write)
    if issues:
        show_issues(issues, lang, headline)
        return None
    return True if result is None else result


RESET_KEY = "_acplan_empty_fields"
FLASH_KEY = "acplan_flash"


def flash(message: str) -> None:
    """A success message for the next run (after `st.rerun()`), shown once by `show_flash`."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """The message `flash` left for this run, at the page's top and as a toast; and the fields `empty_after_rerun`
    named are emptied first."""
    for key, value in st.session_state.pop(RESET_KEY, {}).items():
        st.session_state[key] = value  # before its widget exists: the browser's field is set too
    if message := st.session_state.pop(FLASH_KEY, None):
        st.success(message, icon=":material/check_circle:")
        st.toast(message, icon=":material/check_circle:")  # seen too by whoever saved a form far down the page


def empty_after_rerun(defaults: dict[str, object]) -> None:
    """Empty a form's fields on the next run (call `st.rerun()` after): each key set to its default before its
    widget is drawn. Deleting a widget's key is not enough in a browser — the field keeps showing what was typed
    and sends it back — while a value set through session state is sent to the field."""
    st.session_state[RESET_KEY] = {**st.session_state.get(RESET_KEY, {}), **defaults}


def ask(key: str, value: object = True) -> None:
    """Mark the confirmation `key` as asked for: `confirm(key, …)` then shows its dialog on every run until answered."""
    st.session_state[key] = value


def asked(key: str) -> object:
    return st.session_state.get(key)


def confirm(key: str, title: str, lines: list[str], label: str, write: Callable[..., object], lang: str, *,
            done: str, acknowledge: list[str] = (), ask_reason: str | None = None,
            after: Callable[[], None] | None = None) -> None:
    """The dialog of the confirmation `key` (see `ask`): what will happen, in numbers; the write runs only on its
    confirm button.

    `acknowledge` are boxes to tick first (e.g. publishing while items are unscored); `ask_reason`, when given,
    labels a text box whose text is passed to `write(session, reason)` (e.g. why a round closes early). After the
    write `after` runs (e.g. to redraw a grid) and the page reruns with `done` as its success message; a refusal
    is shown in the dialog. Closing the
    dialog or cancelling forgets the question.
    """
    def forget() -> None:
        st.session_state.pop(key, None)

    @st.dialog(title, on_dismiss=forget)
    def dialog() -> None:
        for line in lines:
            st.text(line)
        ticked = all([st.checkbox(box, key=f"{key}_ack{i}") for i, box in enumerate(acknowledge)])
        reason = st.text_area(ask_reason, key=f"{key}_reason", max_chars=1000) if ask_reason else None
        yes, no = st.columns(2)
        if yes.button(label, type="primary", key=f"{key}_yes", disabled=not ticked, width="stretch"):
            if run(write if ask_reason is None else (lambda s: write(s, reason)), lang) is not None:
                forget()
                if after is not None:
                    after()
                flash(done)
                st.rerun()
        if no.button(t("cancel", lang), key=f"{key}_no", width="stretch"):
            forget()
            st.rerun()
    dialog()
