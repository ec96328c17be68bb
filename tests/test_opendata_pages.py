"""AppTest for the Öppna data page and the embeds: the page documents every route with links on the
address it was opened with (or GN_PUBLIC_URL), in Swedish and English; ?visa=inbaddning draws only
the chart, its summary, the source line and a link back; the "Bädda in" button shows the <iframe>
snippet for the view on screen with both embed parameters."""
from __future__ import annotations

import html
import re

import pytest

from indicators.publish.api import ROUTE_NAMES
from tests.apptest_helpers import all_text, open_page, plotly_figures

SOURCE_SV = "Källa: Sveriges Ekokommuner – Gröna nyckeltal"
DEMO = "Demodata – inte officiella siffror"
LOCAL = "http://127.0.0.1:8501"      # AppTest has no browser: the page falls back to the configured address


def test_oppna_data_page_documents_every_route_with_a_link(demo_db):
    at = open_page("oppna_data")
    assert at.title[0].value == "Öppna data och API"
    text = all_text(at)
    for name in ROUTE_NAMES:
        assert f"[`/api/v1/{name}`]({LOCAL}/api/v1/{name})" in text
    assert "CC BY 4.0" in text and "If-None-Match" in text and "visa=inbaddning" in text
    codes = [c.value for c in at.code]
    assert any(f'curl "{LOCAL}/api/v1/trends?kommun=1490&indikator=GN.7"' in c for c in codes)
    assert any('"code": "bad-kommun"' in c for c in codes)
    terms = at.dataframe[0].value
    assert list(terms.columns) == ["Källtyp", "Källa", "Licens"]
    assert dict(zip(terms["Källtyp"], terms["Licens"]))["kolada"] == "Kolada:s villkor (ingen CC-licens)"


def test_oppna_data_examples_use_the_public_url_setting(demo_db, monkeypatch):
    monkeypatch.setenv("GN_PUBLIC_URL", "https://gronanyckeltal.example.se/")
    at = open_page("oppna_data")
    codes = "\n".join(c.value for c in at.code)
    assert "https://gronanyckeltal.example.se/api/v1/values.csv?kommun=1490" in codes
    assert LOCAL not in codes


def test_oppna_data_page_in_english(demo_db):
    at = open_page("oppna_data", lang="en")
    assert at.title[0].value == "Open data and API"
    assert "Sources and licences" in [h.value for h in at.header]
    assert list(at.dataframe[0].value.columns) == ["Source kind", "Source", "Licence"]


EMBEDS = {  # page -> (view params, number of charts, link back)
    "nyckeltal": ({"indikator": "GN.7", "kommuner": "1490,0180"}, 1,
                  f"{LOCAL}/nyckeltal?indikator=GN.7&kommuner=1490%2C0180"),
    "kommun": ({"kommun": "1490", "indikator": "GN.7"}, 1, f"{LOCAL}/kommun?kommun=1490&indikator=GN.7"),
    "tema": ({"kommun": "1490", "tema": "energi"}, 3, f"{LOCAL}/tema?kommun=1490&tema=energi"),
}


@pytest.mark.parametrize("page", EMBEDS)
def test_an_embed_view_draws_only_the_chart_summary_source_and_link_back(demo_db, page):
    params, n_charts, back = EMBEDS[page]
    at = open_page(page, visa="inbaddning", **params)
    assert len(plotly_figures(at)) == n_charts
    assert not at.title and not at.selectbox and not at.multiselect and not at.tabs and not at.expander
    assert not at.sidebar.radio and not at.code                       # no language picker, no account box, no snippet
    text = all_text(at)
    assert f"**{SOURCE_SV}** · [Öppna i Gröna nyckeltal]({back})" in text
    assert "Källa: " in [c.value for c in at.caption][-1]               # the indicator's own source line
    assert DEMO in text
    assert at.caption[0].value.startswith("Borås" if page != "nyckeltal" else "SEKOM-medlet (oviktat medelvärde) var")


def test_an_embed_view_keeps_the_language(demo_db):
    at = open_page("kommun", kommun="1490", indikator="GN.7", visa="inbaddning", lang="en")
    text = all_text(at)
    assert "Source: Sveriges Ekokommuner – Gröna nyckeltal" in text
    assert f"({LOCAL}/kommun?kommun=1490&indikator=GN.7&lang=en)" in text
    assert at.caption[0].value.startswith("Borås: ") and "the right way" in at.caption[0].value


def test_the_kommun_embed_without_an_indicator_shows_the_position_chart(demo_db):
    at = open_page("kommun", kommun="0180", visa="inbaddning")
    assert plotly_figures(at)[0]["layout"]["title"]["text"].startswith("Stockholm")
    assert f"({LOCAL}/kommun?kommun=0180)" in all_text(at)


def _iframe_src(at) -> str:
    (snippet,) = [c.value for c in at.code if c.value.startswith("<iframe")]
    assert 'style="border:0"' in snippet and 'title="Gröna nyckeltal: ' in snippet
    return html.unescape(re.search(r'src="([^"]+)"', snippet).group(1))


SNIPPETS = {  # page -> (page params, embed src)
    "nyckeltal": ({"indikator": "GN.10", "kommuner": "1490,0180"},
                  f"{LOCAL}/nyckeltal?indikator=GN.10&kommuner=1490%2C0180&embed=true&visa=inbaddning"),
    "kommun": ({"kommun": "1490", "indikator": "GN.10"},
               f"{LOCAL}/kommun?kommun=1490&indikator=GN.10&embed=true&visa=inbaddning"),
    "tema": ({"kommun": "0180", "tema": "klimat"}, f"{LOCAL}/tema?kommun=0180&tema=klimat&embed=true&visa=inbaddning"),
}


@pytest.mark.parametrize("page", SNIPPETS)
def test_the_embed_button_shows_the_iframe_for_the_view_on_screen(demo_db, page):
    params, src = SNIPPETS[page]
    at = open_page(page, **params)
    assert _iframe_src(at) == src
    assert f"[Öppna inbäddningsvyn]({src})" in all_text(at)


def test_the_embed_snippet_uses_the_public_url_and_the_language(demo_db, monkeypatch):
    monkeypatch.setenv("GN_PUBLIC_URL", "https://gronanyckeltal.example.se")
    at = open_page("nyckeltal", indikator="GN.3", kommuner="1490", lang="en")
    assert _iframe_src(at) == ("https://gronanyckeltal.example.se/nyckeltal?indikator=GN.3&kommuner=1490&lang=en"
                               "&embed=true&visa=inbaddning")
