"""The trend engine: verdicts (the network's rule), recent direction, status bands, targets,
network averages and ranks, for one series or for every (municipality, indicator) at once.

The verdict reproduces SEKOM's public rule exactly (shared/reference/README.md): base = the
first year with data from the start year on (or from the last series break), latest = the
last year with data, no tolerance, fewer than MIN_VERDICT_POINTS points -> insufficient.
The direction is a separate, declared method (Theil–Sen + Mann–Kendall over the last
WINDOW_YEARS points of the same series) and is never mixed into the verdict.

Pure functions on plain data and DataFrames that return canonical columns and codes (the
text layer writes sentences); the vectorised kernels live in trendmath.py, targets in
targets.py, the network in network.py. No SQL, no UI imports; imports nothing above the
store layer. The one exception to "no I/O" is the adapter trend_table_from_store at the end,
which gathers its inputs through the store's trend_inputs query so the CLI and the pages
share one code path.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.catalog import default_catalog
from indicators.stats import trendmath as tm
from indicators.stats.targets import target_lists
from indicators.stats.networkmath import network_columns, network_frame
from indicators.stats.trendmath import EngineParams, TrendInputs, as_float, clean_series, engine_params
from indicators.store import trend_inputs
from indicators.store.reference import fetch_engine_reference
from indicators.store.settings import fetch_settings

# --- the method, stated once -------------------------------------------------------------
MIN_VERDICT_POINTS = 3            # the network's rule: fewer points from the base year on -> no verdict
WINDOW_YEARS = 10                 # direction: the last up to 10 points with data (of the verdict's series)

DIRECTION_MIN_POINTS = 5          # fewer -> direction 'insufficient' (4 points can never reach p < 0.10 unless perfectly monotone)

DIRECTION_MAX_P = 0.10            # Mann–Kendall two-sided p must be at most this for a clear direction

DIRECTION_MIN_PCT_PER_YEAR = 0.5  # |slope| below 0.5 % of the window's median level per year -> no clear change

PRELIMINARY_SHARE = 0.5           # default: a year is preliminary for an indicator until half of that year's
                                  # members have a value for it (any source kind); the secretariat sets it,
                                  # stored in the database (setting 'preliminary_share')
PRELIMINARY_SETTING = "preliminary_share"

MIN_RANK_N = 5                    # no rank when fewer members reported that year (the reason is said instead)

STALE_YEARS = 3                   # a latest year this many years (or more) before the indicator's latest
                                  # complete year is stale: marked, and not ranked

DIRECTION_METHOD = ("Theil–Sen slope over the last up to {w} years with data; clear when Mann–Kendall "
                    "p ≤ {p} and |change| ≥ {pct} % of the median level per year").format(
                        w=WINDOW_YEARS, p=DIRECTION_MAX_P, pct=DIRECTION_MIN_PCT_PER_YEAR)

VERDICTS = ("right", "wrong", "unchanged", "insufficient")

RANK_REASONS = ("not_member", "stale", "too_few")   # why a series has no rank

DIRECTIONS = ("improving", "worsening", "no_clear_change", "insufficient")


def verdict_codes(base: np.ndarray, latest: np.ndarray, higher: np.ndarray, n_points: np.ndarray) -> np.ndarray:
    """'right'/'wrong'/'unchanged'/'insufficient' per element; exact comparison, no tolerance."""
    diff = np.asarray(latest, dtype=float) - np.asarray(base, dtype=float)
    good = np.where(np.asarray(higher, dtype=bool), diff > 0, diff < 0)
    out = np.where(diff == 0, "unchanged", np.where(good, "right", "wrong")).astype(object)
    out[(np.asarray(n_points) < MIN_VERDICT_POINTS) | np.isnan(diff)] = "insufficient"
    return out


def direction_stats(x: np.ndarray, y: np.ndarray, higher: np.ndarray) -> dict[str, np.ndarray]:
    """The recent direction for NaN-padded (series, WINDOW_YEARS) arrays of years and values."""
    w = tm.window_stats(x, y)
    slope, level, n = w["slope"], w["level"], w["n"]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        pct = np.where(slope == 0, 0.0, 100.0 * slope / np.abs(level))
    pct[~np.isfinite(pct)] = np.nan          # a zero median level: no percentage
    clear = ((slope != 0) & (np.sign(w["mk_s"]) == np.sign(slope)) & (w["mk_p"] <= DIRECTION_MAX_P)
             & ~(np.abs(pct) < DIRECTION_MIN_PCT_PER_YEAR))
    up = (slope > 0) == np.asarray(higher, dtype=bool)
    direction = np.where(clear, np.where(up, "improving", "worsening"), "no_clear_change").astype(object)
    direction[n < DIRECTION_MIN_POINTS] = "insufficient"
    significant = clear & (n >= DIRECTION_MIN_POINTS)     # a clear direction: improving or worsening
    return {"direction": direction, "direction_n": n, "window_start": w["window_start"], "window_end": w["window_end"],
            "slope_per_year": slope, "intercept": w["intercept"], "significant": significant,
            "pct_change_per_year": pct, "median_level": level,
            "mk_s": w["mk_s"], "mk_tau": w["mk_tau"], "mk_p": w["mk_p"], "agreeing_share": w["agreeing_share"]}


def band_index(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Band position, 0 = lowest values; a value on an edge belongs to the band above it."""
    return np.searchsorted(np.asarray(edges, dtype=float), np.asarray(values, dtype=float), side="right")


