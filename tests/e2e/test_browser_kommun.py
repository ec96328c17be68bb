"""The politician's walk (issue 12) in Debian chromium: open Kommun for a municipality by its URL,
Swedish and English, on a desktop (1400 px) and a phone (390 px), and without a single click see
the sentence on what goes best and worst, the scorecard and its table, and one trend chart. On the
desktop the scorecard is one line per indicator under column heads; on the phone one card per
indicator, value and verdict first, position and target below, and nothing wider than the
screen. Writes test-artifacts/kommun_after_<lang>_<desktop|phone>.png."""
from __future__ import annotations

import pytest

from indicators.store import open_store
from indicators.views import kommun_scorecard, snapshot
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser
DEVICES = {"desktop": {"width": 1400, "height": 1800}, "phone": {"width": 390, "height": 844}}
FOCUS_CHART = '.st-key-kommun-focus_chart [data-testid="stPlotlyChart"] svg.main-svg'


@pytest.fixture(scope="module")
def expected(app_server):
    """What the view layer says for Borås, read from the server's own database file."""
    store = open_store(app_server["db"], read_only=True)
    snap = snapshot.load_snapshot(store)
    out = {lang: {"sentence": kommun_scorecard.best_worst(snap, "1490", lang)["sentence"],
                  "rows": kommun_scorecard.scorecard_rows(snap, "1490", lang)} for lang in ("sv", "en")}
    store.close()
    return out


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box, "not laid out"
    return box


@pytest.mark.parametrize("screen", list(DEVICES))
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_politician_sees_the_scorecard_and_a_trend_without_a_click(browser, browser_context_args, app_server,
                                                                     expected, lang, screen):
    ctx = browser.new_context(**{**browser_context_args, "viewport": DEVICES[screen]})
    page = ctx.new_page()
    try:
        page.goto(app_server["url"] + "/kommun?kommun=1490" + ("&lang=en" if lang == "en" else ""))
        wait_for_app(page)
        page.wait_for_selector(FOCUS_CHART, state="visible", timeout=30_000)
        page.wait_for_timeout(500)
        assert page.locator('[data-testid="stException"]').count() == 0
        sentence = page.locator(".gn-sc-sentence")
        assert sentence.is_visible() and sentence.inner_text() == expected[lang]["sentence"]
        rows = page.locator(".gn-sc-row")
        assert rows.count() == len(expected[lang]["rows"]) == 15
        assert [rows.nth(i).get_attribute("data-indicator") for i in range(rows.count())] == \
            [r["id"] for r in expected[lang]["rows"]]
        table = page.locator('.st-key-kommun-scorecard_twin-open [data-testid="stDataFrame"]')
        assert rows.first.is_visible() and table.is_visible()            # the visual and its table, no click
        assert page.locator(FOCUS_CHART).first.is_visible()             # one trend chart, no click
        weakest = next(r for r in expected[lang]["rows"] if r["id"] == "GN.10")
        row = page.locator('.gn-sc-row[data-indicator="GN.10"]')
        words = " ".join(row.inner_text().split())
        assert weakest["level_text"] in words and weakest["direction_text"] in words and weakest["value"] in words
        value, verdict = _box(row.locator(".gn-sc-value")), _box(row.locator(".gn-sc-verdict"))
        position, target = _box(row.locator(".gn-sc-pos")), _box(row.locator(".gn-sc-target"))
        if screen == "desktop":
            assert page.locator(".gn-sc-head").is_visible()
            assert row.locator(".gn-sc-spark img").is_visible()
            # one line: value, position, verdict and target side by side, left to right
            assert value["x"] < position["x"] < verdict["x"] < target["x"]
            assert abs(value["y"] - target["y"]) < value["height"] + target["height"]
        else:
            assert not page.locator(".gn-sc-head").is_visible()
            assert not row.locator(".gn-sc-spark").is_visible()
            # a card: value and verdict on the first line, position and target below
            assert abs(value["y"] - verdict["y"]) < 12 and verdict["x"] > value["x"]
            assert position["y"] >= value["y"] + value["height"] - 1 and target["y"] >= position["y"] + position["height"] - 1
            assert row.locator(".gn-sc-pos .gn-sc-label").is_visible()        # the card names its cells
            assert _box(sentence)["y"] + _box(sentence)["height"] <= DEVICES["phone"]["height"]   # first screen
            assert page.evaluate("document.documentElement.scrollWidth") <= DEVICES["phone"]["width"]
        screenshot(page, f"kommun_after_{lang}_{screen}")
    finally:
        ctx.close()
