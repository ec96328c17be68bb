"""Kommun: one municipality's scorecard. For every indicator the latest value and year, band,
the network's verdict sentence, the recent direction, the target, rank of n, the reporter's
comment and a plain-language summary; opening an indicator shows its chart and table."""
import streamlit as st

import ui

lang = ui.lang()
st.title(ui.tr("kommun.title"))
kod = ui.municipality_picker()
name = ui.data("kommun_name", kod)
cards = ui.data("scorecard", kod, lang)
ui.demo_banner(ui.data("demo_marker", None, (kod,)))
if not ui.data("is_member", kod):
    st.info(ui.tr("common.not_member", name=name), icon=":material/info:")
if not any(card["has_value"] for card in cards):
    st.info(ui.tr("common.no_values", name=name))
    st.stop()

st.header(ui.tr("kommun.heading", name=name))
st.markdown(f"**{ui.tr('kommun.counts')}**")
tally = ui.data("verdict_tally", kod, lang)
for column, verdict in zip(st.columns(4), tally):
    icon, _ = ui.state_style("verdict", verdict)
    column.metric(ui.tr(f"kommun.count_{verdict}"), tally[verdict], icon=icon, border=True)
ui.page_link("pages/data/jamfor.py", ui.tr("kommun.compare_link", name=name), ":material/compare_arrows:", kommun=kod,
             grupp="county")
ui.plotly_chart(ui.data("position_figure", kod, lang), key="kommun.position", filename=f"gronanyckeltal_{kod}_placering")
st.caption(ui.tr("kommun.position_summary"))
ui.table_twin(ui.data("position_table", kod, lang), f"gronanyckeltal_{kod}_placering", key="kommun.position_twin")

comments = ui.comments(kod)
opened = ui.url_state("indikator")
for slug in dict.fromkeys(card["theme_slug"] for card in cards):
    st.subheader(ui.tr(f"theme.{slug}"))
    ui.page_link("pages/data/tema.py", ui.tr("kommun.theme_link", theme=ui.tr(f"theme.{slug}"), name=name),
                 ":material/category:", kommun=kod, tema=slug)
    for card in (c for c in cards if c["theme_slug"] == slug):
        with st.container(border=True, key=f"card.{card['id']}"):
            left, middle, right = st.columns([3, 4, 4])
            left.markdown(f"**{card['name']}**")
            if not card["has_value"]:
                left.caption(ui.tr("kommun.no_value"))
                continue
            left.markdown(ui.tr("kommun.value_line", value=card["value"], year=card["year"]))
            if card["band"]:
                left.caption(ui.tr("kommun.band_line", band=card["band"]))
            if card["rank"]:
                left.caption(card["rank"])
            with middle:
                ui.state_badge("verdict", card["verdict"], card["sentence"])
                ui.state_badge("direction", card["direction"], ui.tr(f"direction.{card['direction']}"))
                if card["target"]:
                    ui.state_badge("target", card["target_status"], card["target"])
            with right:
                st.text(card["summary"])
                if card["source_kind"] == "imputed":
                    st.caption(ui.tr("kommun.imputed_note"))
                if card["id"] in comments:
                    st.caption(ui.tr("common.comment"))
                    st.text(comments[card["id"]])        # plain text: a comment is never HTML or markdown
            chart = st.expander(ui.tr("kommun.open_chart", name=card["name"]), expanded=opened == card["id"],
                                key=f"open.{card['id']}", on_change=ui.remember_opened,
                                args=(f"open.{card['id']}", card["id"]), icon=":material/show_chart:")
            if chart.open:
                with chart:
                    ui.plotly_chart(ui.data("kommun_figure", kod, card["id"], lang), key=f"chart.{card['id']}",
                                    filename=f"gronanyckeltal_{card['id']}_{kod}_{name}")
                    st.caption(card["summary"])
                    ui.source_caption(ui.catalog()[card["id"]])
                    ui.table_twin(ui.data("chart_table", card["id"], (kod,), lang),
                                  f"gronanyckeltal_{card['id']}_{kod}", key=f"twin.{card['id']}")

st.subheader(ui.tr("kommun.download_all", name=name))
ui.download_buttons(ui.data("scorecard_table", kod, lang), f"gronanyckeltal_{kod}_sammanstallning", key="kommun.all")
