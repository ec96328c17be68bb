"""The store layer: the DuckDB file and every SQL statement of the product.

`connection` opens the file (one connection per process, a cursor per query, one
transaction helper); `schema` holds the schema and the ordered migrations; the topic
modules hold the queries (reference tables, observations, uploads, accounts, admin edits, imports, backup,
the trend engine's inputs). Nothing here imports a higher layer (stats, ingest, auth,
views, text, cli) or streamlit.
"""
from __future__ import annotations

from pathlib import Path

from indicators.store.connection import Store
from indicators.store.schema import apply_migrations

__all__ = ["Store", "open_store"]


def open_store(path: str | Path | None = None, read_only: bool = False, migrate: bool = True) -> Store:
    """Open (and by default migrate) the store at path, $GN_DB or the default file."""
    store = Store(path, read_only=read_only)
    if migrate and not read_only:
        apply_migrations(store)
    return store
