"""Streamlit's front-end files through app.py's FrontendAssets middleware, over real HTTP and
in the browser: the bundles travel gzipped (once compressed, byte-identical after unzipping)
and stay cacheable, index.html preloads the chart code, and a page loads plotly.js once."""
from __future__ import annotations

import gzip
import urllib.request

import pytest

import web_assets
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.browser


def get(url: str, gzip_ok: bool):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.headers, resp.read()


def test_bundles_are_served_gzipped_and_cacheable_and_identical_unzipped(app_server):
    chunk = web_assets.chart_chunks()[0]
    original = (web_assets.STATIC / "static" / "js" / chunk).read_bytes()
    headers, body = get(f"{app_server['url']}/static/js/{chunk}", gzip_ok=True)
    assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert "immutable" in headers["Cache-Control"] and headers["Content-Type"] == "application/javascript"
    assert gzip.decompress(body) == original and len(body) < len(original) / 2
    plain_headers, plain = get(f"{app_server['url']}/static/js/{chunk}", gzip_ok=False)
    assert plain_headers.get("Content-Encoding") is None and plain == original


def test_every_page_preloads_the_chart_code(app_server):
    chunks = web_assets.chart_chunks()
    assert chunks[0].startswith("PlotlyChart.")
    for path in ("/", "/kommun?kommun=1490", "/nyckeltal"):
        _, html = get(app_server["url"] + path, gzip_ok=False)
        for chunk in chunks:
            assert f'<link rel="modulepreload" crossorigin href="./static/js/{chunk}">'.encode() in html, path


def test_a_page_loads_plotly_once_and_gzipped(app_server, page):
    """The preload and Streamlit's own lazy import must share one fetch (same URL and mode)."""
    seen = []
    page.on("response", lambda r: seen.append((r.url, r.headers.get("content-encoding")))
            if "/static/js/PlotlyChart." in r.url else None)
    page.goto(app_server["url"] + "/kommun?kommun=1490")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=30_000)
    page.wait_for_timeout(1000)                        # any second fetch would have started by now
    assert len(seen) == 1 and seen[0][1] == "gzip", seen
