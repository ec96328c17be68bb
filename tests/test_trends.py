"""Worked examples for every rule of the trend engine, and the table against the per-series path."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from indicators.stats import network
from indicators.stats import targets as targets_mod
from indicators.stats import trendmath
from indicators.stats import trends
from indicators.store import admin_edits
from indicators.store import observations
from indicators.store import reference
from indicators.catalog import Indicator, SeriesBreak, Target, default_catalog
from indicators.text.summaries import add_summaries, verdict_sentence

CAT = default_catalog()


def ind(better="higher", start_year=2010, **kw) -> Indicator:
    base = dict(id="X.1", name_sv="X", name_en="X", unit="kg/person", better=better, theme="Klimat",
                start_year=start_year, decimals=0, source="test", reported_by="member")
    base.update(kw)
    return Indicator(**base)


# --- verdict: the network's rule ---------------------------------------------------------------

def test_verdict_has_no_tolerance_a_small_fall_is_the_wrong_way():
    v = trends.compute_verdict([2014, 2015, 2016], [36, 36.5, 35], "higher", 2014)
    assert v["verdict"] == "wrong"
    assert (v["base_year"], v["base_value"], v["latest_year"], v["latest_value"]) == (2014, 36.0, 2016, 35.0)


def test_verdict_has_no_tolerance_a_small_rise_is_the_right_way():
    assert trends.compute_verdict([2014, 2015, 2016], [32.0, 31.0, 32.3], "higher", 2014)["verdict"] == "right"


def test_verdict_lower_is_better_turns_a_fall_into_the_right_way():
    assert trends.compute_verdict([2014, 2015, 2016], [447.8, 430, 412], "lower", 2014)["verdict"] == "right"
    assert trends.compute_verdict([2014, 2015, 2016], [412, 430, 447.8], "lower", 2014)["verdict"] == "wrong"


def test_equal_base_and_latest_is_unchanged_whatever_happened_between():
    v = trends.compute_verdict([2014, 2015, 2016, 2017], [10, 40, 2, 10], "higher", 2014)
    assert v["verdict"] == "unchanged"
    assert v["n_points"] == 4


def test_late_starting_municipality_uses_its_first_year_as_base():
    v = trends.compute_verdict([2016, 2018, 2019, 2020], [5, 6, 7, 4], "higher", 2010)
    assert (v["base_year"], v["base_value"]) == (2016, 5.0)
    assert v["verdict"] == "wrong"


def test_data_before_the_start_year_is_ignored_for_the_base():
    v = trends.compute_verdict([2005, 2008, 2010, 2011, 2012], [100, 1, 50, 60, 70], "higher", 2010)
    assert (v["base_year"], v["base_value"], v["n_points"]) == (2010, 50.0, 3)
    assert v["verdict"] == "right"                 # 100 -> 70 would have been wrong


def test_the_start_year_without_data_moves_the_base_to_the_next_year_with_data():
    v = trends.compute_verdict([2008, 2009, 2011, 2012, 2013], [1, 2, 30, 20, 10], "higher", 2010)
    assert (v["base_year"], v["base_value"], v["n_points"], v["verdict"]) == (2011, 30.0, 3, "wrong")


def test_gaps_are_years_without_data_and_three_scattered_points_give_a_verdict():
    v = trends.compute_verdict([2010, 2011, 2013, 2016, 2019], [10, None, 12, float("nan"), 11], "higher", 2010)
    assert (v["n_points"], v["latest_year"], v["latest_value"], v["verdict"]) == (3, 2019, 11.0, "right")


def test_two_points_are_insufficient_but_base_and_latest_are_still_reported():
    v = trends.compute_verdict([2015, 2020], [10, 20], "higher", 2010)
    assert v["verdict"] == "insufficient"
    assert (v["base_year"], v["latest_year"], v["n_points"]) == (2015, 2020, 2)


def test_two_points_after_the_start_year_are_insufficient_even_with_older_data():
    v = trends.compute_verdict([2001, 2002, 2003, 2011, 2012], [1, 2, 3, 4, 5], "higher", 2010)
    assert (v["n_points"], v["verdict"]) == (2, "insufficient")


def test_no_data_at_all_gives_insufficient_and_no_years():
    v = trends.compute_verdict([], [], "higher", 2010)
    assert v["verdict"] == "insufficient" and v["base_year"] is None and v["latest_year"] is None


def test_input_order_does_not_matter_and_a_repeated_year_is_refused():
    a = trends.compute_verdict([2012, 2010, 2011], [3, 1, 2], "higher", 2010)
    assert (a["base_year"], a["latest_year"], a["verdict"]) == (2010, 2012, "right")
    with pytest.raises(ValueError, match="2011"):
        trends.compute_verdict([2010, 2011, 2011], [1, 2, 3], "higher", 2010)


def test_series_break_gn6a_2024_starts_a_new_series_and_says_so():
    gn6a = CAT["GN.6a"]
    years = list(range(2007, 2025))
    values = [600 - 5 * i for i in range(len(years) - 1)] + [400]
    v = trends.compute_verdict(years, values, gn6a.better, gn6a.start_year, gn6a.series_breaks)
    assert (v["series_start"], v["used_break"], v["n_points"], v["verdict"]) == (2024, True, 1, "insufficient")
    assert (v["base_year"], v["latest_year"]) == (2024, 2024)
    assert "2024" in v["break_note"]


def test_series_break_verdict_uses_only_the_years_after_the_break():
    years = [2020, 2021, 2022, 2023, 2024, 2025, 2026]
    values = [500, 490, 480, 470, 380, 385, 390]        # across the break it looks "right"
    v = trends.compute_verdict(years, values, "lower", 2007, [SeriesBreak(2024, "ny definition")])
    assert (v["base_year"], v["base_value"], v["n_points"], v["verdict"]) == (2024, 380.0, 3, "wrong")
    assert v["break_note"] == "ny definition"


def test_a_break_after_the_last_year_or_before_the_start_year_changes_nothing():
    v = trends.compute_verdict([2010, 2011, 2012], [1, 2, 3], "higher", 2010, [2030, 2005])
    assert (v["series_start"], v["used_break"], v["base_year"], v["verdict"]) == (None, False, 2010, "right")


# --- direction ---------------------------------------------------------------------------------

def test_theil_sen_ignores_an_outlier_hand_computed():
    # slopes: 1, 4.5, 1, 1, 8, 1, 1, -6, -2.5, 1 -> sorted middle pair (1, 1) -> 1.0
    d = trends.compute_direction([1, 2, 3, 4, 5], [1, 2, 10, 4, 5], "higher")
    assert d["slope_per_year"] == 1.0
    assert d["mk_s"] == 6.0
    assert d["median_level"] == 4.0
    assert d["pct_change_per_year"] == pytest.approx(25.0)


def test_a_steady_rise_is_improving_with_the_mann_kendall_p_by_hand():
    d = trends.compute_direction(range(2015, 2025), [10 + 2 * i for i in range(10)], "higher")
    assert d["direction"] == "improving"
    assert d["slope_per_year"] == 2.0
    assert d["mk_s"] == 45 and d["mk_tau"] == 1.0
    z = (45 - 1) / math.sqrt(10 * 9 * 25 / 18)
    assert d["mk_p"] == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert d["agreeing_share"] == 1.0


def test_a_fall_is_improving_when_lower_is_better_and_worsening_when_higher_is():
    ys, vs = range(2015, 2025), [100 - 3 * i for i in range(10)]
    assert trends.compute_direction(ys, vs, "lower")["direction"] == "improving"
    assert trends.compute_direction(ys, vs, "higher")["direction"] == "worsening"


def test_direction_uses_only_the_last_ten_years_with_data():
    years = list(range(2000, 2015))
    values = [0, 0, 0, 0, 0] + [float(i) for i in range(10, 0, -1)]
    d = trends.compute_direction(years, values, "higher")
    assert (d["window_start"], d["window_end"], d["direction_n"]) == (2005, 2014, 10)
    assert d["slope_per_year"] == -1.0 and d["direction"] == "worsening"


def test_a_tiny_steady_change_below_the_threshold_is_no_clear_change():
    d = trends.compute_direction(range(2015, 2025), [1000 + i for i in range(10)], "higher")
    assert d["mk_p"] < 0.01 and d["pct_change_per_year"] == pytest.approx(0.1, rel=0.01)
    assert d["direction"] == "no_clear_change"


def test_noise_without_a_trend_is_no_clear_change():
    d = trends.compute_direction(range(2015, 2025), [10, 14, 9, 13, 10, 14, 9, 13, 10, 12], "higher")
    assert d["direction"] == "no_clear_change"


def test_fewer_than_five_points_give_no_direction_but_a_slope():
    d = trends.compute_direction([2020, 2021, 2022, 2023], [1, 2, 3, 4], "higher")
    assert d["direction"] == "insufficient" and d["slope_per_year"] == 1.0


def test_mann_kendall_variance_is_corrected_for_ties():
    from indicators.stats.trendmath import window_stats
    w = window_stats(np.array([[1.0, 2, 3, 4, 5]]), np.array([[1.0, 1, 2, 3, 4]]))
    assert w["mk_var"][0] == pytest.approx((5 * 4 * 15 - 2 * 1 * 9) / 18)
    assert w["mk_s"][0] == 9


def test_a_constant_series_is_unchanged_and_has_no_clear_direction():
    v = trends.compute_verdict(range(2010, 2020), [0.0] * 10, "lower", 2010)
    d = trends.compute_direction(range(2010, 2020), [0.0] * 10, "lower")
    assert v["verdict"] == "unchanged"
    assert (d["direction"], d["slope_per_year"], d["pct_change_per_year"], d["mk_p"]) == ("no_clear_change", 0.0, 0.0, 1.0)
    assert d["agreeing_share"] is None


# --- bands -------------------------------------------------------------------------------------

def test_band_rank_follows_the_better_direction_and_an_edge_value_belongs_to_the_band_above():
    gn6a = CAT["GN.6a"]                  # lower is better; edges 370, 450, 560
    assert trends.compute_band(412, gn6a) == {"band": "God", "band_rank": 2, "n_bands": 4}
    assert trends.compute_band(369.9, gn6a)["band"] == "Mycket god"
    assert trends.compute_band(370, gn6a)["band"] == "God"
    assert trends.compute_band(600, gn6a)["band_rank"] == 4
    gn7 = CAT["GN.7"]                    # higher is better; 100 % is "Full"
    assert trends.compute_band(100, gn7) == {"band": "Full", "band_rank": 1, "n_bands": 5}
    assert trends.compute_band(59, gn7) == {"band": "Mycket låg", "band_rank": 5, "n_bands": 5}


def test_no_band_without_catalogue_bands_or_without_a_value():
    assert trends.compute_band(2.0, CAT["GN.1a"]) is None
    assert trends.compute_band(None, CAT["GN.7"]) is None
    assert trends.compute_band(float("nan"), CAT["GN.7"]) is None


# --- targets -----------------------------------------------------------------------------------

def test_required_pace_worked_example_organic_food():
    gn10 = CAT["GN.10"]
    t = targets_mod.evaluate_targets([gn10.national_target], [2020, 2021, 2022], [25, 27, 29], "higher", 2.0)[0]
    assert t["gap"] == 31.0
    assert t["required_pace_per_year"] == 3.875
    assert t["projected_value"] == 45.0               # 29 + 2 x 8
    assert t["on_track"] == "off_track" and t["target_passed"] is False
    assert (t["target_value"], t["target_year"], t["scope"]) == (60.0, 2030, "national")


def test_a_target_reached_early_is_achieved_even_without_a_slope():
    t = targets_mod.evaluate_targets([Target(60, 2030, "mål")], [2020, 2021, 2022], [50, 58, 61], "higher")[0]
    assert t["on_track"] == "achieved" and t["gap"] == -1.0


def test_a_target_year_in_the_past_is_missed_or_achieved_never_projected():
    missed = targets_mod.evaluate_targets([Target(60, 2020, "")], [2020, 2021, 2022], [25, 27, 29], "higher", 2.0)[0]
    assert (missed["on_track"], missed["target_passed"]) == ("off_track", True)
    assert missed["required_pace_per_year"] is None and missed["projected_value"] is None
    met = targets_mod.evaluate_targets([Target(20, 2020, "")], [2020, 2021, 2022], [25, 27, 29], "higher", 2.0)[0]
    assert met["on_track"] == "achieved"


def test_on_track_when_the_recent_slope_reaches_the_target_in_time():
    # the projection follows the fitted line: intercept median(y − 4x) = 27 − 4·2021, so 27 + 4·9 = 63 in 2030
    t = targets_mod.evaluate_targets([Target(60, 2030, "")], [2020, 2021, 2022], [25, 27, 29], "higher", 4.0)[0]
    assert (t["projected_value"], t["on_track"]) == (63.0, "on_track")


def test_without_a_slope_a_future_target_is_insufficient():
    t = targets_mod.evaluate_targets([Target(60, 2030, "")], [2022], [29], "higher", None)[0]
    assert t["on_track"] == "insufficient"


def test_relative_target_resolves_against_the_municipalitys_own_base_year_value():
    gn1b = CAT["GN.1b"]                     # -62 % versus 2005, by 2030, lower is better
    t = targets_mod.evaluate_targets([gn1b.national_target], [2005, 2010, 2022], [10.0, 8.0, 5.0], "lower", -0.5)[0]
    assert t["target_value"] == pytest.approx(3.8)
    assert t["gap"] == pytest.approx(-1.2)
    assert t["required_pace_per_year"] == pytest.approx(-0.15)
    # fitted line: intercept median(10 + 0.5·2005, 8 + 0.5·2010, 5 + 0.5·2022) = 1013, so 1013 − 0.5·2030 = −2
    assert t["projected_value"] == pytest.approx(-2.0) and t["on_track"] == "on_track"
    none = targets_mod.evaluate_targets([gn1b.national_target], [2006, 2010, 2022], [10.0, 8.0, 5.0], "lower", -0.5)[0]
    assert (none["target_value"], none["on_track"], none["reason"]) == (None, "not_applicable", "no_base_value")


def test_municipal_target_rows_from_the_store_are_read_as_dicts():
    row = {"indicator_id": "GN.10", "kommunkod": "1490", "kind": "absolute", "value": 50.0, "year": 2026,
           "base_year": None, "label": "Borås mål"}
    t = targets_mod.evaluate_targets([row], [2020, 2021, 2022], [25, 27, 29], "higher", 2.0)[0]
    assert (t["scope"], t["kommunkod"], t["required_pace_per_year"], t["on_track"]) == ("municipal", "1490", 5.25, "off_track")
    missing = targets_mod.evaluate_targets([dict(row, value=None)], [2020, 2021, 2022], [25, 27, 29], "higher", 2.0)[0]
    assert missing["on_track"] == "no_target"


# --- network aggregates and ranks ----------------------------------------------------------------

def _network_case():
    current = pd.DataFrame({
        "indicator_id": ["GN.10"] * 7,
        "kommunkod": ["A", "B", "C", "A", "B", "C", "D"],
        "year": [2020, 2020, 2020, 2021, 2021, 2021, 2021],
        "value": [10.0, 30.0, 99.0, 20.0, 40.0, 99.0, 60.0]})
    membership = pd.DataFrame({"kommunkod": ["A", "B", "D"], "from_year": [2000, 2021, 2000],
                               "to_year": pd.array([None, None, 2020], "Int64")})   # D left after 2020
    population = pd.DataFrame({"kommunkod": ["A", "B", "A"], "year": [2020, 2021, 2021], "population": [100, 300, 100]})
    return current, membership, population


def test_network_average_counts_the_members_of_each_year():
    current, membership, population = _network_case()
    current = current.assign(indicator_id="GN.6a")          # kg/person: the catalogue allows a population weight
    agg = network.network_aggregates(current, membership, population)
    y20 = agg[agg["year"] == 2020].iloc[0]
    y21 = agg[agg["year"] == 2021].iloc[0]
    assert (y20["n"], y20["mean"], y20["median"], y20["min"], y20["max"]) == (1, 10.0, 10.0, 10.0, 10.0)
    assert (y21["n"], y21["mean"], y21["median"], y21["min"], y21["max"]) == (2, 30.0, 30.0, 20.0, 40.0)
    assert y21["weighted_mean"] == pytest.approx((20 * 100 + 40 * 300) / 400)
    assert y20["weighted_mean"] == 10.0 and y20["weighted_n"] == 1
    assert (y20["members"], y21["members"]) == (2, 2)           # A and D in 2020; A and B in 2021
    assert not agg["preliminary"].any()                          # 1 of 2 and 2 of 2: at least half


def test_a_share_gets_no_weighted_mean_and_its_headline_is_the_plain_mean():
    current, membership, population = _network_case()          # GN.10: a share, weight "none"
    agg = network.network_aggregates(current, membership, population)
    assert agg["weighted_mean"].isna().all() and not agg["headline_weighted"].any()
    assert list(agg["headline"]) == list(agg["mean"])


def test_network_weighted_mean_is_nan_without_population():
    current, membership, _ = _network_case()
    agg = network.network_aggregates(current, membership)
    assert agg["weighted_mean"].isna().all() and (agg["weighted_n"] == 0).all()


def test_rank_one_is_best_ties_share_the_best_rank_and_non_members_get_none():
    current = pd.DataFrame({"indicator_id": ["GN.6a"] * 4 + ["GN.10"] * 4, "kommunkod": list("ABCD") * 2,
                            "year": [2023] * 8, "value": [400, 380, 380, 500, 10, 30, 30, 80]})
    membership = pd.DataFrame({"kommunkod": list("ABC"), "from_year": [2000] * 3, "to_year": pd.array([None] * 3, "Int64")})
    r = network.rank_members(current, CAT, membership, year=2023)
    waste = dict(zip(r[r["indicator_id"] == "GN.6a"]["kommunkod"], r[r["indicator_id"] == "GN.6a"]["rank"]))
    food = dict(zip(r[r["indicator_id"] == "GN.10"]["kommunkod"], r[r["indicator_id"] == "GN.10"]["rank"]))
    assert waste == {"B": 1, "C": 1, "A": 3}                     # lower is better
    assert food == {"B": 1, "C": 1, "A": 3}                      # higher is better
    assert set(r["rank_n"]) == {3} and "D" not in set(r["kommunkod"])


def test_scorecard_rank_uses_each_members_latest_year():
    current = pd.DataFrame({"indicator_id": ["GN.10"] * 5, "kommunkod": ["A", "B", "A", "B", "C"],
                            "year": [2022, 2022, 2023, 2023, 2022], "value": [50, 40, 10, 60, 45]})
    membership = pd.DataFrame({"kommunkod": list("ABC"), "from_year": [2000] * 3, "to_year": pd.array([None] * 3, "Int64")})
    r = network.rank_members(current, CAT, membership).set_index("kommunkod")
    assert (r.loc["A", "year"], r.loc["A", "rank"], r.loc["A", "rank_n"]) == (2023, 2, 2)
    assert (r.loc["C", "year"], r.loc["C", "rank"], r.loc["C", "rank_n"]) == (2022, 2, 3)   # behind A's 50 of 2022


# --- the table -----------------------------------------------------------------------------------

def _small_table(**kw):
    current = pd.DataFrame({
        "indicator_id": ["GN.10"] * 6 + ["GN.6a"] * 4,
        "kommunkod": ["1490"] * 3 + ["0180"] * 3 + ["1490"] * 4,
        "year": [2020, 2021, 2022, 2020, 2021, 2022, 2021, 2022, 2023, 2024],
        "value": [25.0, 27.0, 29.0, 40.0, 45.0, 50.0, 450.0, 440.0, 430.0, 400.0]})
    membership = pd.DataFrame({"kommunkod": ["1490", "0180"], "from_year": [1995, 1995],
                               "to_year": pd.array([None, None], "Int64")})
    sentences = kw.pop("summaries", True)
    table = trends.trend_table(current, CAT, membership, **kw)
    if sentences:          # the engine returns codes; the text layer writes the sentences last
        add_summaries(table, CAT, {"1490": "Borås", "0180": "Stockholm"})
    return table


def test_trend_table_row_carries_every_field():
    t = _small_table()
    row = t[(t["kommunkod"] == "1490") & (t["indicator"] == "GN.10")].iloc[0]
    assert (row["base_year"], row["base_value"], row["latest_year"], row["latest_value"]) == (2020, 25.0, 2022, 29.0)
    assert (row["verdict"], row["n_points"], row["direction"]) == ("right", 3, "insufficient")
    assert (row["band"], row["band_rank"], row["n_bands"]) == ("Medel", 3, 5)
    assert (row["network_mean"], row["network_n"], row["network_year"], row["network_preliminary"]) == (39.5, 2, 2022, False)
    assert pd.isna(row["rank"]) and pd.isna(row["rank_n"]) and row["rank_reason"] == "too_few"   # 2 < MIN_RANK_N
    assert row["targets"][0]["required_pace_per_year"] == 3.875
    assert row["targets"][0]["on_track"] == "insufficient"          # no direction yet: no projection
    assert row["summary_sv"].startswith("Borås: 29 % 2022, 4 procentenheter högre än 2020 – rätt håll.")
    assert "Ingen placering: bara 2 av 2 ekokommuner har rapporterat 2022." in row["summary_sv"]
    waste = t[(t["kommunkod"] == "1490") & (t["indicator"] == "GN.6a")].iloc[0]
    assert (waste["series_start"], waste["used_break"], waste["verdict"], waste["base_year"]) == (2024, True, "insufficient", 2024)
    for col in ("kommunkod", "indicator", "base_year", "base_value", "latest_year", "latest_value", "verdict",
                "direction", "slope_per_year", "pct_change_per_year", "band", "targets", "network_mean",
                "network_n", "rank", "summary_sv", "summary_en"):
        assert col in t.columns


def test_trend_table_filters_and_writes_no_sentences_itself():
    t = _small_table(kommuner=["0180"], summaries=False)
    assert list(t["kommunkod"]) == ["0180"] and "summary_sv" not in t.columns


def test_table_records_are_strict_json():
    recs = trendmath.table_records(_small_table())
    text = json.dumps(recs, allow_nan=False, ensure_ascii=False)
    assert '"verdict": "right"' in text
    assert all(isinstance(r["targets"], list) for r in recs)


def _per_series(current: pd.DataFrame, breaks: pd.DataFrame) -> dict:
    out = {}
    for (i, k), g in current.groupby(["indicator_id", "kommunkod"]):
        indicator = CAT[i]
        extra = [SeriesBreak(int(b.year), b.note or "") for b in breaks[(breaks["indicator_id"] == i)
                                                                        & (breaks["kommunkod"].isna()
                                                                           | (breaks["kommunkod"] == k))].itertuples()]
        v = trends.compute_verdict(g["year"], g["value"], indicator.better, indicator.start_year, extra)
        d = trends.compute_direction(g["year"], g["value"], indicator.better, indicator.start_year, extra)
        out[(k, i)] = (v, d)
    return out


def test_sql_path_equals_numpy_path_equals_per_series_functions_on_the_demo_db(demo_store):
    with demo_store.transaction() as cur:     # a municipal break and municipal targets, so both paths meet them
        admin_edits.insert_series_break(cur, "GN.10", "1490", 2018, "ny mätmetod", "admin")
        admin_edits.insert_target(cur, "GN.10", "1490", "absolute", 50, 2027, None, "Borås mål", "admin")
        admin_edits.insert_target(cur, "GN.6a", "1490", "relative", -20, 2030, 2010, "Borås: −20 %", "admin")
        # a non-member whose only GN.8a data predates the indicator's start year (2022)
        observations.write_revisions(cur, pd.DataFrame(
            [("GN.8a", "0114", y, 1.0 + y / 1000, "reported", None, "test", None, None) for y in range(2010, 2016)],
            columns=observations.OBSERVATION_COLUMNS))
    breaks = reference.fetch_series_breaks(demo_store)
    current = observations.fetch_current(demo_store)
    sql = trends.trend_table_from_store(demo_store, CAT)
    py = trends.trend_table(current, CAT, reference.fetch_membership(demo_store), reference.fetch_population(demo_store),
                            reference.fetch_all_targets(demo_store), breaks)
    munis = reference.fetch_municipalities(demo_store)
    names = dict(zip(munis["kommunkod"], munis["name"]))
    add_summaries(sql, CAT, names)
    add_summaries(py, CAT, names)
    assert len(sql) == len(py) == current.groupby(["indicator_id", "kommunkod"]).ngroups
    exact = ["kommunkod", "indicator", "base_year", "latest_year", "n_points", "verdict", "series_start", "direction",
             "band", "band_rank", "network_n", "rank", "rank_n", "target_status", "summary_sv", "summary_en"]
    pd.testing.assert_frame_equal(sql[exact], py[exact])
    for c in ("base_value", "latest_value", "slope_per_year", "pct_change_per_year", "mk_p", "network_mean"):
        np.testing.assert_allclose(sql[c].to_numpy(float), py[c].to_numpy(float), rtol=1e-12, equal_nan=True)
    ref = _per_series(current, breaks)
    for row in sql.itertuples():
        v, d = ref[(row.kommunkod, row.indicator)]
        assert row.verdict == v["verdict"], (row.kommunkod, row.indicator)
        assert (row.base_year if not pd.isna(row.base_year) else None) == v["base_year"]
        assert row.latest_year == v["latest_year"] and row.latest_value == v["latest_value"]
        assert row.n_points == v["n_points"]
        assert (None if pd.isna(row.series_start) else row.series_start) == v["series_start"]
        assert row.direction == d["direction"]
        assert (row.slope_per_year if not math.isnan(row.slope_per_year) else None) == d["slope_per_year"]
    assert set(sql.loc[sql["indicator"] == "GN.6a", "series_start"].dropna()) == {2024}
    early = sql[(sql["kommunkod"] == "0114") & (sql["indicator"] == "GN.8a")].iloc[0]
    assert (early["n_points"], early["latest_year"], early["verdict"], early["direction"]) == (0, 2015, "insufficient", "insufficient")
    assert pd.isna(early["base_year"]) and pd.isna(early["rank"])
    boras = sql[(sql["kommunkod"] == "1490") & (sql["indicator"] == "GN.10")].iloc[0]
    assert boras["series_start"] == 2018 and boras["break_note"] == "ny mätmetod"
    targets = {t["label"]: t for t in boras["targets"]}
    assert targets["Borås mål"]["scope"] == "municipal" and targets["Nationellt inriktningsmål"]["scope"] == "national"
    g = current[(current["kommunkod"] == "1490") & (current["indicator_id"] == "GN.10")]
    d = trends.compute_direction(g["year"], g["value"], "higher", CAT["GN.10"].start_year, [SeriesBreak(2018)])
    assert d["intercept"] == pytest.approx(boras["intercept"], rel=1e-12)
    slope = None if d["direction"] == "insufficient" else d["slope_per_year"]
    expected = targets_mod.evaluate_targets([{"kind": "absolute", "value": 60, "year": 2030, "label": "Nationellt inriktningsmål"},
                                        {"kind": "absolute", "value": 50, "year": 2027, "label": "Borås mål",
                                         "kommunkod": "1490"}], g["year"], g["value"], "higher", slope,
                                       d["intercept"], d["significant"])
    for e in expected:
        got = targets[e["label"]]
        assert {k: got[k] for k in ("target_value", "gap", "on_track", "target_passed")} == \
               {k: e[k] for k in ("target_value", "gap", "on_track", "target_passed")}
        assert got["projected_value"] == pytest.approx(e["projected_value"], rel=1e-12)
        assert got["required_pace_per_year"] == pytest.approx(e["required_pace_per_year"])
    waste = sql[(sql["kommunkod"] == "1490") & (sql["indicator"] == "GN.6a")].iloc[0]
    rel = [t for t in waste["targets"] if t["kind"] == "relative"][0]
    g6 = current[(current["kommunkod"] == "1490") & (current["indicator_id"] == "GN.6a")].set_index("year")["value"]
    if 2010 in g6.index:
        assert rel["target_value"] == pytest.approx(g6[2010] * 0.8)
    assert (sql["verdict"] != "insufficient").sum() > 1000


def test_store_path_uses_the_newest_revision_and_drops_retractions(demo_store):
    cols = observations.OBSERVATION_COLUMNS
    before = trends.trend_table_from_store(demo_store, CAT, kommuner=["1490"], indicators=["GN.10"])
    latest = int(before["latest_year"].iloc[0])
    fix = pd.DataFrame([("GN.10", "1490", latest, 99.0, "reported", None, "test", None, None),
                        ("GN.10", "1490", latest, None, "reported", None, "test", "retracted", None),
                        ("GN.10", "1490", latest - 1, 77.0, "reported", None, "test", "corrected", None)], columns=cols)
    with demo_store.transaction() as cur:      # one row per key and batch: the retraction comes second
        observations.write_revisions(cur, fix.iloc[[0, 2]])
        observations.write_revisions(cur, fix.iloc[[1]])
    after = trends.trend_table_from_store(demo_store, CAT, kommuner=["1490"], indicators=["GN.10"])
    assert list(after["kommunkod"]) == ["1490"] and list(after["indicator"]) == ["GN.10"]
    assert (after["latest_year"].iloc[0], after["latest_value"].iloc[0]) == (latest - 1, 77.0)
    current = observations.fetch_current(demo_store, indicators=["GN.10"], kommuner=["1490"])
    v = trends.compute_verdict(current["year"], current["value"], "higher", CAT["GN.10"].start_year)
    assert (after["verdict"].iloc[0], after["n_points"].iloc[0]) == (v["verdict"], v["n_points"])


def test_table_ranks_match_rank_members_on_the_demo_db(demo_store):
    current = observations.fetch_current(demo_store)
    table = trends.trend_table_from_store(demo_store, CAT)
    ranks = network.rank_members(current, CAT, reference.fetch_membership(demo_store))
    merged = table.merge(ranks, left_on=["kommunkod", "indicator"], right_on=["kommunkod", "indicator_id"])
    assert len(merged) > 1000
    assert (merged["rank_x"].astype(int) == merged["rank_y"]).all()
    assert (merged["rank_n_x"].astype(int) == merged["rank_n_y"]).all()


def test_network_verdicts_give_the_network_sentence_per_indicator(demo_store):
    net = network.network_from_store(demo_store, CAT)
    py = network.network_aggregates(observations.fetch_current(demo_store), reference.fetch_membership(demo_store),
                                   reference.fetch_population(demo_store), catalog=CAT)
    pd.testing.assert_frame_equal(net[["indicator_id", "year", "n"]], py[["indicator_id", "year", "n"]])
    np.testing.assert_allclose(net["mean"], py["mean"], rtol=1e-12)
    table, net2 = trends.trends_and_network_from_store(demo_store, CAT)
    pd.testing.assert_frame_equal(net, net2)
    assert len(table) > 1000
    tiles = network.network_verdicts(net, CAT)
    assert list(tiles["indicator"]) == CAT.ids
    gn10 = tiles.set_index("indicator").loc["GN.10"]
    assert verdict_sentence(gn10["verdict"], gn10["base_year"], "sv") in {f"Utvecklingen går åt rätt håll sedan {gn10['base_year']}",
                                   f"Utvecklingen går åt fel håll sedan {gn10['base_year']}",
                                   f"Ingen uppmätt förändring sedan {gn10['base_year']}"}
    assert tiles.set_index("indicator").loc["GN.6a", "verdict"] == "insufficient"   # new series from 2024


def test_pad_rows_handles_empty_rows_at_the_end_and_refuses_overfull_rows():
    from indicators.stats.trendmath import pad_rows
    x, y = pad_rows(np.array([0, 2, 2, 5, 5]), [np.arange(5.0), -np.arange(5.0)], 3)
    np.testing.assert_array_equal(x, [[0, 1, np.nan], [np.nan] * 3, [2, 3, 4], [np.nan] * 3])
    np.testing.assert_array_equal(y[2], [-2, -3, -4])
    with pytest.raises(ValueError):
        pad_rows(np.array([0, 4]), [np.arange(4.0)], 3)


def test_years_after_year_max_are_ignored_alike_by_both_paths(demo_store):
    before = trends.trend_table_from_store(demo_store, CAT, kommuner=["1490"])
    with demo_store.transaction() as cur:
        observations.write_revisions(cur, pd.DataFrame([("GN.10", "1490", 2150, 5.0, "reported", None, "test", None, None)],
                                                      columns=observations.OBSERVATION_COLUMNS))
    sql = trends.trend_table_from_store(demo_store, CAT, kommuner=["1490"])
    py = trends.trend_table(observations.fetch_current(demo_store), CAT, reference.fetch_membership(demo_store),
                            kommuner=["1490"])
    pd.testing.assert_series_equal(sql["latest_year"], before["latest_year"])
    pd.testing.assert_series_equal(py["latest_year"], before["latest_year"])
