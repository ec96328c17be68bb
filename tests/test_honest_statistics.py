"""Issue 11, honest statistics: a worked example per rule, on small hand-made frames whose
answer can be checked by hand. Preliminary years, ranks with ties and a minimum n, stale
values, weights, targets on the fitted Theil–Sen line, series breaks, words and units.
(Pages, the store, the CLI and the demo database: test_honest_pages.py; properties:
test_honest_properties.py.)"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from indicators.catalog import SeriesBreak, Target, default_catalog, parse_indicator
from indicators.errors import CatalogError
from indicators.stats import network, trends
from indicators.stats import targets as targets_mod
from indicators.text.numbers import format_number, format_percent, is_one, round_half_up
from indicators.text.summaries import ordinal, rank_text, summarise, target_phrase
from indicators.views import charts

CAT = default_catalog()
CODES = [f"{n:04d}" for n in range(101, 121)]           # 20 invented municipality codes, all members


def _members(codes=CODES, start=2000):
    return pd.DataFrame({"kommunkod": codes, "from_year": [start] * len(codes),
                         "to_year": pd.array([None] * len(codes), "Int64")})


def _frame(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "kommunkod", "year", "value"])


def _complete(indicator="GN.10", years=range(2018, 2024), codes=CODES, base=20.0):
    """Every member reports every year: value = base + member number + year offset."""
    return [(indicator, k, y, base + i + (y - years[0])) for i, k in enumerate(codes) for y in years]


def _row(table, kod, indicator="GN.10"):
    return table[(table["kommunkod"] == kod) & (table["indicator"] == indicator)].iloc[0]


# --- preliminary years ---------------------------------------------------------------------------

def test_an_early_report_is_a_preliminary_year_and_never_the_networks_figure():
    current = _frame(_complete() + [("GN.10", "0101", 2024, 99.0)])          # 1 of 20 members reports 2024
    agg = network.network_aggregates(current, _members())
    y24 = agg[agg["year"] == 2024].iloc[0]
    assert (y24["n"], y24["members"], bool(y24["preliminary"])) == (1, 20, True)
    assert not agg[agg["year"] < 2024]["preliminary"].any()
    assert network.network_year(agg) == {"GN.10": 2023}
    table = trends.trend_table(current, CAT, _members())
    early = _row(table, "0101")
    mean_2023 = float(agg[agg["year"] == 2023]["mean"].iloc[0])
    assert (early["latest_year"], early["network_year"], bool(early["network_preliminary"])) == (2024, 2023, True)
    assert early["network_mean"] == pytest.approx(mean_2023) and early["network_n"] == 20
    assert (early["latest_year_n"], early["latest_year_members"]) == (1, 20)
    assert pd.isna(early["rank"]) and early["rank_reason"] == "too_few"      # its own value, not ranked among 1
    other = _row(table, "0102")
    assert (other["network_year"], bool(other["network_preliminary"]), other["rank_n"]) == (2023, False, 20)


def test_the_threshold_is_a_share_of_that_years_members_at_least_half_by_default():
    ten = CODES[:10]
    current = _frame(_complete(codes=ten, years=range(2020, 2023))
                     + [("GN.10", k, 2023, 50.0 + i) for i, k in enumerate(ten[:5])]      # 5 of 10: complete
                     + [("GN.10", k, 2024, 50.0 + i) for i, k in enumerate(ten[:4])])    # 4 of 10: preliminary
    agg = network.network_aggregates(current, _members(ten)).set_index("year")
    assert (bool(agg.loc[2023, "preliminary"]), bool(agg.loc[2024, "preliminary"])) == (False, True)
    strict = network.network_aggregates(current, _members(ten), preliminary_share=0.6).set_index("year")
    assert (bool(strict.loc[2023, "preliminary"]), bool(strict.loc[2022, "preliminary"])) == (True, False)


def test_a_members_early_value_is_ranked_among_the_early_reporters_once_five_have_reported():
    current = _frame(_complete() + [("GN.10", k, 2024, 10.0 * (i + 1)) for i, k in enumerate(CODES[:6])])
    table = trends.trend_table(current, CAT, _members())
    top = _row(table, CODES[5])                                 # 60: the best of the six early reports
    assert bool(top["network_preliminary"]) and top["network_year"] == 2023
    assert (top["rank"], top["rank_n"], top["rank_reason"]) == (1, 6, None)
    assert "preliminärt år: 6 av 20 ekokommuner har rapporterat" in summarise(top.to_dict(), CAT["GN.10"], "sv", "X")


def test_the_network_verdict_uses_complete_years_only():
    current = _frame(_complete())
    before = network.network_verdicts(network.network_aggregates(current, _members()), CAT, ["GN.10"])
    early = _frame(_complete() + [("GN.10", "0101", 2024, 0.0)])       # a collapse reported by one member
    after = network.network_verdicts(network.network_aggregates(early, _members()), CAT, ["GN.10"])
    pd.testing.assert_frame_equal(before, after)
    assert (after["network_year"].iloc[0], after["network_n"].iloc[0], after["network_members"].iloc[0]) == (2023, 20, 20)


def test_share_going_the_right_way_is_counted_as_of_the_network_year():
    current = _frame(_complete())
    agg = network.network_aggregates(current, _members())
    before = network.verdicts_in_network_year(trends.trend_table(current, CAT, _members()), current, CAT, agg,
                                              _members())
    early = _frame(_complete() + [("GN.10", "0101", 2024, 0.0)])
    after = network.verdicts_in_network_year(trends.trend_table(early, CAT, _members()), early, CAT,
                                             network.network_aggregates(early, _members()), _members())
    pd.testing.assert_frame_equal(before, after)
    assert set(after["year"]) == {2023} and (after["verdict"] == "right").all() and len(after) == 20


# --- ranks ---------------------------------------------------------------------------------------

def test_ties_share_the_best_rank_and_say_so_in_both_languages():
    values = [0.0, 0.0, 0.0, 5.0, 7.0]                          # GN.1b: lower is better
    current = _frame([("GN.1b", k, y, v) for k, v in zip(CODES, values) for y in (2022, 2023, 2024)])
    table = trends.trend_table(current, CAT, _members(CODES[:5]))
    got = {k: (r.rank, r.rank_shared, bool(r.rank_tied)) for k, r in zip(table["kommunkod"], table.itertuples())}
    assert [got[k] for k in CODES[:5]] == [(1, 3, True)] * 3 + [(4, 1, False), (5, 1, False)]
    zero = _row(table, CODES[0], "GN.1b").to_dict()
    assert rank_text(zero, "sv") == "Delad plats 1 av 5 (3 kommuner)"
    assert rank_text(zero, "en") == "Joint 1st of 5 (3 municipalities)"
    assert "Delad plats 1 av 5 (3 kommuner)." in summarise(zero, CAT["GN.1b"], "sv", "X")
    assert rank_text(_row(table, CODES[3], "GN.1b").to_dict(), "sv") == "Plats 4 av 5 ekokommuner"


def test_english_ordinals():
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]
    assert ordinal(1, "sv") == "1"


def test_no_rank_below_five_reporters_and_the_sentence_says_why():
    current = _frame([("GN.10", k, y, 10.0 + i) for i, k in enumerate(CODES[:4]) for y in (2022, 2023, 2024)])
    table = trends.trend_table(current, CAT, _members(CODES[:4]))
    row = _row(table, CODES[0]).to_dict()
    assert pd.isna(row["rank"]) and row["rank_reason"] == "too_few" and row["latest_year_n"] == 4
    assert rank_text(row, "sv") == "Ingen placering: bara 4 av 4 ekokommuner har rapporterat 2024"
    assert rank_text(row, "en") == "No rank: only 4 of 4 eco-municipalities have reported for 2024"


def test_ranks_compare_a_municipality_only_with_members_reporting_the_same_year():
    rows = _complete(years=range(2018, 2023))                             # all 20 up to 2022
    rows += [("GN.10", k, 2023, 30.0 + i) for i, k in enumerate(CODES[:15])]   # 15 report 2023
    table = trends.trend_table(_frame(rows), CAT, _members())
    late = _row(table, CODES[19])                                          # its latest year is 2022
    assert (late["latest_year"], late["rank_n"], bool(late["stale"])) == (2022, 20, False)
    assert late["rank"] == 1                                               # the best value of 2022
    assert _row(table, CODES[0])["rank_n"] == 15


def test_a_non_member_is_not_ranked_and_gets_no_rank_sentence():
    rows = _complete(codes=CODES[:6])
    table = trends.trend_table(_frame(rows), CAT, _members(CODES[:5]))
    outsider = _row(table, CODES[5]).to_dict()
    assert outsider["rank_reason"] == "not_member" and rank_text(outsider, "sv") == ""


# --- stale values --------------------------------------------------------------------------------

def test_a_series_three_years_behind_the_network_is_stale_not_ranked_and_said_so():
    rows = _complete(years=range(2008, 2025), codes=CODES[:10])
    rows = [r for r in rows if not (r[1] == CODES[0] and r[2] > 2012)]     # like Sundsvall: ends in 2012
    rows = [r for r in rows if not (r[1] == CODES[1] and r[2] > 2021)]     # ends 2021: exactly 3 years behind
    rows = [r for r in rows if not (r[1] == CODES[2] and r[2] > 2022)]     # ends 2022: 2 years behind
    table = trends.trend_table(_frame(rows), CAT, _members(CODES[:10]))
    old = _row(table, CODES[0]).to_dict()
    assert (old["latest_year"], old["stale"], old["rank_reason"]) == (2012, True, "stale") and pd.isna(old["rank"])
    assert old["network_year"] == 2012                      # its comparable network figure is that year's
    assert "Senaste värdet är från 2012, så det jämförs inte med de andra ekokommunerna." in \
        summarise(old, CAT["GN.10"], "sv", "Sundsvall")
    assert rank_text(old, "en") == "No rank: the latest value is from 2012"
    assert bool(_row(table, CODES[1])["stale"]) and not bool(_row(table, CODES[2])["stale"])
    near = _row(table, CODES[2])                            # ranked among the eight that reported 2022
    assert (near["rank"], near["rank_n"]) == (8, 8)


# --- rounding half up ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, decimals, sv, en", [
    (112.5, 0, "113", "113"), (3.15, 1, "3,2", "3.2"), (4.25, 1, "4,3", "4.3"),
    (2.5, 0, "3", "3"), (-2.5, 0, "-3", "-3"), (0.125, 2, "0,13", "0.13"), (1.005, 2, "1,01", "1.01"),
    (-0.4, 0, "0", "0"), (1234.5, 0, "1 235", "1,235"), (6.3 / 2 - 1e-15, 1, "3,2", "3.2"),
    (40 - 33.7, 1, "6,3", "6.3"), ((40 - 33.7) / 2, 1, "3,2", "3.2")])
def test_numbers_round_half_up_in_both_languages(value, decimals, sv, en):
    assert format_number(value, "sv", decimals) == sv and format_number(value, "en", decimals) == en


def test_huge_and_tiny_finite_values_are_formatted_and_missing_ones_are_a_dash():
    assert format_number(1e27, "sv", 2) == "1 000 000 000 000 000 000 000 000 000,00"
    assert format_number(1e308, "en").startswith("100,000,000") and format_number(5e-324, "sv", 6) == "0,000000"
    assert format_number(None) == format_number(math.nan) == "–" and format_number(math.inf) == "∞"
    assert round_half_up(2.5) == 3.0 and math.isnan(round_half_up(None))


def test_a_required_pace_of_3_15_and_4_25_reads_3_2_and_4_3():
    gn10 = CAT["GN.10"]
    own = {"kind": "absolute", "value": 40.0, "year": 2024, "kommunkod": "1490", "label": "eget"}
    [t] = targets_mod.evaluate_targets([own], [2020, 2021, 2022], [32.7, 33.2, 33.7], "higher", 0.5)
    assert t["required_pace_per_year"] == pytest.approx(3.15)
    assert target_phrase(t, gn10, "sv").endswith("det kräver en ökning med 3,2 procentenheter per år.")
    [t] = targets_mod.evaluate_targets([gn10.national_target], [2020, 2021, 2022], [25, 25.5, 26], "higher", 0.5)
    assert t["required_pace_per_year"] == 4.25
    assert target_phrase(t, gn10, "en").endswith("it needs an increase of 4.3 percentage points a year.")


def test_chart_hover_uses_the_shared_formatter_not_plotlys_rounding():
    series = pd.DataFrame({"kommunkod": "1490", "name": "Borås", "year": [2022, 2023], "value": [112.5, 3.15],
                           "source_kind": "reported"})
    fig = charts.trend_figure(series, title="T", unit="kg/person", decimals=0, better="lower", lang="sv")
    marker = next(tr for tr in fig.data if tr.mode == "markers")
    assert list(marker.text) == ["113 kg/person", "3 kg/person"] and "%{text}" in marker.hovertemplate
    assert ":.0f" not in marker.hovertemplate and ",.0f" not in marker.hovertemplate


# --- weights -------------------------------------------------------------------------------------

def test_the_catalogue_gives_a_weight_per_indicator_and_refuses_a_weighted_share():
    assert {i.id for i in CAT if i.weight == "population"} == {"GN.1a", "GN.1b", "GN.2a", "GN.6a", "GN.8a", "GN.8b"}
    assert all(i.weight == "none" for i in CAT if i.is_share)
    raw = {"id": "X.1", "name_sv": "X", "name_en": "X", "unit": "%", "unit_en": "%", "better": "higher",
           "theme": "Klimat", "start_year": 2010, "decimals": 0, "source": "s", "reported_by": "member",
           "weight": "population"}
    with pytest.raises(CatalogError, match="weight"):
        parse_indicator(raw, 1)
    with pytest.raises(CatalogError, match="weight"):
        parse_indicator({**raw, "weight": "area"}, 1)
    with pytest.raises(CatalogError, match="unit_en"):
        parse_indicator({**raw, "weight": "none", "unit_en": " "}, 1)
    with pytest.raises(CatalogError, match="unit_en"):
        parse_indicator({k: v for k, v in raw.items() if k != "unit_en"} | {"weight": "none"}, 1)


def test_a_share_has_no_weighted_mean_and_a_per_inhabitant_figure_has_one():
    pop = pd.DataFrame({"kommunkod": CODES[:2] * 2, "year": [2023, 2023, 2024, 2024], "population": [100, 300] * 2})
    rows = [(i, k, y, v) for i in ("GN.3", "GN.6a") for k, v in zip(CODES[:2], (20.0, 40.0)) for y in (2023, 2024)]
    agg = network.network_aggregates(_frame(rows), _members(CODES[:2]), pop).set_index(["indicator_id", "year"])
    share, waste = agg.loc[("GN.3", 2024)], agg.loc[("GN.6a", 2024)]
    assert math.isnan(share["weighted_mean"]) and share["headline"] == 30.0 and not share["headline_weighted"]
    assert waste["weighted_mean"] == 35.0 and waste["headline"] == 35.0 and waste["headline_weighted"]
    table = trends.trend_table(_frame(rows), CAT, _members(CODES[:2]), pop)
    assert pd.isna(_row(table, CODES[0], "GN.3")["network_weighted_mean"])
    assert _row(table, CODES[0], "GN.6a")["network_weighted_mean"] == 35.0


def test_the_headline_falls_back_to_the_plain_mean_when_a_population_is_missing():
    pop = pd.DataFrame({"kommunkod": [CODES[0]], "year": [2024], "population": [100]})
    rows = [("GN.6a", k, 2024, v) for k, v in zip(CODES[:2], (20.0, 40.0))]
    y = network.network_aggregates(_frame(rows), _members(CODES[:2]), pop).iloc[0]
    assert (y["weighted_mean"], y["weighted_n"], y["headline"], bool(y["headline_weighted"])) == (20.0, 1, 30.0, False)


# --- targets -------------------------------------------------------------------------------------

def test_a_relative_target_on_a_zero_base_is_not_applicable_never_met():
    gn1b = CAT["GN.1b"]                                     # −62 % versus 2005
    [t] = targets_mod.evaluate_targets([gn1b.national_target], [2005, 2010, 2024], [0.0, 0.0, 0.0], "lower", 0.0)
    assert (t["on_track"], t["reason"], t["target_value"]) == ("not_applicable", "zero_base", None)
    assert target_phrase(t, gn1b, "sv") == "Målet −62 % jämfört med 2005 till 2030 går inte att följa upp: värdet 2005 är 0."
    assert target_phrase(t, gn1b, "en") == \
        "The target of −62% versus 2005 by 2030 cannot be followed up: the 2005 value is 0."
    [m] = targets_mod.evaluate_targets([gn1b.national_target], [2010, 2024], [1.0, 0.5], "lower")
    assert (m["on_track"], m["reason"]) == ("not_applicable", "no_base_value")
    assert target_phrase(m, gn1b, "sv").endswith("det finns inget värde för 2005.")


def test_the_table_marks_zero_base_targets_not_applicable():
    rows = [("GN.1b", k, y, 0.0 if k == CODES[0] else 2.0 - (y - 2005) * 0.05) for k in CODES[:5]
            for y in range(2005, 2025)]
    table = trends.trend_table(_frame(rows), CAT, _members(CODES[:5]))
    zero, other = _row(table, CODES[0], "GN.1b"), _row(table, CODES[1], "GN.1b")
    assert zero["target_status"] == "not_applicable" and zero["targets"][0]["reason"] == "zero_base"
    assert other["target_status"] in ("on_track", "off_track") and other["targets"][0]["reason"] is None


def test_the_projection_follows_the_fitted_theil_sen_line_as_scipy_fits_it():
    years = list(range(2013, 2023))
    values = [20, 22, 23, 26, 27, 30, 31, 33, 36, 24.0]       # one noisy last year
    d = trends.compute_direction(years, values, "higher")
    fit = sps.theilslopes(values, years, method="joint")
    assert d["slope_per_year"] == pytest.approx(fit.slope, rel=1e-12)
    assert d["intercept"] == pytest.approx(fit.intercept, rel=1e-12)
    [t] = targets_mod.evaluate_targets([Target(50, 2030, "")], years, values, "higher", d["slope_per_year"],
                                       d["intercept"], d["significant"])
    assert t["projected_value"] == pytest.approx(fit.intercept + fit.slope * 2030, rel=1e-12) == 53.5
    assert t["on_track"] == "on_track"          # the fitted line reaches 50; the noisy 24 + 2 · 8 = 40 would not
    assert 24 + d["slope_per_year"] * 8 == 40


def test_the_table_projection_agrees_with_scipy_on_every_series():
    rng = np.random.default_rng(11)
    rows = [("GN.10", k, y, float(round(30 + 1.5 * (y - 2010) + rng.normal(0, 3), 1))) for k in CODES[:8]
            for y in range(2008, 2024)]
    table = trends.trend_table(_frame(rows), CAT, _members(CODES[:8]))
    for row in table.itertuples():
        part = [r for r in rows if r[1] == row.kommunkod][-trends.WINDOW_YEARS:]
        fit = sps.theilslopes([r[3] for r in part], [r[2] for r in part], method="joint")
        assert row.slope_per_year == pytest.approx(fit.slope, rel=1e-12)
        assert row.intercept == pytest.approx(fit.intercept, rel=1e-12)
        projected = row.targets[0]["projected_value"]
        assert projected == pytest.approx(fit.intercept + fit.slope * 2030, rel=1e-9)


def test_without_a_clear_direction_the_status_is_uncertain_and_still_gives_the_pace():
    years = list(range(2013, 2023))
    values = [30, 33, 29, 32, 30, 34, 29, 31, 33, 30.0]       # noise: Mann–Kendall is far from significant
    d = trends.compute_direction(years, values, "higher")
    assert d["direction"] == "no_clear_change" and not d["significant"]
    [t] = targets_mod.evaluate_targets([CAT["GN.10"].national_target], years, values, "higher",
                                       d["slope_per_year"], d["intercept"], d["significant"])
    assert t["on_track"] == "uncertain"
    assert target_phrase(t, CAT["GN.10"], "sv") == (
        "Det är osäkert om målet 60 % till 2030 nås i nuvarande takt, eftersom utvecklingen saknar tydlig riktning; "
        "det kräver en ökning med 3,8 procentenheter per år.")
    assert set(targets_mod.TARGET_STATUSES) >= {"uncertain", "not_applicable"}


# --- breaks --------------------------------------------------------------------------------------

def test_lines_break_at_a_series_break_and_the_mark_sits_above_the_plot():
    series = pd.DataFrame({"kommunkod": "1490", "name": "Borås", "year": [2022, 2023, 2024], "value": [500, 480, 300],
                           "source_kind": "reported"})
    net = pd.DataFrame({"year": [2022, 2023, 2024], "mean": [490.0, 470.0, 310.0], "n": [90, 90, 90]})
    fig = charts.trend_figure(series, title="T", unit="kg/person", decimals=0, better="lower", lang="sv", network=net,
                              breaks=[{"year": 2024, "note": "ny definition"}])
    lines = [tr for tr in fig.data if tr.mode in ("lines", "lines+markers")]
    assert len(lines) == 2 and all(list(tr.x) == [2022, 2023, None, 2024] for tr in lines)
    assert all(tr.connectgaps is False for tr in lines)
    mark = next(a for a in fig.layout.annotations if a.text == "Ny definition från 2024")
    assert (mark.x, mark.yref, mark.y, mark.yanchor) == (2023.5, "paper", 1, "bottom")   # above the data, between years
    assert [s.x0 for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dot"] == [2023.5]


def test_the_sparkline_breaks_too_and_marks_preliminary_years_apart():
    fig = charts.sparkline_figure([2022, 2023, 2024], [500.0, 480.0, 300.0], "x", "sv", breaks=[2024],
                                  preliminary=[(2025, 290.0)])
    assert list(fig.data[0].x) == [2022, 2023, None, 2024]
    early = fig.data[-1]
    assert list(early.x) == [2025] and early.marker.symbol == "circle-open" and early.mode == "markers"


def test_too_few_years_after_a_break_is_said_as_such_in_the_summary():
    rows = [("GN.6a", k, y, 400.0 + i) for i, k in enumerate(CODES[:6]) for y in range(2015, 2026)]
    table = trends.trend_table(_frame(rows), CAT, _members(CODES[:6]))
    row = _row(table, CODES[0], "GN.6a").to_dict()
    assert row["verdict"] == "insufficient" and row["series_start"] == 2024
    assert "För få år med data för att bedöma utvecklingen (ny serie från 2024)." in \
        summarise(row, CAT["GN.6a"], "sv", "X")


# --- words ---------------------------------------------------------------------------------------

def _summary_row(**kw):
    row = {"kommunkod": "1490", "base_year": 2014, "base_value": 20.0, "latest_year": 2023, "latest_value": 21.0,
           "verdict": "right", "series_start": None, "rank": None, "rank_n": None, "targets": []}
    row.update(kw)
    return row


def test_one_percentage_point_is_singular_in_both_languages():
    gn10 = CAT["GN.10"]
    assert "1 procentenhet högre än 2014" in summarise(_summary_row(), gn10, "sv", "B")
    assert "1 percentage point higher than in 2014" in summarise(_summary_row(), gn10, "en", "B")
    assert "2 procentenheter högre" in summarise(_summary_row(latest_value=22.0), gn10, "sv", "B")
    gn3 = dataclasses.replace(CAT["GN.3"], decimals=1)
    assert "1,0 procentenheter högre" in summarise(_summary_row(), gn3, "sv", "B")     # '1,0' takes the plural
    assert is_one(1.4) and is_one(0.5) and not is_one(1.5) and not is_one(1.0, 1)


def test_english_has_english_units_and_one_percent_style_like_the_charts():
    gn2a, gn9a = CAT["GN.2a"], CAT["GN.9a"]
    en = summarise(_summary_row(base_value=100.0, latest_value=149.0), gn2a, "en", "B")
    assert en.startswith("B: 149 trips/inhabitant 2023, 49% higher than in 2014")
    assert "resor/inv" not in en and summarise(_summary_row(base_value=100.0, latest_value=149.0), gn2a, "sv",
                                                   "B").startswith("B: 149 resor/inv 2023, 49 % högre än 2014")
    assert gn9a.unit_for("en") == "kWh/full-time employee" and gn9a.unit_for("sv") == "kWh/årsarbetare"
    assert all(i.unit_en and "inv" not in i.unit_en and "årsarbetare" not in i.unit_en for i in CAT)
    assert format_percent(49, "en") == "49%" and format_percent(49, "sv") == "49 %"
    fig = charts.verdict_bars(pd.DataFrame({"label": ["A"], "verdict": ["right"], "count": [3]}), title="x", lang="en")
    assert fig.data[0].text[0] == "100%" and fig.layout.xaxis.ticksuffix == "%"


def test_relative_targets_and_percent_changes_use_the_languages_percent_style():
    gn1b = CAT["GN.1b"]
    [t] = targets_mod.evaluate_targets([gn1b.national_target], [2005, 2010, 2022], [10.0, 8.0, 7.0], "lower", -0.1)
    assert target_phrase(t, gn1b, "en").startswith("At the current pace the target of −62% versus 2005 by 2030")
    assert target_phrase(t, gn1b, "sv").startswith("Målet −62 % jämfört med 2005 till 2030")
    assert "0.40 tonnes CO2e/inhabitant a year" in target_phrase(t, gn1b, "en")


def test_a_catalogue_break_in_a_series_break_list_is_honoured_by_the_per_series_direction():
    d = trends.compute_direction(list(range(2015, 2026)), [400.0] * 9 + [300.0, 290.0], "lower", 2007,
                                 [SeriesBreak(2024)])
    assert d["direction_n"] == 2 and d["direction"] == "insufficient"
