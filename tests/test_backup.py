"""`backup --out FILE` and `restore FILE [--force]`: a consistent copy restored and compared table by
table, made while other processes have the file open; no overwriting without --force."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from indicators.auth.users import system_admin
from indicators.ingest import reporting
from indicators.store import observations, open_store
from indicators.store.backup import backup_database, restore_database, BackupError
from tests.conftest import ROOT
from tests.reporting_helpers import fixture_bytes


def cli(*args):
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "GN_LANG": "en"})


def contents(path) -> dict[str, list]:
    """Every table, every row (sorted), and every view and sequence of a database file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
        out["views"] = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()
        out["sequences"] = con.execute("SELECT sequence_name, last_value FROM duckdb_sequences() ORDER BY 1").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture
def busy_db(demo_db):
    """The demo database plus an upload (revisions, flags, comments) and a revert."""
    store = open_store(demo_db)
    admin = system_admin()
    report = reporting.prepare_upload(store, fixture_bytes("cp1252-crlf-semicolon-decimal-comma.csv"), "a.csv", admin)
    done = reporting.commit_upload(store, report, admin)
    reporting.revert_upload(store, admin, done.upload_id)
    store.close()
    return demo_db


def test_a_backup_restores_to_the_same_tables_rows_views_and_sequences(busy_db, tmp_path):
    out = tmp_path / "kopia.duckdb"
    done = cli("backup", "--db", str(busy_db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"The backup {out} is written" in done.stderr
    target = tmp_path / "restored.duckdb"
    back = cli("restore", str(out), "--db", str(target), "--lang", "sv")
    assert back.returncode == 0, back.stderr
    assert "är återställd från" in back.stderr
    original, restored = contents(busy_db), contents(target)
    assert set(original) == set(restored) and len(original["observation"]) > 10_000
    for table in original:
        assert restored[table] == original[table], table
    store = open_store(target)                       # the copy goes on: ids continue after the last one
    before = int(observations.fetch_all_revisions(store)["id"].max())
    report = reporting.prepare_upload(store, fixture_bytes("tab-separated.tsv"), "b.tsv", system_admin())
    reporting.commit_upload(store, report, system_admin(), source_kind="imported")
    assert int(observations.fetch_all_revisions(store)["id"].min()) == 1
    assert observations.fetch_all_revisions(store)["id"].max() > before
    store.close()


def test_a_backup_is_made_while_another_process_reads_the_file(busy_db, tmp_path):
    reader = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print(c.execute('SELECT count(*) FROM observation').fetchall()[0][0], flush=True); time.sleep(30)"),
        str(busy_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert int(reader.stdout.readline()) > 0
        counts = backup_database(busy_db, tmp_path / "b.duckdb")
        assert counts["observation"] == len(contents(tmp_path / "b.duckdb")["observation"])
    finally:
        reader.kill()
        reader.wait()


def test_a_backup_waits_while_another_process_holds_the_write_lock(busy_db, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
        "time.sleep(1.5); c.close()"), str(busy_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "locked"
        started = time.monotonic()
        backup_database(busy_db, tmp_path / "b.duckdb", wait_seconds=30)
        assert time.monotonic() - started > 0.5
        assert contents(tmp_path / "b.duckdb")["observation"] == contents(busy_db)["observation"]
    finally:
        writer.wait()


def test_restore_refuses_to_overwrite_without_force_and_backup_never_overwrites(busy_db, tmp_path):
    out = tmp_path / "b.duckdb"
    assert cli("backup", "--db", str(busy_db), "--out", str(out)).returncode == 0
    again = cli("backup", "--db", str(busy_db), "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    other = tmp_path / "other.duckdb"
    store = open_store(other)
    store.close()
    refused = cli("restore", str(out), "--db", str(other))
    assert refused.returncode == 2 and "Add --force" in refused.stderr
    assert "observation" not in contents(other) or contents(other)["observation"] == []
    forced = cli("restore", str(out), "--db", str(other), "--force")
    assert forced.returncode == 0, forced.stderr
    assert contents(other) == contents(busy_db)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, isolated_db):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    done = cli("restore", str(junk), "--db", str(isolated_db))
    assert done.returncode == 2 and "is not a backup made by this dashboard" in done.stderr
    assert not isolated_db.exists()
    plain = tmp_path / "plain.duckdb"
    duckdb.connect(str(plain)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(BackupError) as err:
        restore_database(plain, isolated_db)
    assert err.value.key == "restore.not_a_backup" and not isolated_db.exists()


def test_restoring_an_older_backup_moves_the_version_on_so_every_reader_reloads(busy_db, tmp_path):
    """Pages and the API keep what they read per store version. A backup taken earlier carries an
    older counter; after a restore and as many writes as were undone, the counter would meet the
    old one again over different data. A restore therefore sets it above the replaced file's."""
    from indicators.publish import dataset
    copy = tmp_path / "copy.duckdb"
    backup_database(busy_db, copy)
    backup_version = open_store(copy, read_only=True).version()
    store = open_store(busy_db)
    for year in (2001, 2002, 2003):
        report = reporting.prepare_upload(store, f"kommunkod;indikator;år;värde\n1490;GN.9a;{year};812\n".encode(),
                                          "v.csv", system_admin())
        reporting.commit_upload(store, report, system_admin())
    before = store.version()
    served = dataset.published(busy_db)
    assert before == backup_version + 3 and served.version == before
    assert (served.values["år"] == 2003).any()
    restore_database(copy, busy_db, force=True)
    after = open_store(busy_db, read_only=True).version()
    assert after == before + 1
    reloaded = dataset.published(busy_db)
    assert reloaded.version == after and not (reloaded.values["år"] == 2003).any()
