"""Uppladdningar: the uploads for your municipalities with an undo, and each value's history.
Undo writes the earlier values back as new revisions; nothing is deleted. Log in first."""
import streamlit as st

import ui
from indicators.ingest import reporting
from indicators.views import uploads as uploads_mod
from indicators.ingest.checks import current_year
from indicators.errors import GNError

st.title(ui.tr("nav.uppladdningar"))
user = ui.require_login()
store = ui.get_store()
st.caption(ui.tr("uploads.intro"))
message = st.session_state.pop("revert.message", None)
if message:
    st.success(message, icon=":material/undo:")

uploads = reporting.list_uploads(store, user)
if uploads.empty:
    st.info(ui.tr("uploads.none"))
else:
    upload_rows = uploads_mod.upload_table(uploads, ui.lang())
    st.dataframe(upload_rows, hide_index=True, key="uploads.table")
    ui.download_buttons(upload_rows, "uppladdningar", key="uploads.download")
    open_ids = uploads.loc[uploads["status"] == "committed", "id"].tolist()
    if open_ids:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        names = dict(zip(uploads["id"], uploads["filename"].fillna("")))
        pick = c1.selectbox(ui.tr("uploads.choose"), open_ids, key="revert.select",
                            format_func=lambda i: f"#{i} {names[i]}")
        if c2.button(ui.tr("uploads.revert"), key="revert.button", icon=":material/undo:"):
            try:
                result = reporting.revert_upload(store, user, int(pick))
            except GNError as exc:
                ui.show_domain_error(exc)
            else:
                ui.clear_caches()
                st.session_state["revert.message"] = ui.tr("uploads.reverted", id=result.reverted,
                                                           n=result.n_restored, skipped=result.n_skipped)
                st.rerun()

st.subheader(ui.tr("uploads.history_header"))
choices = list(user.municipalities) if not user.is_admin else ui.members()
c1, c2, c3 = st.columns(3)
kod = c1.selectbox(ui.tr("common.municipality"), choices, format_func=ui.municipality_label, key="history.kommun")
ind = c2.selectbox(ui.tr("common.indicator"), ui.catalog().ids, key="history.indicator",
                   format_func=lambda i: f"{i} {ui.catalog()[i].name(ui.lang())}")
year = c3.selectbox(ui.tr("common.year"), [None, *range(current_year(), 1969, -1)], key="history.year",
                    format_func=lambda y: ui.tr("report.year_all") if y is None else str(y))
history = reporting.value_history(store, ind, kod, year)
if history.empty:
    st.info(ui.tr("uploads.history_empty"))
else:
    history_rows = uploads_mod.history_table(history, ui.lang())
    st.dataframe(history_rows, hide_index=True, key="history.table")
    ui.download_buttons(history_rows, f"historik_{kod}_{ind}", key="history.download")
