"""The Öppna data page and an embedded chart in Debian chromium: the page's links to the API answer,
its JavaScript example runs in the browser as written, the embed snippet from the "Bädda in"
button draws the chart inside an <iframe> on another page with the chrome hidden, the source line
and a link back; nothing leaves 127.0.0.1."""
from __future__ import annotations

import html
import re

from indicators.publish import docs
from tests.e2e.conftest import screenshot, wait_for_app

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
SOURCE = "Källa: Sveriges Ekokommuner – Gröna nyckeltal"


def test_oppna_data_page_links_and_javascript_example_work(app_server, page, offsite_requests):
    base = app_server["url"]
    page.goto(base + "/oppna_data")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Öppna data och API"
    hrefs = page.eval_on_selector_all('a[href*="/api/v1/"]', "els => els.map(e => e.href)")
    assert sorted(set(hrefs)) == sorted(f"{base}/api/v1/{name}" for name in docs.ROUTE_NAMES)
    for href in hrefs:
        resp = page.request.get(href)
        assert resp.status == 200, href
        assert "datapackage.json" in resp.headers["link"]
    codes = page.locator('[data-testid="stCode"]').all_inner_texts()
    assert any(f'curl "{base}/api/v1/trends?kommun=1490&indikator=GN.7"' in c for c in codes)
    (js,) = [code for key, lang, code in docs.examples(base) if lang == "javascript"]
    assert any(js.splitlines()[0] in c for c in codes)             # the page shows it ...
    logged = page.evaluate("async () => { const lines = []; const console = {log: (...a) => lines.push(a.join(' '))};"
                           + js + "; return lines; }")             # ... and it runs as written
    assert logged[0].startswith("Borås: ") and logged[0].endswith("Sveriges Ekokommuner – Gröna nyckeltal CC BY 4.0")
    screenshot(page, "oppna_data")
    assert offsite_requests == []


def test_the_embed_snippet_draws_the_chart_in_an_iframe_without_chrome(app_server, page, offsite_requests):
    base = app_server["url"]
    page.goto(base + "/nyckeltal?indikator=GN.7&kommuner=1490")
    wait_for_app(page)
    page.wait_for_selector(CHART, timeout=30_000)
    page.get_by_role("button", name="Bädda in").click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').inner_text(timeout=30_000)
    src = html.unescape(re.search(r'src="([^"]+)"', code).group(1))
    assert src == f"{base}/nyckeltal?indikator=GN.7&kommuner=1490&embed=true&visa=inbaddning"
    page.set_content(f"<!doctype html><html><body><h1>En kommuns webbplats</h1>{code}</body></html>")
    frame = page.frame_locator("iframe")
    frame.locator(CHART).wait_for(timeout=60_000)
    frame.get_by_text(SOURCE).wait_for(timeout=30_000)
    link = frame.get_by_role("link", name="Öppna i Gröna nyckeltal")
    assert link.get_attribute("href") == f"{base}/nyckeltal?indikator=GN.7&kommuner=1490"
    assert link.get_attribute("target") == "_blank"             # opens the dashboard, not inside the iframe
    assert frame.locator('[data-testid="stSidebar"]').count() == 0
    assert frame.locator('[data-testid="stToolbar"], [data-testid="stMainMenu"]').count() == 0   # embed=true
    assert frame.locator('[data-testid="stHeader"]').inner_text().strip() == ""
    assert frame.locator("a", has_text=SOURCE).count() == 0 and frame.get_by_text(SOURCE).is_visible()
    assert frame.locator("h1").count() == 0 and frame.locator('[data-testid="stSelectbox"]').count() == 0
    assert frame.get_by_text("Demodata – inte officiella siffror").count() >= 1
    screenshot(page, "embed_nyckeltal_iframe")
    assert offsite_requests == []
