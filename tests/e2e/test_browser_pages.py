"""Every dashboard page in Debian chromium: no exception, a chart drawn (the map with all
290 municipalities), nothing leaves 127.0.0.1, and a screenshot per page in test-artifacts/."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, wait_for_app

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
PAGES = [
    ("oversikt", "/", "Gröna nyckeltal"),
    ("kommun", "/kommun?kommun=1490&indikator=GN.10", "Kommunens nyckeltal"),
    ("nyckeltal_diagram", "/nyckeltal?indikator=GN.10&kommuner=1490,0180", "Ekologiska livsmedel"),
    ("nyckeltal_karta", "/nyckeltal?indikator=GN.10&vy=karta", "Ekologiska livsmedel"),
    ("nyckeltal_tabell", "/nyckeltal?indikator=GN.10&vy=tabell", "Ekologiska livsmedel"),
    ("jamfor", "/jamfor?kommun=1490&grupp=county&tema=klimat", "Jämför kommuner"),
    ("tema", "/tema?kommun=1490&tema=energi", "Tema: Energi"),
    ("om", "/om", "Om och metod"),
]


def _settle(page, language_label: str = "Språk") -> None:
    """The script has finished and the entry point's sidebar (navigation, language) is drawn."""
    wait_for_app(page)
    page.wait_for_function(
        "label => (document.querySelector('[data-testid=\"stSidebar\"]') || {innerText: ''}).innerText"
        ".includes(label)", arg=language_label, timeout=30_000)
    page.wait_for_timeout(800)      # let plotly finish its transitions before the screenshot


@pytest.mark.parametrize("name, path, title", PAGES, ids=[p[0] for p in PAGES])
def test_page_draws_offline_without_exception(app_server, page, offsite_requests, name, path, title):
    page.goto(app_server["url"] + path)
    _settle(page)
    assert page.locator("h1").first.inner_text().strip() == title
    if name != "nyckeltal_tabell":
        page.wait_for_selector(CHART, timeout=30_000)
    if name == "nyckeltal_karta":
        page.wait_for_function("() => document.querySelectorAll('.choroplethlayer path').length === 290",
                               timeout=30_000)
        assert page.locator(".choroplethlayer path").count() == 290
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, f"dashboard_{name}")
    assert offsite_requests == []


def test_language_toggle_switches_to_english_and_keeps_it_in_the_url(app_server, page, offsite_requests):
    page.goto(app_server["url"] + "/kommun?kommun=1490")
    _settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    page.wait_for_function("() => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText.includes(\"municipality's indicators\")",
                           timeout=30_000)
    _settle(page, "Language")
    assert "lang=en" in page.url and "kommun=1490" in page.url
    page.wait_for_selector(CHART, timeout=30_000)
    screenshot(page, "dashboard_kommun_en")
    assert offsite_requests == []


def test_sidebar_navigation_keeps_the_municipality(app_server, page):
    page.goto(app_server["url"] + "/kommun?kommun=0180")
    _settle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tema", exact=True).click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText"
                           ".startsWith('Tema:')", timeout=30_000)
    _settle(page)
    assert "kommun=0180" in page.url
    assert page.get_by_text("Stockholm jämfört med SEKOM-medlet").count() == 1


def test_png_download_is_named_after_indicator_and_municipality(app_server, page):
    page.goto(app_server["url"] + "/nyckeltal?indikator=GN.10&kommuner=1490")
    _settle(page)
    page.locator('[data-testid="stPlotlyChart"]').first.hover()
    with page.expect_download(timeout=30_000) as info:      # Streamlit's chart toolbar calls plotly's toImage
        page.get_by_role("button", name="Download plot as a PNG").first.click()
    assert info.value.suggested_filename == "gronanyckeltal_GN.10_Borås_1490.png"


def test_opening_an_indicator_on_the_kommun_page_draws_its_chart_and_writes_the_url(app_server, page):
    page.goto(app_server["url"] + "/kommun?kommun=1490")
    _settle(page)
    page.wait_for_selector(CHART, timeout=30_000)
    before = page.locator(CHART).count()
    page.get_by_text("Diagram och tabell: Ekologiska livsmedel").click()
    page.wait_for_function(f"() => document.querySelectorAll('{CHART}').length > {before}", timeout=30_000)
    page.wait_for_function("() => location.search.includes('indikator=GN.10')", timeout=30_000)