def band_rank(idx: np.ndarray, n_bands: int, higher: bool) -> np.ndarray:
    """1 = the best band along the better direction."""
    return (n_bands - idx) if higher else (idx + 1)


def _breaks(breaks) -> list[tuple[int, str]]:
    out = []
    for b in breaks or ():
        if isinstance(b, (int, np.integer)):
            out.append((int(b), ""))
        elif isinstance(b, tuple):
            out.append((int(b[0]), str(b[1]) if len(b) > 1 else ""))
        else:
            out.append((int(b.year), str(getattr(b, "note", "") or "")))
    return sorted(out)


def series_segment(years: np.ndarray, start_year: int | None, breaks=()) -> tuple[int | None, int | None, str | None]:
    """(effective start, break year the series starts at or None, its note) for a clean series.

    A break counts when it lies after the start year and at or before the last year with data."""
    if not len(years):
        return start_year, None, None
    start = int(years[0]) if start_year is None else int(start_year)
    latest = int(years[-1])
    applicable = [(y, note) for y, note in _breaks(breaks) if start < y <= latest]
    if applicable:
        y, note = applicable[-1]
        return y, y, note or None
    return start, None, None


def compute_verdict(years, values, better: str, start_year: int, breaks=()) -> dict:
    """The network's verdict for one series. Missing values (None/NaN) are years without data."""
    y, v = clean_series(years, values)
    out = {"base_year": None, "base_value": None, "latest_year": None, "latest_value": None, "n_points": 0,
           "verdict": "insufficient", "series_start": None, "used_break": False, "break_note": None}
    if not len(y):
        return out
    eff, series_start, note = series_segment(y, start_year, breaks)
    seg = y >= eff
    n = int(seg.sum())
    out.update(latest_year=int(y[-1]), latest_value=float(v[-1]), n_points=n, series_start=series_start,
               used_break=series_start is not None, break_note=note)
    if n:
        out.update(base_year=int(y[seg][0]), base_value=float(v[seg][0]))
        out["verdict"] = verdict_codes(np.array([v[seg][0]]), np.array([v[-1]]), np.array([better == "higher"]),
                                       np.array([n]))[0]
    return out


