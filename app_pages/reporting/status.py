"""Rapporteringsstatus: members × indicators for a year (delivered, flagged, missing), with
completeness per member and per indicator and a CSV/XLSX export. Public: no login needed."""
import streamlit as st

from ui import loaders, state, widgets
from indicators.views import status
from indicators.ingest.checks import current_year


@st.cache_data(show_spinner=False)
def load_board(key: str, year: int, member_only: bool, lang: str):
    ids = None if member_only else loaders.catalog().ids
    board = status.status_board(loaders.get_store(), year, ids)
    return (status.status_table(board, lang), status.indicator_table(board, lang), board.completeness,
            len(board.per_member))


@st.cache_data(show_spinner=False)
def load_latest_year(key: str) -> int | None:
    return status.latest_year(loaders.get_store())


STATE_COLOURS = {state.tr("status.state_delivered"): "background-color: #d8f0dc",
                 state.tr("status.state_flagged"): "background-color: #fff1c2",
                 state.tr("status.state_missing"): "background-color: #f8d7da"}

st.title(state.tr("nav.rapporteringsstatus"))
st.caption(state.tr("status.intro"))
c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
years = list(range(current_year(), 2002, -1))
latest = load_latest_year(loaders.db_key()) or current_year() - 1
year = c1.selectbox(state.tr("common.year"), years, index=years.index(latest), key="status.year")
member_only = c2.toggle(state.tr("status.member_only"), value=True, key="status.member_only")
table, per_indicator, completeness, n_members = load_board(loaders.db_key(), int(year), member_only, state.lang())
if not n_members:
    st.info(state.tr("status.no_members"))
    st.stop()

m1, m2 = st.columns(2)
m1.metric(state.tr("status.overall"), widgets.percent_text(completeness * 100))
m2.metric(state.tr("status.n_members"), n_members)
st.subheader(state.tr("status.per_member"))
st.dataframe(table.style.map(lambda v: STATE_COLOURS.get(v, "")), hide_index=True, key="status.matrix")
widgets.download_buttons(table, f"rapporteringsstatus_{year}", key="status.download")
st.subheader(state.tr("status.per_indicator"))
st.dataframe(per_indicator, hide_index=True, key="status.per_indicator")
