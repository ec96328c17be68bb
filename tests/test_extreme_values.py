"""Robust to any stored value (issue 10): whatever the validator accepts (0, 1e-9, 1e12 and the
floats between) is stored through the upload path, and then every page (AppTest) and
`trends --json` run without an exception. One stored 1e27 once took every public page down
with a decimal.InvalidOperation from the number formatter; that formatter is tested here too.
Bounded: few examples, no deadline, so CI stays well under its budget."""
from __future__ import annotations

import json
import math
import shutil
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators.__main__ import main
from indicators.auth import users
from indicators.ingest import reporting
from indicators.ingest.decimals import SANE_BOUND
from indicators.store import reference
from indicators.text import i18n, numbers
from indicators.store import open_store
from tests.apptest_helpers import all_text, open_page, page_script
from tests.reporting_helpers import ADMIN, PASSWORD, history_rows

PAGES = [("oversikt", {}), ("kommun", {"kommun": "1490", "indikator": "GN.8b"}),
         ("nyckeltal", {"indikator": "GN.8b"}), ("nyckeltal", {"indikator": "GN.8b", "vy": "karta"}),
         ("nyckeltal", {"indikator": "GN.8b", "vy": "tabell"}), ("nyckeltal", {"indikator": "GN.10", "vy": "kalla"}),
         ("jamfor", {"kommun": "1490"}), ("tema", {"kommun": "1490", "tema": "energi"}), ("om", {}),
         ("status", {})]
YEARS = range(2019, 2024)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Reference data, an admin account, and ordinary history for twelve members."""
    from indicators.ingest.reference_files import load_reference
    path = tmp_path_factory.mktemp("extreme") / "template.duckdb"
    store = open_store(path)
    load_reference(store)
    users.add_account(store, ADMIN, "sekr", PASSWORD, "admin")
    members = reference.fetch_members(store, 2023)[:12]
    history_rows(store, [(k, ind, y, base + i) for i, k in enumerate(members) for y in YEARS
                         for ind, base in (("GN.8b", 40.0), ("GN.10", 30.0))])
    store.close()
    return path


@pytest.mark.parametrize("value", [0.0, 1e-9, 1e12, 1e27, 1.7e308, -1e27, 123456.125, float("inf")])
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_number_formatter_never_raises(value, lang):
    for decimals in (0, 1, 2, 6):
        text = numbers.format_number(value, lang, decimals)
        assert text and numbers.format_percent(value, lang, decimals) and numbers.format_value(value, "W/inv", lang)
    if math.isfinite(value) and abs(value) < 1e15:
        assert numbers.parse_number(numbers.format_number(value, lang, 6)) == pytest.approx(value, abs=1e-6)


def test_rounding_is_half_up():
    assert [numbers.format_number(v, "sv", 0) for v in (0.5, 1.5, 2.5, -2.5)] == ["1", "2", "3", "-3"]
    assert numbers.format_number(123456.125, "sv", 2) == "123 456,13"


accepted = st.one_of(st.sampled_from([0.0, 1e-9, 1e12, 999_999_999_999.99]),
                     st.floats(min_value=0, max_value=SANE_BOUND, allow_nan=False, allow_infinity=False))
shares = st.one_of(st.sampled_from([0.0, 100.0, 1e-9]), st.floats(min_value=0, max_value=100))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@example(watts=[1e-9, 0.0, 5.0, 1e12, 1e12], organic=[0.0, 100.0, 1e-9, 50.0, 100.0])
@given(watts=st.lists(accepted, min_size=len(YEARS), max_size=len(YEARS)),
       organic=st.lists(shares, min_size=len(YEARS), max_size=len(YEARS)))
def test_every_page_and_trends_work_for_any_value_the_validator_accepts(template, tmp_path_factory, monkeypatch,
                                                                         capsys, watts, organic):
    db = tmp_path_factory.mktemp("extreme-example") / "x.duckdb"
    shutil.copy(template, db)
    monkeypatch.setenv("GN_DB", str(db))
    lines = ["kommunkod;indikator;år;värde", "1490;GN.7;2023;45.5"]          # 45.5 settles the point
    lines += [f"1490;GN.8b;{y};{v!r}" for y, v in zip(YEARS, watts)]
    lines += [f"1490;GN.10;{y};{v!r}" for y, v in zip(YEARS, organic)]
    store = open_store(db)
    report = reporting.prepare_upload(store, ("\n".join(lines) + "\n").encode(), "extreme.csv", ADMIN)
    assert report.ok, [(p.row, p.code, p.value) for p in report.problems]
    flagged = report.rows[report.rows["flags"] != ""]
    comments = {k: "extremvärde i test" for k in zip(flagged["kommunkod"], flagged["indicator_id"], flagged["year"])}
    reporting.commit_upload(store, report, ADMIN, comments)
    store.close()

    for page, params in PAGES:
        at = open_page(page, **params)                      # asserts no exception on the page
        assert at.title, page
        if page == "kommun" and watts[-1] == 1e12:
            assert "1 000 000 000 000" in all_text(at) + " ".join(str(t.value) for t in at.text)
    at = open_page()
    at.session_state["auth.user"], at.session_state["auth.role"] = "sekr", "admin"
    at.session_state["auth.last_seen"] = time.time()
    at.switch_page(page_script("uppladdningar")).run()
    assert not at.exception, [e.value for e in at.exception]

    capsys.readouterr()
    assert main(["trends", "--kommun", "1490", "--json", "--db", str(db)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["indicator"] for r in rows} >= {"GN.8b", "GN.10"}
