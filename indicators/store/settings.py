"""SQL for the product's shared settings: one row per key in the `setting` table (migration 007
in store/schema.py), so the command line, the API and every dashboard process read the same
value. Values are stored as text with who changed them and when; the layers above parse and
validate them.
No UI imports; nothing above the store layer.
"""
from __future__ import annotations

import duckdb

from indicators.store.connection import Store

def fetch_settings(store: Store) -> dict[str, str]:
    """{key: value} of every stored setting; empty when none is stored (or the file predates
    the table and is opened read-only, so it could not be migrated)."""
    with store.cursor() as cur:
        try:
            return dict(cur.execute("SELECT key, value FROM setting").fetchall())
        except duckdb.CatalogException:
            return {}


def upsert_setting(cur, key: str, value: str, updated_by: str) -> None:
    cur.execute("INSERT OR REPLACE INTO setting (key, value, updated_by, updated_at) "
                "VALUES (?, ?, ?, current_timestamp)", [key, str(value), updated_by])
