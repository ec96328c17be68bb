"""Deterministic demo data (fixed seed): every member × the 16 indicators × 2005–2024.

Plausible per indicator: levels, units and slopes in realistic ranges, trends both
up and down, gaps, late starts and members that never report some indicators.
Everything is stored with source_kind = 'demo' so the UI labels it. No UI imports.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.store import observations
from indicators.store import reference
from indicators.catalog import Catalog, default_catalog
from indicators.ingest.reference_files import read_members
from indicators.store import Store

SEED = 2023
FIRST_YEAR, LAST_YEAR = 2005, 2024
DEMO_USER = "demo"

# indicator -> (low, high level in FIRST_YEAR, mean relative change per year, spread of that change)
PROFILES = {
    "GN.1a": (2.0, 6.5, -0.030, 0.020), "GN.1b": (0.0, 8.0, -0.030, 0.040),
    "GN.2a": (15, 180, 0.015, 0.030), "GN.2b": (20, 80, 0.060, 0.040),
    "GN.3": (2, 30, 0.040, 0.050), "GN.4": (5, 60, 0.010, 0.030),
    "GN.5": (1, 12, 0.020, 0.030), "GN.6a": (400, 620, -0.004, 0.012),
    "GN.6b": (30, 55, 0.010, 0.020), "GN.7": (40, 95, 0.030, 0.030),
    "GN.8a": (0.5, 12, 0.250, 0.150), "GN.8b": (5, 60, 0.300, 0.100),
    "GN.9a": (400, 1500, -0.025, 0.030), "GN.9b": (0.05, 0.4, -0.040, 0.050),
    "GN.10": (5, 40, 0.030, 0.025), "GN.11": (5, 50, 0.030, 0.050),
}
NEVER_REPORTS_SHARE = 0.04
LATE_START_SHARE = 0.20
GAP_SHARE = 0.05
ZERO_TRADING_SHARE = 0.6     # GN.1b: most municipalities have no trading installations


def _series(rng, ind, first: int) -> list[tuple[int, float]]:
    low, high, drift, spread = PROFILES[ind.id]
    level = rng.uniform(low, high)
    slope = rng.normal(drift, spread)
    if ind.id == "GN.1b" and rng.random() < ZERO_TRADING_SHARE:
        return [(y, 0.0) for y in range(first, LAST_YEAR + 1)]
    out = []
    for year in range(first, LAST_YEAR + 1):
        level = level * (1 + slope + rng.normal(0, spread / 2))
        if ind.id == "GN.6a" and year >= 2024:
            level *= 0.93 if year == 2024 else 1.0   # new definition excludes garden waste
        value = max(level, 0.0)
        if ind.max_value is not None:
            value = min(value, ind.max_value)
        out.append((year, round(value, ind.decimals)))
    return out


def generate_demo(catalog: Catalog | None = None, members: list[str] | None = None) -> pd.DataFrame:
    """The demo observations as a DataFrame with observations.OBSERVATION_COLUMNS."""
    catalog = catalog or default_catalog()
    members = members if members is not None else read_members()["kommunkod"].tolist()
    rng = np.random.default_rng(SEED)
    rows = []
    for kod in sorted(members):
        for ind in catalog:
            if rng.random() < NEVER_REPORTS_SHARE:
                continue
            first = max(FIRST_YEAR, ind.start_year)
            if rng.random() < LATE_START_SHARE:
                first = min(LAST_YEAR - 1, first + int(rng.integers(2, 9)))
            for year, value in _series(rng, ind, first):
                if year not in (first, LAST_YEAR) and rng.random() < GAP_SHARE:
                    continue
                rows.append((ind.id, kod, year, value))
    df = pd.DataFrame(rows, columns=["indicator_id", "kommunkod", "year", "value"])
    df["source_kind"] = "demo"
    df["upload_id"] = pd.array([None] * len(df), dtype="Int64")
    df["created_by"] = DEMO_USER
    df["comment"] = None
    return df[observations.OBSERVATION_COLUMNS]


def generate_demo_population(members: list[str]) -> pd.DataFrame:
    """Invented populations for the demo (labelled demo), so weighted means can be shown."""
    rng = np.random.default_rng(SEED + 1)
    rows = []
    for kod in sorted(members):
        pop = float(np.exp(rng.uniform(np.log(3_000), np.log(400_000))))
        growth = rng.normal(0.006, 0.004)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            rows.append((kod, year, int(pop), "demo"))
            pop *= 1 + growth
    return pd.DataFrame(rows, columns=["kommunkod", "year", "population", "source_kind"])


def load_demo(store: Store, catalog: Catalog | None = None) -> int:
    """Write the demo observations and populations; return the number of values."""
    members = read_members()["kommunkod"].tolist()
    df = generate_demo(catalog, members)
    with store.transaction() as cur:
        observations.write_revisions(cur, df)
        reference.replace_population(cur, generate_demo_population(members))
    return len(df)
