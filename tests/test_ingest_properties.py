"""Properties of the parser and checks: no input ever raises (a user's file never produces a
traceback), and values written the Swedish way come back exactly."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.ingest import parse
from indicators.ingest import reporting
from indicators.catalog import default_catalog
from indicators.text.numbers import format_number
from tests.reporting_helpers import ADMIN, ANNA

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@SETTINGS
@given(data=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_any_bytes_give_a_report_never_an_exception(data, name):
    parsed = parse.parse_upload(data, name)
    assert parsed.problems or len(parsed.cells)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from indicators.ingest.reference_files import load_reference
    from indicators.store import open_store
    s = open_store(tmp_path_factory.mktemp("prop") / "p.duckdb")
    load_reference(s)
    yield s
    s.close()


@SETTINGS
@given(rows=st.lists(st.tuples(cell, cell, cell, cell, cell), min_size=1, max_size=6),
       sep=st.sampled_from([";", ",", "\t"]))
def test_any_cells_give_a_report_never_an_exception(store, rows, sep):
    clean = [[c.replace(sep, " ").replace("\n", " ").replace("\r", " ").replace('"', "") for c in r] for r in rows]
    text = sep.join(["kommunkod", "indikator", "år", "värde", "kommentar"]) + "\n"
    text += "\n".join(sep.join(r) for r in clean) + "\n"
    report = reporting.prepare_upload(store, text.encode(), "fuzz.csv", ANNA)
    for p in report.problems:
        assert p.code in parse.ALL_CODES and p.message("sv") and p.message("en")
    if report.ok:
        assert set(report.rows["kommunkod"]) <= {"1490"}


values = st.floats(min_value=0, max_value=99_999, allow_nan=False).map(lambda v: round(v, 2))


@SETTINGS
@given(vals=st.lists(values, min_size=1, max_size=8), thousands=st.sampled_from([" ", "\u00a0", "\u2009", ""]))
def test_values_written_the_swedish_way_come_back_exactly(store, vals, thousands):
    ids = [i.id for i in default_catalog() if not i.is_share][:8]
    lines = ["kommunkod;indikator;år;värde"]
    for ind, v in zip(ids, vals):
        text = format_number(v, "sv", 2).replace(" ", thousands)
        lines.append(f"1490;{ind};2020;{text}")
    report = reporting.prepare_upload(store, ("\n".join(lines) + "\n").encode("cp1252", "replace")
                                      if thousands in (" ", "") else "\n".join(lines).encode(), "sv.csv", ADMIN)
    assert report.ok, [(p.row, p.code, p.value) for p in report.problems]
    assert report.rows["value"].tolist() == pytest.approx(vals[:len(ids)], abs=1e-9)
