"""Every SQL statement of the product, one named function per query.

Schema: one initial SQL source plus an ordered list of named migrations, recorded in
schema_version; applying them twice changes nothing. Values are always parameters;
identifiers come from allow-lists. Reads take a Store and open their own cursor;
writes take the cursor of a Store.transaction(). No UI imports.
"""
from __future__ import annotations

import pandas as pd

from .login_queries import THROTTLE_SCHEMA
from .store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS municipality (
    kommunkod VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, lan_code VARCHAR, lan_name VARCHAR);
CREATE TABLE IF NOT EXISTS population (
    kommunkod VARCHAR NOT NULL, year SMALLINT NOT NULL, population BIGINT NOT NULL,
    source_kind VARCHAR NOT NULL DEFAULT 'central', PRIMARY KEY (kommunkod, year));
CREATE TABLE IF NOT EXISTS membership (
    kommunkod VARCHAR NOT NULL, from_year SMALLINT NOT NULL, to_year SMALLINT, note VARCHAR DEFAULT '',
    PRIMARY KEY (kommunkod, from_year));
CREATE TABLE IF NOT EXISTS indicator (
    id VARCHAR PRIMARY KEY, name_sv VARCHAR NOT NULL, name_en VARCHAR NOT NULL, unit VARCHAR NOT NULL,
    better VARCHAR NOT NULL, theme VARCHAR NOT NULL, start_year SMALLINT NOT NULL, decimals SMALLINT NOT NULL,
    source VARCHAR, reported_by VARCHAR NOT NULL, kolada_kpi VARCHAR,
    band_edges DOUBLE[], band_labels VARCHAR[], sort_order INTEGER);
CREATE SEQUENCE IF NOT EXISTS observation_seq;
CREATE TABLE IF NOT EXISTS observation (
    id BIGINT NOT NULL DEFAULT nextval('observation_seq'),
    indicator_id VARCHAR NOT NULL, kommunkod VARCHAR NOT NULL, year SMALLINT NOT NULL,
    value DOUBLE,               -- NULL: a retraction (a revert of a value that did not exist before)
    source_kind VARCHAR NOT NULL CHECK (source_kind IN ('reported','central','imported','imputed','demo')),
    upload_id BIGINT, created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by VARCHAR NOT NULL, comment VARCHAR);
CREATE SEQUENCE IF NOT EXISTS upload_seq;
CREATE TABLE IF NOT EXISTS upload (
    id BIGINT PRIMARY KEY DEFAULT nextval('upload_seq'), created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by VARCHAR NOT NULL, filename VARCHAR, sha256 VARCHAR, n_new INTEGER DEFAULT 0,
    n_changed INTEGER DEFAULT 0, n_unchanged INTEGER DEFAULT 0, n_flagged INTEGER DEFAULT 0,
    summary VARCHAR, status VARCHAR NOT NULL DEFAULT 'committed', reverted_by BIGINT, reverts BIGINT);
