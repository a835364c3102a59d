"""The list of organisations a store serves, shown when several are and none is chosen (no other ui import)."""

import streamlit as st

from acplan.i18n import t

ORGS_SHOWN = 200  # rows of the table; the select box finds any of them
PICK_KEY = "org_pick"


def _name(org, lang: str) -> str:
    return org.name_en if lang == "en" and org.name_en else org.name_th


def organisation_list(every, lang: str) -> str | None:
    """The organisations the store serves: a select box that searches them as one types (name, district,
    province) and opens the one chosen, and a table of them by province (text only, nothing rendered as markup).
    Returns the code of the organisation chosen, if one was."""
    st.title(t("orgs_title", lang))
    st.caption(t("orgs_intro", lang, n=len(every)))
    labels = {o.code: " · ".join(p for p in (_name(o, lang), o.district_th, o.province_th) if p) for o in every}
    chosen = st.selectbox(t("orgs_search", lang), list(labels), index=None, key=PICK_KEY,
                          format_func=labels.get, placeholder=t("orgs_search_hint", lang))
    shown = every[:ORGS_SHOWN]
    st.dataframe({t("col_province", lang): [o.province_th for o in shown],
                  t("col_district", lang): [o.district_th for o in shown],
                  t("col_org", lang): [_name(o, lang) for o in shown],
                  t("col_org_type", lang): [t(f"org_type_{o.org_type}", lang) for o in shown]},
                 hide_index=True, width="stretch")
    if len(every) > ORGS_SHOWN:
        st.caption(t("orgs_more", lang, shown=ORGS_SHOWN, n=len(every)))
    return chosen
