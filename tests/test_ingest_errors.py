"""Every kind of bad file gets a precise (row, column, code) and leaves the store untouched.
One fixture per failure code; the README and both languages must list every code."""
from __future__ import annotations

import re

import pytest

from indicators.ingest import parse
from indicators.ingest import reporting
from indicators.text import i18n
from indicators.errors import ValidationError
from tests.conftest import ROOT
from tests.reporting_helpers import ADMIN, ANNA, fixture_bytes, snapshot

FILE_LEVEL = (None, None)
FAILURES = {
    "missing-column.csv": {(1, "värde", "missing-column")},
    "unknown-indicator.csv": {(2, "indikator", "unknown-indicator")},
    "unknown-municipality.csv": {(3, "kommunkod", "unknown-municipality")},
    "not-your-municipality.csv": {(3, "kommunkod", "not-your-municipality")},
    "bad-year.csv": {(2, "år", "bad-year"), (3, "år", "bad-year")},
    "future-year.csv": {(2, "år", "future-year")},
    "not-a-number.csv": {(2, "värde", "not-a-number")},
    "out-of-range.csv": {(2, "värde", "out-of-range"), (3, "värde", "out-of-range")},
    "conflicting-duplicate.csv": {(2, "värde", "conflicting-duplicate"), (4, "värde", "conflicting-duplicate")},
    "empty-file.csv": {(*FILE_LEVEL, "empty-file")},
    "empty-file-header-only.csv": {(*FILE_LEVEL, "empty-file")},
    "empty-file-all-blank.csv": {(*FILE_LEVEL, "empty-file")},
    "wrong-file-type.csv": {(*FILE_LEVEL, "wrong-file-type")},
    "wrong-file-type-binary.csv": {(*FILE_LEVEL, "wrong-file-type")},
    "wrong-file-type-old-excel.xls": {(*FILE_LEVEL, "wrong-file-type")},
    "wrong-file-type-zip.xlsx": {(*FILE_LEVEL, "wrong-file-type")},
    "ambiguous-decimal.csv": {(2, "värde", "ambiguous-decimal"), (3, "värde", "ambiguous-decimal")},
    "ambiguous-decimal-both-marks.csv": {(4, "värde", "ambiguous-decimal")},
    "duplicate-column.csv": {(1, "Värde", "duplicate-column")},
    "duplicate-column-kommun.csv": {(1, "kommun", "duplicate-column")},
    "duplicate-column-year.csv": {(1, "2022", "duplicate-column")},
    "mixed-encoding.csv": {(4, None, "mixed-encoding")},
    "comment-too-long.csv": {(2, "kommentar", "comment-too-long")},
    "control-character.csv": {(2, "kommentar", "control-character"), (3, "kommentar", "control-character")},
    "too-many-columns.csv": {(1, None, "too-many-columns")},
    "too-many-fields.csv": {(2, None, "too-many-fields")},
    "formula-without-value.xlsx": {(2, "värde", "formula-without-value")},
    "xlsx-too-large.xlsx": {(*FILE_LEVEL, "xlsx-too-large")},
    "every-problem-at-once.csv": {(2, "kommunkod", "unknown-municipality"), (3, "indikator", "unknown-indicator"),
                                  (4, "år", "bad-year"), (5, "värde", "not-a-number"), (6, "värde", "out-of-range")},
}


def _found(report) -> set[tuple]:
    return {(p.row, p.column, p.code) for p in report.problems}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_bad_file_is_reported_precisely_and_writes_nothing(demo_store, name):
    before = snapshot(demo_store)
    report = reporting.prepare_upload(demo_store, fixture_bytes(name), name, ANNA)
    assert _found(report) == FAILURES[name]
    assert all(p.message("sv") and p.message("en") for p in report.problems)
    with pytest.raises(ValidationError) as info:
        reporting.commit_upload(demo_store, report, ANNA)
    assert info.value.report is report
    assert snapshot(demo_store) == before


