"""Targets: resolving absolute and relative targets, gap, required pace, projection and the
on-track status, for one series or vectorised (target_lists builds the trend table's target
column); and which target a sentence talks about.
Pure functions; imports only the statistics machinery below it (trendmath). No SQL, no UI.

- A relative target (value = percent change versus base_year) is resolved against the series'
  own value in its base year. On a zero base (a municipality without emissions-trading plants)
  or without a value that year it is `not_applicable`, with `reason` zero_base | no_base_value:
  never `achieved`.
- The projection follows the fitted Theil–Sen line of the recent direction at the target year:
  intercept + slope · target year, with the window's slope and intercept median(y − slope·x)
  over the same window (scipy's theilslopes(method="joint")), so no single noisy year anchors it.
- `uncertain` when the recent direction is not significant (Mann–Kendall): then neither on
  nor off track is claimed; the required pace is still given.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from indicators.stats import trendmath as tm
from indicators.stats.trendmath import as_float, as_int, clean_series, table_records

TARGET_STATUSES = ("achieved", "on_track", "off_track", "uncertain", "not_applicable", "no_target", "insufficient")
NOT_APPLICABLE_REASONS = ("zero_base", "no_base_value")


def resolve_relative(value, ref) -> tuple[np.ndarray, np.ndarray]:
    """(target value, reason) for relative targets of `value` percent versus base values `ref`:
    NaN with reason 'no_base_value' (no value in the base year) or 'zero_base' (0 there)."""
    value, ref = np.asarray(value, float), np.asarray(ref, float)
    reason = np.where(np.isnan(ref), "no_base_value", np.where(ref == 0, "zero_base", None)).astype(object)
    reason[~np.isnan(ref) & (ref != 0)] = None
    return np.where(reason == None, ref * (1 + value / 100.0), np.nan), reason   # noqa: E711


def target_status(target_value, target_year, latest_year, latest_value, slope, higher, intercept=None,
                  significant=None) -> dict[str, np.ndarray]:
    """Vectorised target arithmetic: gap, required pace, projection and on_track status.

    slope must be NaN where the recent direction is insufficient (no projection then). The
    projection is intercept + slope · target year; without an intercept the line through the
    latest value. significant (default all True): where False a future target is 'uncertain'."""
    tv, ty = np.asarray(target_value, float), np.asarray(target_year, float)
    ly, lv, sl = np.asarray(latest_year, float), np.asarray(latest_value, float), np.asarray(slope, float)
    higher = np.asarray(higher, bool)
    icpt = lv - sl * ly if intercept is None else np.asarray(intercept, float)
    sig = np.ones(np.shape(tv), bool) if significant is None else np.asarray(significant, bool)
    gap = tv - lv
    ahead = ty > ly
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = np.where(ahead, gap / (ty - ly), np.nan)
    projected = np.where(ahead, icpt + sl * ty, np.nan)
    achieved = np.where(higher, lv >= tv, lv <= tv)
    reaches = np.where(higher, projected >= tv, projected <= tv)
    status = np.where(achieved, "achieved", np.where(~ahead, "off_track",
                      np.where(np.isnan(projected), "insufficient",
                               np.where(~sig, "uncertain", np.where(reaches, "on_track", "off_track")))))
    status = status.astype(object)
    status[np.isnan(lv) | np.isnan(ly)] = "insufficient"
    status[np.isnan(tv)] = "insufficient"
    return {"gap": gap, "required_pace_per_year": pace, "projected_value": projected, "on_track": status,
            "target_passed": ~ahead}


def _target_fields(t) -> dict:
    get = t.get if isinstance(t, dict) else (lambda k, d=None: getattr(t, k, d))
    base = get("base_year")
    return {"kind": get("kind") or "absolute", "label": get("label") or "", "value": get("value"),
            "target_year": as_int(get("year")), "base_year": as_int(base) if base is not None else None,
            "kommunkod": get("kommunkod") if isinstance(get("kommunkod"), str) else None}


def evaluate_targets(targets: Iterable, years, values, better: str, slope_per_year: float | None = None,
                     intercept: float | None = None, significant: bool = True) -> list[dict]:
    """Evaluate each target (catalog Target objects or target-table rows as dicts) for one series.

    Pass slope_per_year=None when the direction is insufficient: no projection is made then.
    intercept: the Theil–Sen intercept of the direction's window (compute_direction gives both);
    without it, median(y − slope·x) over the points given. significant: whether the direction is."""
    y, v = clean_series(years, values)
    ly, lv = (y[-1], v[-1]) if len(y) else (np.nan, np.nan)
    if slope_per_year is not None and intercept is None and len(y):
        intercept = float(np.median(v - slope_per_year * y))
    out = []
    for t in targets:
        f = _target_fields(t)
        raw = as_float(f["value"])
        resolved, reason = raw, None
        if raw is not None and f["kind"] == "relative":
            hit = v[y == f["base_year"]] if f["base_year"] is not None else []
            res, why = resolve_relative([raw], [float(hit[0]) if len(hit) else np.nan])
            resolved, reason = as_float(res[0]), why[0]
        s = target_status([np.nan if resolved is None else resolved], [f["target_year"]], [ly], [lv],
                          [np.nan if slope_per_year is None else slope_per_year], [better == "higher"],
                          [np.nan if intercept is None else intercept], [significant])
        status = "no_target" if raw is None or f["target_year"] is None else \
            "not_applicable" if reason else s["on_track"][0]
        out.append({"kind": f["kind"], "label": f["label"], "scope": "municipal" if f["kommunkod"] else "national",
                    "kommunkod": f["kommunkod"], "value": raw, "base_year": f["base_year"],
                    "target_value": resolved, "target_year": f["target_year"], "gap": as_float(s["gap"][0]),
                    "required_pace_per_year": as_float(s["required_pace_per_year"][0]),
                    "projected_value": as_float(s["projected_value"][0]), "on_track": status,
                    "reason": reason if status == "not_applicable" else None,
                    "target_passed": bool(s["target_passed"][0])})
    return out


def target_lists(inp, p, cols: dict) -> tuple[list, np.ndarray]:
    """The trend table's `targets` (a list of target dicts per series) and `target_status` (the
    primary target's status). cols: ii, ki, latest_year, latest_value, higher, direction,
    slope_per_year, intercept, significant per series."""
    tt = tm.expand_targets(inp, p, cols["ii"], cols["ki"])
    lists = [[] for _ in range(len(cols["ii"]))]
    status = np.full(len(cols["ii"]), "no_target", object)
    if not len(tt):
        return lists, status
    value = tt["value"].to_numpy(float)
    rel = (tt["kind"] == "relative").to_numpy()
    res, why = resolve_relative(value, tt["ref"].to_numpy(float))
    resolved = np.where(rel, res, value)
    reason = np.where(rel, why, None).astype(object)
    r = tt["r"].to_numpy()
    use = cols["direction"][r] != "insufficient"
    st = target_status(resolved, tt["year"].to_numpy(float), cols["latest_year"][r], cols["latest_value"][r],
                       np.where(use, cols["slope_per_year"][r], np.nan), cols["higher"][r],
                       np.where(use, cols["intercept"][r], np.nan), cols["significant"][r])
    absent = np.isnan(value) | tt["year"].isna().to_numpy()
    on = np.where(absent, "no_target", np.where(reason != None, "not_applicable", st["on_track"]))  # noqa: E711
    reason[absent] = None
    codes = np.asarray(inp.kommunkoder, object)
    out = pd.DataFrame({
        "kind": tt["kind"], "label": tt["label"].fillna(""), "scope": tt["scope"],
        "kommunkod": np.where(tt["scope"] == "municipal", codes[tt["ki"].to_numpy()], None),
        "value": value, "base_year": pd.array(tt["base_year"], "Int64"), "target_value": resolved,
        "target_year": pd.array(tt["year"], "Int64"),
        "gap": st["gap"], "required_pace_per_year": st["required_pace_per_year"],
        "projected_value": st["projected_value"], "on_track": on, "reason": reason,
        "target_passed": st["target_passed"]})
    for rr, rec in zip(r, table_records(out)):
        lists[rr].append(rec)
    for rr in np.unique(r):
        status[rr] = primary_target(lists[rr], int(cols["latest_year"][rr]))["on_track"]
    return lists, status


def primary_target(targets: list[dict], latest_year: int | None) -> dict | None:
    """The target a sentence talks about: the municipality's own before the national one, the
    nearest target year not yet passed first."""
    if not targets:
        return None
    ly = latest_year if latest_year is not None else -math.inf
    return sorted(targets, key=lambda t: (t.get("scope") != "municipal", (t.get("target_year") or 0) < ly,
                                          t.get("target_year") or 0))[0]
