"""Nyckeltal: one indicator in four views — Diagram (chosen municipalities against the SEKOM
average and the targets), Karta (all 290 municipalities, one year), Tabell (the members
ranked) and Källa och metod (definition, source, targets, how the verdict is computed).
The view is a segmented control bound to ?vy= (not st.tabs): it switches on the first click and
the URL follows in the same run, and only the chosen view is computed."""
import streamlit as st

from indicators.catalog import theme_slug
from indicators.views.nyckeltal import default_kommuner, indicator_facts, kommun_summaries, map_figure, map_lists, map_summary, map_table, map_years, network_summary, ranking_table
from indicators.views.pickers import no_data_text
from indicators.views.snapshot import has_demo, network_year
from indicators.views.trend_chart import chart_table, indicator_figure
from ui import embed, loaders, pickers, state, widgets

if embed.active():          # ?visa=inbaddning: only the chart, its summary, the source and a link back
    embed.indicator_view()
    st.stop()
lang = state.lang()
cat = loaders.catalog()
head = st.container()
wanted = state.url_state("indikator")
ind_id = st.selectbox(state.tr("indicator.select"), cat.ids, index=cat.ids.index(wanted) if wanted in cat.ids else 0,
                      format_func=lambda i: cat[i].name(lang), key="indikator.select")
state.set_url_state(indikator=ind_id)
ind = cat[ind_id]
head.title(ind.name(lang))
head.caption(state.tr("indicator.caption", unit=ind.unit_for(lang), better=state.tr(f"better.{ind.better}"),
                   theme=state.tr(f"theme.{theme_slug(ind.theme)}"), source=ind.source))
widgets.demo_banner(loaders.cached(has_demo, (ind_id,), None))

VIEWS = {"diagram": "indicator.tab_chart", "karta": "indicator.tab_map", "tabell": "indicator.tab_table",
         "kalla": "indicator.tab_source"}
view = pickers.url_segmented("vy", VIEWS, "diagram", label_key="indicator.view", key="nyckeltal.view")
chart_tab, map_tab, table_tab, source_tab = (st.container() if view == slug else None for slug in VIEWS)

if chart_tab:
    with chart_tab:
        chosen = pickers.kommuner_picker("indicator.kommuner", loaders.cached(default_kommuner, ind_id), key="nyckeltal.kommuner",
                                         members_only=pickers.members_toggle("nyckeltal.members"))
        net = loaders.cached(network_summary, ind_id, lang)
        summary = state.tr("indicator.chart_summary", kommuner=loaders.cached(kommun_summaries, ind_id, tuple(chosen), lang),
                           **net) if net else ind.name(lang)
        no_data = loaders.cached(no_data_text, ind_id, tuple(chosen), lang)
        widgets.plotly_chart(loaders.cached(indicator_figure, ind_id, tuple(chosen), lang), key="nyckeltal.chart",
                             filename=widgets.chart_filename(ind_id, chosen), summary=summary)
        if no_data:
            st.markdown(f"**{no_data}**")
        if net:
            st.caption(summary)
            if net["preliminary"]:
                st.caption(state.tr("indicator.preliminary_note", years=net["preliminary"]))
        widgets.source_caption(ind)
        embed.button("nyckeltal", ind.name(lang), key="nyckeltal.embed", indikator=ind_id, kommuner=",".join(chosen) or None)
        widgets.table_twin(loaders.cached(chart_table, ind_id, tuple(chosen), lang), widgets.chart_filename(ind_id, chosen),
                      key="nyckeltal.chart_twin")

if map_tab:
    with map_tab:
        years = loaders.cached(map_years, ind_id)
        if not years:
            st.info(state.tr("overview.no_data"))
        else:
            year = pickers.year_select(years, key="nyckeltal.year", default=loaders.cached(network_year, ind_id))
            map_column, list_column = st.columns([2, 3])    # Sweden is tall: a narrow frame it fills
            summary = loaders.cached(map_summary, ind_id, year, lang)
            summary_text = (state.tr("indicator.map_empty", year=year) if not summary else
                            state.tr("indicator.map_preliminary", year=year, label=summary["preliminary"])
                            if summary.get("preliminary") else state.tr("indicator.map_summary", **summary))
            with map_column:
                widgets.plotly_chart(loaders.cached(map_figure, ind_id, year, lang), key="nyckeltal.map",
                                     filename=f"gronanyckeltal_{ind_id}_karta_{year}", summary=summary_text)
            lists = loaders.cached(map_lists, ind_id, year, lang)
            with list_column:
                if summary.get("preliminary"):
                    st.info(summary_text, icon=":material/schedule:")
                for which in ("best", "worst"):
                    if len(lists[which]):
                        st.markdown(f"**{state.tr(f'indicator.map_{which}', year=year)}**")
                        widgets.table(lists[which], key=f"nyckeltal.map_{which}",
                                      decimals=widgets.value_decimals(lists[which], ind.decimals))
                    if lists[f"{which}_more"]:
                        st.caption(state.tr("indicator.map_more", n=lists[f"{which}_more"]))
            if not summary or not summary.get("preliminary"):
                st.caption(summary_text)
            if summary.get("n_stale"):
                st.caption(state.tr("indicator.map_stale_one" if summary["n_stale"] == 1 else "indicator.map_stale",
                                    n=summary["n_stale"]))
            widgets.table_twin(loaders.cached(map_table, ind_id, year, lang), f"gronanyckeltal_{ind_id}_karta_{year}",
                          key="nyckeltal.map_twin")

if table_tab:
    with table_tab:
        st.markdown(state.tr("indicator.table_intro"))
        ranking = loaders.cached(ranking_table, ind_id, lang)
        widgets.table(ranking, key="nyckeltal.ranking", decimals=widgets.value_decimals(ranking, ind.decimals), height=560)
        widgets.download_buttons(ranking, f"gronanyckeltal_{ind_id}_ranking", key="nyckeltal.ranking.download")
        widgets.source_caption(ind)

if source_tab:
    with source_tab:
        st.header(state.tr("indicator.facts"))
        widgets.table(loaders.cached(indicator_facts, ind_id, lang), key="nyckeltal.facts")
        st.header(state.tr("indicator.method"))
        st.markdown(state.tr("about.verdict_body"))
        st.markdown(state.tr("about.direction_body"))
        state.page_link("app_pages/about/om.py", state.tr("overview.link_about"), ":material/info:")
