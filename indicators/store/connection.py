"""The DuckDB file, shared by several processes: nothing holds it while idle.

DuckDB lets one process write a file and then refuses every other process, reader or
writer; in one process a read-only and a read-write connection to a file cannot coexist.
So a Store opens the file only for the moment it needs it:
- a read (`Store.cursor()`) opens a read-only connection, reads and closes; a burst of
  reads (`Store.reading()`, e.g. a snapshot load) shares one connection, since connecting
  costs ~15 ms and a cursor ~1 ms. Threads reading at once share one connection, a cursor
  each (DuckDB refuses to share a cursor between threads);
- a write (`Store.transaction()`) opens the file read-write for the transaction only; the
  close checkpoints, so other processes find everything in the file;
- in this process a readers/writer gate per file keeps readers and a writer apart (writers
  first, so a stream of readers cannot starve an upload); across processes both wait while
  another process holds the file, retrying with back-off up to `lock_wait_s` (argument, else
  $GN_LOCK_WAIT_S, else 30 s), then raise StoreLocked in plain words.
Every write transaction bumps the `store_version` counter, so a reader in any process can
tell cheaply that the data changed (`Store.version()`). Owns opening the file, the gate, the
version counter's two statements and translating DuckDB errors into typed errors; every
other statement lives in the topic modules beside it. Imports nothing from the rest of the
store or any higher layer; no UI imports.
"""
from __future__ import annotations

import os
import random
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from indicators.errors import StoreError, StoreLocked
from indicators.paths import db_path

LOCK_WAIT_ENV = "GN_LOCK_WAIT_S"
DEFAULT_LOCK_WAIT_S = 30.0
FIRST_RETRY_S, MAX_RETRY_S = 0.01, 0.5

_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS store_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)"
_VERSION_BUMP = ("INSERT INTO store_version VALUES (1, 1) "
                 "ON CONFLICT (id) DO UPDATE SET version = store_version.version + 1")


