"""Parsing report files as Swedish offices produce them: one fixture per accepted format
variant, each committed and compared with the exact values stored."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.ingest import parse
from indicators.ingest import reporting
from indicators.ingest.checks import normalise_codes, normalise_indicators, parse_numbers
from tests.reporting_helpers import ADMIN, fixture_bytes, stored

VARIANTS = {
    "cp1252-crlf-semicolon-decimal-comma.csv": {
        ("1490", "GN.7", 2023, 45.5, "Ökad andel efter ny upphandling"),
        ("1490", "GN.9a", 2023, 812.25, "Mätt på nytt sätt – årsarbetare")},
    "utf8-bom-comma.csv": {("1490", "GN.7", 2023, 45.5, "Ökad andel"), ("1490", "GN.2b", 2023, 88.0, None)},
    "tab-separated.tsv": {("1490", "GN.7", 2023, 45.5, None), ("1490", "GN.2a", 2023, 120.0, "fler resor")},
    "wide-format.csv": {("1490", "GN.7", 2021, 40.0, None), ("1490", "GN.7", 2022, 42.5, None),
                        ("1490", "GN.2b", 2021, 80.0, "byte av bränsle"), ("1490", "GN.2b", 2023, 85.0, "byte av bränsle")},
    "thousands-separators.csv": {("1490", "GN.9a", 2021, 1234.0, None), ("1490", "GN.9a", 2022, 1250.5, None),
                                 ("1490", "GN.9a", 2023, 1300.0, None), ("1490", "GN.8b", 2023, 1001.0, None)},
    "dropped-leading-zero.csv": {("0180", "GN.7", 2023, 45.0, None), ("0114", "GN.7", 2023, 50.0, None),
                                 ("0180", "GN.2b", 2023, 90.0, None)},
    "blank-lines-and-spaces.csv": {("1490", "GN.7", 2023, 45.5, None), ("1490", "GN.2b", 2023, 88.0, None)},
    "title-line-above-header.csv": {("1490", "GN.7", 2023, 45.0, None)},
    "excel-unicode-text.txt": {("1490", "GN.7", 2023, 45.5, "Åtgärd")},
    "template-with-blanks.csv": {("1490", "GN.7", 2023, 45.5, None), ("1490", "GN.9a", 2023, 812.0, "Nytt mätsätt")},
    "template-with-blanks.xlsx": {("1490", "GN.7", 2023, 45.5, None), ("1490", "GN.9a", 2023, 812.0, "Nytt mätsätt")},
    "decimal-comma-settled.csv": {("1490", "GN.1a", 2023, 4.125, None), ("1490", "GN.7", 2023, 45.5, None)},
    "decimal-point-settled.csv": {("1490", "GN.9a", 2023, 1234.5, None), ("1490", "GN.9a", 2022, 1397.0, None)},
    "excel-literal-percent-and-full-precision.xlsx": {
        ("1490", "GN.8a", 2023, 0.8, None), ("1490", "GN.2b", 2023, 45.5, None), ("1490", "GN.7", 2023, 45.5, None),
        ("1490", "GN.9a", 2023, 812.25, None), ("1490", "GN.10", 2023, 33.33333333333333, None)},
    "excel-percent-and-numbers.xlsx": {("1490", "GN.7", 2023, 45.5, None), ("1490", "GN.2a", 2023, 120.0, "fler resor"),
                                       ("0180", "GN.7", 2023, 45.5, None)},
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_accepted_format_variant_stores_exactly_these_values(empty_store, name):
    report = reporting.prepare_upload(empty_store, fixture_bytes(name), name, ADMIN)
    assert report.ok, [(p.row, p.column, p.code) for p in report.problems]
    result = reporting.commit_upload(empty_store, report, ADMIN)
    assert result.n_new == len(VARIANTS[name])
    assert stored(empty_store) == VARIANTS[name]


@pytest.mark.parametrize("name, rows", [
    ("blank-lines-and-spaces.csv", [3, 5]),          # blank lines still count, as in the editor
    ("title-line-above-header.csv", [4]),
    ("template-with-blanks.csv", [4, 6]),            # GN.2a and GN.2b left blank: not reported
    ("wide-format.csv", [2, 2, 3, 3]),
    ("excel-percent-and-numbers.xlsx", [2, 3, 4]),
])
def test_rows_are_numbered_as_the_user_sees_them(empty_store, name, rows):
    report = reporting.prepare_upload(empty_store, fixture_bytes(name), name, ADMIN)
    assert report.rows["row"].tolist() == rows


def test_template_blanks_are_counted_as_not_reported(empty_store):
    report = reporting.prepare_upload(empty_store, fixture_bytes("template-with-blanks.csv"), "t.csv", ADMIN)
    assert report.n_blank == 4 and report.n_read == 2


@pytest.mark.parametrize("name, encoding, delimiter, layout", [
    ("cp1252-crlf-semicolon-decimal-comma.csv", "Windows-1252", ";", "long"),
    ("utf8-bom-comma.csv", "UTF-8 (BOM)", ",", "long"),
    ("tab-separated.tsv", "UTF-8", "\t", "long"),
    ("wide-format.csv", "Windows-1252", ";", "wide"),
    ("excel-unicode-text.txt", "UTF-16", "\t", "long"),
    ("template-with-blanks.xlsx", "XLSX", "", "long"),
])
def test_encoding_delimiter_and_layout_are_recognised(name, encoding, delimiter, layout):
    parsed = parse.parse_upload(fixture_bytes(name), name)
    assert (parsed.encoding, parsed.delimiter, parsed.layout) == (encoding, delimiter, layout)


def test_english_and_swedish_headers_map_to_the_same_fields():
    en = parse.parse_upload(b"municipality_code,indicator,year,value,comment\n1490,GN.7,2023,40,x\n")
    sv = parse.parse_upload("Kommunkod;Indikator;År;Värde;Kommentar\n1490;GN.7;2023;40;x\n".encode())
    assert en.cells.drop(columns=["year_col", "value_col"]).equals(sv.cells.drop(columns=["year_col", "value_col"]))
    assert sv.columns["year"] == "År"      # problems name the column as the file heads it


def test_hint_and_name_columns_of_the_template_are_ignored():
    data = "kommunkod;indikator;år;värde;kommentar;nyckeltal (namn);enhet;värde 2022 (ledtråd)\n" \
           "1490;GN.7;2023;45;;Förnybar el;%;41\n".encode()
    parsed = parse.parse_upload(data)
    assert parsed.ok and parsed.cells["value"].tolist() == ["45"]


@pytest.mark.parametrize("text, value", [
    ("12,5", 12.5), ("12.5", 12.5), ("1 234", 1234.0), ("1\u00a0234,5", 1234.5), ("1\u2009234", 1234.0),
    ("1\u202f234", 1234.0), ("1,234.5", 1234.5), ("1.234,5", 1234.5), ("\u22123,5", -3.5), ("45 %", 45.0),
    (" 7 ", 7.0), ("0,001", 0.001), ("1e3", 1000.0)])
def test_numbers_are_read_the_swedish_and_the_english_way(text, value):
    assert parse_numbers(pd.Series([text]))[0] == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "12,5,3", "1.2.3", "ca 40", "inf", "nan", "12a", "--4", "+"])
def test_text_that_is_not_a_number_is_nan(text):
    assert pd.isna(parse_numbers(pd.Series([text]))[0])


def test_municipality_codes_get_their_leading_zero_back_and_names_are_understood():
    names = {"värmdö": "0120", "skövde": "1496"}
    got = normalise_codes(pd.Series(["180", "0180", "1490", "120.0", " Värmdö ", "99999", "abc"]), names)
    assert got.tolist()[:5] == ["0180", "0180", "1490", "0120", "0120"]
    assert pd.isna(got[5]) and pd.isna(got[6])


def test_indicator_ids_are_normalised():
    got = normalise_indicators(pd.Series(["GN.2a", "gn2A", "GN 10", "GN.10", "gn.9B", "GN.99x", "kolada"]))
    assert got.tolist()[:5] == ["GN.2a", "GN.2a", "GN.10", "GN.10", "GN.9b"]
    assert pd.isna(got[5]) and pd.isna(got[6])


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n....", "wrong:PNG"), (b"\xff\xd8\xff\xe0....", "wrong:JPEG"), (b"%PDF-1.7", "wrong:PDF"),
    (b"kommunkod;indikator\n", "csv"), ("\ufeffa;b".encode(), "csv"), ("a\tb".encode("utf-16"), "csv"),
    (b"a;b\x00c", "wrong:binary")])
def test_file_type_is_judged_by_content_not_name(data, kind):
    assert parse.sniff_kind(data) == kind


def test_delimiter_sniffing_is_not_fooled_by_decimal_commas_or_a_title_line():
    assert parse.sniff_delimiter("kommunkod;indikator;år;värde\n1490;GN.7;2023;4,5\n") == ";"
    assert parse.sniff_delimiter("Rapport, Skövde\n\nkommunkod;indikator\n1;2\n") == ";"
    assert parse.sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert parse.sniff_delimiter("a\tb\tc\n1,5\t2\t3\n") == "\t"
