"""The pickers' data and the places without data (indicators/views/pickers.py), and the Jämför
view that uses them: members marked and limitable, no silent default municipality, an unknown
code said in words, own choice holds exactly the chosen, differences from the median in
percentage points for shares, and the charts that take a choice of places."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.views import charts, jamfor, pickers, snapshot, trend_chart
from ui import widgets

ALE, ALINGSAS, BJUV, BORAS, STOCKHOLM = "1440", "1489", "1260", "1490", "0180"
HALMSTAD, KUMLA = "1380", "1881"          # demo members without any GN.1a value


@pytest.fixture
def snap(demo_store):
    return snapshot.load_snapshot(demo_store)


def test_members_come_first_and_are_marked_in_both_languages(snap):
    sv = pickers.municipality_choices(snap, "sv")
    members = pickers.current_members(snap)
    assert len(sv) == 290 and len(members) == 95          # 96 have been members; one has left
    codes = list(sv)
    assert set(codes[:95]) == members
    assert sv[BORAS] == "Borås ★ SEKOM (1490)" and sv[ALE] == "Ale (1440)"
    assert all("★ SEKOM" in sv[k] for k in members) and not any("★" in sv[k] for k in codes[95:])
    assert pickers.municipality_choices(snap, "en")[BORAS] == "Borås ★ SEKOM (1490)"


def test_members_only_leaves_the_others_out_but_keeps_a_choice_already_made(snap):
    only = pickers.municipality_choices(snap, "sv", members_only=True)
    assert set(only) == pickers.current_members(snap)
    kept = pickers.municipality_choices(snap, "sv", members_only=True, keep=(ALE, "9999"))
    assert set(kept) == pickers.current_members(snap) | {ALE}          # an unknown code is never an option


def test_no_silent_default_municipality(snap):
    assert pickers.opening_municipality(snap, None) == {"kommun": None, "source": None, "unknown": None}
    assert pickers.opening_municipality(snap, BORAS)["kommun"] == BORAS
    assert pickers.opening_municipality(snap, None, (KUMLA, BORAS)) == {"kommun": KUMLA, "source": "own",
                                                                         "unknown": None}
    assert pickers.opening_municipality(snap, STOCKHOLM, (KUMLA,))["source"] == "url"     # the URL wins


def test_an_unknown_code_is_said_in_words_and_nothing_is_chosen_for_the_user(snap):
    opening = pickers.opening_municipality(snap, "9999")
    assert opening == {"kommun": None, "source": None, "unknown": "9999"}
    assert pickers.unknown_code_text("9999", "sv") == "Kommunkoden 9999 finns inte. Välj en kommun i listan."
    assert pickers.unknown_code_text("9999", "en") == ("The municipality code 9999 does not exist. "
                                                       "Choose a municipality in the list.")
    many = pickers.opening_municipalities(snap, "abc,0180,9999,0180")
    assert many == {"kommuner": [STOCKHOLM], "unknown": ["abc", "9999"]}
    assert pickers.unknown_code_text(many["unknown"], "sv") == "Kommunkoderna abc och 9999 finns inte. " \
                                                               "Välj kommuner i listan."


def test_names_are_joined_the_way_each_language_writes_a_list():
    assert pickers.join_names(["Ale"], "sv") == "Ale"
    assert pickers.join_names(["Ale", "Bjuv"], "sv") == "Ale och Bjuv"
    assert pickers.join_names(["Ale", "Alingsås", "Bjuv"], "sv") == "Ale, Alingsås och Bjuv"
    assert pickers.join_names(["Ale", "Alingsås", "Bjuv"], "en") == "Ale, Alingsås and Bjuv"


def test_chosen_places_without_data_are_named(snap):
    chosen = (BORAS, ALE, ALINGSAS, STOCKHOLM, BJUV)          # Ale, Alingsås, Bjuv: not members, no values
    assert pickers.without_data(snap, "GN.10", chosen) == [ALE, ALINGSAS, BJUV]
    assert pickers.no_data_text(snap, "GN.10", chosen, "sv") == \
        "Ingen data för Ale, Alingsås och Bjuv (inget värde något år)."
    assert pickers.no_data_text(snap, "GN.10", chosen, "sv", year=2023) == "Ingen data för Ale, Alingsås och Bjuv 2023."
    assert pickers.no_data_text(snap, "GN.10", chosen, "en", year=2023) == \
        "No data for Ale, Alingsås and Bjuv in 2023."
    assert pickers.no_data_text(snap, "GN.10", (BORAS, STOCKHOLM), "sv") == ""
    assert pickers.no_data_text(snap, "GN.1b", (BORAS, STOCKHOLM), "sv") == \
        "Ingen data för Borås (inget värde något år)."         # a member that never reported it


def test_own_choice_holds_exactly_the_chosen_four(snap):
    chosen = (HALMSTAD, KUMLA, BORAS, STOCKHOLM)
    group = tuple(jamfor.peer_group(snap, "custom", "", chosen))
    assert group == chosen                                    # nothing forced in: choose 4, get 4
    for section in jamfor.compare_sections(snap, group, "Klimat", "sv"):
        table = section["table"]
        assert sorted(table["Kommun"]) == sorted(["Halmstad", "Kumla", "Borås", "Stockholm"])
    gn1a = next(s for s in jamfor.compare_sections(snap, group, "Klimat", "sv") if s["id"] == "GN.1a")
    no_data = gn1a["table"][gn1a["table"]["Markering"] == "Ingen data: inget värde något år"]
    assert sorted(no_data["Kommun"]) == ["Halmstad", "Kumla"] and no_data["Plats"].isna().all()
    assert jamfor.compare_no_data(snap, group, "Klimat", "sv") == (
        "Växthusgasutsläpp utanför utsläppshandeln: ingen data för Halmstad och Kumla. "
        "Växthusgasutsläpp från utsläppshandeln: ingen data för Borås.")
    assert "Växthusgasutsläpp från utsläppshandeln: ingen data" in jamfor.compare_summary(snap, (BORAS, STOCKHOLM, KUMLA),
                                                                                         "Klimat", "sv")


def test_differences_from_the_median_are_percentage_points_for_shares(snap):
    group = tuple(jamfor.peer_group(snap, "county", BORAS))
    rows = jamfor.compare_rows(snap, group, "Kommunorganisationen")
    share = rows[(rows["indicator_id"] == "GN.10") & rows["rank"].notna()]
    assert set(share["diff_kind"]) == {"pp"}
    expected = share["value"] - share["median"]
    assert (share["diff"] - expected).abs().max() < 1e-9                       # points, not percent of the median
    other = rows[(rows["indicator_id"] == "GN.9a") & rows["rank"].notna()]
    assert set(other["diff_kind"]) == {"relative"}
    assert ((other["diff"] - (other["value"] - other["median"]) / other["median"].abs()).abs() < 1e-9).all()
    section = next(s for s in jamfor.compare_sections(snap, group, "Kommunorganisationen", "sv") if s["id"] == "GN.10")
    assert "Skillnad mot medianen (procentenheter)" in section["table"].columns
    assert "Skillnad mot medianen (%)" not in section["table"].columns
    assert section["decimals"]["Skillnad mot medianen (procentenheter)"] == 0      # GN.10's own decimals
    full = jamfor.compare_table(snap, group, "Kommunorganisationen", "en")
    assert {"Difference from the median (percentage points)", "Difference from the median (%)"} <= set(full.columns)


def test_eight_against_a_median_of_83_is_75_points_not_90_percent(snap):
    """The issue's example: a share of 8 % against a group median of 83 %."""
    values = {BORAS: 8.0, STOCKHOLM: 83.0, KUMLA: 90.0}
    year = snapshot.network_year(snap, "GN.10")
    cur = snap.current[~((snap.current["indicator_id"] == "GN.10") & snap.current["kommunkod"].isin(list(values))
                         & (snap.current["year"] == year))]
    extra = pd.DataFrame([{"indicator_id": "GN.10", "kommunkod": k, "year": year, "value": v, "source_kind": "demo",
                           "comment": None, "provenance": None} for k, v in values.items()])
    fixed = snapshot.Snapshot(**{**snap.__dict__, "current": pd.concat([cur, extra], ignore_index=True)})
    rows = jamfor.compare_rows(fixed, tuple(values), "Kommunorganisationen")
    boras = rows[(rows["indicator_id"] == "GN.10") & (rows["kommunkod"] == BORAS)].iloc[0]
    assert boras["diff"] == -75.0 and math.isclose(boras["rel_diff"], -75 / 83)
    assert boras["flag"] == "worse" and boras["score"] < 0
    kumla = rows[(rows["indicator_id"] == "GN.10") & (rows["kommunkod"] == KUMLA)].iloc[0]
    assert kumla["diff"] == 7.0 and kumla["flag"] == "" and kumla["score"] > 0


