"""The member's and the coordinator's walks in a real browser against a real `streamlit run app.py`:
a member opens Jämför (it asks, nothing is chosen for her), limits the picker to SEKOM members,
chooses four municipalities, sees exactly those four in every rank table and the names of those
without data, and switches to English; a coordinator logs in and Kommun opens on her own
municipality, while a visitor is asked and an unknown code is said in words. Screenshots:
test-artifacts/walk_*.png."""
from __future__ import annotations

import re
import time

import pytest

from indicators.auth import users
from indicators.store import open_store
from tests.e2e.conftest import demo_copy, log_in_context, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "ett-långt-lösenord"
FOUR = ("Halmstad", "Kumla", "Borås", "Stockholm")      # Halmstad and Kumla: no GN.1a; Borås: no GN.1b


@pytest.fixture(scope="module")
def walk_server(demo_db_template, tmp_path_factory):
    """A demo copy with the coordinator anna (Borås, 1490)."""
    db = demo_copy(demo_db_template, tmp_path_factory, "walk_server")
    store = open_store(db)
    users.add_account(store, users.User("setup", "admin"), "anna", PASSWORD, "reporter", ["1490"])
    store.close()
    with serve(db) as server:
        yield server


def settle(page) -> None:
    """After an interaction: Streamlit starts its rerun a moment later; wait for it to finish."""
    time.sleep(0.4)
    wait_for_app(page)


def rank_tables(page) -> list[dict]:
    """Every rank table's row count (header included) and cell texts, from the data grid's own
    accessible table (the visible grid is a canvas)."""
    out = []
    for grid in page.locator('[data-testid="stDataFrame"]').all():
        table = grid.locator("table[role=grid]")
        out.append({"rows": int(table.get_attribute("aria-rowcount")), "cells": table.locator("td").all_inner_texts()})
    return out


def choose(page, names) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').first
    for name in names:
        box.locator("input").fill(name)
        option = page.get_by_role("option").first
        assert name in option.inner_text() and "★ SEKOM" in option.inner_text()
        page.keyboard.press("Enter")
        settle(page)
    page.keyboard.press("Escape")
    settle(page)


def test_the_members_walk_through_jamfor(walk_server, page):
    url = walk_server["url"]
    page.goto(url + "/jamfor?tema=klimat")
    wait_for_app(page)
    page.get_by_text("Välj minst två kommuner att jämföra.").wait_for()
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0          # nothing chosen for her
    page.get_by_text("Bara SEKOM-medlemmar").click()
    settle(page)
    choose(page, FOUR)
    assert re.search(r"kommuner=1380%2C1881%2C1490%2C0180", page.url) and "medlemmar=1" in page.url
    page.get_by_text("4 kommuner i gruppen").wait_for()
    tables = rank_tables(page)
    assert len(tables) == 2 and all(t["rows"] == 5 for t in tables)          # a header and the four chosen
    for table in tables:
        assert all(name in table["cells"] for name in FOUR)
    assert tables[0]["cells"].count("Ingen data: inget värde något år") == 2   # GN.1a: Halmstad, Kumla
    assert tables[1]["cells"].count("Ingen data: inget värde något år") == 1   # GN.1b: Borås
    body = page.locator("body").inner_text()
    assert "Växthusgasutsläpp utanför utsläppshandeln: ingen data för Halmstad och Kumla." in body
    assert "Växthusgasutsläpp från utsläppshandeln: ingen data för Borås." in body
    screenshot(page, "walk_member_jamfor_sv")

    page.get_by_text("English", exact=True).click()
    settle(page)
    page.get_by_text("4 municipalities in the group").wait_for()
    # the grids redraw a moment after the text: wait until their own tables speak English too
    page.locator("table[role=grid] td", has_text="No data: no value in any year").first.wait_for(state="attached")
    assert page.locator("html").get_attribute("lang") == "en"
    body = page.locator("body").inner_text()
    assert "Chosen municipalities without data" in body
    assert ": no data for Halmstad and Kumla." in body and ": no data for Borås." in body
    tables = rank_tables(page)
    assert len(tables) == 2 and all(t["rows"] == 5 for t in tables)
    assert tables[0]["cells"].count("No data: no value in any year") == 2
    screenshot(page, "walk_member_jamfor_en")


def test_the_coordinators_walk_opens_kommun_on_her_own_municipality(walk_server, context, page):
    url = walk_server["url"]
    page.goto(url + "/kommun")                                  # a visitor is asked, not given Aneby
    wait_for_app(page)
    page.get_by_text("Välj en kommun i listan ovan för att se dess nyckeltal.").wait_for()
    assert page.get_by_text("alla gröna nyckeltal").count() == 0
    screenshot(page, "walk_visitor_kommun_asks")
    page.goto(url + "/kommun?kommun=9999")
    wait_for_app(page)
    page.get_by_text("Kommunkoden 9999 finns inte. Välj en kommun i listan.").wait_for()

    log_in_context(context, url, "anna", PASSWORD)
    page.goto(url + "/kommun")
    wait_for_app(page)
    page.get_by_role("heading", name="Borås: alla gröna nyckeltal").wait_for()
    picker = page.locator('[data-testid="stSelectbox"]').first
    assert picker.get_by_text("Borås ★ SEKOM (1490)").count() + picker.locator("input").evaluate_all(
        "els => els.filter(e => e.value === 'Borås ★ SEKOM (1490)').length") >= 1
    assert "Visar Borås, din kommun." in page.locator("body").inner_text()
    assert "kommun=1490" in page.url
    screenshot(page, "walk_coordinator_kommun")
