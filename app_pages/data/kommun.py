"""Kommun: one municipality's scorecard. First what a politician reads in five seconds: one sentence
on what goes best and worst, position and direction side by side, one row per indicator (a card
on a phone) with its table, and the weakest-placed indicator's chart. Below, per indicator the
latest value and year, band, the network's verdict sentence, the recent direction, the target,
rank of n, the reporter's comment and a plain-language summary; opening one shows its chart."""
import streamlit as st

from indicators.views.kommun import scorecard, scorecard_table
from indicators.views.kommun_scorecard import first_screen
from indicators.views.snapshot import has_demo, is_member, kommun_name
from indicators.views.trend_chart import chart_table, kommun_figure
from ui import embed, loaders, pickers, state, widgets

if embed.active():          # ?visa=inbaddning: only the chart, its summary, the source and a link back
    embed.kommun_view()
    st.stop()
lang = state.lang()
st.title(state.tr("kommun.title"))
kod = pickers.municipality_chooser(key="kommun.select", toggle_key="kommun.members")
if kod is None:             # no silent default: the URL's code, the reporter's own, or the page asks
    st.info(state.tr("picker.choose_prompt"), icon=":material/location_city:")
    st.stop()
name = loaders.cached(kommun_name, kod)
cards = loaders.cached(scorecard, kod, lang)
widgets.demo_banner(loaders.cached(has_demo, None, (kod,)))
if not loaders.cached(is_member, kod):
    st.info(state.tr("common.not_member", name=name), icon=":material/info:")
if not any(card["has_value"] for card in cards):
    st.info(state.tr("common.no_values", name=name))
    st.stop()

st.header(state.tr("kommun.heading", name=name))
# the five-second scorecard: the best/worst sentence, position and direction side by side, one row per indicator
first = loaders.cached(first_screen, kod, lang)
widgets.scorecard_lead(first["overview"], first["lead"])
with st.container(key="kommun.scorecard"):
    st.html(first["markup"])
st.caption(state.tr("scorecard.legend"))
st.caption(first["source"])
widgets.table_twin(first["table"], f"gronanyckeltal_{kod}_oversikt", key="kommun.scorecard_twin", expanded=True)
focus, why = first["focus"]
if focus:
    card = next(c for c in cards if c["id"] == focus)
    st.subheader(state.tr(f"scorecard.focus_{why}", name=card["name"]))
    widgets.plotly_chart(loaders.cached(kommun_figure, kod, focus, lang), key="kommun.focus_chart",
                         filename=f"gronanyckeltal_{focus}_{kod}_{name}", summary=card["summary"])
    st.caption(card["summary"])
    widgets.source_caption(loaders.catalog()[focus])
    widgets.table_twin(loaders.cached(chart_table, focus, (kod,), lang), f"gronanyckeltal_{focus}_{kod}",
                       key="kommun.focus_twin")
widgets.report_buttons(kod)
state.page_link("app_pages/data/jamfor.py", state.tr("kommun.compare_link", name=name), ":material/compare_arrows:", kommun=kod,
             grupp="county")

comments = loaders.comments(kod)
opened = state.url_state("indikator")
for slug in dict.fromkeys(card["theme_slug"] for card in cards):
    st.subheader(state.tr(f"theme.{slug}"))
    state.page_link("app_pages/data/tema.py", state.tr("kommun.theme_link", theme=state.tr(f"theme.{slug}"), name=name),
                 ":material/category:", kommun=kod, tema=slug)
    for card in (c for c in cards if c["theme_slug"] == slug):
        with st.container(border=True, key=f"card.{card['id']}"):
            left, middle, right = st.columns([3, 4, 4])
            left.markdown(f"**{card['name']}**")
            if not card["has_value"]:
                left.caption(state.tr("kommun.no_value"))
                continue
            left.markdown(state.tr("kommun.value_line", value=card["value"], year=card["year"]))
            if card["year_note"]:
                left.caption(f":material/schedule: {card['year_note']}")
            if card["stale"]:
                left.markdown(f":orange[:material/history: {card['stale_text']}]")
            if card["band"]:
                left.caption(state.tr("kommun.band_line", band=card["band"]))
            if card["rank"]:
                left.caption(card["rank"])
            with middle:
                widgets.state_badge("verdict", card["verdict"], card["sentence"])
                widgets.state_badge("direction", card["direction"], state.tr(f"direction.{card['direction']}"))
                if card["target"]:
                    widgets.state_badge("target", card["target_status"], card["target"])
            with right:
                st.text(card["summary"])
                if card["source_kind"] == "imputed":
                    st.caption(state.tr("kommun.imputed_note"))
                if card["provenance_note"]:
                    st.caption(card["provenance_note"])
                if card["id"] in comments:
                    st.caption(state.tr("common.comment"))
                    st.text(comments[card["id"]])        # plain text: a comment is never HTML or markdown
            chart = st.expander(state.tr("kommun.open_chart", name=card["name"]), expanded=opened == card["id"],
                                key=f"open.{card['id']}", on_change=widgets.remember_opened,
                                args=(f"open.{card['id']}", card["id"]), icon=":material/show_chart:")
            if chart.open:
                with chart:
                    widgets.plotly_chart(loaders.cached(kommun_figure, kod, card["id"], lang), key=f"chart.{card['id']}",
                                         filename=f"gronanyckeltal_{card['id']}_{kod}_{name}", summary=card["summary"])
                    st.caption(card["summary"])
                    widgets.source_caption(loaders.catalog()[card["id"]])
                    embed.button("kommun", f"{card['name']} – {name}", key=f"embed.{card['id']}", kommun=kod,
                                 indikator=card["id"])
                    widgets.table_twin(loaders.cached(chart_table, card["id"], (kod,), lang),
                                  f"gronanyckeltal_{card['id']}_{kod}", key=f"twin.{card['id']}")

st.subheader(state.tr("kommun.download_all", name=name))
widgets.download_buttons(loaders.cached(scorecard_table, kod, lang), f"gronanyckeltal_{kod}_sammanstallning", key="kommun.all")
