"""Bounded work and exact reading (issue 10): the three small files that used to take minutes and
gigabytes are rejected with a code and exit 2, leaving every table as it was; long comments,
control characters, XLSX rows, columns and dimensions, percent formats, formulas, mixed
encodings and the decimal mark. Time and memory are measured in the closing note, not here."""
from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from indicators.__main__ import main
from indicators.ingest import limits, reporting, xlsx
from indicators.ingest import parse as ingest
from indicators.ingest.decimals import COMMA, POINT, read_numbers
from tests.fixtures import blowups
from tests.reporting_helpers import ADMIN, snapshot

HEADER = "kommunkod;indikator;år;värde;kommentar\n"


@pytest.fixture(scope="module")
def blowup_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blowups")
    for name, make in blowups.BLOWUPS.items():
        (folder / name).write_bytes(make())
    return folder


@pytest.mark.parametrize("name, found", [
    ("wide-50000-columns.csv", [(1, "too-many-columns")]),
    ("one-row-3-million-fields.csv", [(2, "too-many-fields")]),
    ("zip-bomb.xlsx", [(None, "xlsx-too-large")]),
])
def test_small_files_that_ask_for_gigabytes_are_rejected_with_exit_2_and_write_nothing(
        demo_store, demo_db, blowup_dir, capsys, name, found):
    path = blowup_dir / name
    assert path.stat().st_size < 3_000_100
    before = snapshot(demo_store)
    report = reporting.prepare_upload(demo_store, path.read_bytes(), name, ADMIN)
    assert [(p.row, p.code) for p in report.problems] == found
    assert all(p.message("sv") and p.message("en") for p in report.problems)
    demo_store.close()
    assert main(["import", str(path), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert f"[{found[0][1]}]" in err and "Traceback" not in err
    from indicators.store import open_store
    store = open_store(demo_db)
    assert snapshot(store) == before
    store.close()


def test_a_one_megabyte_comment_is_too_long_not_a_broken_csv(empty_store):
    data = (HEADER + "1490;GN.7;2023;40;" + "x" * 1_000_000 + "\n1490;GN.2b;2023;80;kort\n").encode()
    report = reporting.prepare_upload(empty_store, data, "long.csv", ADMIN)
    assert [(p.row, p.column, p.code, p.value) for p in report.problems] == [(2, "kommentar", "comment-too-long",
                                                                              "1000000")]


def test_a_comment_of_exactly_2000_characters_is_accepted(empty_store):
    data = (HEADER + "1490;GN.7;2023;40;" + "å" * limits.MAX_COMMENT_LENGTH + "\n").encode()
    assert reporting.prepare_upload(empty_store, data, "ok.csv", ADMIN).ok


def test_a_nul_byte_far_into_a_file_is_a_control_character_on_its_row(empty_store):
    body = "".join(f"1490;GN.7;{1990 + i};40;{'k' * 1900}\n" for i in range(35))
    data = (HEADER + body + "1490;GN.2b;2023;80;noll\x00byte\n").encode()
    assert len(data) > 65536                                 # beyond the binary sniffing window
    report = reporting.prepare_upload(empty_store, data, "nul.csv", ADMIN)
    assert [(p.row, p.column, p.code) for p in report.problems] == [(37, "kommentar", "control-character")]
    assert "U+0000" in report.problems[0].message("en")


def test_a_control_character_in_the_value_column_names_that_column(empty_store):
    report = reporting.prepare_upload(empty_store, (HEADER + "1490;GN.7;2023;4\x1b0;\n").encode(), "c.csv", ADMIN)
    assert [(p.row, p.column, p.code) for p in report.problems] == [(2, "värde", "control-character")]


@pytest.mark.parametrize("header, second", [
    ("Kommun_kod;indikator;år;värde;KOMMUNKOD", "KOMMUNKOD"),
    ("kommunkod;indikator;år;value;värde", "värde"),
    ("municipality code;indicator;year;value;kod", "kod"),
    ("kommunkod;indikator;år;värde;Nyckeltal", "Nyckeltal"),
])
def test_repeated_columns_in_any_spelling_are_an_error(header, second):
    parsed = ingest.parse_upload(f"{header}\n1490;GN.7;2023;40;x\n".encode())
    assert [(p.row, p.column, p.code) for p in parsed.problems] == [(1, second, "duplicate-column")]


def test_a_bom_utf8_file_with_a_windows_1252_row_names_that_row():
    data = "\ufeff".encode() + HEADER.encode() + "1490;GN.7;2023;40;för\n".encode("cp1252")
    parsed = ingest.parse_upload(data, "mix.csv")
    assert [(p.row, p.code) for p in parsed.problems] == [(2, "mixed-encoding")]
    assert "0xF6" in parsed.problems[0].message("sv")


def test_a_windows_1252_file_with_one_pasted_utf8_row_names_that_row():
    rows = [f"1490;GN.{i};2023;40;för\n" for i in (7, 3, 4)]
    data = HEADER.encode("cp1252") + "".join(rows).encode("cp1252") + "1490;GN.5;2023;9;Ökning\n".encode()
    parsed = ingest.parse_upload(data, "mix.csv")
    assert [(p.row, p.code) for p in parsed.problems] == [(5, "mixed-encoding")]
    assert "Ö" in parsed.problems[0].message("en")


def _workbook(rows, formats=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(r, c).number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_rows_beyond_the_limit_are_too_large(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_ROWS", 3)
    data = _workbook([["kommunkod", "indikator", "år", "värde"]] + [[1490, "GN.7", 2000 + i, 40] for i in range(5)])
    parsed = ingest.parse_upload(data, "rows.xlsx")
    assert [(p.row, p.code) for p in parsed.problems] == [(None, "too-large-file")]


def test_an_xlsx_row_with_a_value_beyond_the_column_limit_is_rejected_on_its_row():
    wide = [1490, "GN.7", 2023, 40] + [None] * (limits.MAX_COLUMNS + 5) + ["x"]
    data = _workbook([["kommunkod", "indikator", "år", "värde"], wide])
    parsed = ingest.parse_upload(data, "wide.xlsx")
    assert [(p.row, p.code) for p in parsed.problems] == [(2, "too-many-fields")]


def test_an_xlsx_that_claims_a_huge_dimension_is_read_by_its_real_cells():
    data = _workbook([["kommunkod", "indikator", "år", "värde"], [1490, "GN.7", 2023, 40]])
    src = openpyxl.load_workbook(io.BytesIO(data))
    assert src.active.dimensions == "A1:D2"
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFD1048576"/>')
            zout.writestr(info, part)
    parsed = ingest.parse_upload(out.getvalue(), "lying.xlsx")
    assert parsed.ok and parsed.cells["value"].tolist() == ["40"]


@pytest.mark.parametrize("fmt, value, percent", [
    ("0%", 0.5, True), ("0.0%", 0.455, True), ("#,##0.00%", 1.0, True), ("[Red]0.0%", 0.2, True),
    ('0.0" %"', 0.8, False), ("0.00\\%", 45.5, False), ('#,##0 "%"', 3.0, False), ("0", 812.25, False),
    ("General", 0.5, False), ("0%;-0", -0.5, False), ("0;0%", -0.5, True), ("_%0", 0.5, False), ("*%0", 0.5, False),
])
def test_only_a_real_percent_format_multiplies_by_100(fmt, value, percent):
    assert xlsx.is_percent_format(fmt, value) is percent


def test_percent_cells_are_scaled_exactly_and_full_precision_is_kept():
    assert xlsx.cell_value(0.455, "0.0%") == 45.5
    assert xlsx.cell_value(0.07, "0%") == 7.0
    assert xlsx.cell_value(812.25, "0") == 812.25                   # shown as 812, stored 812.25
    assert xlsx.cell_value(2023.0, "General") == 2023 and isinstance(xlsx.cell_value(2023.0, "General"), int)


def test_a_formula_with_its_saved_result_is_read_as_that_result(tmp_path):
    """Excel saves a formula's result in the file; only a missing result is an error."""
    import zipfile
    data = _workbook([["kommunkod", "indikator", "år", "värde"], [1490, "GN.7", 2023, "=40+5"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb"<f>40\+5</f>(<v\s*/>|<v></v>)", b"<f>40+5</f><v>45</v>", part)   # what Excel saves
                assert b"<v>45</v>" in part
            zout.writestr(info, part)
    parsed = ingest.parse_upload(out.getvalue(), "saved.xlsx")
    assert parsed.ok and not parsed.cell_problems and parsed.cells["value"].tolist() == ["45"]


@pytest.mark.parametrize("values, mark, read", [
    (["1,300", "45,5"], COMMA, [1.3, 45.5]),
    (["1.300", "45.5"], POINT, [1.3, 45.5]),
    (["1,234.5", "1,397"], POINT, [1234.5, 1397.0]),
    (["1.234,5", "1.397"], COMMA, [1234.5, 1397.0]),
    (["1.234.567", "2,300"], COMMA, [1234567.0, 2.3]),
    (["0,300", "1,300"], COMMA, [0.3, 1.3]),          # a leading zero is never a thousands group
    (["12", "1 300"], "", [12.0, 1300.0]),            # nothing to settle, nothing ambiguous
])
def test_the_file_settles_its_decimal_mark(values, mark, read):
    numbers = read_numbers(pd.Series(values))
    assert numbers.mark == mark and numbers.values.tolist() == read and not numbers.ambiguous.any()


@pytest.mark.parametrize("values", [["1,300"], ["1.300", "7"], ["45,5", "2.5", "1,300"]])
def test_an_ambiguous_value_is_not_guessed_when_the_file_does_not_settle_the_mark(values):
    numbers = read_numbers(pd.Series(values))
    assert numbers.ambiguous.tolist()[values.index(next(v for v in values if v in ("1,300", "1.300")))]
    assert numbers.values.isna().sum() == 1


def test_xlsx_number_cells_never_vote_on_the_decimal_mark(empty_store):
    data = _workbook([["kommunkod", "indikator", "år", "värde"], [1490, "GN.7", 2023, 45.5],
                      [1490, "GN.9a", 2023, "1,300"], [1490, "GN.9a", 2022, "1,5"]])
    report = reporting.prepare_upload(empty_store, data, "x.xlsx", ADMIN)
    assert report.ok and report.decimal_mark == COMMA
    assert sorted(report.rows["value"]) == [1.3, 1.5, 45.5]


def test_values_beyond_any_sane_bound_are_errors_and_non_finite_ones_not_numbers(empty_store):
    data = (HEADER + "1490;GN.9a;2023;1e308;\n1490;GN.9a;2022;1e400;\n1490;GN.8b;2023;1000000000001;\n"
            "1490;GN.8b;2022;1000000000000;\n").encode()
    report = reporting.prepare_upload(empty_store, data, "big.csv", ADMIN)
    assert [(p.row, p.code) for p in report.problems] == [(2, "out-of-range"), (3, "not-a-number"),
                                                          (4, "out-of-range")]
