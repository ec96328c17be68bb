"""Deterministic demo data (fixed seed): every member × the catalogue's indicators × 2005–2024.

Plausible per indicator (each indicator's `demo` profile in the catalogue): levels, units and
slopes in realistic ranges, trends both up and down, gaps, late starts and members that never
report some indicators.
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

NEVER_REPORTS_SHARE = 0.04
LATE_START_SHARE = 0.20
GAP_SHARE = 0.05


def _series(rng, ind, first: int) -> list[tuple[int, float]]:
    prof = ind.demo
    level = rng.uniform(prof.low, prof.high)
    slope = rng.normal(prof.drift, prof.spread)
    if prof.zero_share and rng.random() < prof.zero_share:
        return [(y, 0.0) for y in range(first, LAST_YEAR + 1)]
    breaks = {b.year for b in ind.series_breaks}
    out = []
    for year in range(first, LAST_YEAR + 1):
        level = level * (1 + slope + rng.normal(0, prof.spread / 2))
        if year in breaks:
            level *= 1 + prof.break_shift      # a new definition shifts the level (e.g. garden waste left out)
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
        for ind in (i for i in catalog if i.demo is not None):
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
    df["provenance"] = None
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
        observations.insert_observations(cur, df)
        reference.replace_population(cur, generate_demo_population(members))
    return len(df)
