"""SQL for imports from other sources (the Kolada import): the current value, source kind and provenance
of the cells an import would write, the population rows it would replace, and removing a population the
import itself wrote when the source withdraws it. Writes take the cursor of a Store.transaction().
No UI imports; nothing above the store layer.
"""
from __future__ import annotations

import pandas as pd


def fetch_current_detail_for_keys(cur, keys: pd.DataFrame) -> pd.DataFrame:
    """For each (indicator_id, kommunkod, year) in keys: the current value, its source kind and
    provenance (NULL when there is no current value). Takes a cursor, so a commit can classify
    inside its own transaction."""
    cur.register("incoming_import_keys", keys[["indicator_id", "kommunkod", "year"]])
    try:
        return cur.execute(
            "SELECT k.indicator_id, k.kommunkod, k.year::BIGINT AS year, c.value AS cur_value, "
            "c.source_kind AS cur_kind, c.provenance AS cur_provenance "
            "FROM incoming_import_keys k LEFT JOIN current_observation c ON c.indicator_id = k.indicator_id "
            "AND c.kommunkod = k.kommunkod AND c.year = k.year").df()
    finally:
        cur.unregister("incoming_import_keys")


def fetch_population_for_keys(cur, keys: pd.DataFrame) -> pd.DataFrame:
    """For each (kommunkod, year) in keys: the stored population and its source kind, or NULL."""
    cur.register("incoming_population_keys", keys[["kommunkod", "year"]])
    try:
        return cur.execute(
            "SELECT k.kommunkod, k.year::BIGINT AS year, p.population AS cur_population, p.source_kind AS cur_kind "
            "FROM incoming_population_keys k LEFT JOIN population p ON p.kommunkod = k.kommunkod "
            "AND p.year = k.year").df()
    finally:
        cur.unregister("incoming_population_keys")


def delete_imported_population(cur, keys: pd.DataFrame) -> None:
    """Remove the population rows of keys (kommunkod, year) that an import wrote (source kind imported):
    the population table is reference data, not revisions."""
    if not len(keys):
        return
    cur.register("withdrawn_population", keys[["kommunkod", "year"]])
    try:
        cur.execute("DELETE FROM population WHERE source_kind = 'imported' AND (kommunkod, year) IN "
                    "(SELECT kommunkod, year::SMALLINT FROM withdrawn_population)")
    finally:
        cur.unregister("withdrawn_population")
