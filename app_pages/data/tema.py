"""Tema: one theme (klimat, transporter, natur och jordbruk, avfall och resurser, energi,
kommunorganisationen) for one municipality against the SEKOM average, indicator by indicator."""
import streamlit as st

from indicators.catalog import theme_slug
from indicators.views.kommun import scorecard
from indicators.views.pickers import no_data_text
from indicators.views.snapshot import has_demo, kommun_name
from indicators.views.tema import theme_table
from indicators.views.trend_chart import kommun_figure
from ui import embed, loaders, pickers, state, widgets

if embed.active():          # ?visa=inbaddning: only the charts, their summaries, the source and a link back
    embed.theme_view()
    st.stop()
lang = state.lang()
head = st.container()
theme = pickers.theme_picker(key="theme.select", allow_all=False)
kod = pickers.municipality_chooser(key="kommun.select", toggle_key="theme.members")
slug = theme_slug(theme)
head.title(state.tr("theme.title", theme=state.tr(f"theme.{slug}")))
if kod is None:             # no silent default: the URL's code, the reporter's own, or the page asks
    st.info(state.tr("picker.choose_prompt"), icon=":material/location_city:")
    st.stop()
name = loaders.cached(kommun_name, kod)
widgets.demo_banner(loaders.cached(has_demo, None, (kod,)))
st.header(state.tr("theme.heading", name=name))
with st.container(horizontal=True):
    state.page_link("app_pages/data/kommun.py", state.tr("kommun.heading", name=name), ":material/location_city:", kommun=kod)
    state.page_link("app_pages/data/jamfor.py", state.tr("kommun.compare_link", name=name), ":material/compare_arrows:",
                 kommun=kod, tema=slug, grupp="county")
    embed.button("tema", f"{state.tr(f'theme.{slug}')} – {state.tr('theme.heading', name=name)}", key="theme.embed", kommun=kod, tema=slug)

cards = [card for card in loaders.cached(scorecard, kod, lang) if card["theme_slug"] == slug]
columns = st.columns(2)
for i, card in enumerate(cards):
    with columns[i % 2].container(border=True, key=f"theme.card.{card['id']}"):
        st.subheader(card["name"])
        if not card["has_value"]:
            st.caption(state.tr("kommun.no_value"))
        else:
            widgets.state_badge("verdict", card["verdict"], card["sentence"])
            widgets.state_badge("direction", card["direction"], state.tr(f"direction.{card['direction']}"))
        no_data = loaders.cached(no_data_text, card["id"], (kod,), lang)
        widgets.plotly_chart(loaders.cached(kommun_figure, kod, card["id"], lang), key=f"theme.chart.{card['id']}",
                             filename=widgets.chart_filename(card["id"], [kod]),
                             summary=card["summary"] if card["has_value"] else no_data or state.tr("kommun.no_value"))
        if no_data:
            st.markdown(f"**{no_data}**")
        if card["has_value"]:
            st.caption(card["summary"])
        widgets.source_caption(loaders.catalog()[card["id"]])
        state.page_link("app_pages/data/nyckeltal.py", state.tr("overview.open_indicator"), ":material/arrow_forward:",
                     indikator=card["id"], kommun=kod)

widgets.table_twin(loaders.cached(theme_table, theme, kod, lang), f"gronanyckeltal_{slug}_{kod}", key="theme.twin")
