"""SQL for observations: the one write path (write_revisions: append revisions and keep
current_observation, the newest revision of each (indicator, municipality, year), in the
same transaction; a NULL revision is a retraction), current values, value history and the
plausibility checks' inputs. Every read of current values reads current_observation. No UI imports; nothing above the store layer.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from indicators.store.connection import Store


OBSERVATION_COLUMNS = ["indicator_id", "kommunkod", "year", "value", "source_kind", "upload_id",
                       "created_by", "comment", "provenance"]


def write_revisions(cur, frame) -> int:
    """The one write path for values: append the frame's rows as revisions and keep
    current_observation in step, inside the caller's transaction (`cur` from
    Store.transaction()). Uploads, reverts, retractions, the demo, the bench and importers
    all come through here. frame: a DataFrame or Arrow table with OBSERVATION_COLUMNS
    (`provenance` may be left out: NULL, no detail beyond the source kind), at most one row
    per (indicator_id, kommunkod, year); a NULL value is a retraction (the key leaves
    current_observation; its revisions stay). Returns the number of rows written."""
    if not len(frame):
        return 0
    names = frame.columns if hasattr(frame, "columns") else frame.column_names
    provenance = "provenance::VARCHAR" if "provenance" in list(names) else "NULL"
    cur.register("incoming_observation", frame)
    try:
        # writers are serialised (one per file), so the ids above the largest one are this batch's
        first = cur.execute("SELECT coalesce(max(id), 0) FROM observation").fetchall()[0][0]
        cur.execute(f"INSERT INTO observation ({', '.join(OBSERVATION_COLUMNS)}) "
                    "SELECT indicator_id, kommunkod, year::SMALLINT, value::DOUBLE, source_kind, "
                    f"upload_id::BIGINT, created_by, comment, {provenance} FROM incoming_observation")
        for sql in _CURRENT_UPKEEP:
            cur.execute(sql, {"first": first})
        keys = cur.execute("SELECT count(*) FROM (SELECT DISTINCT indicator_id, kommunkod, year FROM gn_batch)"
                           ).fetchall()[0][0]
        if keys != len(frame):
            raise ValueError(f"write_revisions: {len(frame) - keys} key(s) appear more than once in one batch; "
                             "write one row per (indicator, municipality, year)")
        for sql in _CURRENT_APPLY:
            cur.execute(sql)
        cur.execute("DROP TABLE gn_batch")
    finally:
        try:
            cur.unregister("incoming_observation")
        except duckdb.Error:      # the transaction failed and is being rolled back: nothing to keep
            pass
    return len(frame)


# The batch just appended (ids above `first`), each key with its revision count so far: from
# current_observation, or, for a key not there, counted in the history, which has revisions of
# such a key only if one of them is a retraction (so only retracted keys are counted).
_CURRENT_UPKEEP = [
    """CREATE TEMP TABLE gn_batch AS
       SELECT o.id AS revision_id, o.indicator_id, o.kommunkod, o.year, o.value, o.source_kind, o.upload_id,
              o.created_at, o.created_by, o.comment, o.provenance, c.n_revisions AS prev_n,
              c.kommunkod IS NOT NULL AS in_current
       FROM observation o LEFT JOIN current_observation c
         ON c.indicator_id = o.indicator_id AND c.kommunkod = o.kommunkod AND c.year = o.year
       WHERE o.id > $first""",
    """UPDATE gn_batch SET prev_n = h.n FROM (
           SELECT o.indicator_id, o.kommunkod, o.year, count(*) AS n FROM observation o
           SEMI JOIN (SELECT r.indicator_id, r.kommunkod, r.year FROM observation r
                      SEMI JOIN gn_batch g ON NOT g.in_current AND g.indicator_id = r.indicator_id
                        AND g.kommunkod = r.kommunkod AND g.year = r.year
                      WHERE r.value IS NULL AND r.id <= $first) k
             ON k.indicator_id = o.indicator_id AND k.kommunkod = o.kommunkod AND k.year = o.year
           WHERE o.id <= $first GROUP BY ALL) h
       WHERE NOT gn_batch.in_current AND h.indicator_id = gn_batch.indicator_id
         AND h.kommunkod = gn_batch.kommunkod AND h.year = gn_batch.year""",
]
_CURRENT_APPLY = [
    """DELETE FROM current_observation c USING gn_batch b
       WHERE b.in_current AND c.indicator_id = b.indicator_id AND c.kommunkod = b.kommunkod AND c.year = b.year""",
    """INSERT INTO current_observation
       SELECT indicator_id, kommunkod, year, value, source_kind, upload_id, created_at, created_by, comment,
              coalesce(prev_n, 0) + 1, revision_id, provenance
       FROM gn_batch WHERE value IS NOT NULL""",
]

CURRENT_COLUMNS = ("indicator_id, kommunkod, year, value, source_kind, upload_id, created_at, created_by, comment, "
                   "n_revisions, provenance")


def fetch_current(store: Store, indicators: list[str] | None = None, kommuner: list[str] | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """Current values (newest revision) with their provenance, optionally filtered."""
    where, params = ["TRUE"], []
    if indicators is not None:
        where.append("list_contains(?::VARCHAR[], indicator_id)")
        params.append(list(indicators))
    if kommuner is not None:
        where.append("list_contains(?::VARCHAR[], kommunkod)")
        params.append(list(kommuner))
    if year is not None:
        where.append("year = ?")
        params.append(int(year))
    with store.cursor() as cur:
        return cur.execute(f"SELECT {CURRENT_COLUMNS} FROM current_observation WHERE {' AND '.join(where)} "
                           "ORDER BY indicator_id, kommunkod, year", params).df()


def fetch_current_mismatches(store: Store) -> pd.DataFrame:
    """Audit: keys where current_observation differs from the newest revision in the history
    (value, provenance, revision count, or a row that should or should not be there). Empty
    when the write path did its job; it deduplicates every revision, so it is slow at scale."""
    with store.cursor() as cur:
        return cur.execute(f"""
            WITH newest AS (
                SELECT {CURRENT_COLUMNS}, id AS revision_id FROM (
                    SELECT *, count(*) OVER w AS n_revisions, row_number() OVER (w ORDER BY id DESC) AS rn
                    FROM observation WINDOW w AS (PARTITION BY indicator_id, kommunkod, year))
                WHERE rn = 1 AND value IS NOT NULL),
            kept AS (SELECT {CURRENT_COLUMNS}, revision_id FROM current_observation)
            (SELECT 'missing or different' AS problem, * FROM (SELECT * FROM newest EXCEPT ALL SELECT * FROM kept))
            UNION ALL
            (SELECT 'extra or different' AS problem, * FROM (SELECT * FROM kept EXCEPT ALL SELECT * FROM newest))
            ORDER BY indicator_id, kommunkod, year, problem""").df()


def count_observations(store: Store) -> int:
    with store.cursor() as cur:
        return cur.execute("SELECT count(*) FROM observation").fetchall()[0][0]


def count_current_by_kind(store: Store) -> dict[str, int]:
    with store.cursor() as cur:
        rows = cur.execute("SELECT source_kind, count(*) FROM current_observation GROUP BY 1").fetchall()
    return {k: n for k, n in rows}


def checkpoint(store: Store) -> None:
    """Flush the write-ahead log into the database file (after a bulk load)."""
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")


def fetch_all_revisions(store: Store) -> pd.DataFrame:
    """Every revision row (for the benchmark's naive baseline and audits): large at scale."""
    with store.cursor() as cur:
        return cur.execute("SELECT id, indicator_id, kommunkod, year, value FROM observation").df()


def fetch_values_for_checks(store: Store, indicator_ids: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    """Current values of some indicators in a span of years, for the plausibility checks."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT indicator_id, kommunkod, year::BIGINT AS year, value FROM current_observation "
            "WHERE indicator_id IN (SELECT unnest(?::VARCHAR[])) AND year BETWEEN ? AND ?",
            [list(indicator_ids), int(year_from), int(year_to)]).df()


def fetch_current_for_keys(cur, keys: pd.DataFrame) -> pd.DataFrame:
    """For each (indicator_id, kommunkod, year) in keys: the current value and comment, or NULL.
    Takes a cursor so a commit can classify inside its own transaction."""
    cur.register("incoming_keys", keys[["indicator_id", "kommunkod", "year"]])
    try:
        return cur.execute(
            "SELECT k.indicator_id, k.kommunkod, k.year, c.value AS old_value, c.comment AS old_comment "
            "FROM incoming_keys k LEFT JOIN current_observation c ON c.indicator_id = k.indicator_id "
            "AND c.kommunkod = k.kommunkod AND c.year = k.year").df()
    finally:
        cur.unregister("incoming_keys")


def fetch_value_history(store: Store, indicator_id: str, kommunkod: str, year: int | None = None) -> pd.DataFrame:
    """Every revision of one value (or one series), newest first, with the upload's file name (and,
    for an undo, the upload it undid and that upload's file name)."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT o.id AS revision, o.year, o.value, o.source_kind, o.created_by, o.created_at, o.upload_id, "
            "u.filename, o.comment, o.provenance, u.reverts AS upload_reverts, r.filename AS reverted_filename "
            "FROM observation o LEFT JOIN upload u ON u.id = o.upload_id LEFT JOIN upload r ON r.id = u.reverts "
            "WHERE o.indicator_id = ? AND o.kommunkod = ? AND (?::INTEGER IS NULL OR o.year = ?) "
            "ORDER BY o.year DESC, o.id DESC", [indicator_id, kommunkod, year, year]).df()


def fetch_template_values(store: Store, kommunkod: str, indicator_ids: list[str], years: list[int]) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute(
            "SELECT indicator_id, year::BIGINT AS year, value FROM current_observation WHERE kommunkod = ? "
            "AND indicator_id IN (SELECT unnest(?::VARCHAR[])) AND year IN (SELECT unnest(?::INTEGER[]))",
            [kommunkod, list(indicator_ids), [int(y) for y in years]]).df()


def fetch_latest_year(store: Store) -> int | None:
    """The latest year that has any current value (a retraction can empty a year)."""
    with store.cursor() as cur:
        year = cur.execute("SELECT max(year) FROM current_observation").fetchall()[0][0]
    return None if year is None else int(year)


def export_revisions_parquet(store: Store, path) -> None:
    """Every revision (id, indicator_id, kommunkod, year, value) to a Parquet file (the benchmark's
    polars peer reads the same revisions as the trend engine)."""
    with store.cursor() as cur:
        cur.execute(f"COPY (SELECT id, indicator_id, kommunkod, year, value FROM observation) TO "
                    f"'{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