def compute_direction(years, values, better: str, start_year: int | None = None, breaks=()) -> dict:
    """Recent direction: Theil–Sen over the last WINDOW_YEARS points (from start_year/the last
    break on, when given), with Mann–Kendall S/tau/p and the share of agreeing steps."""
    y, v = clean_series(years, values)
    eff, _, _ = series_segment(y, start_year, breaks)
    keep = y >= eff if eff is not None else np.ones(len(y), bool)
    y, v = y[keep][-WINDOW_YEARS:], v[keep][-WINDOW_YEARS:]
    x = np.full((1, WINDOW_YEARS), np.nan)
    z = np.full((1, WINDOW_YEARS), np.nan)
    x[0, :len(y)], z[0, :len(v)] = y, v
    s = direction_stats(x, z, np.array([better == "higher"]))
    out = {k: (as_float(a[0]) if k not in ("direction", "significant") else a[0]) for k, a in s.items()}
    out["significant"] = bool(out["significant"])
    out["direction_n"] = int(s["direction_n"][0])
    out["window_start"], out["window_end"] = (int(y[0]), int(y[-1])) if len(y) else (None, None)
    out["method"] = DIRECTION_METHOD
    return out


def compute_band(value, indicator) -> dict | None:
    """{'band', 'band_rank' (1 = best), 'n_bands'} from the catalogue's bands, or None."""
    if not indicator.band_labels or value is None or not np.isfinite(float(value)):
        return None
    idx = int(band_index(np.array([float(value)]), indicator.band_edges)[0])
    n = len(indicator.band_labels)
    return {"band": indicator.band_labels[idx], "band_rank": int(band_rank(idx, n, indicator.better == "higher")),
            "n_bands": n}


