"""Shared helpers for the reporting tests: fixture files, users, snapshots of the store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.store import observations
from indicators.store import schema, uploads
from indicators.auth.users import User

UPLOADS = Path(__file__).resolve().parent / "fixtures" / "upload"
ADMIN = User("sekretariatet", "admin")
ANNA = User("anna", "reporter", ("1490",))          # Borås's coordinator
PASSWORD = "ett-långt-lösenord"


def fixture_bytes(name: str) -> bytes:
    return (UPLOADS / name).read_bytes()


def snapshot(store) -> tuple:
    """Everything a rejected upload must leave exactly as it was: every table, row by row."""
    cur = observations.fetch_current(store).drop(columns=["created_at"])
    return (observations.count_observations(store), uploads.count_uploads(store),
            pd.util.hash_pandas_object(cur, index=False).sum(), schema.fetch_table_digest(store))


def stored(store, kommuner=None) -> set[tuple]:
    """Current values as (kommunkod, indicator, year, value, comment) for exact comparisons."""
    cur = observations.fetch_current(store, kommuner=kommuner)
    return {(k, i, int(y), float(v), c if isinstance(c, str) else None)
            for k, i, y, v, c in zip(cur["kommunkod"], cur["indicator_id"], cur["year"], cur["value"], cur["comment"])}


def history_rows(store, values: list[tuple], by: str = "historik", kind: str = "reported") -> None:
    """Write (kommunkod, indicator, year, value) revisions directly, as earlier reports."""
    df = pd.DataFrame(values, columns=["kommunkod", "indicator_id", "year", "value"])
    df["source_kind"], df["upload_id"], df["created_by"], df["comment"] = kind, None, by, None
    df["provenance"] = None
    with store.transaction() as cur:
        observations.insert_observations(cur, df[observations.OBSERVATION_COLUMNS])
