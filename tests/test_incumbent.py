"""History from the incumbent: its table view of one indicator (Mätområde, Datum, Värde (unit)) read with
the report file's parser and checks: names to codes, years from dates, the unit against the catalogue,
network and national rows skipped with a note; an admin's historic import records flags without blocking.
Fixture files in tests/fixtures/upload/ (written by tests/fixtures/make_fixtures.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from indicators.auth import users
from indicators.ingest import reporting
from indicators.store import observations, open_store, uploads
from indicators.views.uploads import report_lines
from tests.apptest_helpers import open_page_as
from tests.conftest import ROOT
from tests.reporting_helpers import ADMIN, PASSWORD, UPLOADS, fixture_bytes, history_rows, stored


def prepare(store, name: str, indicator: str = "GN.6a", user=ADMIN):
    return reporting.prepare_upload(store, fixture_bytes(name), name, user, indicator=indicator)


def rows(report) -> list[tuple]:
    r = report.rows
    return list(zip(r["kommunkod"], r["indicator_id"], r["year"], r["value"]))


def test_the_table_view_is_read_name_by_name_and_year_by_year(empty_store):
    report = prepare(empty_store, "incumbent-gn6a.csv")
    assert report.ok and report.encoding == "Windows-1252" and report.layout == "incumbent"
    assert rows(report) == [("1490", "GN.6a", 2021, 448.0), ("1490", "GN.6a", 2022, 441.5),
                            ("2081", "GN.6a", 2022, 502.0), ("0114", "GN.6a", 2023, 433.0)]
    assert report.skipped_aggregates == {"Sveriges Ekokommuner": 2, "Riket": 1} and report.n_blank == 1
    lines = report_lines(report, "sv")
    assert "2 rader för ”Sveriges Ekokommuner” hoppades över: nätverkets och rikets siffror räknas fram här, " \
           "de importeras inte." in lines


@pytest.mark.parametrize("name, indicator, expected, skipped", [
    ("incumbent-gn6a.xlsx", "GN.6a", [("1490", "GN.6a", 2021, 448.0), ("1490", "GN.6a", 2022, 441.5)],
     {"Sveriges Ekokommuner": 1}),
    ("incumbent-gn10-comma-utf8.csv", "GN.10", [("1480", "GN.10", 2020, 41.5), ("2584", "GN.10", 2020, 18.0)],
     {"Riket": 1}),
])
def test_excel_and_comma_separated_table_views_are_read_too(empty_store, name, indicator, expected, skipped):
    report = prepare(empty_store, name, indicator)
    assert report.ok and rows(report) == expected and report.skipped_aggregates == skipped


def test_an_unknown_name_is_an_error_listing_the_closest_names_and_every_problem_comes_at_once(empty_store):
    report = prepare(empty_store, "unknown-municipality-name.csv")
    assert not report.ok
    got = [(p.row, p.column, p.code) for p in report.problems]
    assert got == [(3, "Mätområde", "unknown-municipality-name"), (4, "Mätområde", "unknown-municipality-name"),
                   (5, "Datum", "bad-year")]
    assert "Borås" in report.problems[0].message("sv") and "Göteborg" in report.problems[1].message("en")
    assert "närmast ligger" in report.problems[0].message("sv")


@pytest.mark.parametrize("name, indicator, column, value, detail", [
    ("unit-mismatch.csv", "GN.6a", "Värde (ton/inv)", "ton/inv", "kg/person"),
    ("incumbent-gn6a.csv", "GN.10", "Värde (kg/person)", "kg/person", "%"),     # the wrong indicator chosen
])
def test_a_unit_that_differs_from_the_catalogue_is_an_error(empty_store, name, indicator, column, value, detail):
    report = prepare(empty_store, name, indicator)
    [p] = report.problems
    assert (p.row, p.column, p.code, p.value, p.detail) == (1, column, "unit-mismatch", value, detail)
    assert "kg/person" in p.message("sv") and report.rows.empty


def test_a_file_without_the_three_columns_says_which_is_missing(empty_store):
    report = reporting.prepare_upload(empty_store, "Mätområde;Värde (%)\nBorås;40\n".encode(), "x.csv", ADMIN,
                                      indicator="GN.10")
    assert [(p.row, p.column, p.code) for p in report.problems] == [(1, "Datum", "missing-column")]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "GN_LANG": "en"})


def test_an_admins_historic_import_records_flags_without_blocking(empty_store, isolated_db):
    history_rows(empty_store, [("1490", "GN.6a", 2020, 200.0)])     # 2021's 448 is +124 %: flagged
    empty_store.close()
    path = str(UPLOADS / "incumbent-gn6a.csv")
    refused = _cli("import", path, "--indicator", "GN.6a", "--db", str(isolated_db))
    assert refused.returncode == 2 and "comment-required" in refused.stderr         # a reported upload needs one
    done = _cli("import", path, "--indicator", "GN.6a", "--source-kind", "imported", "--db", str(isolated_db))
    assert done.returncode == 0, done.stderr
    assert "2 rows for “Sveriges Ekokommuner” were skipped" in done.stderr
    assert "Committed as upload #1: 4 new" in done.stderr
    store = open_store(isolated_db)
    cur = observations.fetch_current(store, ["GN.6a"])
    assert set(cur.loc[cur["year"] > 2020, "source_kind"]) == {"imported"}
    assert ("1490", "GN.6a", 2021, 448.0, None) in stored(store, ["1490"])
    cells = uploads.fetch_status_cells(store, 2021, ["GN.6a"])
    assert bool(cells.set_index("kommunkod").loc["1490", "flagged"])
    store.close()


def test_the_upload_page_offers_the_table_view_with_an_indicator(empty_store):
    users.add_account(empty_store, ADMIN, "sekr", PASSWORD, "admin")
    at = open_page_as("rapportera", "sekr", PASSWORD)
    at.radio(key="upload.format").set_value("incumbent").run()
    at.selectbox(key="upload.indicator").select("GN.6a").run()
    at.file_uploader(key="upload.file").upload("gn6a.csv", fixture_bytes("incumbent-gn6a.csv"), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [i.value for i in at.info]
    assert any("1 rader för ”Riket” hoppades över" in n for n in notes)
    assert any("4 nya" in n for n in notes)
    at.button(key="report.confirm").click().run()
    assert not at.exception
    cur = observations.fetch_current(empty_store, ["GN.6a"])
    assert len(cur) == 4 and set(cur["source_kind"]) == {"imported"}