def lock_wait_seconds() -> float:
    """How long a read or a write waits for another process: $GN_LOCK_WAIT_S, else 30 s."""
    raw = os.environ.get(LOCK_WAIT_ENV, "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_LOCK_WAIT_S
    except ValueError:
        return DEFAULT_LOCK_WAIT_S


def _lock_holder(msg: str) -> str:
    m = re.search(r"held in (.+?) \(PID (\d+)\)", msg)
    return f"{m.group(1)} (PID {m.group(2)})" if m else "another process"


def _locked(path: Path, holder: str, waited: float) -> StoreLocked:
    return StoreLocked(
        "store.locked",
        f"The database {path} is in use by {holder}: waited {waited:.0f} s for it to finish writing. "
        f"Try again in a moment; if it stays busy, check what that program is doing.",
        path=str(path), holder=holder, waited=round(waited))


def _connect(path: Path, read_only: bool, started: float, deadline: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying with back-off while another process holds it."""
    delay = FIRST_RETRY_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" not in msg.lower():
                if read_only and not path.exists():
                    raise StoreError("store.missing", f"There is no database at {path}: create it with "
                                     f"`python -m indicators init --db {path}`.", path=str(path)) from exc
                raise StoreError("store.error", f"Could not open the database {path}: {msg}") from exc
            now = time.monotonic()
            if now >= deadline:
                raise _locked(path, _lock_holder(msg), now - started) from exc
            time.sleep(min(delay * random.uniform(0.5, 1.0), max(0.0, deadline - now)))
            delay = min(delay * 2, MAX_RETRY_S)
        except duckdb.Error as exc:
            raise StoreError("store.error", f"Could not open the database {path}: {exc}") from exc


def _signature(path: Path) -> tuple:
    """What the file system says about the database and its write-ahead log (a stat each)."""
    out = []
    for p in (path, Path(f"{path}.wal")):
        try:
            s = os.stat(p)
            out.append((s.st_ino, s.st_size, s.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


class _Gate:
    """One per database file in this process: readers share one read-only connection, a
    writer has the file alone. Re-entrant per thread: a read inside a read burst or inside
    this thread's own transaction uses the connection already open."""

    def __init__(self, path: Path):
        self.path = path
        self.cond = threading.Condition()
        self.readers = 0                  # threads inside a read
        self.writer: int | None = None    # the writing thread
        self.waiting_writers = 0
        self.ro: duckdb.DuckDBPyConnection | None = None
        self.rw: duckdb.DuckDBPyConnection | None = None
        self.local = threading.local()
        self.version: tuple | None = None  # (file signature, version) last read

    def _wait(self, blocked, started: float, deadline: float) -> None:
        while blocked():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _locked(self.path, "this program (another session's write)", time.monotonic() - started)
            self.cond.wait(remaining)

    def acquire_read(self, started: float, deadline: float) -> duckdb.DuckDBPyConnection:
        local = self.local
        if getattr(local, "writing", False):
            return self.rw
        if getattr(local, "depth", 0):
            local.depth += 1
            return self.ro
        with self.cond:
            self._wait(lambda: self.writer is not None or self.waiting_writers > 0, started, deadline)
            if self.ro is None:
                self.ro = _connect(self.path, True, started, deadline)
            self.readers += 1
            local.depth = 1
            return self.ro

    def release_read(self) -> None:
        local = self.local
        if getattr(local, "writing", False):
            return
        local.depth -= 1
        if local.depth:
            return
        with self.cond:
            self.readers -= 1
            if self.readers == 0 and self.ro is not None:
                con, self.ro = self.ro, None
                con.close()
            self.cond.notify_all()

    def acquire_write(self, started: float, deadline: float) -> duckdb.DuckDBPyConnection:
        local = self.local
        if getattr(local, "writing", False) or getattr(local, "depth", 0):
            raise RuntimeError("a write transaction cannot start inside another transaction or a read burst "
                               "of the same thread")
        with self.cond:
            self.waiting_writers += 1
            try:
                self._wait(lambda: self.writer is not None or self.readers > 0, started, deadline)
            finally:
                self.waiting_writers -= 1
                self.cond.notify_all()
            self.writer = threading.get_ident()
        try:
            self.rw = _connect(self.path, False, started, deadline)
        except BaseException:
            self._end_write()
            raise
        local.writing = True
        return self.rw

    def release_write(self) -> None:
        self.local.writing = False
        con, self.rw = self.rw, None
        try:
            con.close()           # checkpoints: the next reader in any process finds it all in the file
        finally:
            self._end_write()

    def _end_write(self) -> None:
        with self.cond:
            self.writer = None
            self.cond.notify_all()


_GATES: dict[str, _Gate] = {}
_GATES_LOCK = threading.Lock()


def _gate_for(path: Path) -> _Gate:
    key = os.path.realpath(path)
    with _GATES_LOCK:
        if key not in _GATES:
            _GATES[key] = _Gate(Path(key))
        return _GATES[key]


class Store:
    """A DuckDB database file that several processes share. Holds no connection between calls;
    share one per process or make many: stores of one file share this process's gate."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False, lock_wait_s: float | None = None):
        self.path = Path(path) if path else db_path()
        self.read_only = read_only
        self.lock_wait_s = lock_wait_seconds() if lock_wait_s is None else float(lock_wait_s)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._gate = _gate_for(self.path)

    def _clock(self, wait_s: float | None = None) -> tuple[float, float]:
        started = time.monotonic()
        return started, started + (self.lock_wait_s if wait_s is None else wait_s)

    @contextmanager
    def reading(self):
        """A burst of reads on one read-only connection, closed at the end of the block.
        Inside it, cursor() costs ~1 ms instead of a connect. Write transactions of other
        threads wait until the burst ends, so keep it to the reads."""
        self._gate.acquire_read(*self._clock())
        try:
            yield self
        finally:
            self._gate.release_read()

    @contextmanager
    def cursor(self):
        """A fresh cursor for one query (DuckDB refuses to share a connection between threads),
        on the open burst's connection or on one opened for this read."""
        con = self._gate.acquire_read(*self._clock())
        try:
            cur = con.cursor()
            try:
                yield cur
            except duckdb.Error as exc:
                raise StoreError("store.error", f"Database error: {exc}") from exc
            finally:
                cur.close()
        finally:
            self._gate.release_read()

    @contextmanager
    def transaction(self, bookkeeping: bool = False):
        """All-or-nothing writes; every write in the product goes through here. Opens the file
        read-write for this transaction only, waiting while another process writes.
        `bookkeeping=True` (login sessions and throttle counters, which no page shows) leaves the
        version counter alone, so a login or a session's idle clock does not make every page
        recompute its data."""
        if self.read_only:
            raise StoreError("store.read_only", f"The database {self.path} was opened read-only.")
        con = self._gate.acquire_write(*self._clock())
        try:
            cur = con.cursor()
            cur.begin()
            try:
                yield cur
                if not bookkeeping:
                    cur.execute(_VERSION_TABLE)
                    cur.execute(_VERSION_BUMP)
            except BaseException as exc:
                cur.rollback()
                if isinstance(exc, duckdb.Error):
                    raise StoreError("store.error", f"Database error, nothing was written: {exc}") from exc
                raise
            else:
                cur.commit()
            finally:
                cur.close()
        finally:
            self._gate.release_write()

    def version(self) -> int:
        """A number that changes with every write transaction committed by any process. Costs two
        stat calls while the file is unchanged; reads the counter (one connect) after a change.
        Never waits: while another process writes it returns the last version it read."""
        gate, sig = self._gate, _signature(self.path)
        known = gate.version
        if known is not None and known[0] == sig:
            return known[1]
        try:
            con = gate.acquire_read(*self._clock(0.0))
        except (StoreLocked, StoreError):
            return known[1] if known else 0
        try:
            cur = con.cursor()
            try:
                row = cur.execute("SELECT max(version) FROM store_version").fetchone()
                value = int(row[0] or 0)
            except duckdb.CatalogException:
                value = 0
            finally:
                cur.close()
        finally:
            gate.release_read()
        gate.version = (sig, value)
        return value

    def close(self) -> None:
        """Nothing to release: no connection outlives a call. Kept so callers need not know."""
