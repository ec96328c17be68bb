"""SQL for the reference tables: municipalities, membership per year, population, the
indicator catalogue mirror, targets and series breaks. Values are always parameters.
No UI imports; nothing above the store layer.
"""
from __future__ import annotations

import pandas as pd

from indicators.store.connection import Store


def upsert_municipalities(cur, df: pd.DataFrame) -> None:
    cur.register("incoming_municipality", df[["kommunkod", "name", "lan_code", "lan_name"]])
    cur.execute("INSERT OR REPLACE INTO municipality SELECT kommunkod, name, lan_code, lan_name "
                "FROM incoming_municipality")
    cur.unregister("incoming_municipality")


def replace_indicators(cur, catalog) -> None:
    """Mirror the catalogue into the indicator, national-target and catalogue-break tables."""
    for pos, ind in enumerate(catalog, start=1):
        cur.execute("INSERT OR REPLACE INTO indicator VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [ind.id, ind.name_sv, ind.name_en, ind.unit, ind.better, ind.theme, ind.start_year,
                     ind.decimals, ind.source, ind.reported_by, ind.kolada_kpi, list(ind.band_edges),
                     list(ind.band_labels), pos])
    cur.execute("DELETE FROM target WHERE kommunkod IS NULL AND created_by = 'catalog'")
    cur.execute("DELETE FROM series_break WHERE created_by = 'catalog'")
    for ind in catalog:
        t = ind.national_target
        if t is not None:
            cur.execute("INSERT INTO target (indicator_id, kommunkod, kind, value, year, base_year, label) "
                        "VALUES (?, NULL, ?, ?, ?, ?, ?)", [ind.id, t.kind, t.value, t.year, t.base_year, t.label])
        for b in ind.series_breaks:
            cur.execute("INSERT INTO series_break (indicator_id, year, note) VALUES (?, ?, ?)",
                        [ind.id, b.year, b.note])


def count_membership(cur) -> int:
    return cur.execute("SELECT count(*) FROM membership").fetchall()[0][0]


def insert_membership(cur, df: pd.DataFrame) -> None:
    cur.register("incoming_membership", df[["kommunkod", "from_year", "to_year", "note"]])
    cur.execute("INSERT OR REPLACE INTO membership SELECT kommunkod, from_year::SMALLINT, "
                "to_year::SMALLINT, coalesce(note, '') FROM incoming_membership")
    cur.unregister("incoming_membership")


def replace_population(cur, df: pd.DataFrame) -> None:
    cur.register("incoming_population", df[["kommunkod", "year", "population", "source_kind"]])
    cur.execute("INSERT OR REPLACE INTO population SELECT kommunkod, year::SMALLINT, population::BIGINT, "
                "source_kind FROM incoming_population")
    cur.unregister("incoming_population")


def fetch_municipalities(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT kommunkod, name, lan_code, lan_name FROM municipality ORDER BY kommunkod").df()


def fetch_membership(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT m.kommunkod, k.name, m.from_year, m.to_year, m.note FROM membership m "
                           "JOIN municipality k USING (kommunkod) ORDER BY m.kommunkod, m.from_year").df()


def fetch_members(store: Store, year: int | None = None) -> list[str]:
    """Member codes in a year, or everyone who has ever been a member when year is None."""
    with store.cursor() as cur:
        if year is None:
            rows = cur.execute("SELECT DISTINCT kommunkod FROM membership ORDER BY 1").fetchall()
        else:
            rows = cur.execute("SELECT DISTINCT kommunkod FROM membership WHERE from_year <= ? AND "
                               "(to_year IS NULL OR to_year >= ?) ORDER BY 1", [year, year]).fetchall()
    return [r[0] for r in rows]


def fetch_population(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT kommunkod, year, population, source_kind FROM population "
                           "ORDER BY kommunkod, year").df()


def fetch_targets(store: Store, indicator_id: str | None = None, kommunkod: str | None = None) -> pd.DataFrame:
    """Active targets: national ones plus, when kommunkod is given, that municipality's own."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT id, indicator_id, kommunkod, kind, value, year, base_year, label, created_by FROM target "
            "WHERE active AND (? IS NULL OR indicator_id = ?) AND (kommunkod IS NULL OR kommunkod = ?) "
            "ORDER BY indicator_id, kommunkod NULLS FIRST, year",
            [indicator_id, indicator_id, kommunkod]).df()


def fetch_series_breaks(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT indicator_id, kommunkod, year, note, created_by FROM series_break "
                           "ORDER BY indicator_id, year").df()


def fetch_all_targets(store: Store) -> pd.DataFrame:
    """Every active target, national (kommunkod NULL) and municipal, for the trend table."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT id, indicator_id, kommunkod, kind, value, year, base_year, label, created_by FROM target "
            "WHERE active ORDER BY indicator_id, kommunkod NULLS FIRST, year").df()


def fetch_engine_reference(store: Store) -> dict[str, pd.DataFrame]:
    """The reference tables the trend engine and a page snapshot need, on one connection:
    municipalities, membership, population, targets (every active one) and series breaks."""
    with store.reading():
        return {"municipalities": fetch_municipalities(store), "membership": fetch_membership(store),
                "population": fetch_population(store), "targets": fetch_all_targets(store),
                "breaks": fetch_series_breaks(store)}
