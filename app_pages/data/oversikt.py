"""Översikt: the network picture. One tile per indicator, grouped by theme: the SEKOM average
for the latest complete year (which mean, n of the members), the average's verdict and recent
direction, a sparkline, and later preliminary years marked as such."""
import streamlit as st

from indicators.views.oversikt import network_table, overview_chart_summary, overview_figure, overview_headline, overview_tiles, tile_spark_text, tile_sparkline, verdict_count_table
from indicators.views.snapshot import has_demo
from ui import loaders, pickers, state, widgets

lang = state.lang()
st.title(state.tr("app.title"))
st.caption(state.tr("app.subtitle"))
theme = pickers.theme_picker(key="overview.theme", allow_all=True)
widgets.demo_banner(loaders.cached(has_demo, None, None))
st.markdown(state.tr("overview.intro"))
st.markdown(f"**{state.tr('overview.headline', **loaders.cached(overview_headline, theme))}**")

with st.container(horizontal=True):
    state.page_link("app_pages/data/kommun.py", state.tr("overview.link_kommun"), ":material/location_city:")
    state.page_link("app_pages/data/jamfor.py", state.tr("overview.link_compare"), ":material/compare_arrows:")
    state.page_link("app_pages/about/om.py", state.tr("overview.link_about"), ":material/info:")

tiles = loaders.cached(overview_tiles, lang, theme)
for slug in dict.fromkeys(tile["theme_slug"] for tile in tiles):
    st.header(state.tr(f"theme.{slug}"))
    group = [tile for tile in tiles if tile["theme_slug"] == slug]
    for row in (group[i:i + 3] for i in range(0, len(group), 3)):      # a row at a time: the grid has no gaps
        for column, tile in zip(st.columns(3), row):
            with column.container(border=True, key=f"tile.{tile['id']}", height="stretch"):
                st.markdown(f"**{tile['name']}**")
                if not tile["has_data"]:
                    st.caption(state.tr("overview.no_complete_year" if tile["preliminary"] else "overview.no_data"))
                    for line in tile["preliminary"]:
                        st.caption(f":material/schedule: {line}")
                    continue
                widgets.tile_value(tile["number"], tile["unit"], lang, help=state.tr(
                    "overview.tile_help", year=tile["year"], n=tile["n"], members=tile["members"],
                    mean_kind=tile["mean_kind"], source=tile["source"]))
                widgets.state_badge("verdict", tile["verdict"], tile["sentence"])
                spark_text = loaders.cached(tile_spark_text, tile["id"], lang)
                widgets.sparkline(loaders.cached(tile_sparkline, tile["id"], lang), key=f"spark.{tile['id']}",
                                  summary=spark_text)
                if spark_text:
                    st.caption(spark_text)              # the line's scale in words, and its text alternative
                d_icon, _ = widgets.state_style("direction", tile["direction"])
                st.caption(state.tr("overview.tile_caption", year=tile["year"], n=tile["n"], members=tile["members"],
                                    mean_kind=tile["mean_kind"],
                                    direction=f"{d_icon} {state.tr('direction.' + tile['direction'])}"))
                for line in tile["preliminary"]:
                    st.caption(f":material/schedule: {line}")
                state.page_link("app_pages/data/nyckeltal.py", state.tr("overview.open_indicator"),
                                ":material/arrow_forward:", indikator=tile["id"])

st.header(state.tr("overview.chart_title"))
summary = loaders.cached(overview_chart_summary, lang, theme)
summary_text = state.tr("overview.chart_summary", **summary) if summary.get("best_name") else state.tr("overview.chart_title")
widgets.plotly_chart(loaders.cached(overview_figure, lang, theme), key="overview.chart", filename="gronanyckeltal_sekom_lage",
                     summary=summary_text)
if summary.get("best_name"):
    st.caption(summary_text)
if summary.get("too_few"):
    st.caption(state.tr("overview.too_few", names=summary["too_few"]))
widgets.table_twin(loaders.cached(verdict_count_table, lang, theme), "gronanyckeltal_sekom_lage", key="overview.twin")
st.caption(state.tr("overview.network_twin"))
widgets.table_twin(loaders.cached(network_table, lang, theme), "gronanyckeltal_sekom_medel", key="overview.network_twin")