CREATE SEQUENCE IF NOT EXISTS target_seq;
CREATE TABLE IF NOT EXISTS target (
    id BIGINT PRIMARY KEY DEFAULT nextval('target_seq'), indicator_id VARCHAR NOT NULL,
    kommunkod VARCHAR,          -- NULL: the national target from the catalogue
    kind VARCHAR NOT NULL DEFAULT 'absolute', value DOUBLE NOT NULL, year SMALLINT NOT NULL,
    base_year SMALLINT, label VARCHAR, created_by VARCHAR NOT NULL DEFAULT 'catalog',
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp, active BOOLEAN NOT NULL DEFAULT TRUE);
CREATE SEQUENCE IF NOT EXISTS series_break_seq;
CREATE TABLE IF NOT EXISTS series_break (
    id BIGINT PRIMARY KEY DEFAULT nextval('series_break_seq'), indicator_id VARCHAR NOT NULL,
    kommunkod VARCHAR, year SMALLINT NOT NULL, note VARCHAR, created_by VARCHAR NOT NULL DEFAULT 'catalog',
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
CREATE SEQUENCE IF NOT EXISTS comment_seq;
CREATE TABLE IF NOT EXISTS comment (
    id BIGINT PRIMARY KEY DEFAULT nextval('comment_seq'), kommunkod VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL, year SMALLINT, text VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS account (
    username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('reporter','admin')), municipalities VARCHAR[] NOT NULL DEFAULT [],
    email VARCHAR, disabled BOOLEAN NOT NULL DEFAULT FALSE, failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP, created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
"""

CURRENT_VIEW = """
CREATE OR REPLACE VIEW current_observation AS
SELECT indicator_id, kommunkod, year, value, source_kind, upload_id, created_at, created_by, comment,
       n_revisions
FROM (
    SELECT *, count(*) OVER w AS n_revisions, row_number() OVER (w ORDER BY id DESC) AS rn
    FROM observation WINDOW w AS (PARTITION BY indicator_id, kommunkod, year)
) WHERE rn = 1 AND value IS NOT NULL;
"""

# Reporting: plausibility flags per written value, and which upload wrote a comment (so a
# revert hides the comments it brought).
REPORTING_SCHEMA = """
CREATE TABLE IF NOT EXISTS value_flag (
    upload_id BIGINT NOT NULL, indicator_id VARCHAR NOT NULL, kommunkod VARCHAR NOT NULL,
    year SMALLINT NOT NULL, code VARCHAR NOT NULL, detail VARCHAR);
ALTER TABLE comment ADD COLUMN IF NOT EXISTS upload_id BIGINT;
"""

# Ordered, named migrations. Append new ones; never edit or reorder a shipped one.
MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial_schema", SCHEMA),
    ("002_current_observation_view", CURRENT_VIEW),
    ("003_reporting_flags", REPORTING_SCHEMA),
    ("004_login_throttle", THROTTLE_SCHEMA),
]


def apply_migrations(store: Store) -> list[str]:
    """Run the migrations not yet recorded; return the names applied now."""
    applied_now = []
    with store.transaction() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
        done = {r[0] for r in cur.execute("SELECT name FROM schema_version").fetchall()}
        for version, (name, sql) in enumerate(MIGRATIONS, start=1):
            if name in done:
                continue
            cur.execute(sql)
            cur.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            applied_now.append(name)
    return applied_now


def fetch_schema_versions(store: Store) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute("SELECT version, name FROM schema_version ORDER BY version").df()


def fetch_table_names(store: Store) -> list[str]:
    with store.cursor() as cur:
        return [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]


def fetch_table_digest(store: Store) -> dict[str, tuple[int, int]]:
    """{table: (rows, order-independent hash of every row)} for every table: proves that a
    rejected upload or a refused login left the database exactly as it was."""
    out = {}
    with store.cursor() as cur:
        for name in fetch_table_names(store):
            rows, digest = cur.execute(f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{name}" t').fetchone()
            out[name] = (int(rows), int(digest))
    return out


# ---------------------------------------------------------------- reference data (writes)

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


# ---------------------------------------------------------------- observations (writes)

OBSERVATION_COLUMNS = ["indicator_id", "kommunkod", "year", "value", "source_kind", "upload_id",
                       "created_by", "comment"]


def insert_observations(cur, df) -> int:
    """Append revisions. df: a DataFrame or Arrow table with OBSERVATION_COLUMNS."""
    cur.register("incoming_observation", df)
    cur.execute(f"INSERT INTO observation ({', '.join(OBSERVATION_COLUMNS)}) "
                "SELECT indicator_id, kommunkod, year::SMALLINT, value::DOUBLE, source_kind, "
                "upload_id::BIGINT, created_by, comment FROM incoming_observation")
    cur.unregister("incoming_observation")
    return len(df)


# ---------------------------------------------------------------- reads

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


CURRENT_SELECT = """
SELECT indicator_id, kommunkod, year, value, source_kind, upload_id, created_at, created_by, comment, n_revisions
FROM (
    SELECT *, count(*) OVER w AS n_revisions, row_number() OVER (w ORDER BY id DESC) AS rn
    FROM observation WHERE {where} WINDOW w AS (PARTITION BY indicator_id, kommunkod, year)
) WHERE rn = 1 AND value IS NOT NULL
"""


def fetch_current(store: Store, indicators: list[str] | None = None, kommuner: list[str] | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """Current values (newest revision) with their provenance, optionally filtered.

    The filters are on the partition keys, so they go inside the window: at 10 M rows that is
    the difference between ~30 ms and ~5 s."""
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
        return cur.execute(CURRENT_SELECT.format(where=" AND ".join(where))
                           + " ORDER BY indicator_id, kommunkod, year", params).df()


def count_observations(store: Store) -> int:
    with store.cursor() as cur:
        return cur.execute("SELECT count(*) FROM observation").fetchall()[0][0]


def count_current_by_kind(store: Store) -> dict[str, int]:
    with store.cursor() as cur:
        rows = cur.execute("SELECT source_kind, count(*) FROM current_observation GROUP BY 1").fetchall()
    return {k: n for k, n in rows}


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


def checkpoint(store: Store) -> None:
    """Flush the write-ahead log into the database file (after a bulk load)."""
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")


def fetch_all_revisions(store: Store) -> pd.DataFrame:
    """Every revision row (for the benchmark's naive baseline and audits): large at scale."""
    with store.cursor() as cur:
        return cur.execute("SELECT id, indicator_id, kommunkod, year, value FROM observation").df()


# ---------------------------------------------------------------- reporting (uploads, revisions, status)

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
        "  o.value, last_value(o.value) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) "
        "  AS current_value "
        "  FROM observation o JOIN keys USING (indicator_id, kommunkod, year) "
        "  WINDOW w AS (PARTITION BY o.indicator_id, o.kommunkod, o.year ORDER BY o.id)) "
        "SELECT indicator_id, kommunkod, year, source_kind, value IS NOT DISTINCT FROM current_value AS still_current, "
        "prev_id IS NOT NULL AS had_prev, prev_value, prev_kind, prev_comment "
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


def fetch_value_history(store: Store, indicator_id: str, kommunkod: str, year: int | None = None) -> pd.DataFrame:
    """Every revision of one value (or one series), newest first, with the upload's file name."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT o.id AS revision, o.year, o.value, o.source_kind, o.created_by, o.created_at, o.upload_id, "
            "u.filename, o.comment FROM observation o LEFT JOIN upload u ON u.id = o.upload_id "
            "WHERE o.indicator_id = ? AND o.kommunkod = ? AND (?::INTEGER IS NULL OR o.year = ?) "
            "ORDER BY o.year DESC, o.id DESC", [indicator_id, kommunkod, year, year]).df()


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


def fetch_template_values(store: Store, kommunkod: str, indicator_ids: list[str], years: list[int]) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute(
            "SELECT indicator_id, year::BIGINT AS year, value FROM current_observation WHERE kommunkod = ? "
            "AND indicator_id IN (SELECT unnest(?::VARCHAR[])) AND year IN (SELECT unnest(?::INTEGER[]))",
            [kommunkod, list(indicator_ids), [int(y) for y in years]]).df()


# ---------------------------------------------------------------- accounts

ACCOUNT_COLUMNS = ("username, role, municipalities, email, disabled, failed_logins, locked_until, created_at, "
                   "must_change_password")


def insert_account(cur, username: str, password_hash: str, role: str, municipalities: list[str],
                   email: str | None) -> None:
    cur.execute("INSERT INTO account (username, password_hash, role, municipalities, email) VALUES (?, ?, ?, ?, ?)",
                [username, password_hash, role, list(municipalities), email])


def fetch_account(cur, username: str) -> dict | None:
    """One account including its password hash (for login); takes a cursor or transaction."""
    rows = cur.execute(f"SELECT {ACCOUNT_COLUMNS}, password_hash FROM account WHERE username = ?",
                       [username]).df()
    return rows.iloc[0].to_dict() if len(rows) else None


def fetch_accounts_by_email(store: Store, email: str) -> list[str]:
    with store.cursor() as cur:
        return [r[0] for r in cur.execute("SELECT username FROM account WHERE lower(email) = lower(?) ORDER BY 1",
                                          [email]).fetchall()]


def fetch_accounts(store: Store) -> pd.DataFrame:
    """Every account without its password hash."""
    with store.cursor() as cur:
        return cur.execute(f"SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY username").df()


def update_account_password(cur, username: str, password_hash: str) -> None:
    cur.execute("UPDATE account SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
                [password_hash, username])


def update_account_disabled(cur, username: str, disabled: bool) -> None:
    cur.execute("UPDATE account SET disabled = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
                [bool(disabled), username])


# ---------------------------------------------------------------- administration: membership, targets, breaks

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


# ---------------------------------------------------------------- trend engine inputs

_TREND_PARTS_SQL = """
obs AS (
    SELECT c.ii, c.ki, c.year, c.value, i.start_year, i.has_breaks,
           CASE WHEN c.year >= i.start_year
                THEN greatest(i.start_year, coalesce(bn.brk, -1), coalesce(bm.brk, -1)) ELSE -1 END AS seg
    FROM {source} c JOIN gn_t_ind i ON i.ii = c.ii
    LEFT JOIN gn_t_bn bn ON bn.ii = c.ii AND bn.year = c.year
    LEFT JOIN gn_t_bm bm ON bm.ii = c.ii AND bm.ki = c.ki AND bm.year = c.year
    WHERE c.value IS NOT NULL AND isfinite(c.value) AND c.ki BETWEEN $ki_lo AND $ki_hi),
seg AS (
    -- indicators with series breaks: one row per (series, segment); -1 = before the start year
    SELECT 's' AS kind, ii, ki, seg, count(*) AS n, min(year) AS first_year, arg_min(value, year) AS first_value,
           max(year) AS last_year, arg_max(value, year) AS last_value,
           max(year, $window) AS win_years, arg_max(value, year, $window) AS win_values
    FROM obs WHERE has_breaks GROUP BY ii, ki, seg
    UNION ALL
    -- the rest (nearly all): one row per series, the same fields over the years from the start year
    -- on, except the last point, which is the series' own (the only data may predate the start year)
    SELECT 's' AS kind, ii, ki, CASE WHEN count(*) FILTER (WHERE seg >= 0) > 0 THEN any_value(start_year) ELSE -1 END,
           count(*) FILTER (WHERE seg >= 0), min(year) FILTER (WHERE seg >= 0),
           arg_min(value, year) FILTER (WHERE seg >= 0), max(year), arg_max(value, year),
           max(year, $window) FILTER (WHERE seg >= 0), arg_max(value, year, $window) FILTER (WHERE seg >= 0)
    FROM obs WHERE NOT has_breaks GROUP BY ii, ki),
net AS (
    SELECT 'n' AS kind, c.ii, c.year, count(*) AS n, sum(c.value) AS total, sum(c.value * p.population) AS wtotal,
           sum(p.population) AS wpop, count(p.population) AS wn, list(c.value ORDER BY c.value) AS net_values
    FROM {net_source} c JOIN gn_t_mem m ON m.ki = c.ki AND m.year = c.year
    LEFT JOIN gn_t_pop p ON p.ki = c.ki AND p.year = c.year
    WHERE c.value IS NOT NULL AND isfinite(c.value) GROUP BY c.ii, c.year),
refs AS (
    SELECT 'r' AS kind, c.ii, c.ki, c.year, c.value AS ref_value
    FROM {source} c JOIN gn_t_ref r ON r.ii = c.ii AND r.year = c.year
    WHERE c.value IS NOT NULL AND isfinite(c.value) AND c.ki BETWEEN $ki_lo AND $ki_hi)
SELECT * FROM seg UNION ALL BY NAME SELECT * FROM net UNION ALL BY NAME SELECT * FROM refs
"""
# Every series and the whole network from one revision-dedupe of every row.
TREND_INPUTS_SQL = """
WITH cur AS MATERIALIZED (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, arg_max_null(o.value, o.id) AS value
    FROM observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    WHERE o.year <= $year_max
    GROUP BY ALL),""" + _TREND_PARTS_SQL.format(source="cur", net_source="cur")

# Some municipalities (ki_lo..ki_hi, e.g. a scorecard): their series, and the network only in
# the groups their series end in (each series' latest year, all the table looks up), so the
# members' rows are deduped for a few (indicator, year) pairs instead of every year.
TREND_INPUTS_SELECTED_SQL = """
WITH cur AS MATERIALIZED (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, arg_max_null(o.value, o.id) AS value
    FROM observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    WHERE o.year <= $year_max AND k.ki BETWEEN $ki_lo AND $ki_hi
    GROUP BY ALL),
want AS (
    SELECT DISTINCT ii, max(year) AS year FROM cur WHERE value IS NOT NULL AND isfinite(value) GROUP BY ii, ki),
mem AS (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, arg_max_null(o.value, o.id) AS value
    FROM observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    JOIN want w ON w.ii = i.ii AND w.year = o.year
    WHERE o.year <= $year_max
    GROUP BY ALL),""" + _TREND_PARTS_SQL.format(source="cur", net_source="mem")


def fetch_trend_inputs(store: Store, params, window: int, year_max: int = 2100, kommuner=None) -> dict:
    """The trend engine's inputs in one scan (trendmath.EngineParams in, flat arrays out).

    Current values (newest revision, retractions dropped) per series are split at the start
    year and at series breaks; each segment gives its count, first and last point and its
    last `window` points. The network part gives, per indicator and year, the members'
    count, sums and sorted values. Municipalities outside params.kommuner and years after
    year_max are not read.
    One query with a materialised CTE: at 10 M rows that is one revision-dedupe instead of
    three. Returns plain numpy arrays and small DataFrames.

    With kommuner (codes), segments and reference values are read only for the municipalities
    between the first and the last of them in params.kommuner order (a superset the caller
    filters), and the network only in the (indicator, year) groups those series end in (all
    the table looks up; network_frame needs kommuner=None): a scorecard dedupes ~2 000 rows
    instead of every row."""
    import numpy as np
    import pyarrow.compute as pc

    kom = params.kommuner[["ki", "kommunkod"]]
    ki_lo, ki_hi = 0, len(kom) - 1
    if kommuner is not None:
        sel = kom["ki"].to_numpy(np.int64)[kom["kommunkod"].isin(list(kommuner)).to_numpy()]
        ki_lo, ki_hi = (int(sel.min()), int(sel.max())) if len(sel) else (0, -1)
        ki = kom["ki"].to_numpy(np.int64)
        kom = kom[((ki >= ki_lo) & (ki <= ki_hi)) | np.isin(ki, params.member_years["ki"].to_numpy())]
    frames = {"gn_t_ind": params.indicators[["ii", "indicator_id", "start_year", "has_breaks"]],
              "gn_t_kom": kom, "gn_t_bn": params.breaks_nat,
              "gn_t_bm": params.breaks_mun, "gn_t_mem": params.member_years, "gn_t_pop": params.population,
              "gn_t_ref": params.ref_years}
    with store.cursor() as cur:
        for name, frame in frames.items():
            cur.register(name, frame)
        sql = TREND_INPUTS_SQL if kommuner is None else TREND_INPUTS_SELECTED_SQL
        table = cur.sql(sql, params={"window": int(window), "year_max": int(year_max),
                                     "ki_lo": ki_lo, "ki_hi": ki_hi}).to_arrow_table()
        for name in frames:
            cur.unregister(name)

    def part(kind: str, cols: list[str]):
        return table.filter(pc.equal(table["kind"], kind)).select(cols)

    def flat(column):
        arr = column.combine_chunks()
        lengths = pc.list_value_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
        values = pc.list_flatten(arr).to_numpy(zero_copy_only=False).astype(float)
        return np.r_[0, np.cumsum(lengths)].astype(np.int64), values

    seg = part("s", ["ii", "ki", "seg", "n", "first_year", "first_value", "last_year", "last_value",
                     "win_years", "win_values"])
    net = part("n", ["ii", "year", "n", "total", "wtotal", "wpop", "wn", "net_values"])
    win_offsets, win_years = flat(seg["win_years"])
    _, win_values = flat(seg["win_values"])
    net_offsets, net_values = flat(net["net_values"])
    return {"segments": seg.drop_columns(["win_years", "win_values"]).to_pandas(),
            "win_offsets": win_offsets, "win_years": win_years, "win_values": win_values,
            "network": net.drop_columns(["net_values"]).to_pandas().fillna({"wtotal": 0.0, "wpop": 0.0}),
            "net_offsets": net_offsets, "net_values": net_values,
            "refs": part("r", ["ii", "ki", "year", "ref_value"]).to_pandas().rename(columns={"ref_value": "value"})}


def fetch_all_targets(store: Store) -> pd.DataFrame:
    """Every active target, national (kommunkod NULL) and municipal, for the trend table."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT id, indicator_id, kommunkod, kind, value, year, base_year, label, created_by FROM target "
            "WHERE active ORDER BY indicator_id, kommunkod NULLS FIRST, year").df()


def fetch_latest_year(store: Store) -> int | None:
    """The latest year that has any current value. Walks down from the newest year written, one
    cheap year-filtered probe each (a retraction can empty a year), instead of deduping every row."""
    current = CURRENT_SELECT.format(where="year = ?")
    with store.cursor() as cur:
        year = cur.execute("SELECT max(year) FROM observation").fetchall()[0][0]
        while year is not None:
            if cur.execute(f"SELECT count(*) FROM ({current})", [year]).fetchall()[0][0]:
                return int(year)
            year = cur.execute("SELECT max(year) FROM observation WHERE year < ?", [year]).fetchall()[0][0]
    return None
