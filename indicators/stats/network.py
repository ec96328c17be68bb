"""The network: the SEKOM average per indicator and year over that year's members (n, members,
mean, population-weighted mean where the catalogue allows one, the headline mean, median, min,
max, and whether the year is still preliminary), ranks among the members, the verdict and
direction of the average's own series, and each member's verdict as of the network's year.
Builds on the trend engine (stats.trends); returns canonical columns only (the text layer
writes the sentences). No SQL of its own, no UI.

The network's figures come from complete years only: a year stays preliminary for an
indicator until trends.PRELIMINARY_SHARE (a setting) of that year's members have a value.
network_year() names, per indicator, the latest complete year.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, Indicator, default_catalog
from indicators.stats import trendmath as tm
from indicators.stats.networkmath import network_frame
from indicators.stats.trendmath import engine_params
from indicators.stats.trends import (PRELIMINARY_SHARE, WINDOW_YEARS, compute_direction, compute_verdict,
                                     store_inputs)


def network_aggregates(current_df: pd.DataFrame, membership_df: pd.DataFrame, population_df: pd.DataFrame | None = None,
                       indicator_ids: Sequence[str] | None = None, catalog=None,
                       preliminary_share: float = PRELIMINARY_SHARE) -> pd.DataFrame:
    """The SEKOM average per (indicator_id, year) over the members of that year (see network_frame)."""
    catalog = catalog or default_catalog()
    present = set(current_df["indicator_id"])
    ids = list(indicator_ids) if indicator_ids is not None else \
        [i for i in catalog.ids if i in present] + sorted(present - set(catalog.ids))
    known = {i.id: i for i in catalog}
    # Aggregates need no catalogue facts; unknown ids get a neutral stand-in so they still count.
    cat = Catalog(tuple(known.get(i) or _standin(i) for i in ids))
    p = engine_params(cat, set(current_df["kommunkod"]) | set(membership_df["kommunkod"]), membership_df, population_df,
                      preliminary_share=preliminary_share)
    return network_frame(tm.inputs_from_current(current_df, p, WINDOW_YEARS), p)


def _standin(indicator_id: str):
    return Indicator(indicator_id, indicator_id, indicator_id, "", "higher", "", 1900, 0, "", "member")


def network_from_store(store, catalog=None) -> pd.DataFrame:
    """network_frame for every catalogue indicator, computed by DuckDB."""
    inp, p = store_inputs(store, catalog or default_catalog())
    return network_frame(inp, p)


def network_year(network_df: pd.DataFrame) -> dict[str, int]:
    """{indicator_id: the latest year that is not preliminary}: where the network's figures come from."""
    done = network_df[~network_df["preliminary"]]
    return {k: int(v) for k, v in done.groupby("indicator_id")["year"].max().items()}


def rank_members(current_df: pd.DataFrame, catalog, membership_df: pd.DataFrame, year: int | None = None,
                 indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Rank 1 = best along the better direction, out of the n members reporting that year;
    ties share the best rank (competition ranking) and rank_shared says how many share it.

    With year: every member reporting in that year. Without: each member's latest year with
    data, ranked among the members reporting in that same year; a municipality that was not
    a member in its latest year gets no rank. (The trend table adds the rules on n and staleness.)"""
    cols = ["indicator_id", "kommunkod", "year", "value", "rank", "rank_n", "rank_shared"]
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
    m = m.assign(rank_shared=m.groupby(["indicator_id", "year", "rank"])["_s"].transform("size").astype(int))
    m = m[m["year"] == year] if year is not None else m.merge(latest, on=["indicator_id", "kommunkod", "year"])
    return m[cols].sort_values(["indicator_id", "rank", "kommunkod"]).reset_index(drop=True)


def network_verdicts(network_df: pd.DataFrame, catalog, indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Verdict and direction of the SEKOM average's series per indicator (the home page tiles):
    the headline mean of the complete years only, so an early report never moves it.

    The average's membership changes from year to year; network_n says how many reported in
    network_year, network_members how many members there were."""
    rows = []
    groups = {k: g for k, g in network_df.groupby("indicator_id", sort=False)}
    empty = network_df.iloc[:0]
    for ind in catalog:
        if indicator_ids is not None and ind.id not in indicator_ids:
            continue
        s = groups.get(ind.id, empty).sort_values("year")
        s = s[~s["preliminary"].astype(bool)]
        v = compute_verdict(s["year"], s["headline"], ind.better, ind.start_year, ind.series_breaks)
        d = compute_direction(s["year"], s["headline"], ind.better, ind.start_year, ind.series_breaks)
        last = s.iloc[-1] if len(s) else None
        rows.append({"indicator": ind.id, **v, "direction": d["direction"], "slope_per_year": d["slope_per_year"],
                     "pct_change_per_year": d["pct_change_per_year"], "mk_p": d["mk_p"],
                     "network_year": int(last["year"]) if last is not None else None,
                     "network_n": int(last["n"]) if last is not None else 0,
                     "network_members": int(last["members"]) if last is not None else 0})
    return pd.DataFrame(rows)


def verdicts_in_network_year(table: pd.DataFrame, current_df: pd.DataFrame, catalog, network_df: pd.DataFrame,
                             membership_df: pd.DataFrame, breaks_df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each member's verdict as of its indicator's network year (the latest complete year),
    for the members that reported that year: what "share going the right way" counts. Later
    (preliminary) values are left out, so an early report never changes it.

    table: the trend table (indicator or indicator_id, kommunkod, latest_year, verdict). A series
    whose latest year is the network year keeps its verdict; the few that go on into a
    preliminary year are judged again on their values up to the network year.
    Columns: indicator_id, kommunkod, year, verdict."""
    years = network_year(network_df)
    key = "indicator" if "indicator" in table.columns else "indicator_id"
    t = table[[key, "kommunkod", "latest_year", "verdict"]].rename(columns={key: "indicator_id", "latest_year": "year"})
    ny = t["indicator_id"].map(years)
    same = t[t["year"] == ny]
    later = t[t["year"] > ny]
    rows = []
    if len(later):
        cur = current_df[current_df["indicator_id"].isin(set(later["indicator_id"]))
                         & current_df["kommunkod"].isin(set(later["kommunkod"]))]
        groups = {k: g for k, g in cur.groupby(["indicator_id", "kommunkod"])}
        extra = breaks_df if breaks_df is not None else pd.DataFrame(columns=["indicator_id", "kommunkod", "year"])
        for r in later.itertuples():
            g = groups[(r.indicator_id, r.kommunkod)]
            y = years[r.indicator_id]
            g = g[g["year"] <= y]
            if not (g["year"] == y).any():
                continue
            ind = catalog[r.indicator_id]
            own = extra[(extra["indicator_id"] == r.indicator_id)
                        & (extra["kommunkod"].isna() | (extra["kommunkod"] == r.kommunkod))]
            brk = list(ind.series_breaks) + [int(b) for b in own["year"]]
            v = compute_verdict(g["year"], g["value"], ind.better, ind.start_year, brk)
            rows.append((r.indicator_id, r.kommunkod, y, v["verdict"]))
    out = pd.concat([same, pd.DataFrame(rows, columns=same.columns)], ignore_index=True) if rows else same
    members = tm.member_year_pairs(membership_df)
    out = out.astype({"year": "int32"}).merge(members, on=["kommunkod", "year"])
    order = {i: n for n, i in enumerate(catalog.ids)}
    return out.sort_values(["indicator_id", "kommunkod"], key=lambda c: c.map(order) if c.name == "indicator_id" else c) \
        .reset_index(drop=True)
