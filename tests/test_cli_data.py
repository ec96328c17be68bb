"""CLI: init, export and the exit codes, run as a real subprocess."""
from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from indicators.store import observations
from indicators.store import open_store
from tests.conftest import ROOT


def run_cli(*args, env_db=None):
    env = {**os.environ}
    if env_db is not None:
        env["GN_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "indicators", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_init_demo_creates_reference_and_labelled_demo_data(tmp_path):
    db = tmp_path / "cli.duckdb"
    out = run_cli("init", "--demo", "--db", db)
    assert out.returncode == 0, out.stderr
    assert "290 municipalities, 16 indicators, 96 members seeded" in out.stderr
    store = open_store(db)
    kinds = observations.count_current_by_kind(store)
    assert set(kinds) == {"demo"} and kinds["demo"] > 10_000
    store.close()
    again = run_cli("init", "--demo", "--db", db)
    assert again.returncode == 0 and "demo data already present" in again.stderr


def test_db_path_comes_from_gn_db(tmp_path):
    db = tmp_path / "env.duckdb"
    out = run_cli("init", env_db=db)
    assert out.returncode == 0, out.stderr
    assert db.exists()


def test_export_csv_is_for_swedish_excel(demo_db, tmp_path):
    out_file = tmp_path / "export.csv"
    out = run_cli("export", "--format", "csv", "--out", out_file, "--db", demo_db)
    assert out.returncode == 0, out.stderr
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "kommunkod;indikator;år;värde;kommentar;källtyp;källa;licens"
    store = open_store(demo_db)
    cur = observations.fetch_current(store)
    store.close()
    assert len(lines) - 1 == len(cur)
    row = cur[(cur["kommunkod"] == "1490") & (cur["indicator_id"] == "GN.1a")].iloc[0]
    expected = (f"1490;GN.1a;{int(row['year'])};{str(row['value']).replace('.', ',').removesuffix(',0')};;demo;"
                "Demodata – inte officiella siffror (påhittade av Gröna nyckeltal);CC BY 4.0")
    assert expected in lines


def test_export_csv_is_the_same_file_as_the_api_values_csv(demo_db, tmp_path):
    """One table, two doors: `export` and /api/v1/values.csv name each value's källa and licens alike."""
    from indicators.catalog import default_catalog
    from indicators.publish.dataset import values_frame
    from indicators.text.tables import to_excel_csv
    out_file = tmp_path / "export.csv"
    assert run_cli("export", "--format", "csv", "--out", out_file, "--db", demo_db).returncode == 0
    store = open_store(demo_db, read_only=True)
    assert out_file.read_bytes() == to_excel_csv(values_frame(store, default_catalog()))


def test_export_parquet_round_trips(demo_db, tmp_path):
    out_file = tmp_path / "export.parquet"
    out = run_cli("export", "--format", "parquet", "--out", out_file, "--db", demo_db)
    assert out.returncode == 0, out.stderr
    df = pd.read_parquet(out_file)
    assert list(df.columns) == ["kommunkod", "indikator", "år", "värde", "kommentar", "källtyp", "källa", "licens"]
    assert df["kommunkod"].str.len().eq(4).all()
    assert set(df["källtyp"]) == {"demo"} and set(df["licens"]) == {"CC BY 4.0"}
    assert set(df["källa"]) == {"Demodata – inte officiella siffror (påhittade av Gröna nyckeltal)"}


def test_export_while_another_process_writes_waits_then_exits_1_with_plain_message(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("GN_LOCK_WAIT_S", "1")
    holder = open_store(demo_db)
    with holder.transaction():
        out = run_cli("export", "--format", "csv", "--out", tmp_path / "x.csv", "--db", demo_db)
    assert out.returncode == 1
    assert "is in use by" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "x.csv").exists()


def test_read_only_commands_run_beside_another_reader_and_never_take_the_write_lock(demo_db, tmp_path,
                                                                                     monkeypatch):
    """While this process holds the file read-only, export, trends and users list work (they read
    read-only too), and a write (import) cannot get the lock: so none of them took it."""
    monkeypatch.setenv("GN_LOCK_WAIT_S", "1")
    store = open_store(demo_db)
    with store.reading():
        export = run_cli("export", "--format", "csv", "--out", tmp_path / "x.csv", "--db", demo_db)
        trends = run_cli("trends", "--kommun", "1490", "--indicator", "GN.10", "--db", demo_db)
        users_list = run_cli("users", "list", "--json", "--db", demo_db)
        write = run_cli("init", "--demo", "--db", demo_db)
    assert export.returncode == 0, export.stderr
    assert "current values" in export.stderr and (tmp_path / "x.csv").stat().st_size > 100_000
    assert trends.returncode == 0, trends.stderr
    assert '"kommunkod": "1490"' in trends.stdout
    assert users_list.returncode == 0 and users_list.stdout.strip() == "[]", users_list.stderr
    assert write.returncode == 1 and "is in use by" in write.stderr


def test_a_read_only_command_on_a_missing_database_says_how_to_create_it(tmp_path):
    out = run_cli("export", "--format", "csv", "--out", tmp_path / "x.csv", "--db", tmp_path / "none.duckdb")
    assert out.returncode == 2 and "does not exist" in out.stderr and "indicators init" in out.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_unknown_subcommand_is_a_usage_error():
    out = run_cli("frobnicate")
    assert out.returncode == 2 and "invalid choice" in out.stderr


@pytest.mark.parametrize("args", [["trends", "--json"], ["export", "--out", "x.csv"], ["import", "r.csv"],
                                  ["users", "list"], ["users", "disable", "anna"], ["users", "reset", "anna"],
                                  ["users", "add", "anna", "--kommun", "1490", "--password-stdin"]])
def test_a_database_path_with_a_typo_is_an_error_and_creates_nothing(tmp_path, capsys, args):
    from indicators.__main__ import main
    typo = tmp_path / "gronanyckeltl.duckdb"
    assert main([*args, "--db", str(typo)]) == 2
    err = capsys.readouterr().err
    assert f"the database {typo} (--db) does not exist" in err and "indicators init" in err
    assert not typo.exists() and list(tmp_path.iterdir()) == []


def test_gn_db_naming_a_missing_file_is_an_error_too_but_init_creates_it(tmp_path, monkeypatch, capsys):
    from indicators.__main__ import main
    monkeypatch.setenv("GN_DB", str(tmp_path / "new.duckdb"))
    assert main(["trends", "--json"]) == 2 and "($GN_DB) does not exist" in capsys.readouterr().err
    assert main(["init"]) == 0 and (tmp_path / "new.duckdb").is_file()
    assert main(["trends", "--json"]) == 0