def test_too_large_file_is_refused_before_reading(demo_store, monkeypatch):
    data = fixture_bytes("too-large-file.csv")
    assert reporting.prepare_upload(demo_store, data, "big.csv", ADMIN).ok      # valid, only big
    monkeypatch.setattr(parse, "MAX_UPLOAD_BYTES", 10_000)
    before = snapshot(demo_store)
    report = reporting.prepare_upload(demo_store, data, "big.csv", ADMIN)
    assert _found(report) == {(None, None, "too-large-file")}
    with pytest.raises(ValidationError):
        reporting.commit_upload(demo_store, report, ADMIN)
    assert snapshot(demo_store) == before


def test_too_many_rows_is_too_large(monkeypatch):
    monkeypatch.setattr(parse, "MAX_ROWS", 100)
    parsed = parse.parse_upload(fixture_bytes("too-large-file.csv"), "big.csv")
    assert [(p.code, p.row) for p in parsed.problems] == [("too-large-file", None)]


def test_the_real_size_limit_rejects_a_20_mb_file():
    parsed = parse.parse_upload(b"a" * (parse.MAX_UPLOAD_BYTES + 1), "huge.csv")
    assert [p.code for p in parsed.problems] == ["too-large-file"]


def test_a_bad_year_header_in_wide_format_is_reported_once_on_the_header_row(empty_store):
    data = "kommunkod;indikator;2022;2999\n1490;GN.7;40;41\n1490;GN.2b;80;81\n".encode()
    report = reporting.prepare_upload(empty_store, data, "wide.csv", ADMIN)
    assert _found(report) == {(1, "2999", "future-year")}


def test_wide_format_errors_name_the_year_column(empty_store):
    data = "kommunkod;indikator;2022;2023\n1490;GN.7;40;x\n".encode()
    report = reporting.prepare_upload(empty_store, data, "wide.csv", ADMIN)
    assert _found(report) == {(2, "2023", "not-a-number")}


def test_identical_duplicates_are_kept_once(empty_store):
    data = "kommunkod;indikator;år;värde\n1490;GN.7;2023;40\n1490;GN.7;2023;40,0\n".encode()
    report = reporting.prepare_upload(empty_store, data, "dup.csv", ADMIN)
    assert report.ok and len(report.rows) == 1 and report.n_duplicates == 1


def test_a_blank_value_with_a_bad_municipality_is_still_just_not_reported(empty_store):
    data = "kommunkod;indikator;år;värde\n9999;GN.7;2023;\n1490;GN.7;2023;40\n".encode()
    report = reporting.prepare_upload(empty_store, data, "blank.csv", ADMIN)
    assert report.ok and report.n_blank == 1


def test_messages_say_how_to_fix_in_both_languages():
    p = parse.Problem("not-a-number", 5, "värde", "ca 40")
    assert "ca 40" in p.message("sv") and "lämna cellen tom" in p.message("sv")
    assert "ca 40" in p.message("en") and "leave the cell empty" in p.message("en")


def test_every_code_is_kebab_case_and_has_a_message_in_both_languages():
    strings = i18n.load_strings()
    for code in parse.ALL_CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code)
        for lang in i18n.LANGS:
            assert f"problem.{code}" in strings[lang], (code, lang)


def test_readme_lists_every_validation_and_warning_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("<!-- section:reporting -->"):text.index("<!-- /section:reporting -->")]
    missing = [code for code in parse.ALL_CODES if f"`{code}`" not in section]
    assert not missing, f"README section 'reporting' lacks: {missing}"


def test_every_failure_code_has_a_named_fixture():
    names = {p.name for p in (ROOT / "tests" / "fixtures" / "upload").iterdir()}
    for code in set(parse.ERROR_CODES) - {"comment-required"}:
        assert any(n.startswith(code) for n in names), code
    assert "implausible-change.csv" in names            # comment-required is exercised with this one
