"""Rapporteringsstatus: members × indicators for a year (delivered, flagged, missing), with
completeness per member and per indicator and a CSV/XLSX export. Public: no login needed."""
import streamlit as st

import ui
from indicators.views import status
from indicators.ingest.checks import current_year


@st.cache_data(show_spinner=False)
def load_board(key: str, year: int, member_only: bool, lang: str):
    ids = None if member_only else ui.catalog().ids
    board = status.status_board(ui.get_store(), year, ids)
    return (status.status_table(board, lang), status.indicator_table(board, lang), board.completeness,
            len(board.per_member))


@st.cache_data(show_spinner=False)
def load_latest_year(key: str) -> int | None:
    return status.latest_year(ui.get_store())


STATE_COLOURS = {ui.tr("status.state_delivered"): "background-color: #d8f0dc",
                 ui.tr("status.state_flagged"): "background-color: #fff1c2",
                 ui.tr("status.state_missing"): "background-color: #f8d7da"}

st.title(ui.tr("nav.rapporteringsstatus"))
st.caption(ui.tr("status.intro"))
c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
years = list(range(current_year(), 2002, -1))
latest = load_latest_year(ui.db_key()) or current_year() - 1
year = c1.selectbox(ui.tr("common.year"), years, index=years.index(latest), key="status.year")
member_only = c2.toggle(ui.tr("status.member_only"), value=True, key="status.member_only")
table, per_indicator, completeness, n_members = load_board(ui.db_key(), int(year), member_only, ui.lang())
if not n_members:
    st.info(ui.tr("status.no_members"))
    st.stop()

m1, m2 = st.columns(2)
m1.metric(ui.tr("status.overall"), f"{ui.fmt(completeness * 100)} %")
m2.metric(ui.tr("status.n_members"), n_members)
st.subheader(ui.tr("status.per_member"))
st.dataframe(table.style.map(lambda v: STATE_COLOURS.get(v, "")), hide_index=True, key="status.matrix")
ui.download_buttons(table, f"rapporteringsstatus_{year}", key="status.download")
st.subheader(ui.tr("status.per_indicator"))
st.dataframe(per_indicator, hide_index=True, key="status.per_indicator")
