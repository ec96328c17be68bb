"""Översikt: the network picture. One tile per indicator, grouped by theme: the SEKOM average
for the latest year, n, the average's verdict and recent direction, and a sparkline."""
import streamlit as st

import ui

lang = ui.lang()
st.title(ui.tr("app.title"))
st.caption(ui.tr("app.subtitle"))
theme = ui.theme_picker(key="overview.theme", allow_all=True)
ui.demo_banner(ui.data("demo_marker", None, None))
st.markdown(ui.tr("overview.intro"))
st.markdown(f"**{ui.tr('overview.headline', **ui.data('overview_headline', theme))}**")

with st.container(horizontal=True):
    ui.page_link("pages/data/kommun.py", ui.tr("overview.link_kommun"), ":material/location_city:")
    ui.page_link("pages/data/jamfor.py", ui.tr("overview.link_compare"), ":material/compare_arrows:")
    ui.page_link("pages/about/om.py", ui.tr("overview.link_about"), ":material/info:")

tiles = ui.data("overview_tiles", lang, theme)
for slug in dict.fromkeys(tile["theme_slug"] for tile in tiles):
    st.header(ui.tr(f"theme.{slug}"))
    group = [tile for tile in tiles if tile["theme_slug"] == slug]
    columns = st.columns(3)
    for i, tile in enumerate(group):
        with columns[i % 3].container(border=True, key=f"tile.{tile['id']}"):
            st.markdown(f"**{tile['name']}**")
            if not tile["has_data"]:
                st.caption(ui.tr("overview.no_data"))
                continue
            icon, colour = ui.state_style("verdict", tile["verdict"])
            st.metric(tile["name"], tile["value"], delta=f"{icon} {tile['sentence']}", delta_color=colour,
                      delta_arrow="off", chart_data=tile["spark"], chart_type="line", label_visibility="collapsed",
                      help=ui.tr("overview.tile_help", year=tile["year"], n=tile["n"], source=tile["source"]))
            d_icon, _ = ui.state_style("direction", tile["direction"])
            st.caption(ui.tr("overview.tile_caption", year=tile["year"], n=tile["n"],
                             direction=f"{d_icon} {ui.tr('direction.' + tile['direction'])}"))
            ui.page_link("pages/data/nyckeltal.py", ui.tr("overview.open_indicator"), ":material/arrow_forward:",
                         indikator=tile["id"])

st.header(ui.tr("overview.chart_title"))
ui.plotly_chart(ui.data("overview_figure", lang, theme), key="overview.chart", filename="gronanyckeltal_sekom_lage")
summary = ui.data("overview_chart_summary", lang, theme)
if summary:
    st.caption(ui.tr("overview.chart_summary", **summary))
ui.table_twin(ui.data("verdict_count_table", lang, theme), "gronanyckeltal_sekom_lage", key="overview.twin")
st.caption(ui.tr("overview.network_twin"))
ui.table_twin(ui.data("network_table", lang, theme), "gronanyckeltal_sekom_medel", key="overview.network_twin")
