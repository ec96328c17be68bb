"""AppTest for every dashboard page: it renders with demo data, the URL restores the view,
the language switch changes the strings, and the downloads hold exactly the table shown
(CSV for Swedish Excel, XLSX), with formula-like cells neutralised."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from indicators.views import nyckeltal, snapshot, trend_chart
from indicators.store import reference
from indicators.store import uploads
from indicators.text.tables import to_excel_csv
from indicators.store import open_store
from tests.apptest_helpers import all_text, open_page, plotly_figures

DEMO = "Demodata – inte officiella siffror"
PAGES = {  # page -> (query params, Swedish title, English title)
    "oversikt": ({}, "Gröna nyckeltal", "Green Key Figures"),
    "kommun": ({"kommun": "1490"}, "Kommunens nyckeltal", "The municipality's indicators"),
    "nyckeltal": ({"indikator": "GN.10"}, "Ekologiska livsmedel", "Organic food in the municipal organisation"),
    "jamfor": ({"kommun": "1490"}, "Jämför kommuner", "Compare municipalities"),
    "tema": ({"kommun": "1490", "tema": "energi"}, "Tema: Energi", "Theme: Energy"),
    "om": ({}, "Om och metod", "About and method"),
}


@pytest.fixture
def downloads(monkeypatch):
    """file name -> bytes of every download button the page built."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_demo_data_a_title_and_a_chart(demo_db, page):
    params, title_sv, _ = PAGES[page]
    at = open_page(page, **params)
    assert at.title[0].value == title_sv
    assert plotly_figures(at), "no chart drawn"
    for fig in plotly_figures(at):
        assert fig["layout"]["title"]["text"], "every chart has a title"
    if page != "om":
        assert DEMO in all_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_language_switch_changes_the_strings(demo_db, page):
    params, title_sv, title_en = PAGES[page]
    sv = open_page(page, **params)
    en = open_page(page, **params, lang="en")
    assert en.title[0].value == title_en
    assert DEMO not in all_text(en)
    assert all_text(sv) != all_text(en)
    assert {f["layout"]["separators"] for f in plotly_figures(en)} == {".,"}
    assert {f["layout"]["separators"] for f in plotly_figures(sv)} == {", "}


