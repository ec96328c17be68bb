"""Tema: one theme (klimat, transporter, natur och jordbruk, avfall och resurser, energi,
kommunorganisationen) for one municipality against the SEKOM average, indicator by indicator."""
import streamlit as st

import ui

lang = ui.lang()
head = st.container()
theme = ui.theme_picker(key="theme.select", allow_all=False)
kod = ui.municipality_picker()
slug = ui.theme_slug(theme)
name = ui.data("kommun_name", kod)
head.title(ui.tr("theme.title", theme=ui.tr(f"theme.{slug}")))
ui.demo_banner(ui.data("demo_marker", None, (kod,)))
st.header(ui.tr("theme.heading", name=name))
with st.container(horizontal=True):
    ui.page_link("pages/data/kommun.py", ui.tr("kommun.heading", name=name), ":material/location_city:", kommun=kod)
    ui.page_link("pages/data/jamfor.py", ui.tr("kommun.compare_link", name=name), ":material/compare_arrows:",
                 kommun=kod, tema=slug, grupp="county")

cards = [card for card in ui.data("scorecard", kod, lang) if card["theme_slug"] == slug]
columns = st.columns(2)
for i, card in enumerate(cards):
    with columns[i % 2].container(border=True, key=f"theme.card.{card['id']}"):
        st.subheader(card["name"])
        if not card["has_value"]:
            st.caption(ui.tr("kommun.no_value"))
        else:
            ui.state_badge("verdict", card["verdict"], card["sentence"])
            ui.state_badge("direction", card["direction"], ui.tr(f"direction.{card['direction']}"))
        ui.plotly_chart(ui.data("kommun_figure", kod, card["id"], lang), key=f"theme.chart.{card['id']}",
                        filename=ui.chart_filename(card["id"], [kod]))
        if card["has_value"]:
            st.caption(card["summary"])
        ui.source_caption(ui.catalog()[card["id"]])
        ui.page_link("pages/data/nyckeltal.py", ui.tr("overview.open_indicator"), ":material/arrow_forward:",
                     indikator=card["id"], kommun=kod)

ui.table_twin(ui.data("theme_table", theme, kod, lang), f"gronanyckeltal_{slug}_{kod}", key="theme.twin")
