"""The DuckDB connection: one per process, a cursor per query, one transaction helper.

Owns opening the file and translating DuckDB errors into typed errors (StoreLocked,
StoreError). It holds no SQL text of its own: statements live in the topic modules beside
it (schema, reference, observations, uploads, accounts, admin, trend_inputs).
Imports nothing from the rest of the store or any higher layer; no UI imports.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from indicators.errors import StoreError, StoreLocked
from indicators.paths import db_path


def _lock_holder(msg: str) -> str:
    m = re.search(r"held in (.+?) \(PID (\d+)\)", msg)
    return f"{m.group(1)} (PID {m.group(2)})" if m else "another process"


class Store:
    """A DuckDB database file. Share one per process; never share a cursor between threads."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path else db_path()
        self.read_only = read_only
        self._write_lock = threading.Lock()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreLocked(
                    "store.locked",
                    f"The database {self.path} is in use by {_lock_holder(msg)}. Stop the dashboard "
                    f"(or the other program) and try again; only one program may write at a time.",
                    path=str(self.path), holder=_lock_holder(msg)) from exc
            raise StoreError("store.error", f"Could not open the database {self.path}: {msg}") from exc

    @contextmanager
    def cursor(self):
        """A fresh cursor for one query; DuckDB refuses to share a connection between threads."""
        cur = self.con.cursor()
        try:
            yield cur
        except duckdb.Error as exc:
            raise StoreError("store.error", f"Database error: {exc}") from exc
        finally:
            cur.close()

    @contextmanager
    def transaction(self):
        """All-or-nothing writes. Every write in the product goes through here."""
        with self._write_lock:   # serialise writers in this process: no lost updates, no conflicts
            cur = self.con.cursor()
            cur.begin()
            try:
                yield cur
            except BaseException as exc:
                cur.rollback()
                if isinstance(exc, duckdb.Error):
                    raise StoreError("store.error", f"Database error, nothing was written: {exc}") from exc
                raise
            else:
                cur.commit()
            finally:
                cur.close()

    def close(self) -> None:
        self.con.close()
