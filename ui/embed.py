"""Embeds: a chart of the dashboard on someone else's web page. Streamlit's own `?embed=true` hides
the page chrome (the app cannot read it); ours, `?visa=inbaddning`, makes a chart page draw only
the chart and its summary, the source line "Källa: Sveriges Ekokommuner – Gröna nyckeltal" and a
link back. The "Bädda in" button shows the `<iframe>` snippet for the view on screen, with both
parameters and the public base URL (GN_PUBLIC_URL, else the address the page was opened with).
Imports ui.state, ui.loaders, ui.widgets and indicators/; never ui.session.
"""
from __future__ import annotations

import html

import streamlit as st

from indicators.catalog import theme_from_slug, theme_slug, THEME_SLUGS
from indicators.publish import links
from indicators.text import i18n
from indicators.views.kommun import position_figure, scorecard
from indicators.views.nyckeltal import default_kommuner, kommun_summaries, network_summary
from indicators.views.snapshot import has_demo
from indicators.views.trend_chart import indicator_figure, kommun_figure
from ui import loaders, pickers, state, widgets

HEIGHTS = {"nyckeltal": 820, "kommun": 820, "tema": 1500}   # px: chart, summary, source and link visible


def active() -> bool:
    """Whether this run is an embed view (?visa=inbaddning)."""
    return st.query_params.get(links.EMBED_PARAM) == links.EMBED_VALUE


def base_url() -> str:
    """The public base URL: $GN_PUBLIC_URL, else the address this page was opened with."""
    origin = links.origin_of(st.context.url)
    if not origin:
        host = st.context.headers.get("host") if st.context.headers else None
        origin = f"http://{host}" if host else \
            f"http://{st.get_option('server.address') or 'localhost'}:{st.get_option('server.port')}"
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    return links.public_base(origin + (f"/{prefix}" if prefix else ""))


def _view(params: dict) -> dict:
    """The view's parameters plus the language when it is not Swedish."""
    lang = state.lang()
    return {**params, **({"lang": lang} if lang != i18n.DEFAULT_LANG else {})}


def snippet(url_path: str, title: str, **params) -> str:
    """The <iframe> code for a page's embed view with these view parameters."""
    src = links.embed_url(base_url(), url_path, _view(params))
    label = state.tr("embed.iframe_title", title=title)
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(label)}" width="100%" '
            f'height="{HEIGHTS.get(url_path, 820)}" style="border:0" loading="lazy"></iframe>')


def button(url_path: str, title: str, key: str, **params) -> None:
    """'Bädda in': a popover with the snippet for this view and a link to its embed view."""
    with st.popover(state.tr("embed.button"), icon=":material/code:", key=key):
        st.caption(state.tr("embed.help"))
        st.code(snippet(url_path, title, **params), language="html", wrap_lines=True)
        st.markdown(f"[{state.tr('embed.preview')}]({links.embed_url(base_url(), url_path, _view(params))})")


def footer(url_path: str, **params) -> None:
    """The source line and the link back to the same view in the dashboard."""
    back = links.page_url(base_url(), url_path, _view(params))
    st.markdown(f"**{state.tr('embed.source')}** · [{state.tr('embed.link_back')}]({back})")


# ------------------------------------------------------------------ the embed views of the chart pages

def indicator_view() -> None:
    """Nyckeltal: the chosen municipalities against the SEKOM average, the summary, the sources."""
    cat, lang = loaders.catalog(), state.lang()
    ind_id = state.url_state("indikator") if state.url_state("indikator") in cat.ids else cat.ids[0]
    chosen = pickers.kommuner_from_url(loaders.cached(default_kommuner, ind_id))
    widgets.demo_banner(loaders.cached(has_demo, (ind_id,), tuple(chosen)))
    net = loaders.cached(network_summary, ind_id, lang)
    summary = state.tr("indicator.chart_summary", kommuner=loaders.cached(kommun_summaries, ind_id, tuple(chosen), lang),
                       **net) if net else loaders.catalog()[ind_id].name(lang)
    widgets.plotly_chart(loaders.cached(indicator_figure, ind_id, tuple(chosen), lang), key="embed.chart",
                         filename=widgets.chart_filename(ind_id, chosen), summary=summary)
    if net:
        st.caption(state.tr("indicator.chart_summary", kommuner=loaders.cached(kommun_summaries, ind_id, tuple(chosen),
                                                                             lang), **net))
    widgets.source_caption(cat[ind_id])
    footer("nyckeltal", indikator=ind_id, kommuner=",".join(chosen) or None)


def kommun_view() -> None:
    """Kommun: one indicator's chart for the municipality (?indikator=), else its position chart."""
    lang, kod = state.lang(), _kommun()
    cards = {card["id"]: card for card in loaders.cached(scorecard, kod, lang)}
    ind_id = state.url_state("indikator")
    widgets.demo_banner(loaders.cached(has_demo, None, (kod,)))
    if ind_id in cards:
        widgets.plotly_chart(loaders.cached(kommun_figure, kod, ind_id, lang), key="embed.chart",
                             filename=widgets.chart_filename(ind_id, [kod]),
                             summary=cards[ind_id]["summary"] if cards[ind_id]["has_value"] else
                             state.tr("kommun.no_value"))
        if cards[ind_id]["has_value"]:
            st.caption(cards[ind_id]["summary"])
        widgets.source_caption(loaders.catalog()[ind_id])
    else:
        widgets.plotly_chart(loaders.cached(position_figure, kod, lang), key="embed.chart",
                             filename=f"gronanyckeltal_{kod}_placering", summary=state.tr("kommun.position_summary"))
        st.caption(state.tr("kommun.position_summary"))
    footer("kommun", kommun=kod, indikator=ind_id if ind_id in cards else None)


def theme_view() -> None:
    """Tema: the theme's charts for the municipality, each with its summary and source."""
    lang, kod = state.lang(), _kommun()
    slug = state.url_state("tema") if state.url_state("tema") in THEME_SLUGS.values() else next(iter(THEME_SLUGS.values()))
    theme = theme_from_slug(slug)
    widgets.demo_banner(loaders.cached(has_demo, None, (kod,)))
    cards = [c for c in loaders.cached(scorecard, kod, lang) if c["theme_slug"] == theme_slug(theme)]
    columns = st.columns(2)
    for i, card in enumerate(cards):
        with columns[i % 2]:
            widgets.plotly_chart(loaders.cached(kommun_figure, kod, card["id"], lang), key=f"embed.chart.{card['id']}",
                                 filename=widgets.chart_filename(card["id"], [kod]),
                                 summary=card["summary"] if card["has_value"] else state.tr("kommun.no_value"))
            if card["has_value"]:
                st.caption(card["summary"])
            widgets.source_caption(loaders.catalog()[card["id"]])
    footer("tema", kommun=kod, tema=slug)


def _kommun() -> str:
    """The municipality the URL names, else the first in the picker's order."""
    wanted, options = state.url_state("kommun"), loaders.municipality_options()
    return wanted if wanted in options else options[0]
