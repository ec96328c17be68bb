"""The trend engine: verdicts (the network's rule), recent direction, status bands, targets,
network averages and ranks, for one series or for every (municipality, indicator) at once.

The verdict reproduces SEKOM's public rule exactly (shared/reference/README.md): base = the
first year with data from the start year on (or from the last series break), latest = the
last year with data, no tolerance, fewer than MIN_VERDICT_POINTS points -> insufficient.
The direction is a separate, declared method (Theil–Sen + Mann–Kendall over the last
WINDOW_YEARS points of the same series) and is never mixed into the verdict.

Pure functions on plain data and DataFrames; the vectorised kernels live in trendmath.py.
No SQL, no I/O, no UI imports. The one exception is the adapter trend_table_from_store at
the end, which gathers its inputs through queries.* (where every SQL statement lives) so the
CLI and the pages share one code path.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from . import trendmath as tm
from .summaries import primary_target, verdict_sentence
from .trendmath import EngineParams, TrendInputs, engine_params, network_frame, table_records  # noqa: F401

# --- the method, stated once -------------------------------------------------------------
MIN_VERDICT_POINTS = 3            # the network's rule: fewer points from the base year on -> no verdict
WINDOW_YEARS = 10                 # direction: the last up to 10 points with data (of the verdict's series)
DIRECTION_MIN_POINTS = 5          # fewer -> direction 'insufficient' (4 points can never reach p < 0.10 unless perfectly monotone)
DIRECTION_MAX_P = 0.10            # Mann–Kendall two-sided p must be at most this for a clear direction
DIRECTION_MIN_PCT_PER_YEAR = 0.5  # |slope| below 0.5 % of the window's median level per year -> no clear change
DIRECTION_METHOD = ("Theil–Sen slope over the last up to {w} years with data; clear when Mann–Kendall "
                    "p ≤ {p} and |change| ≥ {pct} % of the median level per year").format(
                        w=WINDOW_YEARS, p=DIRECTION_MAX_P, pct=DIRECTION_MIN_PCT_PER_YEAR)

VERDICTS = ("right", "wrong", "unchanged", "insufficient")
DIRECTIONS = ("improving", "worsening", "no_clear_change", "insufficient")
TARGET_STATUSES = ("achieved", "on_track", "off_track", "no_target", "insufficient")


def _none(x):
    """A float for output, None for NaN/None (no NaN ever leaves the per-series functions)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _int(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else int(x)


# --- the rule, vectorised: used by the per-series functions and by the table --------------

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
    return {"direction": direction, "direction_n": n, "window_start": w["window_start"], "window_end": w["window_end"],
            "slope_per_year": slope, "pct_change_per_year": pct, "median_level": level,
            "mk_s": w["mk_s"], "mk_tau": w["mk_tau"], "mk_p": w["mk_p"], "agreeing_share": w["agreeing_share"]}


def band_index(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    """Band position, 0 = lowest values; a value on an edge belongs to the band above it."""
    return np.searchsorted(np.asarray(edges, dtype=float), np.asarray(values, dtype=float), side="right")


def band_rank(idx: np.ndarray, n_bands: int, higher: bool) -> np.ndarray:
    """1 = the best band along the better direction."""
    return (n_bands - idx) if higher else (idx + 1)


# --- one series ----------------------------------------------------------------------------

def _clean(years, values) -> tuple[np.ndarray, np.ndarray]:
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
    y, v = _clean(years, values)
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
    y, v = _clean(years, values)
    eff, _, _ = series_segment(y, start_year, breaks)
    keep = y >= eff if eff is not None else np.ones(len(y), bool)
    y, v = y[keep][-WINDOW_YEARS:], v[keep][-WINDOW_YEARS:]
    x = np.full((1, WINDOW_YEARS), np.nan)
    z = np.full((1, WINDOW_YEARS), np.nan)
    x[0, :len(y)], z[0, :len(v)] = y, v
    s = direction_stats(x, z, np.array([better == "higher"]))
    out = {k: (_none(a[0]) if k != "direction" else a[0]) for k, a in s.items()}
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


# --- targets -------------------------------------------------------------------------------

def target_status(target_value, target_year, latest_year, latest_value, slope, higher) -> dict[str, np.ndarray]:
    """Vectorised target arithmetic: gap, required pace, projection and on_track status.

    slope must be NaN where the recent direction is insufficient (no projection then)."""
    tv, ty = np.asarray(target_value, float), np.asarray(target_year, float)
    ly, lv, sl = np.asarray(latest_year, float), np.asarray(latest_value, float), np.asarray(slope, float)
    higher = np.asarray(higher, bool)
    gap = tv - lv
    ahead = ty > ly
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = np.where(ahead, gap / (ty - ly), np.nan)
    projected = np.where(ahead, lv + sl * (ty - ly), np.nan)
    achieved = np.where(higher, lv >= tv, lv <= tv)
    reaches = np.where(higher, projected >= tv, projected <= tv)
    status = np.where(achieved, "achieved", np.where(~ahead, "off_track",
                      np.where(np.isnan(projected), "insufficient", np.where(reaches, "on_track", "off_track"))))
    status = status.astype(object)
    status[np.isnan(lv) | np.isnan(ly)] = "insufficient"
    status[np.isnan(tv)] = "insufficient"
    return {"gap": gap, "required_pace_per_year": pace, "projected_value": projected, "on_track": status,
            "target_passed": ~ahead}


def _target_fields(t) -> dict:
    get = t.get if isinstance(t, dict) else (lambda k, d=None: getattr(t, k, d))
    base = get("base_year")
    return {"kind": get("kind") or "absolute", "label": get("label") or "", "value": get("value"),
            "target_year": _int(get("year")), "base_year": _int(base) if base is not None else None,
            "kommunkod": get("kommunkod") if isinstance(get("kommunkod"), str) else None}


def evaluate_targets(targets: Iterable, years, values, better: str, slope_per_year: float | None = None) -> list[dict]:
    """Evaluate each target (catalog Target objects or target-table rows as dicts) for one series.

    A relative target (value = percent change, e.g. -62 versus base_year 2005) is resolved
    against the series' own value in its base year; without that value it is 'insufficient'.
    Pass slope_per_year=None when the direction is insufficient: no projection is made then."""
    y, v = _clean(years, values)
    ly, lv = (y[-1], v[-1]) if len(y) else (np.nan, np.nan)
    out = []
    for t in targets:
        f = _target_fields(t)
        raw = _none(f["value"])
        resolved = raw
        if raw is not None and f["kind"] == "relative":
            hit = v[y == f["base_year"]] if f["base_year"] is not None else []
            resolved = float(hit[0]) * (1 + raw / 100.0) if len(hit) else None
        s = target_status([np.nan if resolved is None else resolved], [f["target_year"]], [ly], [lv],
                          [np.nan if slope_per_year is None else slope_per_year], [better == "higher"])
        status = "no_target" if raw is None or f["target_year"] is None else s["on_track"][0]
        out.append({"kind": f["kind"], "label": f["label"], "scope": "municipal" if f["kommunkod"] else "national",
                    "kommunkod": f["kommunkod"], "value": raw, "base_year": f["base_year"],
                    "target_value": resolved, "target_year": f["target_year"], "gap": _none(s["gap"][0]),
                    "required_pace_per_year": _none(s["required_pace_per_year"][0]),
                    "projected_value": _none(s["projected_value"][0]), "on_track": status,
                    "target_passed": bool(s["target_passed"][0])})
    return out


# --- the table: every (municipality, indicator) at once --------------------------------------

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


def _target_lists(inp: TrendInputs, p: EngineParams, cols: dict) -> tuple[list, np.ndarray]:
    tt = tm.expand_targets(inp, p, cols["ii"], cols["ki"])
    lists = [[] for _ in range(len(cols["ii"]))]
    status = np.full(len(cols["ii"]), "no_target", object)
    if not len(tt):
        return lists, status
    value = tt["value"].to_numpy(float)
    rel = (tt["kind"] == "relative").to_numpy()
    resolved = np.where(rel, tt["ref"].to_numpy(float) * (1 + value / 100.0), value)
    r = tt["r"].to_numpy()
    slope = np.where(cols["direction"][r] != "insufficient", cols["slope_per_year"][r], np.nan)
    st = target_status(resolved, tt["year"].to_numpy(float), cols["latest_year"][r], cols["latest_value"][r],
                       slope, cols["higher"][r])
    on = np.where(np.isnan(value) | tt["year"].isna().to_numpy(), "no_target", st["on_track"])
    codes = np.asarray(inp.kommunkoder, object)
    out = pd.DataFrame({
        "kind": tt["kind"], "label": tt["label"].fillna(""), "scope": tt["scope"],
        "kommunkod": np.where(tt["scope"] == "municipal", codes[tt["ki"].to_numpy()], None),
        "value": value, "base_year": pd.array(tt["base_year"], "Int64"), "target_value": resolved,
        "target_year": pd.array(tt["year"], "Int64"),
        "gap": st["gap"], "required_pace_per_year": st["required_pace_per_year"],
        "projected_value": st["projected_value"], "on_track": on, "target_passed": st["target_passed"]})
    for rr, rec in zip(r, table_records(out)):
        lists[rr].append(rec)
    for rr in np.unique(r):
        status[rr] = primary_target(lists[rr], int(cols["latest_year"][rr]))["on_track"]
    return lists, status


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
    return {"direction": d["direction"], "slope_per_year": d["slope_per_year"],
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


def _assemble(inp: TrendInputs, p: EngineParams, catalog, names: dict | None = None, summaries: bool = True,
              kommuner=None, indicators=None) -> pd.DataFrame:
    """Every column of the trend table from TrendInputs; rows sorted by kommunkod, then catalogue order."""
    pick, ii, ki = _selected(inp, kommuner, indicators)
    ids, codes = np.asarray(inp.indicator_ids, object)[ii], np.asarray(inp.kommunkoder, object)[ki]
    v = _verdict_columns(inp, p, pick, ii)
    has, higher = v.pop("_has"), v.pop("_higher")
    d = _direction_columns(inp, pick, has, higher)
    band, brank, nbands = _bands(catalog, ii, v["latest_value"])
    cols = {"ii": ii, "ki": ki, "latest_year": v["latest_year"], "latest_value": v["latest_value"], "higher": higher,
            "direction": d["direction"], "slope_per_year": d["slope_per_year"]}
    with tm.no_gc():
        targets, tstatus = _target_lists(inp, p, cols)
    net = tm.network_columns(inp, p, ii, ki, v["latest_year"], v["latest_value"], higher)
    out = pd.DataFrame({"kommunkod": codes, "indicator": ids, **v,
                        "break_note": _break_notes(p, ids, codes, v["series_start"]), **d,
                        "band": band, "band_rank": pd.array(brank, "Int64"), "n_bands": pd.array(nbands, "Int64"),
                        "targets": targets, "target_status": tstatus, **net})
    out["rank"], out["rank_n"] = pd.array(out["rank"], "Int64"), pd.array(out["rank_n"], "Int64")
    out = out.iloc[np.lexsort((ii, ki))].reset_index(drop=True)
    if summaries:
        with tm.no_gc():
            _add_summaries(out, catalog, names or {})
    return out


def _add_summaries(out: pd.DataFrame, catalog, names: dict) -> None:
    from .summaries import summarise
    inds = {i.id: i for i in catalog}
    recs = table_records(out, ["kommunkod", "indicator", "base_year", "base_value", "latest_year", "latest_value",
                               "verdict", "series_start", "rank", "rank_n", "targets"])
    out["summary_sv"] = [summarise(r, inds[r["indicator"]], "sv", names.get(r["kommunkod"], r["kommunkod"])) for r in recs]
    out["summary_en"] = [summarise(r, inds[r["indicator"]], "en", names.get(r["kommunkod"], r["kommunkod"])) for r in recs]


def trend_table(current_df: pd.DataFrame, catalog, membership_df: pd.DataFrame | None = None,
                population_df: pd.DataFrame | None = None, targets_df: pd.DataFrame | None = None,
                breaks_df: pd.DataFrame | None = None, *, municipalities_df: pd.DataFrame | None = None,
                summaries: bool = True, kommuner=None, indicators=None) -> pd.DataFrame:
    """One row per (kommunkod, indicator) with every trend field, from current values.

    current_df: indicator_id, kommunkod, year, value (queries.fetch_current). membership_df:
    kommunkod, from_year, to_year. targets_df: target-table rows (national rows override the
    catalogue's target for that indicator). breaks_df: series_break rows (added to the
    catalogue's). municipalities_df: kommunkod, name for the sentences."""
    codes = set(current_df["kommunkod"]) | (set(membership_df["kommunkod"]) if membership_df is not None else set())
    p = engine_params(catalog, codes, membership_df, population_df, targets_df, breaks_df)
    inp = tm.inputs_from_current(current_df, p, WINDOW_YEARS)
    return _assemble(inp, p, catalog, _names(municipalities_df), summaries, kommuner, indicators)


def _names(municipalities_df) -> dict:
    if municipalities_df is None:
        return {}
    return dict(zip(municipalities_df["kommunkod"], municipalities_df["name"]))


def _store_inputs(store, catalog, kommuner=None) -> tuple[TrendInputs, EngineParams, dict]:
    """Everything the engine needs from the store, read through queries.* (one big query);
    with kommuner, the series of (at least) those municipalities and the network groups they end in."""
    from . import queries
    munis = queries.fetch_municipalities(store)
    p = engine_params(catalog, munis["kommunkod"], queries.fetch_membership(store), queries.fetch_population(store),
                      queries.fetch_all_targets(store), queries.fetch_series_breaks(store))
    raw = queries.fetch_trend_inputs(store, p, WINDOW_YEARS, tm.YEAR_MAX, kommuner)
    inp = TrendInputs(p.indicators["indicator_id"].tolist(), p.kommuner["kommunkod"].tolist(), **raw)
    return inp, p, _names(munis)


def trend_table_from_store(store, catalog=None, *, kommuner=None, indicators=None, summaries: bool = True) -> pd.DataFrame:
    """The same table straight from the store: DuckDB dedupes revisions and groups the series
    (queries.fetch_trend_inputs), numpy does the rest. The CLI and the pages call this.
    Municipalities missing from the municipality table are not read."""
    from .catalog import default_catalog
    catalog = catalog or default_catalog()
    inp, p, names = _store_inputs(store, catalog, kommuner)
    return _assemble(inp, p, catalog, names, summaries, kommuner, indicators)


def trends_and_network_from_store(store, catalog=None, *, summaries: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(trend table, network frame) from one read of the store: what a cached snapshot wants."""
    from .catalog import default_catalog
    catalog = catalog or default_catalog()
    inp, p, names = _store_inputs(store, catalog)
    return _assemble(inp, p, catalog, names, summaries), network_frame(inp)


# --- the network -----------------------------------------------------------------------------

def network_aggregates(current_df: pd.DataFrame, membership_df: pd.DataFrame, population_df: pd.DataFrame | None = None,
                       indicator_ids: Sequence[str] | None = None, catalog=None) -> pd.DataFrame:
    """The SEKOM average per (indicator_id, year) over the members of that year (see network_frame)."""
    from .catalog import Catalog, default_catalog
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
    from .catalog import Indicator
    return Indicator(indicator_id, indicator_id, indicator_id, "", "higher", "", 1900, 0, "", "member")


def network_from_store(store, catalog=None) -> pd.DataFrame:
    """network_frame for every catalogue indicator, computed by DuckDB."""
    from .catalog import default_catalog
    return network_frame(_store_inputs(store, catalog or default_catalog())[0])


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
                     "pct_change_per_year": d["pct_change_per_year"], "mk_p": d["mk_p"], "network_n": n_latest,
                     "sentence_sv": verdict_sentence(v["verdict"], v["base_year"], "sv"),
                     "sentence_en": verdict_sentence(v["verdict"], v["base_year"], "en")})
    return pd.DataFrame(rows)
