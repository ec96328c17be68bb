"""AppTests of the pickers on the pages: no silent default municipality (Kommun, Jämför, Tema ask;
the URL's code or the logged-in reporter's own municipality is taken), an unknown code said in
words, members marked and limitable, Jämför's own choice holds exactly the chosen with every one
in the rank tables, chosen places without data named under the charts, the map's year select."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.auth import users
from tests.apptest_helpers import all_text, open_page, open_page_as, plotly_figures

PASSWORD = "ett-långt-lösenord"
ADMIN = users.User("setup", "admin")
FOUR = ["1380", "1881", "1490", "0180"]          # Halmstad, Kumla (no GN.1a), Borås (no GN.1b), Stockholm


def _qp(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("page", ["kommun", "tema"])
def test_the_page_asks_for_a_municipality_instead_of_choosing_one(demo_db, page):
    at = open_page(page)
    assert at.selectbox(key="kommun.select").value is None
    assert "Välj en kommun i listan ovan för att se dess nyckeltal." in [i.value for i in at.info]
    assert not plotly_figures(at) and _qp(at, "kommun") is None
    en = open_page(page, lang="en")
    assert "Choose a municipality in the list above to see its indicators." in [i.value for i in en.info]


def test_an_unknown_code_says_so_and_asks(demo_db):
    at = open_page("kommun", kommun="9999")
    assert [w.value for w in at.warning] == ["Kommunkoden 9999 finns inte. Välj en kommun i listan."]
    assert at.selectbox(key="kommun.select").value is None and not plotly_figures(at)
    at.selectbox(key="kommun.select").select("1490").run()
    assert not any("9999" in w.value for w in at.warning) and _qp(at, "kommun") == "1490"
    assert at.header[0].value == "Borås: alla gröna nyckeltal"
    en = open_page("kommun", kommun="9999", lang="en")
    assert [w.value for w in en.warning] == ["The municipality code 9999 does not exist. Choose a municipality in "
                                             "the list."]


def test_the_logged_in_reporter_sees_her_own_municipality(demo_store):
    users.add_account(demo_store, ADMIN, "kumla", PASSWORD, "reporter", ["1881"])
    at = open_page_as("kommun", "kumla", PASSWORD)
    assert at.selectbox(key="kommun.select").value == "1881"
    assert at.header[0].value == "Kumla: alla gröna nyckeltal"
    assert "Visar Kumla, din kommun. Välj en annan kommun i listan om du vill." in all_text(at)
    assert _qp(at, "kommun") == "1881"
    other = open_page_as("kommun", "kumla", PASSWORD, kommun="0180")     # a link's municipality wins
    assert other.selectbox(key="kommun.select").value == "0180"


def test_the_members_toggle_limits_the_picker_and_lives_in_the_url(demo_db):
    at = open_page("kommun", kommun="1440")                             # Ale: not a member
    assert len(at.selectbox(key="kommun.select").options) == 290
    at.toggle(key="kommun.members").set_value(True).run()
    options = at.selectbox(key="kommun.select").options
    assert len(options) == 96 and "Ale (1440)" in options             # 95 members + the choice already made
    assert sum("★ SEKOM" in o for o in options) == 95
    assert at.selectbox(key="kommun.select").value == "1440" and _qp(at, "medlemmar") == "1"
    again = open_page("kommun", medlemmar="1")
    assert again.toggle(key="kommun.members").value is True
    assert len(again.selectbox(key="kommun.select").options) == 95


def test_compare_opens_on_own_choice_and_shows_exactly_the_four_chosen(demo_db):
    at = open_page("jamfor", tema="klimat")
    assert _qp(at, "grupp") == "custom" and not at.multiselect(key="compare.kommuner").value
    assert any("minst två" in i.value for i in at.info) and not plotly_figures(at)
    at.toggle(key="compare.members").set_value(True).run()
    assert len(at.multiselect(key="compare.kommuner").options) == 95
    at.multiselect(key="compare.kommuner").set_value(FOUR).run()
    assert not at.exception
    assert _qp(at, "kommuner") == ",".join(FOUR)
    tables = [df.value for df in at.dataframe]
    assert len(tables) == 2 and all(sorted(t["Kommun"]) == ["Borås", "Halmstad", "Kumla", "Stockholm"] for t in tables)
    names = {tr.get("name") for tr in plotly_figures(at)[0]["data"]}
    assert {"Halmstad", "Kumla", "Borås", "Stockholm"} <= names
    text = all_text(at)
    assert "4 kommuner i gruppen" in text
    assert ("Valda kommuner utan data:** Växthusgasutsläpp utanför utsläppshandeln: ingen data för Halmstad och "
            "Kumla. Växthusgasutsläpp från utsläppshandeln: ingen data för Borås.") in text
    flags = pd.concat(tables)["Markering"]
    assert (flags == "Ingen data: inget värde något år").sum() == 3


def test_compare_differences_are_points_for_shares_with_the_indicators_decimals(demo_db):
    at = open_page("jamfor", grupp="county", kommun="1490", tema="organisation")
    headers = [list(df.value.columns) for df in at.dataframe]
    assert ["Plats", "Delar platsen", "Kommun", "Värde", "År", "Skillnad mot medianen (%)", "Markering"] in headers
    assert ["Plats", "Delar platsen", "Kommun", "Värde", "År", "Skillnad mot medianen (procentenheter)",
            "Markering"] in headers
    assert "procentenheter för andelar" in all_text(at)


def test_compare_with_an_unknown_base_code_says_so_and_asks(demo_db):
    at = open_page("jamfor", kommun="9999", grupp="county")
    assert "Kommunkoden 9999 finns inte. Välj en kommun i listan." in [w.value for w in at.warning]
    assert at.selectbox(key="compare.base").value is None and not plotly_figures(at)


def test_nyckeltal_names_the_chosen_places_without_data_under_the_chart(demo_db):
    at = open_page("nyckeltal", indikator="GN.10", kommuner="1490,1440,1489,1260")
    assert "**Ingen data för Ale, Alingsås och Bjuv (inget värde något år).**" in [m.value for m in at.markdown]
    en = open_page("nyckeltal", indikator="GN.10", kommuner="1490,1440,1489,1260", lang="en")
    assert "**No data for Ale, Alingsås and Bjuv (no value in any year).**" in [m.value for m in en.markdown]


def test_tema_names_the_municipality_without_data_under_its_chart(demo_db):
    at = open_page("tema", kommun="1490", tema="klimat")
    assert "**Ingen data för Borås (inget värde något år).**" in [m.value for m in at.markdown]
    lone = [f for f in plotly_figures(at) if f["layout"]["title"]["text"].startswith("Växthusgasutsläpp från")][0]
    assert lone["layout"]["showlegend"] is True and len(lone["data"]) == 1     # the SEKOM line, in a legend


def test_the_map_year_is_a_select_showing_the_year_and_the_source_is_named_once(demo_db):
    at = open_page("nyckeltal", indikator="GN.3", vy="karta", **{"år": "2015"})
    year = at.selectbox(key="nyckeltal.year")
    assert year.value == 2015 and year.options[0] == str(max(int(o) for o in year.options))
    assert all_text(at).count("Källa") == 1                              # the page head's, not again under the map...
    notes = [a["text"] for a in plotly_figures(at)[0]["layout"]["annotations"]]
    assert sum("Källa" in n for n in notes) == 1                          # ...but once, in it
    year.select(2016).run()
    assert _qp(at, "år") == "2016"
