"""SQL for the secretariat's edits: membership periods, municipal targets and series breaks.
No UI imports; nothing above the store layer.
"""
from __future__ import annotations

import pandas as pd

from indicators.store.connection import Store


def upsert_membership_period(cur, kommunkod: str, from_year: int, to_year: int | None, note: str) -> None:
    cur.execute("INSERT OR REPLACE INTO membership (kommunkod, from_year, to_year, note) VALUES (?, ?, ?, ?)",
                [kommunkod, int(from_year), None if to_year is None else int(to_year), note or ""])


def delete_membership_period(cur, kommunkod: str, from_year: int) -> int:
    return cur.execute("DELETE FROM membership WHERE kommunkod = ? AND from_year = ?",
                       [kommunkod, int(from_year)]).fetchall()[0][0]


def insert_target(cur, indicator_id: str, kommunkod: str, kind: str, value: float, year: int,
                  base_year: int | None, label: str, created_by: str) -> int:
    return cur.execute(
        "INSERT INTO target (indicator_id, kommunkod, kind, value, year, base_year, label, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [indicator_id, kommunkod, kind, float(value), int(year), base_year, label, created_by]).fetchall()[0][0]


def fetch_target(cur, target_id: int) -> dict | None:
    rows = cur.execute("SELECT id, indicator_id, kommunkod, active FROM target WHERE id = ?", [int(target_id)]).df()
    return rows.iloc[0].to_dict() if len(rows) else None


def deactivate_target(cur, target_id: int) -> None:
    cur.execute("UPDATE target SET active = FALSE WHERE id = ?", [int(target_id)])


def fetch_municipal_targets(store: Store, kommuner: list[str] | None = None) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute(
            "SELECT id, indicator_id, kommunkod, kind, value, year, base_year, label, created_by, created_at "
            "FROM target WHERE active AND kommunkod IS NOT NULL AND (?::VARCHAR[] IS NULL OR kommunkod IN "
            "(SELECT unnest(?::VARCHAR[]))) ORDER BY kommunkod, indicator_id, year", [kommuner, kommuner]).df()


def insert_series_break(cur, indicator_id: str, kommunkod: str | None, year: int, note: str,
                        created_by: str) -> int:
    return cur.execute("INSERT INTO series_break (indicator_id, kommunkod, year, note, created_by) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id",
                       [indicator_id, kommunkod, int(year), note, created_by]).fetchall()[0][0]


def delete_series_break(cur, break_id: int) -> int:
    """Only breaks entered by an admin; the catalogue's own come back on every load anyway."""
    return cur.execute("DELETE FROM series_break WHERE id = ? AND created_by <> 'catalog'",
                       [int(break_id)]).fetchall()[0][0]


def fetch_series_breaks_admin(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT id, indicator_id, kommunkod, year, note, created_by, created_at FROM series_break "
                           "ORDER BY indicator_id, year").df()
