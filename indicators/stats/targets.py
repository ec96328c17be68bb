"""Targets: resolving absolute and relative targets, gap, required pace, projection and the
on-track status, for one series or vectorised; and which target a sentence talks about.
Pure functions; imports only the statistics machinery below it (trendmath). No SQL, no UI.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from indicators.stats.trendmath import as_float, as_int, clean_series

TARGET_STATUSES = ("achieved", "on_track", "off_track", "no_target", "insufficient")


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
            "target_year": as_int(get("year")), "base_year": as_int(base) if base is not None else None,
            "kommunkod": get("kommunkod") if isinstance(get("kommunkod"), str) else None}


def evaluate_targets(targets: Iterable, years, values, better: str, slope_per_year: float | None = None) -> list[dict]:
    """Evaluate each target (catalog Target objects or target-table rows as dicts) for one series.

    A relative target (value = percent change, e.g. -62 versus base_year 2005) is resolved
    against the series' own value in its base year; without that value it is 'insufficient'.
    Pass slope_per_year=None when the direction is insufficient: no projection is made then."""
    y, v = clean_series(years, values)
    ly, lv = (y[-1], v[-1]) if len(y) else (np.nan, np.nan)
    out = []
    for t in targets:
        f = _target_fields(t)
        raw = as_float(f["value"])
        resolved = raw
        if raw is not None and f["kind"] == "relative":
            hit = v[y == f["base_year"]] if f["base_year"] is not None else []
            resolved = float(hit[0]) * (1 + raw / 100.0) if len(hit) else None
        s = target_status([np.nan if resolved is None else resolved], [f["target_year"]], [ly], [lv],
                          [np.nan if slope_per_year is None else slope_per_year], [better == "higher"])
        status = "no_target" if raw is None or f["target_year"] is None else s["on_track"][0]
        out.append({"kind": f["kind"], "label": f["label"], "scope": "municipal" if f["kommunkod"] else "national",
                    "kommunkod": f["kommunkod"], "value": raw, "base_year": f["base_year"],
                    "target_value": resolved, "target_year": f["target_year"], "gap": as_float(s["gap"][0]),
                    "required_pace_per_year": as_float(s["required_pace_per_year"][0]),
                    "projected_value": as_float(s["projected_value"][0]), "on_track": status,
                    "target_passed": bool(s["target_passed"][0])})
    return out


def primary_target(targets: list[dict], latest_year: int | None) -> dict | None:
    """The target a sentence talks about: the municipality's own before the national one, the
    nearest target year not yet passed first."""
    if not targets:
        return None
    ly = latest_year if latest_year is not None else -math.inf
    return sorted(targets, key=lambda t: (t.get("scope") != "municipal", (t.get("target_year") or 0) < ly,
                                          t.get("target_year") or 0))[0]
