"""Evidence on a page: a record's files as thumbnails and downloads, and (for who may write it) attaching and
withdrawing. Files are only ever offered as downloads (never shown as HTML); a thumbnail is a JPEG acplan made."""

import streamlit as st
from sqlmodel import Session

from acplan import format as fmt
from acplan.access import Actor
from acplan.errors import AcplanError
from acplan.i18n import t
from acplan.monitoring import evidence
from acplan.ui import actions, cache, state


def show(subject: str, subject_id: int, actor: Actor, lang: str, *, writable: bool = False) -> None:
    """The record's files; with `writable`, a box to attach more and a way to withdraw one with a reason."""
    key = f"ev_{subject}_{subject_id}"
    try:
        shown, thumbs = _listed(actor, subject, subject_id)
    except AcplanError:
        return  # not the actor's to see
    st.caption(t("evidence_heading", lang, n=len(shown)))
    for e in shown:
        left, right = st.columns([1, 4])
        if e.id in thumbs:
            left.image(thumbs[e.id], width=120)
        right.text(f"{e.name} · {fmt.number(round(e.size / 1024))} KB" + (f" · {t('evidence_public', lang)}" if e.public else ""))
        right.download_button(t("evidence_download", lang), lambda i=e.id: _bytes(i, actor), file_name=e.name,
                              mime=e.content_type, key=f"{key}_dl_{e.id}", on_click="ignore", icon=":material/download:")
        if writable:
            with right.popover(t("evidence_withdraw", lang), icon=":material/delete:"):
                why = st.text_input(t("evidence_withdraw_reason", lang), key=f"{key}_why_{e.id}", max_chars=500)
                if st.button(t("evidence_withdraw", lang), key=f"{key}_wd_{e.id}") and actions.run(
                        lambda s, i=e.id, w=why: evidence.withdraw(session=s, actor=actor, evidence_id=i, reason=w), lang):
                    actions.flash(t("evidence_withdrawn_ok", lang, name=e.name))
                    st.rerun()
    if writable:
        generation = st.session_state.get(f"{key}_gen", 0)  # a new box after each attach: nothing attached twice
        uploads = st.file_uploader(t("evidence_upload", lang), accept_multiple_files=True, key=f"{key}_up_{generation}",
                                   help=t("evidence_upload_help", lang))
        public = st.checkbox(t("evidence_make_public", lang), key=f"{key}_public")
        if uploads and st.button(t("evidence_attach", lang, n=len(uploads)), key=f"{key}_attach", type="primary"):
            def attach_all(s):
                for upload in uploads:
                    evidence.attach(session=s, actor=actor, subject=subject, subject_id=subject_id, name=upload.name,
                                    raw=upload.getvalue(), public=public)
            if actions.run(attach_all, lang):
                st.session_state[f"{key}_gen"] = generation + 1
                actions.flash(t("evidence_attached", lang, n=len(uploads)))
                st.rerun()


def _bytes(evidence_id: int, actor: Actor) -> bytes:
    with Session(state.engine()) as s:
        return evidence.read(session=s, actor=actor, evidence_id=evidence_id)[0]


@cache.shared(maxsize=500, immutable=True)
def _listed(actor: Actor, subject: str, subject_id: int):
    """The record's files and their thumbnails as `actor` may see them, read through the app's cache (dropped after
    every write: an attach or a withdrawal shows on the next run)."""
    with Session(state.engine()) as s:
        return evidence.listed_with_thumbnails(session=s, actor=actor, subject=subject, subject_id=subject_id)
