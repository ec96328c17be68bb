"""The trend engine's machinery: vectorised statistics and the table's plumbing.

- Kernels: Theil–Sen slopes, Mann–Kendall tests, medians and ranks over many short series
  at once, on NaN-padded (series, window) arrays or flat arrays with offsets, in blocks
  that stay in cache. The per-series functions in trends.py call the same kernels with one
  row, so the small path and the table path give bit-identical numbers.
- Inputs: EngineParams (small parameter tables) and TrendInputs (per-series segments and
  network groups), built here (inputs_from_arrays) from current values: flat arrays read by
  store.trend_inputs, or a DataFrame (inputs_from_current).
- Mechanics the table needs (choosing each series' segment, target expansion, JSON-ready
  records); the network's look-ups (preliminary years, ranks with ties, staleness) are in
  networkmath.py. The rules themselves (verdict, direction thresholds, bands, target status)
  live in trends.py and targets.py.

No SQL, no I/O, no UI imports.
"""
from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

_SQRT2 = math.sqrt(2.0)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def pad_rows(offsets: np.ndarray, flats: list[np.ndarray], width: int, rows: np.ndarray | None = None) -> list[np.ndarray]:
    """Flat arrays sharing row offsets (len = rows + 1) into (rows, width) arrays, NaN padded;
    only the given rows (in that order) when `rows` is passed."""
    offsets = np.asarray(offsets, dtype=np.int64)
    starts, lengths = offsets[:-1], np.diff(offsets)
    if rows is not None:
        starts, lengths = starts[rows], lengths[rows]
    if lengths.size and lengths.max() > width:
        raise ValueError(f"a row holds {lengths.max()} points, more than the window of {width}")
    cols = np.arange(width)
    inside = cols < lengths[:, None]
    size = min((np.size(f) for f in flats), default=0)
    idx = np.minimum(starts[:, None] + np.where(inside, cols, 0), max(size - 1, 0))   # an empty last row
    out = []
    for flat in flats:
        flat = np.asarray(flat, dtype=float)
        out.append(np.where(inside, flat[idx], np.nan) if flat.size else np.full(idx.shape, np.nan))
    return out


CHUNK_ROWS = 16_384   # series per block: keeps the pairwise arrays in cache (4x faster at 300 000 series)


