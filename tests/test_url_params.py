"""URL parameters that look like numbers but are not ASCII digits ("²", "١٢") are ignored, never a
traceback: str.isdigit() accepts them and int() then raises. ui.state.int_param is the one gate."""
from __future__ import annotations

import pytest

from indicators.auth import users
from indicators.ingest.checks import current_year
from tests.apptest_helpers import open_page, open_page_as
from tests.reporting_helpers import ADMIN, PASSWORD

ODD_NUMBERS = ["²", "2⁰²⁴", "١٢", "-5", "9999999", " "]


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_the_year_select_ignores_a_year_that_is_not_ascii_digits(demo_db, odd):
    at = open_page("nyckeltal", indikator="GN.7", vy="karta", **{"år": odd})
    assert not at.exception
    (year,) = [s for s in at.selectbox if s.key == "nyckeltal.year"]
    assert str(year.value) in year.options and int(year.value) > 2000     # the default year, not an error
    assert at.query_params["år"] == str(year.value)


def test_the_year_select_still_follows_a_real_year(demo_db):
    at = open_page("nyckeltal", indikator="GN.7", vy="karta")
    (year,) = [s for s in at.selectbox if s.key == "nyckeltal.year"]
    older = year.options[-1]
    assert str(year.value) != str(older)
    at = open_page("nyckeltal", indikator="GN.7", vy="karta", **{"år": str(older)})
    (year,) = [s for s in at.selectbox if s.key == "nyckeltal.year"]
    assert str(year.value) == str(older)


@pytest.mark.parametrize("odd", ["²", "1²"])
def test_a_login_wait_that_is_not_ascii_digits_reads_as_zero(demo_db, odd):
    at = open_page("rapportera", login_error="locked", login_wait=odd)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert "För många misslyckade inloggningar. Försök igen om 0 sekunder." in errors


@pytest.mark.parametrize("odd", ["²", "２０２４"])
def test_the_report_year_ignores_a_year_that_is_not_ascii_digits(demo_db, demo_store, odd):
    users.add_account(demo_store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    at = open_page_as("rapportera", "anna", PASSWORD, year=odd)
    assert not at.exception
    assert at.number_input[0].value == current_year() - 1
    at = open_page_as("rapportera", "anna", PASSWORD, year="2019")
    assert at.number_input[0].value == 2019
