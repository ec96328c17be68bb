"""Loads the shipped reference data (municipalities, SEKOM membership, the catalogue)
from data/ into the store. Idempotent: membership is only seeded into an empty table,
because an admin edits it afterwards. No UI imports."""
from __future__ import annotations

import pandas as pd

from indicators.store import reference
from indicators.catalog import Catalog, default_catalog
from indicators.paths import MEMBERS_FILE, MUNICIPALITIES_FILE
from indicators.store import Store


def read_municipalities() -> pd.DataFrame:
    return pd.read_csv(MUNICIPALITIES_FILE, dtype=str, keep_default_na=False)


def read_members() -> pd.DataFrame:
    df = pd.read_csv(MEMBERS_FILE, dtype={"kommunkod": str, "note": str}, keep_default_na=False)
    df["from_year"] = df["from_year"].astype(int)
    df["to_year"] = pd.to_numeric(df["to_year"], errors="coerce").astype("Int64")
    return df


def load_reference(store: Store, catalog: Catalog | None = None) -> dict[str, int]:
    """Load municipalities, the catalogue and (first time only) membership."""
    catalog = catalog or default_catalog()
    munis = read_municipalities()
    with store.transaction() as cur:
        reference.upsert_municipalities(cur, munis)
        reference.replace_indicators(cur, catalog)
        seeded = 0
        if reference.count_membership(cur) == 0:
            members = read_members()
            reference.insert_membership(cur, members)
            seeded = len(members)
    return {"municipalities": len(munis), "indicators": len(catalog), "members_seeded": seeded}
