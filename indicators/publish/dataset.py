"""What the open API serves, read from the store once per database state and kept until the file
changes: the current values of the catalogue's indicators (the same query the pages' snapshot
uses) as the bulk table (canonical long format with source kind, källa and licens), the
municipality codes, the trend records per (kommun, indikator) as `trends --json` prints them, and
the encoded answers. Only what the API needs is read: no trend table for a values request.

The state is keyed on the store's version counter (bumped by every data write of any process,
set above the old one by a restore; logins and sessions do not move it), which costs two stat
calls while the file is unchanged: a commit by any process is seen at the next request without
holding the file open in between; each load opens the store read-only, reads and lets go.
Imports the store, views and text layers and publish.terms; never streamlit.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.catalog import Catalog, default_catalog
from indicators.errors import StoreError
from indicators.paths import db_path
from indicators.publish.terms import with_terms
from indicators.store import Store, observations, open_store, reference
from indicators.text.tables import canonical_export_frame
from indicators.views.snapshot import trend_records

TREND_CACHE_SIZE = 256
BODY_CACHE_SIZE = 64       # encoded answers per state; the largest (all values as CSV) is ~1.5 MB


def open_reader(path: Path) -> Store:
    """A read-only store (it never writes and never takes the write lock; connections are opened
    per read and let go, so the dashboard's own writes in this process are not in the way)."""
    if not path.exists():
        raise StoreError("store.missing", f"There is no database at {path}: create it with "
                         f"`python -m indicators init --db {path}`.", path=str(path))
    return open_store(path, read_only=True)


@dataclass
class Published:
    """One database state (the store's version counter), as the API serves it."""
    version: int
    path: Path
    catalog: Catalog
    values: pd.DataFrame                     # kommunkod, indikator, år, värde, kommentar, källtyp, källa, licens
    kommuner: frozenset[str]
    _trends: OrderedDict = field(default_factory=OrderedDict)
    _bodies: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def body(self, key: tuple, build: Callable[[], bytes]) -> bytes:
        """An encoded answer of this state (CSV, Parquet, JSON), built once per key: encoding all
        values as CSV costs ~0.5 s, and a revalidation (If-None-Match) must not pay it again."""
        with self._lock:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                return self._bodies[key]
        data = build()
        with self._lock:
            self._bodies[key] = data
            while len(self._bodies) > BODY_CACHE_SIZE:
                self._bodies.popitem(last=False)
        return data

    def trends(self, kommun: str | None, indicator: str | None) -> list[dict]:
        """trend_records(store, kommun, indicator) of this state, cached per arguments."""
        key = (kommun, indicator)
        with self._lock:
            if key in self._trends:
                self._trends.move_to_end(key)
                return self._trends[key]
        store = open_reader(self.path)
        try:
            records = trend_records(store, kommun=kommun, indicator=indicator)
        finally:
            store.close()
        with self._lock:
            self._trends[key] = records
            while len(self._trends) > TREND_CACHE_SIZE:
                self._trends.popitem(last=False)
        return records


_CURRENT: dict[str, Published] = {}
_LOAD_LOCK = threading.Lock()


def published(path: str | os.PathLike | None = None) -> Published:
    """The API's view of the database at path ($GN_DB, else the default), reloaded when its
    version counter moved (any process's data write; logins and sessions do not count)."""
    path = db_path(path)
    key = str(path.resolve())
    hit = _CURRENT.get(key)
    if hit is not None and hit.version == open_reader(path).version():
        return hit
    with _LOAD_LOCK:                 # one load per change, however many requests arrive at once
        hit = _CURRENT.get(key)
        if hit is not None and hit.version == open_reader(path).version():
            return hit
        _CURRENT[key] = hit = _load(path)
        return hit


def values_frame(store, catalog) -> pd.DataFrame:
    """Every current value in the open long format (kommunkod, indikator, år, värde, kommentar,
    källtyp, källa, licens): the one table both /api/v1/values.csv and `python -m indicators export`
    write, so the two files agree to the byte."""
    current = observations.fetch_current(store, catalog.ids)
    return with_terms(canonical_export_frame(current.astype({"year": int})), catalog,
                      provenance=current["provenance"] if "provenance" in current else None)


def _load(path: Path) -> Published:
    catalog = default_catalog()
    store = open_reader(path)
    with store.reading():        # one connection for the whole load: the version and the rows agree
        version = store.version()
        values = values_frame(store, catalog)
        kommuner = frozenset(reference.fetch_municipalities(store)["kommunkod"])
    return Published(version=version, path=path, catalog=catalog, values=values, kommuner=kommuner)