"""The database schema: one initial SQL source plus an ordered list of named migrations,
recorded in schema_version; applying them twice changes nothing. Append new migrations;
never edit or reorder a shipped one. Checking what is pending needs no write lock, so a
process that only reads never takes it. Imports only the store connection's types; no UI imports.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from indicators.store.logins import THROTTLE_SCHEMA

if TYPE_CHECKING:
    from indicators.store.connection import Store


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

# Provenance detail of a revision (the source kind stays one of five): NULL, or space-separated
# key:value tokens written by the Kolada import, e.g. `kolada:N00403`, `kolada:N60404 county:0014`,
# `kolada:N45970,N01951 derived:N45970*1e6/N01951` (indicators/text/provenance.py reads them).
PROVENANCE_SCHEMA = """
ALTER TABLE observation ADD COLUMN IF NOT EXISTS provenance VARCHAR;
CREATE OR REPLACE VIEW current_observation AS
SELECT indicator_id, kommunkod, year, value, source_kind, upload_id, created_at, created_by, comment,
       n_revisions, provenance
FROM (
    SELECT *, count(*) OVER w AS n_revisions, row_number() OVER (w ORDER BY id DESC) AS rn
    FROM observation WINDOW w AS (PARTITION BY indicator_id, kommunkod, year)
) WHERE rn = 1 AND value IS NOT NULL;
"""

# Logins that survive a reload: the key that signs the session cookie (one row, made on first
# use) and the server-side sessions it points to (the cookie carries a random id; only its
# SHA-256 is stored). Several server processes on one file share both; logout and the idle
# timeout end a session for every tab and process at once.
WEB_SESSIONS = """
CREATE TABLE IF NOT EXISTS session_key (
    id INTEGER PRIMARY KEY, secret VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS web_session (
    id_hash VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, end_reason VARCHAR,
    address VARCHAR);
"""

# The current value of every (indicator, municipality, year), kept at write time by
# observations.write_revisions in the same transaction as the revision: the newest revision
# of the key, with how many revisions it has; a retraction (NULL revision) removes the row.
# Replaces the view of 002 and 004, which deduplicated every revision on every read. Built here from
# the revisions for databases that have them, ordered so zone maps prune by indicator.
CURRENT_TABLE = """
DROP VIEW IF EXISTS current_observation;
CREATE TABLE current_observation (
    indicator_id VARCHAR NOT NULL, kommunkod VARCHAR NOT NULL, year SMALLINT NOT NULL, value DOUBLE NOT NULL,
    source_kind VARCHAR NOT NULL, upload_id BIGINT, created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL,
    comment VARCHAR, n_revisions INTEGER NOT NULL, revision_id BIGINT NOT NULL, provenance VARCHAR);
INSERT INTO current_observation
SELECT indicator_id, kommunkod, year, value, source_kind, upload_id, created_at, created_by, comment,
       n_revisions, id, provenance
FROM (
    SELECT *, count(*) OVER w AS n_revisions, row_number() OVER (w ORDER BY id DESC) AS rn
    FROM observation WINDOW w AS (PARTITION BY indicator_id, kommunkod, year)
) WHERE rn = 1 AND value IS NOT NULL
ORDER BY indicator_id, kommunkod, year;
"""

# Shared settings (the preliminary-year threshold ...), read and written in store/settings.py.
SETTINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS setting (
    key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp);
"""

# Ordered, named migrations. Append new ones; never edit or reorder a shipped one.
MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial_schema", SCHEMA),
    ("002_current_observation_view", CURRENT_VIEW),
    ("003_reporting_flags", REPORTING_SCHEMA),
    ("004_observation_provenance", PROVENANCE_SCHEMA),
    ("005_login_throttle", THROTTLE_SCHEMA),
    ("006_current_observation_table", CURRENT_TABLE),
    ("007_settings", SETTINGS_SCHEMA),
    ("008_web_sessions", WEB_SESSIONS),
]


def pending_migrations(store: Store) -> list[str]:
    """The migrations not yet recorded, read without the write lock (all of them for a new file)."""
    if not store.path.exists():
        return [name for name, _ in MIGRATIONS]
    with store.cursor() as cur:
        try:
            done = {r[0] for r in cur.execute("SELECT name FROM schema_version").fetchall()}
        except duckdb.CatalogException:
            done = set()
    return [name for name, _ in MIGRATIONS if name not in done]


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
    rejected upload or a refused login left the database exactly as it was. The store's own
    write counter (store_version, bumped by every write transaction, also one that changed no
    row) is bookkeeping, not data, and is left out."""
    out = {}
    with store.cursor() as cur:
        for name in fetch_table_names(store):
            if name == "store_version":
                continue
            rows, digest = cur.execute(f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{name}" t').fetchone()
            out[name] = (int(rows), int(digest))
    return out
