"""A synthetic Kolada-scale database, built through the project's own store code.

290 municipalities × (the 16 real indicators + synthetic ones up to N_INDICATORS) × 30 years,
plus revisions on REVISION_SHARE of the values. Rows go in as Arrow tables in chunks through
observations.write_revisions (the one write path, which also keeps the current values), so
no 10 M-row Python objects are ever made.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa

from indicators.store import observations
from indicators.catalog import Catalog, default_catalog
from indicators.ingest.reference_files import load_reference, read_municipalities
from indicators.store import open_store

N_INDICATORS = 1150
YEARS = range(1995, 2025)              # 30 years
REVISION_SHARE = 0.03
SEED = 10_000_000
CHUNK_INDICATORS = 100


def synthetic_catalog(n: int = N_INDICATORS) -> Catalog:
    """The real 16 indicators plus clones with Kolada-like ids, cycling their properties."""
    real = list(default_catalog())
    extra = [dataclasses.replace(real[i % len(real)], id=f"K{i:05d}", national_target=None, series_breaks=())
             for i in range(n - len(real))]
    return Catalog(tuple(real + extra))


def _chunk(rng, ids: list[str], kommuner: np.ndarray, years: np.ndarray, source_kind: str,
           share: float = 1.0) -> pa.Table:
    n_k, n_y = len(kommuner), len(years)
    ind = np.repeat(np.array(ids, dtype=object), n_k * n_y)
    kom = np.tile(np.repeat(kommuner, n_y), len(ids))
    yr = np.tile(years, len(ids) * n_k)
    level = np.repeat(rng.uniform(1, 500, len(ids) * n_k), n_y)
    slope = np.repeat(rng.normal(0, 0.02, len(ids) * n_k), n_y)
    val = np.round(level * (1 + slope * (yr - years[0])) + rng.normal(0, 1, len(yr)), 2)
    if share < 1.0:
        keep = rng.random(len(yr)) < share
        ind, kom, yr, val = ind[keep], kom[keep], yr[keep], val[keep]
    n = len(yr)
    return pa.table({
        "indicator_id": pa.array(ind, pa.string()), "kommunkod": pa.array(kom, pa.string()),
        "year": pa.array(yr.astype(np.int16)), "value": pa.array(val.astype(np.float64)),
        "source_kind": pa.array(np.full(n, source_kind, dtype=object), pa.string()),
        "upload_id": pa.nulls(n, pa.int64()), "created_by": pa.array(np.full(n, "bench", dtype=object), pa.string()),
        "comment": pa.nulls(n, pa.string())})


def build_big_db(path, n_indicators: int = N_INDICATORS) -> int:
    """Build the database at path; return the number of observations written."""
    cat = synthetic_catalog(n_indicators)
    store = open_store(path)
    load_reference(store, cat)
    kommuner = read_municipalities()["kommunkod"].to_numpy(dtype=object)
    years = np.array(list(YEARS), dtype=np.int64)
    rng = np.random.default_rng(SEED)
    ids = cat.ids
    total = 0
    for start in range(0, len(ids), CHUNK_INDICATORS):
        part = ids[start:start + CHUNK_INDICATORS]
        with store.transaction() as cur:
            total += observations.write_revisions(cur, _chunk(rng, part, kommuner, years, "imported"))
            total += observations.write_revisions(cur, _chunk(rng, part, kommuner, years, "reported",
                                                             REVISION_SHARE))
    observations.checkpoint(store)
    store.close()
    return total
