"""The network's machinery, vectorised: per (indicator, year) group of members' values the
members of that year, whether the year is still preliminary, the weighted and headline means
(network_status, network_frame); and per series the network's figures of its comparable year,
stale marking and the rank among the members reporting its own latest year (network_columns).
The rules' constants come in as arguments (stated in trends.py). No SQL, no I/O, no UI imports.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.stats.trendmath import (YEAR_MAX, EngineParams, TrendInputs, _dense, segment_rank_ties,
                                        sorted_group_stats)


def member_counts(p: EngineParams, years: np.ndarray) -> np.ndarray:
    """How many municipalities were members in each of `years`."""
    counts = p.member_years.groupby("year").size()
    return counts.reindex(np.asarray(years, dtype=np.int64)).fillna(0).to_numpy(float)


def network_status(inp: TrendInputs, p: EngineParams) -> dict[str, np.ndarray]:
    """Per network group (row of inp.network): members that year, whether the year is still
    preliminary for the indicator (fewer than p.preliminary_share of that year's members have
    a value, whatever its source kind), the weighted mean where the catalogue allows one, and
    the headline mean: population-weighted where the indicator has that weight and every
    reporting member's population is known, else the plain mean."""
    net = inp.network
    n, total = net["n"].to_numpy(float), net["total"].to_numpy(float)
    members = member_counts(p, net["year"].to_numpy(np.int64))
    weighted = p.indicators["weighted"].to_numpy(bool)[net["ii"].to_numpy(np.int64)] if len(net) else np.zeros(0, bool)
    wtotal, wpop, wn = (net[c].to_numpy(float) for c in ("wtotal", "wpop", "wn"))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        wmean = np.where(weighted & (wn > 0), wtotal / wpop, np.nan)
    full = weighted & (wn == n) & np.isfinite(wmean)
    return {"members": members, "preliminary": n + 1e-9 < p.preliminary_share * members, "mean": mean,
            "weighted_mean": wmean, "headline": np.where(full, wmean, mean), "headline_weighted": full}


def network_columns(inp: TrendInputs, p: EngineParams, ii, ki, ly, lv, higher, *, min_rank_n: int,
                    stale_years: int) -> dict:
    """The network's figures for each series, and its rank.

    network_year is the latest year at or before the series' latest year that is not
    preliminary; network_mean/_weighted_mean/_n come from it. network_preliminary says whether
    the series' own latest year is still preliminary; latest_year_n/_members how many members
    reported that year and how many there were. stale: the latest year lies stale_years or more
    before the indicator's latest complete year. The rank (competition: ties share the best
    rank; rank_tied, rank_shared say so) compares the series only with the members reporting
    its own latest year, and only when it was a member then, is not stale and at least
    min_rank_n members reported; rank_reason says why not (not_member | stale | too_few)."""
    net = inp.network
    n_i, n_k = len(inp.indicator_ids), len(inp.kommunkoder)
    st = network_status(inp, p)
    g_ii, g_year = net["ii"].to_numpy(np.int64), net["year"].to_numpy(np.int64)
    ly = np.asarray(ly, dtype=np.int64)
    ymin = int(min(g_year.min(initial=YEAR_MAX), ly.min(initial=YEAR_MAX)))
    width = YEAR_MAX - ymin + 1
    own = np.full((n_i, width), -1, np.int64)
    own[g_ii, g_year - ymin] = np.arange(len(net))
    done = np.full((n_i, width), -1, np.int64)
    ok_g = ~st["preliminary"]
    done[g_ii[ok_g], g_year[ok_g] - ymin] = np.flatnonzero(ok_g)
    pos = np.maximum.accumulate(np.where(done >= 0, np.arange(width)[None, :], -1), axis=1)
    latest_done = np.take_along_axis(done, np.maximum(pos, 0), axis=1)
    latest_done[pos < 0] = -1                                   # [ii, year]: the last complete group so far
    col = ly - ymin
    g = own[ii, col] if len(ii) else np.zeros(0, np.int64)
    gn = latest_done[ii, col] if len(ii) else np.zeros(0, np.int64)
    last_complete = latest_done[:, -1]
    newest = np.where(last_complete >= 0, g_year[np.maximum(last_complete, 0)] if len(net) else -1, -1)[ii] \
        if len(ii) else np.zeros(0, np.int64)
    has, has_n = g >= 0, gn >= 0
    take = (lambda a, idx, ok: np.where(ok, a[np.maximum(idx, 0)], np.nan)) if len(net) else \
        (lambda a, idx, ok: np.full(len(idx), np.nan))
    n = net["n"].to_numpy(float)
    n_own = np.where(has, take(n, g, has), 0.0)
    members_ly = member_counts(p, ly)
    member = _dense(p.member_years, n_k, None, ymin, False, bool)[ki, col] if len(ii) else has
    stale = (newest >= 0) & (newest - ly >= stale_years)
    rankable = member & has & ~stale & (n_own >= min_rank_n)
    rank, shared = np.full(len(ii), np.nan), np.full(len(ii), np.nan)
    if rankable.any():
        r, c = segment_rank_ties(inp.net_values, inp.net_offsets, g[rankable], lv[rankable], higher[rankable])
        rank[rankable], shared[rankable] = r, c
    reason = np.where(~member, "not_member", np.where(stale, "stale", np.where(n_own < min_rank_n, "too_few", None)))
    reason = reason.astype(object)
    reason[rankable] = None
    return {"network_year": np.where(has_n, take(g_year.astype(float), gn, has_n), np.nan),
            "network_preliminary": n_own + 1e-9 < p.preliminary_share * members_ly,
            "network_mean": take(st["mean"], gn, has_n), "network_weighted_mean": take(st["weighted_mean"], gn, has_n),
            "network_n": np.where(has_n, take(n, gn, has_n), 0).astype(int),
            "latest_year_n": n_own.astype(int), "latest_year_members": members_ly.astype(int), "stale": stale,
            "rank": rank, "rank_n": np.where(rankable, n_own, np.nan), "rank_tied": rankable & (shared > 1),
            "rank_shared": shared, "rank_reason": reason}


def network_frame(inp: TrendInputs, p: EngineParams) -> pd.DataFrame:
    """Per (indicator_id, year): n (members with a value), members (of that year), mean,
    weighted_mean (NaN where the catalogue gives no weight or no population is known),
    weighted_n, median, min, max, preliminary, and the headline mean with headline_weighted
    (see network_status)."""
    net = inp.network
    agg = sorted_group_stats(inp.net_values, inp.net_offsets)
    st = network_status(inp, p)
    out = pd.DataFrame({"indicator_id": np.asarray(inp.indicator_ids, object)[net["ii"].to_numpy(int)],
                        "year": net["year"].to_numpy(int), "n": net["n"].to_numpy(int),
                        "members": st["members"].astype(int), "mean": st["mean"],
                        "weighted_mean": st["weighted_mean"], "weighted_n": net["wn"].to_numpy(int), **agg,
                        "preliminary": st["preliminary"].astype(bool), "headline": st["headline"],
                        "headline_weighted": st["headline_weighted"].astype(bool), "_ii": net["ii"].to_numpy(int)})
    return out.sort_values(["_ii", "year"]).drop(columns="_ii").reset_index(drop=True)