def test_much_better_and_much_worse_get_different_colours_on_a_good_to_bad_scale():
    assert widgets.FLAG_SHADES["better"] != widgets.FLAG_SHADES["worse"]
    assert widgets.diverging_shade(None) == ""
    assert widgets.diverging_shade(0) == "background-color: #ffffff"
    good, bad = widgets.diverging_shade(1.0), widgets.diverging_shade(-1.0)
    assert good == "background-color: #7fc8a0" and bad == "background-color: #f4a582"
    assert widgets.diverging_shade(5.0) == good                     # clamped: the scale ends at ±100 %
    half = widgets.diverging_shade(0.5)
    assert half not in (good, "background-color: #ffffff")


def test_small_multiples_share_one_year_axis(snap):
    group = (BORAS, STOCKHOLM, KUMLA)
    fig = jamfor.compare_figure(snap, group, "Klimat", group, "Klimat", "sv")
    ranges = {tuple(ax.range) for name, ax in fig.layout.to_plotly_json().items() if name.startswith("xaxis")
              for ax in [fig.layout[name]]}
    assert len(ranges) == 1
    (low, high), = ranges
    years = snap.current[snap.current["kommunkod"].isin(group)
                         & snap.current["indicator_id"].isin(["GN.1a", "GN.1b"])]["year"]
    assert low <= years.min() - 0.5 and high >= years.max() + 0.5


