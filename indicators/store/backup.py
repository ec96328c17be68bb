"""Backup and restore of the database file: a consistent copy made with DuckDB's
`ATTACH … (READ_ONLY)` + `COPY FROM DATABASE` (tables, views, sequences with their current values),
written to a temporary file beside the target and moved into place, so a half-written copy is never
left under the real name.

A backup needs only a read lock, held for the seconds the copy takes: it works beside processes that
read the file, and waits (up to `wait_seconds`) while another process holds the write lock for a
commit. A restore refuses to replace an existing database unless forced, and then needs the file free
(stop the dashboard first). Imports only the error types; no UI imports; nothing above the store layer.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from indicators.errors import GNError, StoreLocked

MARKER_TABLE = "schema_version"     # every database of this product has it


class BackupError(GNError):
    """The backup or restore cannot be done as asked (keys backup.exists, restore.exists,
    restore.not_a_backup); nothing was written."""


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _attach(con, path: Path, alias: str, read_only: bool, wait_seconds: float) -> None:
    """ATTACH, retrying while another process holds a conflicting lock."""
    deadline = time.monotonic() + wait_seconds
    mode = " (READ_ONLY)" if read_only else ""
    while True:
        try:
            con.execute(f"ATTACH '{_sql_path(path)}' AS {alias}{mode}")
            return
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise StoreLocked("store.locked", f"The database {path} stayed locked by another process for "
                                  f"{wait_seconds:.0f} s; try again in a moment.", path=str(path),
                                  holder="another process") from exc
            time.sleep(0.2)


def _copy(source: Path, target: Path, wait_seconds: float, version_above: int = 0) -> dict[str, int]:
    """Copy every object of source into a new file target; return {table: rows} of the copy.
    version_above: the copy's store version counter is set above it, so every reader that knew
    the file it replaces (keyed on that counter) reloads, even if the backup's counter is older."""
    tmp = target.with_name(f".{target.name}.partial")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        _attach(con, source, "src", True, wait_seconds)
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()}
        if MARKER_TABLE not in tables:
            raise BackupError("restore.not_a_backup", f"{source} has no {MARKER_TABLE} table",
                              path=str(source), detail=f"no {MARKER_TABLE}")
        _attach(con, tmp, "dst", False, 0)
        con.execute("COPY FROM DATABASE src TO dst")
        if version_above:
            con.execute("CREATE TABLE IF NOT EXISTS dst.store_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)")
            con.execute("INSERT INTO dst.store_version VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
                        "version = greatest(store_version.version, excluded.version)", [version_above + 1])
        counts = table_counts_in(con, "dst")
        con.execute("DETACH dst")
        con.execute("DETACH src")
    except duckdb.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError("restore.not_a_backup", f"{source} could not be copied: {exc}", path=str(source),
                          detail=str(exc).splitlines()[0][:200]) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    Path(f"{target}.wal").unlink(missing_ok=True)   # a stale log beside the target would be replayed
    os.replace(tmp, target)
    return counts


def table_counts_in(con, alias: str) -> dict[str, int]:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1", [alias]).fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM {alias}.main."{n}"').fetchall()[0][0] for n in names}


def backup_database(source: Path, out: Path, wait_seconds: float = 30.0) -> dict[str, int]:
    """Write a consistent copy of source to out (which must not exist); {table: rows} of the copy."""
    source, out = Path(source), Path(out)
    if out.exists():
        raise BackupError("backup.exists", f"{out} already exists", path=str(out))
    if not source.exists():
        raise FileNotFoundError(2, "No such file or directory", str(source))
    out.parent.mkdir(parents=True, exist_ok=True)
    return _copy(source, out, wait_seconds)


def restore_database(backup: Path, target: Path, force: bool = False) -> dict[str, int]:
    """Put a backup back as target; an existing target only with force, and only when no other
    process has it open. {table: rows} of the restored database."""
    backup, target = Path(backup), Path(target)
    if not backup.exists():
        raise FileNotFoundError(2, "No such file or directory", str(backup))
    if target.exists():
        if not force:
            raise BackupError("restore.exists", f"{target} already exists; use --force", path=str(target))
        replaced_version = _require_free(target)
    else:
        replaced_version = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    return _copy(backup, target, 0, version_above=replaced_version)


def _require_free(target: Path) -> int:
    """Fail unless no process holds the target: checkpoint it so no write-ahead log is left.
    Returns its store version counter (0 when it has none or is not a readable database)."""
    con = duckdb.connect(":memory:")
    version = 0
    try:
        _attach(con, target, "old", False, 0)
        con.execute("CHECKPOINT old")
        try:
            version = int(con.execute("SELECT max(version) FROM old.store_version").fetchone()[0] or 0)
        except duckdb.CatalogException:
            pass
        con.execute("DETACH old")
    except duckdb.Error:
        pass   # not a readable database: it is replaced as it is
    finally:
        con.close()
    return version


def table_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(":memory:")
    try:
        _attach(con, Path(path), "db", True, 30.0)
        return table_counts_in(con, "db")
    finally:
        con.close()