def _qp(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_overview_theme_filter_restores_from_the_url(demo_db):
    at = open_page(None, tema="energi")
    assert [h.value for h in at.header][:1] == ["Energi"]
    values = [m.value for m in at.markdown if 'class="gn-tile-value"' in m.value]
    assert len(values) == 3                          # GN.7, GN.8a, GN.8b
    assert _qp(at, "tema") == "energi"


def test_kommun_page_restores_municipality_and_opened_indicator(demo_db):
    at = open_page("kommun", kommun="0180", indikator="GN.10")
    assert at.selectbox(key="kommun.select").value == "0180"
    assert at.header[0].value == "Stockholm: alla gröna nyckeltal"
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert any(t.startswith("Ekologiska livsmedel<br>") for t in titles)
    assert _qp(at, "kommun") == "0180"


def test_kommun_picker_offers_all_290_members_first_and_marked(demo_db, demo_store):
    at = open_page("kommun", kommun="1490")
    options = at.selectbox(key="kommun.select").options
    assert len(options) == 290
    members = set(reference.fetch_members(demo_store, 2024))       # the members today (one has left)
    codes = [o.rsplit("(", 1)[1].rstrip(")") for o in options]
    assert set(codes[:len(members)]) == members and not set(codes[len(members):]) & members
    assert all(" ★ SEKOM (" in o for o in options[:len(members)])
    assert not any("★" in o for o in options[len(members):])
    assert "Borås ★ SEKOM (1490)" in options


def test_kommun_page_states_have_icon_and_text(demo_db):
    text = all_text(open_page("kommun", kommun="1490"))
    assert ":material/check_circle: Utvecklingen går åt rätt håll sedan" in text
    assert ":material/trending_" in text and "de senaste åren" in text


def test_reporters_comment_is_shown_as_plain_text(demo_db):
    store = open_store(demo_db)
    raw = "<script>alert(1)</script> **fet** [länk](http://x)"
    with store.transaction() as cur:
        uploads.insert_comments(cur, pd.DataFrame({"kommunkod": ["1490"], "indicator_id": ["GN.10"], "year": [2024],
                                                    "text": [raw], "created_by": ["test"], "upload_id": [None]}))
    store.close()
    at = open_page("kommun", kommun="1490")
    assert raw in [t.value for t in at.text]
    assert raw not in all_text(at)                   # never through markdown


def test_nyckeltal_map_view_restores_from_the_url(demo_db):
    at = open_page("nyckeltal", indikator="GN.3", vy="karta", **{"år": "2015"})
    assert at.selectbox(key="indikator.select").value == "GN.3"
    fig = plotly_figures(at)[0]
    assert fig["layout"]["title"]["text"] == "Ekologisk jordbruksmark 2015"
    assert sum(len(tr["locations"]) for tr in fig["data"]) == 290
    assert [tr["name"] for tr in fig["data"] if tr.get("showlegend")] == ["Inte medlem i SEKOM",
                                                                           "Medlem, inga data detta år"]
    assert _qp(at, "vy") == "karta" and _qp(at, "år") == "2015"


def test_nyckeltal_chart_restores_the_chosen_municipalities(demo_db):
    at = open_page("nyckeltal", indikator="GN.10", kommuner="1490,0180")
    assert at.multiselect(key="nyckeltal.kommuner").value == ["1490", "0180"]
    names = {tr.get("name") for tr in plotly_figures(at)[0]["data"]}
    assert {"Borås", "Stockholm"} <= names
    assert any(n and n.startswith("SEKOM-medel (n = ") for n in names)


def test_nyckeltal_chart_png_is_named_after_indicator_and_municipality(demo_db):
    at = open_page("nyckeltal", indikator="GN.10", kommuner="1490")
    import json
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["toImageButtonOptions"]["filename"] == "gronanyckeltal_GN.10_Borås_1490"
    assert config["topojsonURL"] == "app/static/"


def test_ranking_download_is_exactly_the_table_shown_and_neutralises_formulas(demo_db, downloads):
    store = open_store(demo_db)
    munis = reference.fetch_municipalities(store)
    munis.loc[munis["kommunkod"] == "1490", "name"] = "=HYPERLINK(\"http://evil\")"
    with store.transaction() as cur:
        reference.upsert_municipalities(cur, munis)
    shown = nyckeltal.ranking_table(snapshot.load_snapshot(store), "GN.10", "sv")
    store.close()
    at = open_page("nyckeltal", indikator="GN.10", vy="tabell")
    table = at.dataframe[0].value
    assert list(table.columns) == list(shown.columns) and len(table) == len(shown)
    csv = downloads["gronanyckeltal_GN.10_ranking.csv"]
    assert csv == to_excel_csv(shown)
    text = csv.decode("utf-8")
    assert text.startswith("\ufeffPlats;Delar platsen;Kommun;Värde (%);")
    assert "'=HYPERLINK(" in text and ";=HYPERLINK" not in text
    assert any("," in cell for cell in text.splitlines()[1].split(";")[2:3]) or ";" in text   # decimal comma
    book = openpyxl.load_workbook(io.BytesIO(downloads["gronanyckeltal_GN.10_ranking.xlsx"]))
    rows = list(book.active.values)
    assert list(rows[0]) == list(shown.columns) and len(rows) == len(shown) + 1
    assert any(str(v).startswith("'=HYPERLINK(") for row in rows for v in row if v)


def test_kommun_downloads_include_the_full_summary(demo_db, downloads):
    open_page("kommun", kommun="1490")
    csv = downloads["gronanyckeltal_1490_sammanstallning.csv"].decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Nyckeltal;Senaste värde;Senaste år;Markering;Nivå;Utveckling sedan basåret")
    assert "Utvecklingen går åt" in csv


def test_compare_page_restores_group_and_theme_and_flags_in_text(demo_db):
    at = open_page("jamfor", kommun="1490", grupp="members", tema="energi")
    assert at.get("button_group")[0] is not None
    fig = plotly_figures(at)[0]
    assert fig["layout"]["title"]["text"] == "Energi: Alla medlemmar"
    assert _qp(at, "grupp") == "members" and _qp(at, "tema") == "energi"
    flags = pd.concat([df.value for df in at.dataframe])["Markering"]
    assert flags.str.startswith(("▲", "▼")).any()


def test_compare_page_with_own_choice_needs_two(demo_db):
    at = open_page("jamfor", kommun="1490", grupp="custom")
    assert any("minst två" in i.value for i in at.info)
    at = open_page("jamfor", kommun="1490", grupp="custom", kommuner="0180,1443")
    names = {tr.get("name") for tr in plotly_figures(at)[0]["data"]}
    assert {"Stockholm", "Bollebygd"} <= names and "Borås" not in names      # nothing forced into own choice


def test_tema_page_is_one_click_from_the_kommun_page(demo_db):
    at = open_page("kommun", kommun="1490")
    links = [el.proto for el in at.get("page_link")]
    theme_links = [p for p in links if "tema" in p.page]
    assert theme_links and "Hela temat Klimat för Borås" == theme_links[0].label
    assert "kommun=1490" in theme_links[0].query_string and "tema=klimat" in theme_links[0].query_string


def test_om_page_states_the_rule_licence_and_citation(demo_db):
    text = all_text(open_page("om"))
    assert "Utvecklingen går åt rätt håll sedan 2014" in text
    assert "CC BY 4.0" in text and "färre än tre år" in text
    assert "Demodata – inte officiella siffror" in text      # what demo data means


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(empty_store, page):
    params, title_sv, _ = PAGES[page]
    at = open_page(page, **params)
    assert at.title[0].value
    assert not at.warning, "no demo banner without demo values"


@pytest.mark.parametrize("page, params", [
    ("kommun", {"kommun": "9999"}), ("tema", {"kommun": "0114", "tema": "nope"}),
    ("jamfor", {"kommun": "1490", "grupp": "nope", "kommuner": "abc,0180"}),
    ("nyckeltal", {"indikator": "XX", "vy": "nope", "år": "abc"}),
    ("nyckeltal", {"indikator": "GN.8a", "vy": "karta", "år": "1990"}), (None, {"tema": "nope", "lang": "xx"})])
def test_bad_url_parameters_fall_back_to_a_valid_view(demo_db, page, params):
    at = open_page(page, **params)
    assert at.title[0].value


def test_a_charts_table_twin_opens_with_the_table_and_its_downloads(demo_db, demo_store, downloads):
    at = open_page("kommun", kommun="1490")
    assert len(at.dataframe) == 1                    # the scorecard's own table only: the others are drawn when opened
    at.session_state["kommun.focus_twin.open"] = True
    at.run()
    shown = trend_chart.chart_table(snapshot.load_snapshot(demo_store), "GN.10", ("1490",), "sv")
    assert len(at.dataframe) == 2 and list(at.dataframe[1].value.columns) == list(shown.columns)
    assert downloads["gronanyckeltal_GN.10_1490.csv"] == to_excel_csv(shown)
    assert "gronanyckeltal_GN.10_1490.xlsx" in downloads
