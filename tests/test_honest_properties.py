"""Issue 11's properties: ties share a rank; adding one early report never changes the network
figures of a complete year; rounding is half up for every decimals setting in the catalogue
(and any finite float is formatted)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.catalog import default_catalog
from indicators.stats import network, trends
from indicators.text.numbers import format_number, round_half_up

CAT = default_catalog()
DECIMALS = sorted({i.decimals for i in CAT})          # every decimals setting the catalogue uses
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NETWORK_COLUMNS = ["network_year", "network_mean", "network_weighted_mean", "network_n", "rank", "rank_n",
                   "rank_shared", "rank_tied", "rank_reason", "stale"]


def _members(codes):
    return pd.DataFrame({"kommunkod": codes, "from_year": [2000] * len(codes),
                         "to_year": pd.array([None] * len(codes), "Int64")})


@st.composite
def one_year_of_values(draw):
    """5–25 members reporting 2021–2023, their 2023 values drawn from a few levels (many ties)."""
    n = draw(st.integers(5, 25))
    levels = draw(st.lists(st.sampled_from([0.0, 12.5, 30.0, 30.0, 47.25, 100.0]), min_size=n, max_size=n))
    indicator = draw(st.sampled_from(["GN.10", "GN.6a", "GN.1b"]))
    codes = [f"{i:04d}" for i in range(1, n + 1)]
    rows = [(indicator, k, y, v + (2023 - y)) for k, v in zip(codes, levels) for y in (2021, 2022, 2023)]
    return indicator, codes, pd.DataFrame(rows, columns=["indicator_id", "kommunkod", "year", "value"])


@SETTINGS
@given(one_year_of_values())
def test_ties_share_a_rank(case):
    indicator, codes, current = case
    table = trends.trend_table(current, CAT, _members(codes))
    higher = CAT[indicator].better == "higher"
    values = dict(zip(table["kommunkod"], table["latest_value"]))
    for row in table.itertuples():
        better = sum(1 for v in values.values() if (v > row.latest_value if higher else v < row.latest_value))
        equal = sum(1 for v in values.values() if v == row.latest_value)
        assert (row.rank, row.rank_n, row.rank_shared, bool(row.rank_tied)) == (better + 1, len(codes), equal, equal > 1)
    for _, group in table.groupby("latest_value"):
        assert group["rank"].nunique() == 1                      # equal values, one rank


@st.composite
def complete_then_early(draw):
    """6–15 members who all report 2016–2023 (ties and zeros allowed), then one early 2024 report."""
    n = draw(st.integers(6, 15))
    indicator = draw(st.sampled_from(["GN.10", "GN.6a", "GN.1b", "GN.3"]))
    codes = [f"{i:04d}" for i in range(1, n + 1)]
    values = draw(st.lists(st.integers(0, 60), min_size=n * 8, max_size=n * 8))
    rows = [(indicator, k, 2016 + j, float(values[i * 8 + j])) for i, k in enumerate(codes) for j in range(8)]
    early = (indicator, draw(st.sampled_from(codes)), 2024, float(draw(st.integers(0, 1000))))
    pop = pd.DataFrame([(k, y, 1000 + 10 * i) for i, k in enumerate(codes) for y in range(2016, 2025)],
                       columns=["kommunkod", "year", "population"])
    cols = ["indicator_id", "kommunkod", "year", "value"]
    return codes, pd.DataFrame(rows, columns=cols), pd.DataFrame(rows + [early], columns=cols), early, pop


@SETTINGS
@given(complete_then_early())
def test_adding_one_early_report_never_changes_the_network_figures_of_a_complete_year(case):
    codes, before, after, early, pop = case
    members = _members(codes)
    net_b = network.network_aggregates(before, members, pop)
    net_a = network.network_aggregates(after, members, pop)
    pd.testing.assert_frame_equal(net_a[net_a["year"] <= 2023].reset_index(drop=True), net_b)
    assert bool(net_a[net_a["year"] == 2024]["preliminary"].iloc[0])
    assert network.network_year(net_a) == network.network_year(net_b) == {early[0]: 2023}
    pd.testing.assert_frame_equal(network.network_verdicts(net_a, CAT), network.network_verdicts(net_b, CAT))
    table_b, table_a = trends.trend_table(before, CAT, members, pop), trends.trend_table(after, CAT, members, pop)
    yv_a = network.verdicts_in_network_year(table_a, after, CAT, net_a, members)
    pd.testing.assert_frame_equal(yv_a, network.verdicts_in_network_year(table_b, before, CAT, net_b, members))
    assert len(yv_a) == len(codes)
    tb, ta = table_b.set_index("kommunkod"), table_a.set_index("kommunkod")
    others = [k for k in codes if k != early[1]]
    pd.testing.assert_frame_equal(ta.loc[others, NETWORK_COLUMNS], tb.loc[others, NETWORK_COLUMNS])
    mine = ta.loc[early[1]]
    assert (mine["network_year"], bool(mine["network_preliminary"]), mine["rank_reason"]) == (2023, True, "too_few")
    assert mine["network_mean"] == tb.loc[early[1], "network_mean"]


def _half_up(text: str, decimals: int) -> str:
    return format(Decimal(text).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DECIMALS), st.integers(-10 ** 7, 10 ** 7))
def test_a_tie_rounds_half_up_for_every_decimals_setting_in_the_catalogue(decimals, k):
    text = f"{k}.{'0' * decimals}5"                      # exactly halfway between two shown values
    x = float(text)
    shown = format_number(x, "en", decimals).replace(",", "")
    assert shown == _half_up(text, decimals)
    whole = Decimal(abs(k)) + (1 if decimals == 0 else 0)
    if decimals == 0:
        assert shown.lstrip("-") == str(whole)           # away from zero: 2.5 -> 3, -2.5 -> -3
    assert round_half_up(x, decimals) == float(_half_up(text, decimals))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DECIMALS), st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=4,
                                              allow_nan=False, allow_infinity=False))
def test_every_shown_number_is_the_readers_decimal_rounded_half_up(decimals, d):
    x = float(d)
    expected = _half_up(repr(x), decimals)
    if Decimal(expected) == 0:
        expected = expected.lstrip("-")                   # never "-0"
    assert format_number(x, "en", decimals).replace(",", "") == expected
    sv = format_number(x, "sv", decimals)
    assert sv.replace(" ", "").replace(",", ".") == format_number(x, "en", decimals).replace(",", "")


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 6))
def test_any_finite_float_is_formatted_and_never_raises(x, decimals):
    text = format_number(x, "sv", decimals)
    assert text and text != "–"
    digits = text.replace(" ", "").replace(",", "").lstrip("-")
    assert digits.isdigit() and Decimal(text.replace(" ", "").replace(",", ".")).is_finite()