def test_a_chart_with_only_the_sekom_line_still_has_a_legend(snap):
    fig = trend_chart.kommun_figure(snap, BORAS, "GN.1b", "sv")        # Borås has no GN.1b value
    named = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    assert fig.layout.showlegend is True
    assert len(fig.data) == 1 and named[0].startswith("SEKOM-medel")          # a lone line, named in a legend


def test_the_sparkline_writes_its_first_and_last_value():
    fig = charts.sparkline_figure([2020, 2021, 2022], [2.5, 2.51, 2.53], "x", "sv", decimals=2)
    labels = next(tr for tr in fig.data if tr.mode == "text")
    assert list(labels.text) == ["2,50", "2,53"] and list(labels.x) == [2020, 2022]
    en = charts.sparkline_figure([2020, 2022], [24.0, 43.0], "x", "en", decimals=0, unit="%")
    assert list(next(tr for tr in en.data if tr.mode == "text").text) == ["24%", "43%"]


def test_the_map_is_framed_on_sweden(snap):
    from indicators.views import geo, nyckeltal
    fig = nyckeltal.map_figure(snap, "GN.10", 2023, "sv")
    bounds = geo.sweden_bounds()
    assert fig.layout.geo.fitbounds is False
    assert list(fig.layout.geo.lonaxis.range) == bounds["lon"] and list(fig.layout.geo.lataxis.range) == bounds["lat"]
    assert 10.5 < bounds["lon"][0] < 11.2 and 24 < bounds["lon"][1] < 24.5        # Sweden, small margins
    assert 54.8 < bounds["lat"][0] < 55.4 and 69 < bounds["lat"][1] < 69.6
    notes = [a.text for a in fig.layout.annotations if "Källa" in (a.text or "")]
    assert len(notes) == 1                                                            # the source, once


def test_a_chart_with_only_the_sekom_line_ticks_its_years_as_sparingly_as_the_others(snap):
    lone = trend_chart.kommun_figure(snap, BORAS, "GN.1b", "sv")
    full = trend_chart.kommun_figure(snap, STOCKHOLM, "GN.1b", "sv")
    assert lone.layout.xaxis.dtick == full.layout.xaxis.dtick == 5
