"""SQL for the reporting flow: uploads, plausibility flags, comments, the revert plan and
the status board's cells. Writes take the cursor of a Store.transaction(). No UI imports;
nothing above the store layer.
"""
from __future__ import annotations

import pandas as pd

from indicators.store.connection import Store
from indicators.store.observations import CURRENT_SELECT


def insert_upload(cur, created_by: str, filename: str | None, sha256: str | None, n_new: int, n_changed: int,
                  n_unchanged: int, n_flagged: int, summary: str, reverts: int | None = None) -> int:
    return cur.execute(
        "INSERT INTO upload (created_by, filename, sha256, n_new, n_changed, n_unchanged, n_flagged, summary, "
        "reverts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [created_by, filename, sha256, n_new, n_changed, n_unchanged, n_flagged, summary, reverts]).fetchall()[0][0]


def insert_value_flags(cur, df: pd.DataFrame) -> None:
    """df: upload_id, indicator_id, kommunkod, year, code, detail."""
    if not len(df):
        return
    cur.register("incoming_flags", df)
    cur.execute("INSERT INTO value_flag SELECT upload_id::BIGINT, indicator_id, kommunkod, year::SMALLINT, code, "
                "detail FROM incoming_flags")
    cur.unregister("incoming_flags")


def insert_comments(cur, df: pd.DataFrame) -> int:
    """df: kommunkod, indicator_id, year (may be NULL), text, created_by, upload_id. A comment
    identical to the latest one for the same key is not stored again. Returns rows inserted."""
    if not len(df):
        return 0
    cur.register("incoming_comments", df)
    try:
        return cur.execute(
            "INSERT INTO comment (kommunkod, indicator_id, year, text, created_by, upload_id) "
            "SELECT i.kommunkod, i.indicator_id, i.year::SMALLINT, i.text, i.created_by, i.upload_id::BIGINT "
            "FROM incoming_comments i WHERE i.text IS DISTINCT FROM (SELECT c.text FROM comment c "
            "WHERE c.kommunkod = i.kommunkod AND c.indicator_id = i.indicator_id "
            "AND c.year IS NOT DISTINCT FROM i.year::SMALLINT ORDER BY c.id DESC LIMIT 1)").fetchall()[0][0]
    finally:
        cur.unregister("incoming_comments")


def fetch_upload(cur, upload_id: int) -> dict | None:
    rows = cur.execute("SELECT id, created_by, created_at, filename, sha256, n_new, n_changed, n_unchanged, "
                       "n_flagged, summary, status, reverted_by, reverts FROM upload WHERE id = ?",
                       [int(upload_id)]).df()
    return rows.iloc[0].to_dict() if len(rows) else None


def fetch_revert_plan(cur, upload_id: int) -> pd.DataFrame:
    """Per value written by an upload: is its value still the current one (nobody changed it since,
    or a change was undone), and the revision before it."""
    return cur.execute(
        "WITH keys AS (SELECT DISTINCT indicator_id, kommunkod, year FROM observation WHERE upload_id = ?), "
        "hist AS (SELECT o.id, o.indicator_id, o.kommunkod, o.year, o.source_kind, o.upload_id, "
        "  lag(o.id) OVER w AS prev_id, lag(o.value) OVER w AS prev_value, "
        "  lag(o.source_kind) OVER w AS prev_kind, lag(o.comment) OVER w AS prev_comment, "
        "  lag(o.provenance) OVER w AS prev_provenance, o.provenance, "
        "  o.value, last_value(o.value) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) "
        "  AS current_value "
        "  FROM observation o JOIN keys USING (indicator_id, kommunkod, year) "
        "  WINDOW w AS (PARTITION BY o.indicator_id, o.kommunkod, o.year ORDER BY o.id)) "
        "SELECT indicator_id, kommunkod, year, source_kind, value IS NOT DISTINCT FROM current_value AS still_current, "
        "prev_id IS NOT NULL AS had_prev, prev_value, prev_kind, prev_comment, prev_provenance, provenance "
        "FROM hist WHERE upload_id = ? ORDER BY indicator_id, kommunkod, year",
        [int(upload_id), int(upload_id)]).df()


def mark_upload_reverted(cur, upload_id: int, reverted_by: int) -> None:
    cur.execute("UPDATE upload SET status = 'reverted', reverted_by = ? WHERE id = ?",
                [int(reverted_by), int(upload_id)])


def fetch_uploads(store: Store, kommuner: list[str] | None = None, created_by: str | None = None,
                  limit: int = 500) -> pd.DataFrame:
    """Uploads newest first: all of them, or those touching `kommuner` or made by `created_by`."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT u.id, u.created_at, u.created_by, u.filename, u.n_new, u.n_changed, u.n_unchanged, "
            "u.n_flagged, u.status, u.reverts, u.reverted_by, u.sha256, u.summary FROM upload u "
            "WHERE ?::VARCHAR[] IS NULL OR u.created_by = ? OR u.id IN (SELECT DISTINCT upload_id FROM observation "
            "  WHERE upload_id IS NOT NULL AND kommunkod IN (SELECT unnest(?::VARCHAR[]))) "
            "ORDER BY u.id DESC LIMIT ?", [kommuner, created_by, kommuner, int(limit)]).df()


def count_uploads(store: Store) -> int:
    with store.cursor() as cur:
        return cur.execute("SELECT count(*) FROM upload").fetchall()[0][0]


def fetch_status_cells(store: Store, year: int, indicator_ids: list[str]) -> pd.DataFrame:
    """Current values of one year with whether the upload that wrote them flagged them."""
    current = CURRENT_SELECT.format(where="year = ? AND list_contains(?::VARCHAR[], indicator_id)")
    with store.cursor() as cur:
        return cur.execute(
            "SELECT c.kommunkod, c.indicator_id, c.value, c.n_revisions, "
            "EXISTS (SELECT 1 FROM value_flag f WHERE f.upload_id = c.upload_id AND f.indicator_id = c.indicator_id "
            "  AND f.kommunkod = c.kommunkod AND f.year = c.year) AS flagged "
            f"FROM ({current}) c", [int(year), list(indicator_ids)]).df()


def fetch_comments(store: Store, kommunkod: str, indicator_id: str | None = None) -> pd.DataFrame:
    """A municipality's comments, the newest per (indicator, year), newest first. Comments brought
    by a reverted upload are left out; an empty text withdraws a comment. Plain text: escape it."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT indicator_id, year, text, created_by, created_at FROM ("
            "  SELECT c.*, row_number() OVER (PARTITION BY c.indicator_id, c.year ORDER BY c.id DESC) AS rn "
            "  FROM comment c LEFT JOIN upload u ON u.id = c.upload_id "
            "  WHERE c.kommunkod = ? AND (?::VARCHAR IS NULL OR c.indicator_id = ?) "
            "  AND coalesce(u.status, 'committed') <> 'reverted') "
            "WHERE rn = 1 AND text <> '' ORDER BY created_at DESC, indicator_id",
            [kommunkod, indicator_id, indicator_id]).df()
