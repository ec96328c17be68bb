"""Uppladdningar: the uploads for your municipalities with an undo, and each value's history.
Undo writes the earlier values back as new revisions; nothing is deleted. Log in first."""
import streamlit as st

from ui import loaders, session, state, widgets
from indicators.ingest import reporting
from indicators.views import uploads as uploads_mod
from indicators.ingest.checks import current_year
from indicators.errors import GNError

st.title(state.tr("nav.uppladdningar"))
user = session.require_login()
store = loaders.get_store()
st.caption(state.tr("uploads.intro"))
message = st.session_state.pop("revert.message", None)
if message:
    st.success(message, icon=":material/undo:")

uploads = reporting.list_uploads(store, user)
if uploads.empty:
    st.info(state.tr("uploads.none"))
else:
    upload_rows = uploads_mod.upload_table(uploads, state.lang())
    widgets.table(upload_rows, key="uploads.table")
    widgets.download_buttons(upload_rows, "uppladdningar", key="uploads.download")
    open_ids = uploads_mod.undoable_ids(uploads)          # an undo is not itself an upload to undo
    if open_ids:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        labels = {int(r["id"]): uploads_mod.upload_label(r, dict(zip(uploads["id"], uploads["filename"])), state.lang())
                  for _, r in uploads.iterrows()}
        pick = c1.selectbox(state.tr("uploads.choose"), open_ids, key="revert.select", format_func=labels.get)
        if c2.button(state.tr("uploads.revert"), key="revert.button", icon=":material/undo:"):
            try:
                result = reporting.revert_upload(store, user, int(pick))
            except GNError as exc:
                widgets.show_domain_error(exc)
            else:
                loaders.clear_caches()
                st.session_state["revert.message"] = state.tr("uploads.reverted", id=result.reverted,
                                                           n=result.n_restored, skipped=result.n_skipped)
                st.rerun()

st.subheader(state.tr("uploads.history_header"))
choices = list(user.municipalities) if not user.is_admin else loaders.members()
c1, c2, c3 = st.columns(3)
kod = c1.selectbox(state.tr("common.municipality"), choices, format_func=loaders.municipality_label, key="history.kommun")
ind = c2.selectbox(state.tr("common.indicator"), loaders.catalog().ids, key="history.indicator",
                   format_func=lambda i, lg=state.lang(): f"{i} {loaders.catalog()[i].name(lg)}")
year = c3.selectbox(state.tr("common.year"), [None, *range(current_year(), 1969, -1)], key="history.year",
                    format_func=lambda y, tr=state.translator(): tr("report.year_all") if y is None else str(y))
history = reporting.value_history(store, ind, kod, year)
if history.empty:
    st.info(state.tr("uploads.history_empty"))
else:
    history_rows = uploads_mod.history_table(history, state.lang())
    widgets.table(history_rows, key="history.table", decimals={state.tr("common.value"): None})
    widgets.download_buttons(history_rows, f"historik_{kod}_{ind}", key="history.download")
