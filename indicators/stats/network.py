"""The network: the SEKOM average per indicator and year over that year's members (n, mean,
population-weighted mean, median, min, max), ranks among the members, and the verdict and
direction of the average's own series. Builds on the trend engine (stats.trends); returns
canonical columns only (the text layer writes the sentences). No SQL of its own, no UI.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, Indicator, default_catalog
from indicators.stats import trendmath as tm
from indicators.stats.trendmath import engine_params, network_frame
from indicators.stats.trends import WINDOW_YEARS, compute_direction, compute_verdict, store_inputs


def network_aggregates(current_df: pd.DataFrame, membership_df: pd.DataFrame, population_df: pd.DataFrame | None = None,
                       indicator_ids: Sequence[str] | None = None, catalog=None) -> pd.DataFrame:
    """The SEKOM average per (indicator_id, year) over the members of that year (see network_frame)."""
    catalog = catalog or default_catalog()
    present = set(current_df["indicator_id"])
    ids = list(indicator_ids) if indicator_ids is not None else \
        [i for i in catalog.ids if i in present] + sorted(present - set(catalog.ids))
    known = {i.id: i for i in catalog}
    # Aggregates need no catalogue facts; unknown ids get a neutral stand-in so they still count.
    cat = Catalog(tuple(known.get(i) or _standin(i) for i in ids))
    p = engine_params(cat, set(current_df["kommunkod"]) | set(membership_df["kommunkod"]), membership_df, population_df)
    return network_frame(tm.inputs_from_current(current_df, p, WINDOW_YEARS))


def _standin(indicator_id: str):
    return Indicator(indicator_id, indicator_id, indicator_id, "", "higher", "", 1900, 0, "", "member")


def network_from_store(store, catalog=None) -> pd.DataFrame:
    """network_frame for every catalogue indicator, computed by DuckDB."""
    return network_frame(store_inputs(store, catalog or default_catalog())[0])


def rank_members(current_df: pd.DataFrame, catalog, membership_df: pd.DataFrame, year: int | None = None,
                 indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Rank 1 = best along the better direction, out of the n members reporting that year.

    With year: every member reporting in that year. Without: each member's latest year with
    data (what a scorecard shows), ranked among the members reporting in that same year; a
    municipality that was not a member in its latest year gets no rank."""
    cols = ["indicator_id", "kommunkod", "year", "value", "rank", "rank_n"]
    df = current_df[["indicator_id", "kommunkod", "year", "value"]]
    df = df[np.isfinite(df["value"].to_numpy(float)) & df["indicator_id"].isin(catalog.ids)]
    if indicator_ids is not None:
        df = df[df["indicator_id"].isin(list(indicator_ids))]
    latest = df.groupby(["indicator_id", "kommunkod"], as_index=False)["year"].max()
    mem = tm.member_year_pairs(membership_df)
    m = df.merge(mem.astype({"year": df["year"].dtype}), on=["kommunkod", "year"])
    higher = m["indicator_id"].map({i.id: i.better == "higher" for i in catalog}).to_numpy(bool)
    m = m.assign(_s=np.where(higher, -m["value"], m["value"]))
    grp = m.groupby(["indicator_id", "year"])["_s"]
    m = m.assign(rank=grp.rank(method="min").astype(int), rank_n=grp.transform("size").astype(int))
    m = m[m["year"] == year] if year is not None else m.merge(latest, on=["indicator_id", "kommunkod", "year"])
    return m[cols].sort_values(["indicator_id", "rank", "kommunkod"]).reset_index(drop=True)


def network_verdicts(network_df: pd.DataFrame, catalog, indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Verdict and direction of the SEKOM average series per indicator (the home page tiles).

    The average's membership changes from year to year; network_n says how many reported."""
    rows = []
    groups = {k: g for k, g in network_df.groupby("indicator_id", sort=False)}
    empty = network_df.iloc[:0]
    for ind in catalog:
        if indicator_ids is not None and ind.id not in indicator_ids:
            continue
        s = groups.get(ind.id, empty).sort_values("year")
        v = compute_verdict(s["year"], s["mean"], ind.better, ind.start_year, ind.series_breaks)
        d = compute_direction(s["year"], s["mean"], ind.better, ind.start_year, ind.series_breaks)
        n_latest = int(s["n"].iloc[-1]) if len(s) else 0
        rows.append({"indicator": ind.id, **v, "direction": d["direction"], "slope_per_year": d["slope_per_year"],
                     "pct_change_per_year": d["pct_change_per_year"], "mk_p": d["mk_p"], "network_n": n_latest})
    return pd.DataFrame(rows)
