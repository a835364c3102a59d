"""Widgets whose value lives in the URL query string, so a filtered view can be bookmarked and shared."""

from collections.abc import Callable, Sequence

import streamlit as st

from acplan.i18n import t


def _sync(key: str) -> None:
    value = st.session_state[f"url_{key}"]
    if value in (None, ""):
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)


def url_select(key: str, label: str, options: Sequence, format_func: Callable, all_label: str):
    """A selectbox bound to ?key=; None (shown as `all_label`) means "no filter". A value in the address that is not
    among the options (mistyped, or left behind by another filter) is dropped from it, not kept as if it applied."""
    values = [None, *options]
    as_text = [None if v is None else str(v) for v in values]
    current = st.query_params.get(key)
    if current not in as_text:
        st.query_params.pop(key, None)
    index = as_text.index(current) if current in as_text else 0
    return st.selectbox(label, values, index=index, key=f"url_{key}", on_change=_sync, args=(key,),
                        format_func=lambda v: all_label if v is None else format_func(v), placeholder=all_label)


def url_text(key: str, label: str, help_text: str) -> str:
    """A text input bound to ?key=."""
    return st.text_input(label, value=st.query_params.get(key, ""), key=f"url_{key}", on_change=_sync, args=(key,),
                         placeholder=help_text, max_chars=200)


def url_choice(key: str, label: str, options: list[str], *, not_offered: str, placeholder: str) -> str:
    """A selectbox bound to ?key=: the URL's value, else the last option (the latest round).

    A value in the URL that is not among `options` (a round that does not exist, or that this viewer may
    not see) is never swapped silently for another: the page says so (`not_offered`, with {value}) and
    stops until one of the options is chosen.
    """
    current = st.query_params.get(key)
    if current is not None and current not in options and st.session_state.get(f"url_{key}") not in options:
        st.warning(not_offered.format(value=current), icon=":material/help:")
        choice = st.selectbox(label, options, index=None, key=f"url_{key}", on_change=_sync, args=(key,),
                              placeholder=placeholder)
        if choice is None:
            st.stop()
        return choice
    index = options.index(current) if current in options else len(options) - 1
    return st.selectbox(label, options, index=index, key=f"url_{key}", on_change=_sync, args=(key,))


def round_choice(rounds_shown: list, lang: str, *, label_key: str = "round_select"):
    """The round a page shows, from ?round= (else the latest), among `rounds_shown` (EvaluationRound rows)."""
    codes = [f"{r.fiscal_year_be}-{r.round_no}" for r in rounds_shown]
    code = url_choice("round", t(label_key, lang), codes,
                      not_offered=t("round_not_offered", lang, codes=", ".join(codes)), placeholder=t("choose_round", lang))
    return rounds_shown[codes.index(code)], code
