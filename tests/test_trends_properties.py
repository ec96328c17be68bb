"""Properties of the trend engine, checked with hypothesis on random series."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.stats import targets
from indicators.stats import trends
from indicators.catalog import default_catalog

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
values_st = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def series(draw, min_size=0, max_size=16):
    years = draw(st.lists(st.integers(1990, 2030), min_size=min_size, max_size=max_size, unique=True))
    values = draw(st.lists(st.one_of(values_st, st.integers(-50, 50).map(float)),
                           min_size=len(years), max_size=len(years)))
    return years, values


better_st = st.sampled_from(["higher", "lower"])
start_st = st.integers(1985, 2035)
SWAP = {"right": "wrong", "wrong": "right", "unchanged": "unchanged", "insufficient": "insufficient"}
DIR_SWAP = {"improving": "worsening", "worsening": "improving", "no_clear_change": "no_clear_change",
            "insufficient": "insufficient"}


def _other(better: str) -> str:
    return "lower" if better == "higher" else "higher"


@SETTINGS
@given(series(), better_st, start_st)
def test_flipping_better_swaps_right_and_wrong(s, better, start):
    a = trends.compute_verdict(*s, better, start)
    b = trends.compute_verdict(*s, _other(better), start)
    assert b["verdict"] == SWAP[a["verdict"]]
    da, db = trends.compute_direction(*s, better), trends.compute_direction(*s, _other(better))
    assert db["direction"] == DIR_SWAP[da["direction"]]


@SETTINGS
@given(series(), better_st, start_st, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(s, better, start, rnd):
    pairs = list(zip(*s))
    rnd.shuffle(pairs)
    shuffled = ([p[0] for p in pairs], [p[1] for p in pairs])
    assert trends.compute_verdict(*s, better, start) == trends.compute_verdict(*shuffled, better, start)
    assert trends.compute_direction(*s, better) == trends.compute_direction(*shuffled, better)


@SETTINGS
@given(series(min_size=2), better_st, st.floats(-1e4, 1e4))
def test_adding_a_constant_leaves_the_theil_sen_slope_unchanged(s, better, c):
    years, values = s
    a = trends.compute_direction(years, values, better)["slope_per_year"]
    b = trends.compute_direction(years, [v + c for v in values], better)["slope_per_year"]
    scale = max(abs(v) for v in values) + abs(c) + 1
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * scale)


@SETTINGS
@given(series(min_size=2), better_st, st.floats(1e-3, 1e3))
def test_scaling_by_k_scales_the_slope_by_k(s, better, k):
    years, values = s
    a = trends.compute_direction(years, values, better)["slope_per_year"]
    b = trends.compute_direction(years, [v * k for v in values], better)["slope_per_year"]
    scale = (max(abs(v) for v in values) + 1) * k
    assert math.isclose(b, k * a, rel_tol=1e-9, abs_tol=1e-9 * scale)


@SETTINGS
@given(st.lists(st.integers(1990, 2030), max_size=16, unique=True), values_st, better_st, start_st)
def test_a_constant_series_is_unchanged_and_shows_no_clear_change(years, value, better, start):
    v = trends.compute_verdict(years, [value] * len(years), better, start)
    assert v["verdict"] in ({"unchanged"} if v["n_points"] >= 3 else {"insufficient"})
    d = trends.compute_direction(years, [value] * len(years), better)
    assert d["direction"] in {"no_clear_change", "insufficient"}
    if len(years) >= 2:
        assert d["slope_per_year"] == 0.0


def _floats_in(obj):
    if isinstance(obj, float):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _floats_in(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _floats_in(v)


@SETTINGS
@given(series(), better_st, start_st, st.floats(-100, 100), st.integers(1990, 2040))
def test_no_nan_ever_comes_out_for_finite_input(s, better, start, target, target_year):
    v = trends.compute_verdict(*s, better, start)
    d = trends.compute_direction(*s, better, start)
    t = targets.evaluate_targets([{"kind": "absolute", "value": target, "year": target_year},
                                 {"kind": "relative", "value": -50, "year": target_year, "base_year": 2005}],
                                *s, better, d["slope_per_year"])
    assert all(not math.isnan(x) and not math.isinf(x) for x in _floats_in([v, d, t]))
    assert v["verdict"] in trends.VERDICTS and d["direction"] in trends.DIRECTIONS
    assert all(x["on_track"] in targets.TARGET_STATUSES for x in t)


@st.composite
def current_frames(draw):
    cat = default_catalog()
    ids = draw(st.lists(st.sampled_from(cat.ids), min_size=1, max_size=3, unique=True))
    rows = []
    for kod in ["0114", "0180", "1490"]:
        for i in ids:
            years, values = draw(series(max_size=14))
            rows += [(i, kod, 2000 + (y % 30), float(abs(v)) % 1000) for y, v in zip(years, values)]
    df = pd.DataFrame(rows, columns=["indicator_id", "kommunkod", "year", "value"])
    return df.drop_duplicates(["indicator_id", "kommunkod", "year"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(current_frames())
def test_the_vectorised_table_agrees_with_the_per_series_functions(current):
    cat = default_catalog()
    membership = pd.DataFrame({"kommunkod": ["0114", "0180"], "from_year": [2000, 2010],
                               "to_year": pd.array([None, 2020], "Int64")})
    table = trends.trend_table(current, cat, membership)
    assert len(table) == current.groupby(["indicator_id", "kommunkod"]).ngroups
    for row in table.itertuples():
        g = current[(current["indicator_id"] == row.indicator) & (current["kommunkod"] == row.kommunkod)]
        i = cat[row.indicator]
        v = trends.compute_verdict(g["year"], g["value"], i.better, i.start_year, i.series_breaks)
        d = trends.compute_direction(g["year"], g["value"], i.better, i.start_year, i.series_breaks)
        assert (row.verdict, row.n_points, row.latest_year) == (v["verdict"], v["n_points"], v["latest_year"])
        assert row.direction == d["direction"]
        assert (None if np.isnan(row.slope_per_year) else row.slope_per_year) == d["slope_per_year"]
        assert (None if pd.isna(row.rank) else row.rank) is None or row.rank <= row.rank_n
