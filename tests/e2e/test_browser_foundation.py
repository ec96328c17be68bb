"""The running app in Debian chromium: it renders, and no request leaves 127.0.0.1."""
from __future__ import annotations

from tests.e2e.conftest import demo_copy, screenshot, serve, wait_for_app


def test_home_page_renders_without_exception_and_stays_offline(app_server, page, offsite_requests):
    page.goto(app_server["url"] + "/")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Gröna nyckeltal"
    assert page.get_by_text("Demodata – inte officiella siffror").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "foundation_home")
    assert offsite_requests == []


def test_kommun_page_draws_a_chart(app_server, page, offsite_requests):
    page.goto(app_server["url"] + "/kommun?kommun=1490")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot', timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert offsite_requests == []


def test_a_deep_link_to_a_fresh_server_gets_the_whole_app(demo_db_template, tmp_path_factory, page,
                                                          offsite_requests):
    """The first request a new server sees is a copied page URL: navigation and language toggle
    must be there (Streamlit would otherwise run app_pages/data/kommun.py alone, without dashboard.py)."""
    with serve(demo_copy(demo_db_template, tmp_path_factory, "fresh")) as server:
        page.goto(server["url"] + "/kommun?kommun=0180&lang=en")
        wait_for_app(page)
        page.wait_for_selector(".st-key-gn-nav", timeout=30_000)
        nav = page.locator(".st-key-gn-nav").inner_text()
        assert "Overview" in nav and "Municipality" in nav
        assert page.get_by_text("Language").count() >= 1
        assert "Stockholm" in page.locator("h2").first.inner_text()
        # no legacy multipage fallback: it would open a "Page not found" dialog over the page first
        assert page.locator('[role="dialog"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
    assert offsite_requests == []
