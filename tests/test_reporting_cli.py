"""`python -m indicators import FILE [--dry-run] [--as USER]`: the page's path on the command
line. Exit 0 when committed, 2 when rejected (nothing written), 1 when the file is locked."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from indicators.auth import users
from indicators.store import observations
from indicators.store import reference
from indicators.store import uploads
from indicators.cli import main
from indicators.store import open_store
from tests.conftest import ROOT
from tests.reporting_helpers import ADMIN, PASSWORD, UPLOADS, snapshot, stored


def cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "GN_LANG": "en"})


@pytest.fixture
def db(empty_store, isolated_db):
    users.add_account(empty_store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    empty_store.close()
    return str(isolated_db)


def test_import_commits_a_good_file_and_says_what_it_did(db):
    out = cli("import", str(UPLOADS / "cp1252-crlf-semicolon-decimal-comma.csv"), "--db", db)
    assert out.returncode == 0, out.stderr
    assert "Windows-1252" in out.stderr and "Preview: 2 new, 0 changed, 0 unchanged, 0 flagged" in out.stderr
    assert "Committed as upload #1: 2 new" in out.stderr
    store = open_store(db)
    assert stored(store) == {("1490", "GN.7", 2023, 45.5, "Ökad andel efter ny upphandling"),
                             ("1490", "GN.9a", 2023, 812.25, "Mätt på nytt sätt – årsarbetare")}
    assert uploads.fetch_uploads(store)["created_by"].iloc[0].startswith("cli:")      # runs as admin
    store.close()


def test_import_rejects_a_bad_file_with_exit_2_every_problem_and_nothing_written(db):
    store = open_store(db)
    before = snapshot(store)
    store.close()
    out = cli("import", str(UPLOADS / "every-problem-at-once.csv"), "--db", db)
    assert out.returncode == 2
    for row, column, code in [(2, "kommunkod", "unknown-municipality"), (3, "indikator", "unknown-indicator"),
                              (4, "år", "bad-year"), (5, "värde", "not-a-number"), (6, "värde", "out-of-range")]:
        assert f"row {row}, column {column} [{code}]" in out.stderr
    assert "nothing was written" in out.stderr and "Traceback" not in out.stderr
    store = open_store(db)
    assert snapshot(store) == before
    store.close()


def test_dry_run_previews_and_writes_nothing(db, capsys):
    assert main(["import", str(UPLOADS / "wide-format.csv"), "--dry-run", "--db", db, "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] and report["counts"] == {"new": 4, "changed": 0, "unchanged": 0} and report["upload_id"] is None
    assert "Dry run: nothing was written." in captured.err
    store = open_store(db)
    assert observations.count_observations(store) == 0 and uploads.count_uploads(store) == 0
    store.close()


def test_import_as_a_reporter_is_limited_to_their_municipality(db, capsys):
    assert main(["import", str(UPLOADS / "not-your-municipality.csv"), "--as", "anna", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "row 3, column kommunkod [not-your-municipality]" in err
    assert main(["import", str(UPLOADS / "tab-separated.tsv"), "--as", "anna", "--db", db]) == 0
    store = open_store(db)
    assert uploads.fetch_uploads(store)["created_by"].tolist() == ["anna"]
    store.close()


def test_import_as_an_unknown_account_is_refused(db, capsys):
    assert main(["import", str(UPLOADS / "tab-separated.tsv"), "--as", "nobody", "--db", db]) == 2
    assert "no enabled account 'nobody'" in capsys.readouterr().err


def test_flagged_values_need_a_comment_on_the_command_line_too(db, capsys):
    store = open_store(db)
    peers = [k for k in reference.fetch_members(store, 2024) if k != "1490"][:12]
    from tests.reporting_helpers import history_rows
    history_rows(store, [("1490", "GN.7", 2023, 44.0), *[(k, "GN.7", 2024, 50.0 + i % 3) for i, k in enumerate(peers)]])
    store.close()
    path = str(UPLOADS / "implausible-change.csv")
    assert main(["import", path, "--db", db]) == 2
    err = capsys.readouterr().err
    assert "row 2, warning [implausible-change]" in err and "[comment-required]" in err and "--flag-comment" in err
    assert main(["import", path, "--db", db, "--flag-comment", "Kontrollerat med förvaltningen"]) == 0
    store = open_store(db)
    assert ("1490", "GN.7", 2024, 95.0, "Kontrollerat med förvaltningen") in stored(store)
    store.close()


def test_missing_file_and_wrong_type_are_rejected_without_traceback(db):
    missing = cli("import", "/no/such/file.csv", "--db", db)
    assert missing.returncode == 2 and "cannot read /no/such/file.csv" in missing.stderr
    image = cli("import", str(UPLOADS / "wrong-file-type.csv"), "--db", db, "--lang", "sv")
    assert image.returncode == 2 and "[wrong-file-type]" in image.stderr and "(PNG)" in image.stderr
    assert "Traceback" not in missing.stderr + image.stderr


def test_import_while_another_process_writes_waits_then_says_so_and_exits_1(db, monkeypatch):
    monkeypatch.setenv("GN_LOCK_WAIT_S", "1")
    holder = open_store(db)
    with holder.transaction():         # a long write elsewhere: the import waits 1 s, then gives up
        out = cli("import", str(UPLOADS / "tab-separated.tsv"), "--db", db)
    assert out.returncode == 1 and "is in use by" in out.stderr and "waited 1 s" in out.stderr
    assert "Traceback" not in out.stderr
    assert observations.count_observations(holder) == 0


