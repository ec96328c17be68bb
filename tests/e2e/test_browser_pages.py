"""The dashboard in Debian chromium: the language toggle, the sidebar navigation keeping the
municipality, named PNG downloads, opening an indicator on the Kommun page, and the Nyckeltal
views switching on the first click. Every page drawn offline, without exception, in both
languages and on a phone is in test_browser_a11y.py (with its screenshots)."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, wait_for_app

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
NAV = ".st-key-gn-nav"          # our own page navigation in the sidebar (dashboard.py)


def _settle(page, language_label: str = "Språk") -> None:
    """The script has finished and the entry point's sidebar (navigation, language) is drawn."""
    wait_for_app(page)
    page.wait_for_function(
        "label => (document.querySelector('[data-testid=\"stSidebar\"]') || {innerText: ''}).innerText"
        ".includes(label)", arg=language_label, timeout=30_000)
    page.wait_for_timeout(800)      # let plotly finish its transitions before the screenshot


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
    page.locator(NAV).get_by_text("Tema", exact=True).click()
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
        page.get_by_role("button", name="Ladda ner diagrammet som PNG").first.click()
    assert info.value.suggested_filename == "gronanyckeltal_GN.10_Borås_1490.png"


def test_opening_an_indicator_on_the_kommun_page_draws_its_chart_and_writes_the_url(app_server, page):
    page.goto(app_server["url"] + "/kommun?kommun=1490")
    _settle(page)
    page.wait_for_selector(CHART, timeout=30_000)
    before = page.locator(CHART).count()
    page.get_by_text("Diagram och tabell: Ekologiska livsmedel").click()
    page.wait_for_function(f"() => document.querySelectorAll('{CHART}').length > {before}", timeout=30_000)
    page.wait_for_function("() => location.search.includes('indikator=GN.10')", timeout=30_000)


def test_nyckeltal_views_switch_on_the_first_click_and_the_url_follows_at_once(app_server, page):
    """Diagram → Tabell → Karta → Källa och metod → Diagram, one click each: the view shows and ?vy=
    says so right away (st.tabs needed two clicks for Tabell → Karta and ?vy= lagged one behind)."""
    page.goto(app_server["url"] + "/nyckeltal?indikator=GN.10&kommuner=1490")
    _settle(page)
    page.wait_for_selector(CHART, timeout=30_000)
    views = page.locator(".st-key-nyckeltal-view")
    steps = [("Tabell", "vy=tabell", "text=Medlemmarna rangordnade på det senaste kompletta året"),
             ("Karta", "vy=karta", ".choroplethlayer path"),
             ("Källa och metod", "vy=kalla", "h2:has-text('Fakta')"),
             ("Diagram", None, CHART)]
    for label, query, shown in steps:
        views.get_by_role("radio", name=label, exact=True).click()
        page.wait_for_selector(shown, timeout=30_000)
        wait_for_app(page)
        if query:
            assert query in page.url, (label, page.url)
        else:
            assert "vy=" not in page.url, page.url
        assert "indikator=GN.10" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0, label
    assert page.locator(".choroplethlayer path").count() == 0       # only the chosen view is drawn
