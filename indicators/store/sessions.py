"""SQL for login sessions: the cookie-signing key (one row, created on first use) and the
server-side session rows (stored by the SHA-256 of the cookie's random id, never the id).
Every function takes a cursor or transaction from the caller, so a login writes its session
in the same transaction as the account's login state. No UI imports; nothing above the store.
"""
from __future__ import annotations

import datetime as dt

_COLUMNS = "id_hash, username, created_at, last_seen, expires_at, ended_at, end_reason"


def fetch_signing_key(cur) -> str | None:
    row = cur.execute("SELECT secret FROM session_key WHERE id = 1").fetchone()
    return row[0] if row else None


def fetch_or_create_signing_key(cur, new_secret: str) -> str:
    """The signing key; `new_secret` becomes it when there is none yet (the first caller wins,
    so two processes starting at once agree)."""
    cur.execute("INSERT INTO session_key (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", [new_secret])
    return cur.execute("SELECT secret FROM session_key WHERE id = 1").fetchone()[0]


def insert_session(cur, id_hash: str, username: str, now: dt.datetime, expires_at: dt.datetime,
                   address: str | None) -> None:
    cur.execute("INSERT INTO web_session (id_hash, username, created_at, last_seen, expires_at, address) "
                "VALUES (?, ?, ?, ?, ?, ?)", [id_hash, username, now, now, expires_at, address])


def fetch_session(cur, id_hash: str) -> dict | None:
    row = cur.execute(f"SELECT {_COLUMNS} FROM web_session WHERE id_hash = ?", [id_hash]).fetchone()
    return dict(zip([c.strip() for c in _COLUMNS.split(",")], row)) if row else None


def touch_session(cur, id_hash: str, now: dt.datetime) -> None:
    cur.execute("UPDATE web_session SET last_seen = ? WHERE id_hash = ? AND ended_at IS NULL AND last_seen < ?",
                [now, id_hash, now])


def end_session(cur, id_hash: str, now: dt.datetime, reason: str) -> None:
    cur.execute("UPDATE web_session SET ended_at = ?, end_reason = ? WHERE id_hash = ? AND ended_at IS NULL",
                [now, reason, id_hash])


def end_user_sessions(cur, username: str, now: dt.datetime, reason: str, keep: str | None = None) -> None:
    """End every open session of the account, except the one whose id hash is `keep` (if given)."""
    cur.execute("UPDATE web_session SET ended_at = ?, end_reason = ? WHERE username = ? AND ended_at IS NULL "
                "AND id_hash IS DISTINCT FROM ?", [now, reason, username, keep])


def delete_sessions_before(cur, before: dt.datetime) -> None:
    """Housekeeping: forget sessions that expired (or ended) before `before`."""
    cur.execute("DELETE FROM web_session WHERE expires_at < ? OR ended_at < ?", [before, before])


def count_open_sessions(cur, username: str, now: dt.datetime) -> int:
    return cur.execute("SELECT count(*) FROM web_session WHERE username = ? AND ended_at IS NULL AND expires_at > ?",
                       [username, now]).fetchone()[0]