def _bands(catalog, ii: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    band, rank, n = np.full(len(ii), None, object), np.full(len(ii), np.nan), np.full(len(ii), np.nan)
    for k, ind in enumerate(catalog):
        lo, hi = np.searchsorted(ii, [k, k + 1])        # rows are sorted by indicator
        if ind.band_labels and hi > lo:
            idx = band_index(value[lo:hi], ind.band_edges)
            band[lo:hi] = np.asarray(ind.band_labels, object)[idx]
            rank[lo:hi] = band_rank(idx, len(ind.band_labels), ind.better == "higher")
            n[lo:hi] = len(ind.band_labels)
    return band, rank, n


def _selected(inp: TrendInputs, kommuner, indicators) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The segment row per series (tm.pick_series), filtered; with its indicator and municipality."""
    s = inp.segments
    pick = tm.pick_series(inp, len(inp.kommunkoder))
    ii, ki = s["ii"].to_numpy(np.int64)[pick], s["ki"].to_numpy(np.int64)[pick]
    keep = np.ones(len(pick), bool)
    if kommuner is not None:
        keep &= np.isin(np.asarray(inp.kommunkoder, object)[ki], list(kommuner))
    if indicators is not None:
        keep &= np.isin(np.asarray(inp.indicator_ids, object)[ii], list(indicators))
    return pick[keep], ii[keep], ki[keep]


def _verdict_columns(inp: TrendInputs, p: EngineParams, pick, ii) -> dict:
    """The network's rule per series, from its chosen segment (seg < 0: no data from the start year)."""
    s = inp.segments
    seg = s["seg"].to_numpy(np.int64)[pick]
    has = seg >= 0
    start = p.indicators["start_year"].to_numpy(np.int64)[ii]
    higher = p.indicators["higher"].to_numpy(bool)[ii]
    n_points = np.where(has, s["n"].to_numpy(np.int64)[pick], 0)
    base_year = np.where(has, s["first_year"].to_numpy(float)[pick], np.nan)
    base_value = np.where(has, s["first_value"].to_numpy(float)[pick], np.nan)
    ly, lv = s["last_year"].to_numpy(np.int64)[pick], s["last_value"].to_numpy(float)[pick]
    series_start = np.where(has & (seg > start), seg, np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        change_pct = np.where(base_value != 0, 100.0 * (lv - base_value) / np.abs(base_value), np.nan)
    change_pct[~np.isfinite(change_pct)] = np.nan
    return {"start_year": start, "base_year": pd.array(base_year, "Int64"), "base_value": base_value,
            "latest_year": ly, "latest_value": lv, "n_points": n_points,
            "verdict": verdict_codes(base_value, lv, higher, n_points),
            "series_start": pd.array(series_start, "Int64"), "used_break": ~np.isnan(series_start),
            "change": lv - base_value, "change_pct": change_pct, "_has": has, "_higher": higher}


def _direction_columns(inp: TrendInputs, pick, has, higher) -> dict:
    """Theil–Sen/Mann–Kendall over each series' window (the last WINDOW_YEARS points of its segment)."""
    x, y = tm.pad_rows(inp.win_offsets, [inp.win_years, inp.win_values], WINDOW_YEARS, pick)
    x[~has], y[~has] = np.nan, np.nan
    d = direction_stats(x, y, higher)
    some = d["direction_n"] > 0
    return {"direction": d["direction"], "slope_per_year": d["slope_per_year"], "intercept": d["intercept"],
            "_significant": d["significant"],
            "pct_change_per_year": d["pct_change_per_year"], "direction_n": d["direction_n"],
            "window_start": pd.array(np.where(some, d["window_start"], np.nan), "Int64"),
            "window_end": pd.array(np.where(some, d["window_end"], np.nan), "Int64"),
            "mk_s": d["mk_s"], "mk_tau": d["mk_tau"], "mk_p": d["mk_p"], "agreeing_share": d["agreeing_share"]}


def _break_notes(p: EngineParams, ids, codes, series_start) -> np.ndarray:
    notes = {(r.indicator_id, r.kommunkod if isinstance(r.kommunkod, str) else None, int(r.year)): r.note or None
             for r in p.breaks.itertuples()}
    out = np.full(len(ids), None, dtype=object)
    years = series_start.to_numpy(dtype=float, na_value=np.nan)
    for n in np.flatnonzero(~np.isnan(years)):          # only the few series that start at a break
        i, k, b = ids[n], codes[n], int(years[n])
        out[n] = notes.get((i, k, b), notes.get((i, None, b)))
    return out


def _assemble(inp: TrendInputs, p: EngineParams, catalog, kommuner=None, indicators=None) -> pd.DataFrame:
    """Every column of the trend table from TrendInputs; rows sorted by kommunkod, then catalogue order."""
    pick, ii, ki = _selected(inp, kommuner, indicators)
    ids, codes = np.asarray(inp.indicator_ids, object)[ii], np.asarray(inp.kommunkoder, object)[ki]
    v = _verdict_columns(inp, p, pick, ii)
    has, higher = v.pop("_has"), v.pop("_higher")
    d = _direction_columns(inp, pick, has, higher)
    significant = d.pop("_significant")
    band, brank, nbands = _bands(catalog, ii, v["latest_value"])
    cols = {"ii": ii, "ki": ki, "latest_year": v["latest_year"], "latest_value": v["latest_value"], "higher": higher,
            "direction": d["direction"], "slope_per_year": d["slope_per_year"], "intercept": d["intercept"],
            "significant": significant}
    with tm.no_gc():
        targets, tstatus = target_lists(inp, p, cols)
    net = network_columns(inp, p, ii, ki, v["latest_year"], v["latest_value"], higher, min_rank_n=MIN_RANK_N,
                             stale_years=STALE_YEARS)
    out = pd.DataFrame({"kommunkod": codes, "indicator": ids, **v,
                        "break_note": _break_notes(p, ids, codes, v["series_start"]), **d,
                        "band": band, "band_rank": pd.array(brank, "Int64"), "n_bands": pd.array(nbands, "Int64"),
                        "targets": targets, "target_status": tstatus, **net})
    for col in ("rank", "rank_n", "rank_shared", "network_year"):
        out[col] = pd.array(out[col], "Int64")
    out["rank_reason"] = pd.Series(list(net["rank_reason"]), dtype=object)    # None where ranked
    out = out.iloc[np.lexsort((ii, ki))].reset_index(drop=True)
    return out


def trend_table(current_df: pd.DataFrame, catalog, membership_df: pd.DataFrame | None = None,
                population_df: pd.DataFrame | None = None, targets_df: pd.DataFrame | None = None,
                breaks_df: pd.DataFrame | None = None, *, kommuner=None, indicators=None,
                preliminary_share: float = PRELIMINARY_SHARE) -> pd.DataFrame:
    """One row per (kommunkod, indicator) with every trend field, from current values.

    current_df: indicator_id, kommunkod, year, value (store.observations.fetch_current).
    membership_df: kommunkod, from_year, to_year. targets_df: target-table rows (national rows
    override the catalogue's target for that indicator). breaks_df: series_break rows (added to
    the catalogue's). preliminary_share: see PRELIMINARY_SHARE (the store path reads the setting)."""
    codes = set(current_df["kommunkod"]) | (set(membership_df["kommunkod"]) if membership_df is not None else set())
    p = engine_params(catalog, codes, membership_df, population_df, targets_df, breaks_df, preliminary_share)
    inp = tm.inputs_from_current(current_df, p, WINDOW_YEARS)
    return _assemble(inp, p, catalog, kommuner, indicators)


@dataclass(frozen=True)
class Reference:
    """The small reference tables the engine (and a page snapshot) reads with the observations."""
    municipalities: pd.DataFrame
    membership: pd.DataFrame
    population: pd.DataFrame
    targets: pd.DataFrame
    breaks: pd.DataFrame
    preliminary_share: float = PRELIMINARY_SHARE


def parse_preliminary_share(text) -> float | None:
    """The stored setting as a share in (0, 1], or None when it is not one."""
    try:
        share = float(text)
    except (TypeError, ValueError):
        return None
    return share if 0 < share <= 1 else None


def read_preliminary_share(store) -> float:
    """The preliminary-year threshold the secretariat set (the default when none is stored)."""
    share = parse_preliminary_share(fetch_settings(store).get(PRELIMINARY_SETTING))
    return PRELIMINARY_SHARE if share is None else share


def read_reference(store) -> Reference:
    """The reference tables and the preliminary-year threshold, on one connection (store.reading())."""
    with store.reading():
        refs = fetch_engine_reference(store)
        share = read_preliminary_share(store)
    return Reference(refs["municipalities"], refs["membership"], refs["population"], refs["targets"], refs["breaks"],
                     share)


def store_inputs(store, catalog, kommuner=None, refs: Reference | None = None) -> tuple[TrendInputs, EngineParams]:
    """Everything the engine needs from the store: the reference tables (read here unless given)
    and one big query (store.trend_inputs); with kommuner, the series of (at least) those
    municipalities and the network of every year. One connection for all of it."""
    with store.reading():
        refs = refs or read_reference(store)
        p = engine_params(catalog, refs.municipalities["kommunkod"], refs.membership, refs.population, refs.targets,
                          refs.breaks, refs.preliminary_share)
        raw = trend_inputs.fetch_trend_inputs(store, p, tm.YEAR_MAX, kommuner)
    return tm.inputs_from_arrays(raw["ii"], raw["ki"], raw["year"], raw["value"], p, WINDOW_YEARS), p


def trend_table_from_store(store, catalog=None, *, kommuner=None, indicators=None,
                           refs: Reference | None = None) -> pd.DataFrame:
    """The same table straight from the store: DuckDB reads the current values as flat arrays
    (store.trend_inputs), numpy does the rest. The CLI and the pages call this.
    Municipalities missing from the municipality table are not read."""
    catalog = catalog or default_catalog()
    inp, p = store_inputs(store, catalog, kommuner, refs)
    return _assemble(inp, p, catalog, kommuner, indicators)


def trends_and_network_from_store(store, catalog=None, refs: Reference | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(trend table, network frame) from one read of the store: what a cached snapshot wants.
    refs: the reference tables if the caller has read them already (see store_inputs)."""
    catalog = catalog or default_catalog()
    inp, p = store_inputs(store, catalog, refs=refs)
    return _assemble(inp, p, catalog), network_frame(inp, p)
