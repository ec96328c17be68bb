"""The store layer: the DuckDB file and every SQL statement of the product.

`connection` opens the file only for the moment it is needed (reads read-only, a burst of
reads on one connection, writes read-write for the transaction; waiting while another
process holds it), a cursor per query, one transaction helper; `schema` holds the schema
and the ordered migrations; the topic modules hold the queries (reference tables,
observations, uploads, accounts, admin edits, imports, backup,
the trend engine's inputs). Nothing here imports a higher layer (stats, ingest, auth,
views, text, cli) or streamlit.
"""
from __future__ import annotations

from pathlib import Path

from indicators.store.connection import Store
from indicators.store.schema import apply_migrations, pending_migrations

__all__ = ["Store", "open_store"]


def open_store(path: str | Path | None = None, read_only: bool = False, migrate: bool = True,
               lock_wait_s: float | None = None) -> Store:
    """The store at path, $GN_DB or the default file; by default migrated (taking the write
    lock only when a migration is pending). read_only: never writes, never takes the write lock."""
    store = Store(path, read_only=read_only, lock_wait_s=lock_wait_s)
    if migrate and not read_only and pending_migrations(store):
        apply_migrations(store)
    return store
