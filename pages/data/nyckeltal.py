"""Nyckeltal: one indicator in four tabs — Diagram (chosen municipalities against the SEKOM
average and the targets), Karta (all 290 municipalities, one year), Tabell (the members
ranked) and Källa och metod (definition, source, targets, how the verdict is computed)."""
import streamlit as st

import ui

lang = ui.lang()
cat = ui.catalog()
head = st.container()
wanted = ui.url_state("indikator")
ind_id = st.selectbox(ui.tr("indicator.select"), cat.ids, index=cat.ids.index(wanted) if wanted in cat.ids else 0,
                      format_func=lambda i: cat[i].name(lang), key="indikator.select")
ui.set_url_state(indikator=ind_id)
ind = cat[ind_id]
head.title(ind.name(lang))
head.caption(ui.tr("indicator.caption", unit=ind.unit, better=ui.tr(f"better.{ind.better}"),
                   theme=ui.tr(f"theme.{ui.theme_slug(ind.theme)}"), source=ind.source))
ui.demo_banner(ui.data("demo_marker", (ind_id,), None))

TABS = {"diagram": "indicator.tab_chart", "karta": "indicator.tab_map", "tabell": "indicator.tab_table",
        "kalla": "indicator.tab_source"}
labels = {slug: ui.tr(key) for slug, key in TABS.items()}
default = labels.get(ui.url_state("vy"), labels["diagram"])
chart_tab, map_tab, table_tab, source_tab = st.tabs(list(labels.values()), default=default, key="nyckeltal.tab",
                                                    on_change="rerun")
open_tab = next((slug for slug, tab in zip(labels, (chart_tab, map_tab, table_tab, source_tab)) if tab.open), "diagram")
ui.set_url_state(vy=None if open_tab == "diagram" else open_tab)

if chart_tab.open:
    with chart_tab:
        chosen = ui.kommuner_picker("indicator.kommuner", ui.data("default_kommuner", ind_id), key="nyckeltal.kommuner")
        ui.plotly_chart(ui.data("indicator_figure", ind_id, tuple(chosen), lang), key="nyckeltal.chart",
                        filename=ui.chart_filename(ind_id, chosen))
        net = ui.data("network_summary", ind_id, lang)
        if net:
            st.caption(ui.tr("indicator.chart_summary", kommuner=ui.data("kommun_summaries", ind_id, tuple(chosen),
                                                                         lang), **net))
        ui.source_caption(ind)
        ui.table_twin(ui.data("chart_table", ind_id, tuple(chosen), lang), ui.chart_filename(ind_id, chosen),
                      key="nyckeltal.chart_twin")

if map_tab.open:
    with map_tab:
        years = ui.data("map_years", ind_id)
        if not years:
            st.info(ui.tr("overview.no_data"))
        else:
            year = ui.year_slider(years, key="nyckeltal.year")
            map_column, list_column = st.columns([3, 2])
            with map_column:
                ui.plotly_chart(ui.data("map_figure", ind_id, year, lang), key="nyckeltal.map",
                                filename=f"gronanyckeltal_{ind_id}_karta_{year}")
            ranked = ui.data("year_ranking", ind_id, year, lang)
            with list_column:
                st.markdown(f"**{ui.tr('indicator.map_best', year=year)}**")
                ui.table(ranked.head(5), key="nyckeltal.map_best", decimals=ui.value_decimals(ranked, ind.decimals))
                st.markdown(f"**{ui.tr('indicator.map_worst', year=year)}**")
                ui.table(ranked.tail(5), key="nyckeltal.map_worst", decimals=ui.value_decimals(ranked, ind.decimals))
            summary = ui.data("map_summary", ind_id, year, lang)
            st.caption(ui.tr("indicator.map_summary", **summary) if summary else ui.tr("indicator.map_empty", year=year))
            ui.source_caption(ind, computed=False)
            ui.table_twin(ui.data("map_table", ind_id, year, lang), f"gronanyckeltal_{ind_id}_karta_{year}",
                          key="nyckeltal.map_twin")

if table_tab.open:
    with table_tab:
        st.markdown(ui.tr("indicator.table_intro"))
        ranking = ui.data("ranking_table", ind_id, lang)
        ui.table(ranking, key="nyckeltal.ranking", decimals=ui.value_decimals(ranking, ind.decimals), height=560)
        ui.download_buttons(ranking, f"gronanyckeltal_{ind_id}_ranking", key="nyckeltal.ranking.download")
        ui.source_caption(ind)

if source_tab.open:
    with source_tab:
        st.header(ui.tr("indicator.facts"))
        ui.table(ui.data("indicator_facts", ind_id, lang), key="nyckeltal.facts")
        st.header(ui.tr("indicator.method"))
        st.markdown(ui.tr("about.verdict_body"))
        st.markdown(ui.tr("about.direction_body"))
        ui.page_link("pages/about/om.py", ui.tr("overview.link_about"), ":material/info:")
