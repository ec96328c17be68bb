"""SQL of login throttling and the must-change-password mark (store layer; migration 005 in schema.py).

The throttle state lives in the database, so every server process (several dashboards behind a
proxy, the CLI) sees the same counters. Values are always parameters. No UI imports.
"""
from __future__ import annotations

import pandas as pd

THROTTLE_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_throttle (
    scope VARCHAR NOT NULL,          -- 'pair': one user name from one address; 'address': all names
    username VARCHAR NOT NULL,       -- as typed (lower case), whether or not the account exists
    address VARCHAR NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    window_start TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP,
    PRIMARY KEY (scope, username, address));
ALTER TABLE account ADD COLUMN IF NOT EXISTS must_change_password BOOLEAN DEFAULT FALSE;
"""


def fetch_throttle(cur, scope: str, username: str, address: str) -> dict | None:
    rows = cur.execute("SELECT failures, window_start, blocked_until FROM login_throttle "
                       "WHERE scope = ? AND username = ? AND address = ?", [scope, username, address]).fetchall()
    if not rows:
        return None
    failures, window_start, blocked_until = rows[0]
    return {"failures": int(failures), "window_start": window_start, "blocked_until": blocked_until}


def upsert_throttle(cur, scope: str, username: str, address: str, failures: int, window_start, blocked_until) -> None:
    cur.execute("INSERT OR REPLACE INTO login_throttle VALUES (?, ?, ?, ?, ?, ?)",
                [scope, username, address, int(failures), window_start, blocked_until])


def delete_throttle(cur, scope: str, username: str, address: str) -> None:
    cur.execute("DELETE FROM login_throttle WHERE scope = ? AND username = ? AND address = ?",
                [scope, username, address])


def delete_throttle_for_user(cur, username: str) -> None:
    cur.execute("DELETE FROM login_throttle WHERE scope = 'pair' AND username = ?", [username])


def delete_stale_throttle(cur, before) -> None:
    """Forget counters untouched for a day, so guessing random names cannot grow the table for ever."""
    cur.execute("DELETE FROM login_throttle WHERE window_start < ? AND (blocked_until IS NULL OR blocked_until < ?)",
                [before, before])


def fetch_failures_by_user(store) -> pd.DataFrame:
    """Recent failed logins per user name over all addresses (for the account list)."""
    with store.cursor() as cur:
        return cur.execute("SELECT username, sum(failures)::INTEGER AS failed_logins FROM login_throttle "
                           "WHERE scope = 'pair' GROUP BY username").df()


def update_must_change_password(cur, username: str, must_change: bool) -> None:
    cur.execute("UPDATE account SET must_change_password = ? WHERE username = ?", [bool(must_change), username])