def _block_stats(xT: np.ndarray, yT: np.ndarray) -> dict[str, np.ndarray]:
    """window_stats for one block laid out (window, series): contiguous along the series."""
    w, c = xT.shape
    i, j = np.triu_indices(w, 1)
    dx, dy = xT[j] - xT[i], yT[j] - yT[i]
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = dy / dx
    slopes.sort(axis=0)                                       # NaN (a padded pair) sorts last
    cols = np.arange(c)
    m = (~np.isnan(slopes)).sum(axis=0)
    n = (~np.isnan(yT)).sum(axis=0)
    last = max(len(i) - 1, 0)
    slope = (slopes[np.clip((m - 1) // 2, 0, last), cols] + slopes[np.minimum(m // 2, last), cols]) / 2.0 \
        if len(i) else np.full(c, np.nan)
    slope = np.where(m > 0, slope, np.nan)
    ys = np.sort(yT, axis=0)
    mid_lo, mid_hi = np.clip((n - 1) // 2, 0, w - 1), np.clip(n // 2, 0, w - 1)
    level = np.where(n > 0, (ys[mid_lo, cols] + ys[mid_hi, cols]) / 2.0, np.nan)
    with np.errstate(invalid="ignore"):
        resid = np.sort(yT - slope[None, :] * xT, axis=0)     # Theil–Sen intercept: median(y − slope·x)
    intercept = np.where((n > 0) & ~np.isnan(slope), (resid[mid_lo, cols] + resid[mid_hi, cols]) / 2.0, np.nan)
    s = np.where(np.isnan(dy) | np.isnan(dx), 0.0, np.sign(dx) * np.sign(dy)).sum(axis=0)
    ties = (yT[:, None, :] == yT[None, :, :]).sum(axis=1).astype(float)   # NaN equals nothing
    tie_term = np.where(np.isnan(yT), 0.0, (ties - 1.0) * (2.0 * ties + 5.0)).sum(axis=0)
    order = np.argsort(np.where(np.isnan(xT), np.inf, xT), axis=0, kind="stable")
    steps = np.diff(np.take_along_axis(yT, order, axis=0), axis=0)
    n_steps = (~np.isnan(steps)).sum(axis=0)
    agree = (np.sign(steps) == np.sign(slope)[None, :]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where((n_steps > 0) & (slope != 0) & ~np.isnan(slope), agree / np.maximum(n_steps, 1), np.nan)
    has = n > 0
    lo = np.where(has, np.where(np.isnan(xT), np.inf, xT).min(axis=0), np.nan)
    hi = np.where(has, np.where(np.isnan(xT), -np.inf, xT).max(axis=0), np.nan)
    return {"n": n, "slope": slope, "intercept": intercept, "level": level, "mk_s": s, "tie_term": tie_term,
            "agreeing_share": share, "window_start": lo, "window_end": hi}


def window_stats(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Per row of NaN-padded (series, window) years x and values y: n, Theil–Sen slope (median
    of all pairwise slopes; NaN below 2 points) and intercept (median of y − slope·x over the
    same points, scipy's theilslopes(method="joint")), median level, Mann–Kendall S with its
    tie-corrected variance, tau and two-sided p (normal approximation with continuity
    correction; p = 1 when the variance is 0), the share of year-on-year steps agreeing with
    the slope's sign (NaN for a zero slope), and the window's first and last year.

    x must hold distinct years within a row; the row order of points does not matter."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    parts = [_block_stats(np.ascontiguousarray(x[a:a + CHUNK_ROWS].T), np.ascontiguousarray(y[a:a + CHUNK_ROWS].T))
             for a in range(0, max(len(x), 1), CHUNK_ROWS)] if len(x) else []
    keys = ("n", "slope", "intercept", "level", "mk_s", "tie_term", "agreeing_share", "window_start", "window_end")
    out = {k: np.concatenate([p_[k] for p_ in parts]) if parts else np.zeros(0) for k in keys}
    n = out["n"].astype(float)
    var = (n * (n - 1.0) * (2.0 * n + 5.0) - out.pop("tie_term")) / 18.0
    s = out["mk_s"]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(var > 0, (s - np.sign(s)) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
        pairs = n * (n - 1.0) / 2.0
        out["mk_tau"] = np.where(pairs > 0, s / np.where(pairs > 0, pairs, 1.0), 0.0)
    out["mk_var"] = var
    out["mk_p"] = np.minimum(erfc_p(z), 1.0) if len(z) else np.zeros(0)
    return out


def erfc_p(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-value for z scores."""
    return _erfc(np.abs(np.asarray(z, dtype=float)) / _SQRT2).astype(float)


def segment_rank(sorted_vals: np.ndarray, offsets: np.ndarray, group: np.ndarray, value: np.ndarray,
                 higher_is_better: np.ndarray) -> np.ndarray:
    """Competition rank (1 = best, ties share the best rank) of `value` within its group.

    sorted_vals holds every group's values ascending, group g at offsets[g]:offsets[g+1].
    The groups are made one globally sorted sequence by pairing (group, value) into complex
    numbers, which numpy orders lexicographically, so one searchsorted serves every group."""
    return segment_rank_ties(sorted_vals, offsets, group, value, higher_is_better)[0]


def segment_rank_ties(sorted_vals: np.ndarray, offsets: np.ndarray, group: np.ndarray, value: np.ndarray,
                      higher_is_better: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(competition rank, how many values of the group share it) per (group, value): see segment_rank."""
    offsets = np.asarray(offsets, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    g_of = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets)).astype(float)
    keys = g_of + 1j * np.asarray(sorted_vals, dtype=float)
    q = group.astype(float) + 1j * np.asarray(value, dtype=float)
    left, right = np.searchsorted(keys, q, side="left"), np.searchsorted(keys, q, side="right")
    below, above = left - offsets[group], offsets[group + 1] - right
    return np.where(higher_is_better, above, below) + 1, right - left


def segment_sorted(sid: np.ndarray, seg: np.ndarray, year: np.ndarray, value: np.ndarray,
                   window: int) -> dict[str, np.ndarray]:
    """Per (series, segment) group of rows sorted by series then year: count, first and last
    point, and the last `window` points as flat arrays with offsets (the SQL path's shape)."""
    if len(sid) == 0:
        empty = np.zeros(0)
        return {"sid": empty.astype(np.int64), "seg": empty.astype(np.int64), "n": empty.astype(np.int64),
                "first_year": empty, "first_value": empty, "last_year": empty, "last_value": empty,
                "win_offsets": np.zeros(1, np.int64), "win_years": empty, "win_values": empty}
    change = np.r_[True, (sid[1:] != sid[:-1]) | (seg[1:] != seg[:-1])]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], len(sid)]
    wstart = np.maximum(starts, ends - window)
    wlen = ends - wstart
    win_offsets = np.r_[0, np.cumsum(wlen)]
    idx = np.repeat(wstart, wlen) + np.arange(win_offsets[-1]) - np.repeat(win_offsets[:-1], wlen)
    return {"sid": sid[starts], "seg": seg[starts], "n": ends - starts,
            "first_year": year[starts], "first_value": value[starts],
            "last_year": year[ends - 1], "last_value": value[ends - 1],
            "win_offsets": win_offsets, "win_years": year[idx].astype(float), "win_values": value[idx]}


def sorted_group_stats(values: np.ndarray, offsets: np.ndarray) -> dict[str, np.ndarray]:
    """Median, min and max per group of ascending values (groups at offsets)."""
    n = np.diff(offsets)
    if len(n) == 0:
        return {"median": np.zeros(0), "min": np.zeros(0), "max": np.zeros(0)}
    lo, hi = offsets[:-1] + (n - 1) // 2, offsets[:-1] + n // 2
    return {"median": (values[lo] + values[hi]) / 2.0, "min": values[offsets[:-1]], "max": values[offsets[1:] - 1]}


# --- the table's inputs ----------------------------------------------------------------------
# Both paths produce TrendInputs through inputs_from_arrays: trend_table() from a DataFrame of
# current values, trend_table_from_store() from store.trend_inputs (DuckDB reads the current
# values, kept at write time, as flat arrays with dense ids). Everything after that is shared,
# so the two cannot drift apart.

YEAR_MAX = 2100                   # later years are not read; open memberships and breaks run to here


@dataclass
class TrendInputs:
    indicator_ids: list[str]            # ii -> indicator id (catalogue order)
    kommunkoder: list[str]              # ki -> kommunkod
    segments: pd.DataFrame              # ii, ki, seg (-1: before the start year), n, first/last year/value
    win_offsets: np.ndarray             # each segment's last WINDOW_YEARS points, flat
    win_years: np.ndarray
    win_values: np.ndarray
    network: pd.DataFrame               # ii, year, n, total, wtotal, wpop, wn (members of that year)
    net_offsets: np.ndarray             # each network group's values, ascending, flat
    net_values: np.ndarray
    refs: pd.DataFrame                  # ii, ki, year, value at the base years of relative targets


@dataclass
class EngineParams:
    """Small parameter tables, the same for the numpy and the SQL path."""
    indicators: pd.DataFrame            # ii, indicator_id, start_year, higher, weighted, has_breaks
    kommuner: pd.DataFrame              # ki, kommunkod
    breaks: pd.DataFrame                # indicator_id, kommunkod (None = everyone), year, note
    breaks_nat: pd.DataFrame            # ii, year, brk: latest national break at or before year
    breaks_mun: pd.DataFrame            # ii, ki, year, brk: the same for a municipality's own breaks
    member_years: pd.DataFrame          # ki, year: members of that year
    population: pd.DataFrame            # ki, year, population
    targets: pd.DataFrame               # ii, ki (-1 national), kind, value, year, base_year, label
    ref_years: pd.DataFrame             # ii, year
    preliminary_share: float = 0.5      # a year is preliminary until this share of its members reported


def _catalog_breaks(catalog, breaks_df) -> pd.DataFrame:
    rows = [(i.id, None, b.year, b.note) for i in catalog for b in i.series_breaks]
    if breaks_df is not None and len(breaks_df):
        kom = breaks_df["kommunkod"] if "kommunkod" in breaks_df else [None] * len(breaks_df)
        rows += [(i, k if isinstance(k, str) else None, int(y), n if isinstance(n, str) else "")
                 for i, k, y, n in zip(breaks_df["indicator_id"], kom, breaks_df["year"], breaks_df.get("note", [""] * len(breaks_df)))]
    df = pd.DataFrame(rows, columns=["indicator_id", "kommunkod", "year", "note"])
    df = df[df["indicator_id"].isin(catalog.ids)]
    return df.sort_values("note", key=lambda s: s.str.len()).drop_duplicates(
        ["indicator_id", "kommunkod", "year"], keep="last").reset_index(drop=True)


def _expand_breaks(breaks: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """For each key and year from its first break on: the latest break at or before that year."""
    out = []
    for key, grp in breaks.groupby(keys, sort=True):
        b = np.sort(grp["year"].to_numpy(int))
        years = np.arange(b[0], YEAR_MAX + 1)
        frame = pd.DataFrame({"year": years.astype("int32"), "brk": b[np.searchsorted(b, years, "right") - 1].astype("int32")})
        for k, v in zip(keys, key if isinstance(key, tuple) else (key,)):
            frame.insert(0, k, np.int32(v))
        out.append(frame)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame({k: pd.Series(dtype="int32") for k in keys + ["year", "brk"]})


def _member_pairs(membership_df) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct codes, code index, year) per distinct member year, sorted by code then
    year; numpy instead of a Python set of (code, year) tuples (~100 years per open membership)."""
    if membership_df is None or not len(membership_df):
        return np.zeros(0, object), np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.asarray(membership_df["kommunkod"], dtype=object).astype(str)
    lo = pd.to_numeric(membership_df["from_year"]).to_numpy(np.int64)
    hi = pd.to_numeric(membership_df["to_year"]).to_numpy(float)
    hi = np.where(np.isnan(hi), YEAR_MAX, hi).astype(np.int64)
    n = np.maximum(hi - lo + 1, 0)
    uniq, code_id = np.unique(codes, return_inverse=True)             # sorted like Python's str order
    years = np.repeat(lo, n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    key = np.unique(np.repeat(code_id.ravel(), n) * (1 << 32) + years)
    return uniq.astype(object), key >> 32, key & 0xFFFFFFFF


def member_year_pairs(membership_df) -> pd.DataFrame:
    """(kommunkod, year) for every year a municipality was a member (to_year NULL: until YEAR_MAX)."""
    if membership_df is None or not len(membership_df):
        return pd.DataFrame({"kommunkod": pd.Series(dtype=object), "year": pd.Series(dtype="int32")})
    uniq, code, year = _member_pairs(membership_df)
    return pd.DataFrame({"kommunkod": uniq[code], "year": year.astype("int32")})


def _member_years(membership_df, ki_of: dict) -> pd.DataFrame:
    uniq, code, year = _member_pairs(membership_df)
    ki = np.array([ki_of.get(k, -1) for k in uniq], dtype=np.int64)[code] if len(uniq) else code
    keep = ki >= 0
    return pd.DataFrame({"ki": ki[keep].astype("int32"), "year": year[keep].astype("int32")})


def _targets(catalog, targets_df, ii_of: dict, ki_of: dict) -> pd.DataFrame:
    cols = ["ii", "ki", "kind", "value", "year", "base_year", "label"]
    rows = []
    given = targets_df if targets_df is not None else pd.DataFrame(columns=["indicator_id", "kommunkod"])
    national_in_df = set(given.loc[given["kommunkod"].isna(), "indicator_id"]) if len(given) else set()
    for ind in catalog:
        t = ind.national_target
        if t is not None and ind.id not in national_in_df:
            rows.append((ii_of[ind.id], -1, t.kind, t.value, t.year, t.base_year, t.label))
    for r in given.to_dict("records"):
        kod = r.get("kommunkod")
        kod = kod if isinstance(kod, str) else None
        if r["indicator_id"] in ii_of and (kod is None or kod in ki_of):
            rows.append((ii_of[r["indicator_id"]], -1 if kod is None else ki_of[kod], r.get("kind") or "absolute",
                         r["value"], r["year"], r.get("base_year"), r.get("label") or ""))
    df = pd.DataFrame(rows, columns=cols)
    df["base_year"] = pd.to_numeric(df["base_year"], errors="coerce")
    return df


def engine_params(catalog, kommunkoder, membership_df=None, population_df=None, targets_df=None,
                  breaks_df=None, preliminary_share: float = 0.5) -> EngineParams:
    ids = catalog.ids
    ii_of = {k: i for i, k in enumerate(ids)}
    kommunkoder = sorted(set(kommunkoder))
    ki_of = {k: i for i, k in enumerate(kommunkoder)}
    inds = pd.DataFrame({"ii": np.arange(len(ids), dtype="int32"), "indicator_id": ids,
                         "start_year": np.array([i.start_year for i in catalog], dtype="int32"),
                         "higher": np.array([i.better == "higher" for i in catalog]),
                         "weighted": np.array([getattr(i, "weighted", False) for i in catalog], dtype=bool)})
    breaks = _catalog_breaks(catalog, breaks_df)
    nat, mun = breaks[breaks["kommunkod"].isna()], breaks[breaks["kommunkod"].isin(ki_of)]
    nat = nat.assign(ii=nat["indicator_id"].map(ii_of))
    mun = mun.assign(ii=mun["indicator_id"].map(ii_of), ki=mun["kommunkod"].map(ki_of))
    pop = pd.DataFrame({"ki": pd.Series(dtype="int32"), "year": pd.Series(dtype="int32"),
                        "population": pd.Series(dtype=float)})
    if population_df is not None and len(population_df):
        p = population_df[population_df["kommunkod"].isin(ki_of)]
        pop = pd.DataFrame({"ki": p["kommunkod"].map(ki_of).astype("int32"), "year": p["year"].astype("int32"),
                            "population": p["population"].astype(float)})
    targets = _targets(catalog, targets_df, ii_of, ki_of)
    rel = targets[(targets["kind"] == "relative") & targets["base_year"].notna()]
    inds["has_breaks"] = inds["ii"].isin(set(nat["ii"]) | set(mun["ii"]))
    return EngineParams(
        indicators=inds, kommuner=pd.DataFrame({"ki": np.arange(len(kommunkoder), dtype="int32"), "kommunkod": kommunkoder}),
        breaks=breaks, breaks_nat=_expand_breaks(nat, ["ii"]), breaks_mun=_expand_breaks(mun, ["ii", "ki"]),
        member_years=_member_years(membership_df, ki_of), population=pop, targets=targets,
        ref_years=rel[["ii", "base_year"]].rename(columns={"base_year": "year"}).drop_duplicates().astype("int32"),
        preliminary_share=float(preliminary_share))


def _dense(frame: pd.DataFrame, rows: int, col: str, ymin: int, fill, dtype) -> np.ndarray:
    """A (rows, years) lookup table from a frame with a row index column first, year, value."""
    out = np.full((rows, YEAR_MAX - ymin + 1), fill, dtype=dtype)
    if len(frame):
        f = frame[(frame["year"] >= ymin) & (frame["year"] <= YEAR_MAX)]
        out[f.iloc[:, 0].to_numpy(int), f["year"].to_numpy(int) - ymin] = f[col].to_numpy() if col else True
    return out


def inputs_from_current(current_df: pd.DataFrame, p: EngineParams, window: int) -> TrendInputs:
    """The pandas entry: current values (indicator_id, kommunkod, year, value) -> TrendInputs."""
    ids, codes = p.indicators["indicator_id"].tolist(), p.kommuner["kommunkod"].tolist()
    ii = current_df["indicator_id"].map({k: i for i, k in enumerate(ids)}).to_numpy(float)
    ki = current_df["kommunkod"].map({k: i for i, k in enumerate(codes)}).to_numpy(float)
    year = current_df["year"].to_numpy(float)
    value = current_df["value"].to_numpy(float)
    keep = ~np.isnan(ii) & ~np.isnan(ki) & np.isfinite(value) & np.isfinite(year) & (year <= YEAR_MAX)
    return inputs_from_arrays(ii[keep], ki[keep], year[keep], value[keep], p, window)


def _grid_order(row: np.ndarray, col: np.ndarray, n_rows: int, n_cols: int) -> np.ndarray | None:
    """The permutation that sorts rows by (row, col), found by placing them in a dense
    (n_rows, n_cols) grid instead of sorting: ~10x faster than a lexsort at 10 M rows. None when
    the grid would be much larger than the data (then the caller sorts)."""
    if n_rows * n_cols > 4 * len(row) + 1_000_000:
        return None
    pos = np.full(n_rows * n_cols, -1, np.int64)
    pos[row * n_cols + col] = np.arange(len(row))
    return pos[pos >= 0]


def _network_groups(ii, ki, year, value, pop, n_i: int, n_k: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Per (indicator, year) group of member rows (one per municipality): n, sums,
    population-weighted sums, and the values ascending (flat, with offsets). Rows go into an
    (indicator × year, member) grid and each grid row is sorted (short rows: cheap) instead of
    one global sort; a sparse grid falls back to the sort."""
    if len(ii) == 0:
        empty = pd.DataFrame({c: np.zeros(0, np.int64) for c in ("ii", "year")} |
                             {c: np.zeros(0) for c in ("n", "total", "wtotal", "wpop", "wn")})
        return empty, np.zeros(1, np.int64), np.zeros(0)
    y0 = int(year.min())
    n_y = int(year.max()) - y0 + 1
    row = ii * n_y + (year - y0)
    known = ~np.isnan(pop)
    p = np.where(known, pop, 0.0)
    size = n_i * n_y
    present = np.bincount(row, minlength=size)
    group = np.flatnonzero(present)
    sums = {"total": np.bincount(row, weights=value, minlength=size),
            "wtotal": np.bincount(row, weights=value * p, minlength=size),
            "wpop": np.bincount(row, weights=p, minlength=size),
            "wn": np.bincount(row, weights=known.astype(float), minlength=size)}
    network = pd.DataFrame({"ii": group // n_y, "year": group % n_y + y0, "n": present[group],
                            **{k: v[group] for k, v in sums.items()}})
    offsets = np.r_[0, np.cumsum(present[group])].astype(np.int64)
    slot = np.cumsum(np.bincount(ki, minlength=n_k) > 0) - 1          # each member's column
    width = int(slot[ki].max()) + 1
    if len(group) * width > 4 * len(ii) + 1_000_000:
        return network, offsets, value[np.lexsort((value, row))]
    cell = np.full(size, -1, np.int64)
    cell[group] = np.arange(len(group))
    grid = np.full((len(group), width), np.nan)
    grid[cell[row], slot[ki]] = value
    grid.sort(axis=1)                                                  # NaN (no value) sorts last
    return network, offsets, grid[~np.isnan(grid)]


def inputs_from_arrays(ii, ki, year, value, p: EngineParams, window: int) -> TrendInputs:
    """Current values as flat arrays (dense indicator and municipality ids, year, finite value;
    one row per key, any order) -> TrendInputs: each series split at its start year and series
    breaks, with its count, first and last point and last `window` points; the network per
    indicator and year over that year's members; the values at relative targets' base years.
    The store path (store.trend_inputs) and the pandas path (inputs_from_current) both end here."""
    ids, codes = p.indicators["indicator_id"].tolist(), p.kommuner["kommunkod"].tolist()
    n_i, n_k = len(ids), len(codes)
    ii, ki, year = (np.asarray(a, dtype=np.int64) for a in (ii, ki, year))
    value = np.asarray(value, dtype=float)
    ymin = int(min([year.min(initial=YEAR_MAX)] + [int(f["year"].min()) for f in (p.breaks_nat, p.member_years, p.population) if len(f)]))
    y_lo = int(year.min(initial=ymin))
    order = _grid_order(ii * n_k + ki, year - y_lo, n_i * n_k, int(year.max(initial=y_lo)) - y_lo + 1)
    if order is None:
        order = np.lexsort((year, ki, ii))
    ii, ki, year, value = ii[order], ki[order], year[order], value[order]
    start = p.indicators["start_year"].to_numpy(np.int64)[ii]
    nat = _dense(p.breaks_nat, n_i, "brk", ymin, -1, np.int64)[ii, year - ymin]
    mun = np.full(len(ii), -1, np.int64)
    if len(p.breaks_mun):
        rows = pd.DataFrame({"ii": ii, "ki": ki, "year": year})
        mun = rows.merge(p.breaks_mun, on=["ii", "ki", "year"], how="left")["brk"].fillna(-1).to_numpy(np.int64)
    seg = np.where(year >= start, np.maximum(start, np.maximum(nat, mun)), -1)
    s = segment_sorted(ii * n_k + ki, seg, year, value, window)
    segments = pd.DataFrame({"ii": s["sid"] // n_k, "ki": s["sid"] % n_k, "seg": s["seg"], "n": s["n"],
                             "first_year": s["first_year"], "first_value": s["first_value"],
                             "last_year": s["last_year"], "last_value": s["last_value"]})
    member = _dense(p.member_years, n_k, None, ymin, False, bool)[ki, year - ymin]
    pop = _dense(p.population, n_k, "population", ymin, np.nan, float)[ki, year - ymin]
    network, net_offsets, net_values = _network_groups(ii[member], ki[member], year[member], value[member],
                                                          pop[member], n_i, n_k)
    at_ref = _dense(p.ref_years.assign(hit=True), n_i, "hit", ymin, False, bool)[ii, year - ymin]
    refs = pd.DataFrame({"ii": ii[at_ref], "ki": ki[at_ref], "year": year[at_ref], "value": value[at_ref]})
    return TrendInputs(ids, codes, segments, s["win_offsets"], s["win_years"], s["win_values"], network,
                       net_offsets, net_values, refs)


# --- the table's mechanics (the rules themselves are in trends.py) ----------------------------

@contextmanager
def no_gc():
    """Pause the cyclic GC while building hundreds of thousands of small lists and strings:
    its full scans, not the work itself, dominate that at 300 000 series."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def pick_series(inp: TrendInputs, n_k: int) -> np.ndarray:
    """Per series, the segment row the verdict uses: the last one (or the only, pre-start one)."""
    s = inp.segments
    ii, ki, sg = (s[c].to_numpy(np.int64) for c in ("ii", "ki", "seg"))
    order = np.lexsort((sg, ki, ii))
    sid = ii[order] * n_k + ki[order]
    return order[np.r_[sid[1:] != sid[:-1], True]] if len(sid) else order


def expand_targets(inp: TrendInputs, p: EngineParams, ii: np.ndarray, ki: np.ndarray) -> pd.DataFrame:
    """One row per (series r, target): national targets meet every series of their indicator,
    municipal ones their municipality's; `ref` is the series' value in a relative target's base year.
    Rows: the national pairs (target order, then series order), then the municipal ones.
    Index look-ups with numpy rather than pandas merges (a scorecard has a handful of rows)."""
    t = p.targets
    ii, ki = np.asarray(ii, np.int64), np.asarray(ki, np.int64)
    n_k = max(len(inp.kommunkoder), int(ki.max(initial=-1)) + 1, 1)
    t_ii, t_ki = t["ii"].to_numpy(np.int64), t["ki"].to_numpy(np.int64)
    nat = t_ki < 0

    def pairs(series_key, target_key, which):
        order = np.argsort(series_key, kind="stable")
        sk = series_key[order]
        tj = np.flatnonzero(which)
        lo, hi = np.searchsorted(sk, target_key[tj], "left"), np.searchsorted(sk, target_key[tj], "right")
        cnt = hi - lo
        pos = np.repeat(lo, cnt) + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        return np.repeat(tj, cnt), order[pos]

    tj_n, r_n = pairs(ii, t_ii, nat)
    tj_m, r_m = pairs(ii * n_k + ki, t_ii * n_k + t_ki, ~nat)
    tj, r = np.r_[tj_n, tj_m].astype(np.int64), np.r_[r_n, r_m].astype(np.int64)
    cols = [c for c in t.columns if c not in ("ii", "ki")]
    tt = pd.DataFrame({"ii": t_ii[tj], **{c: t[c].take(tj).reset_index(drop=True) for c in cols}, "r": r, "ki": ki[r],
                       "scope": np.where(np.arange(len(tj)) < len(tj_n), "national", "municipal").astype(object)})
    ref = np.full(len(tt), np.nan)
    refs = inp.refs
    if len(refs) and len(tt):
        base = tt["base_year"].to_numpy(float)
        known = ~np.isnan(base) & (base == np.floor(base))
        rkey = (refs["ii"].to_numpy(np.int64) * n_k + refs["ki"].to_numpy(np.int64)) * 10_000 \
            + refs["year"].to_numpy(np.int64)
        o = np.argsort(rkey, kind="stable")
        rk, rv = rkey[o], refs["value"].to_numpy(float)[o]
        q = (t_ii[tj] * n_k + ki[r]) * 10_000 + np.where(known, base, 0).astype(np.int64)
        at = np.minimum(np.searchsorted(rk, q), max(len(rk) - 1, 0))
        hit = known & (rk[at] == q)
        ref[hit] = rv[at[hit]]
    tt["ref"] = ref
    return tt


def table_records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """Rows as JSON-ready dicts: NaN/NA -> None, numpy scalars -> Python (for `trends --json`).

    Column by column (Series.tolist gives Python scalars), which is ~5x faster than per value."""
    names = list(columns) if columns is not None else list(df.columns)
    cols = []
    for name in names:
        values = df[name].tolist()
        cols.append([None if v is None or v is pd.NA or (type(v) is float and v != v) else v for v in values])
    return [dict(zip(names, row)) for row in zip(*cols)]


# --- small conversions shared by the per-series functions ----------------------------------

def as_float(x):
    """A float for output, None for NaN/None (no NaN ever leaves the per-series functions)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def as_int(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else int(x)


def clean_series(years, values) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(list(years), dtype=float)
    v = np.asarray([np.nan if x is None else x for x in values], dtype=float)
    if y.shape != v.shape:
        raise ValueError("years and values differ in length")
    keep = np.isfinite(v) & np.isfinite(y)
    y, v = y[keep], v[keep]
    order = np.argsort(y, kind="stable")
    y, v = y[order], v[order]
    if len(y) > 1 and (np.diff(y) == 0).any():
        raise ValueError(f"a year appears twice: {int(y[np.argmax(np.diff(y) == 0)])}")
    return y.astype(int), v
