"""The accessibility gate: axe-core (WCAG 2.1 A and AA rules) on every page of the dashboard, in
Swedish and English, on a desktop (1400 px) and a phone (390 px): no serious or critical
violation. The same visit checks what axe cannot: `<html lang>` is the UI language, every page
has its own title, every chart is drawn and has a text alternative that the page also shows, the
map has all 290 municipalities, no exception is shown and no request leaves 127.0.0.1; and it
writes the screenshot test-artifacts/page_<page>_<lang>_<desktop|phone>.png.

The reporting pages are visited logged in as the secretariat (their content, not only a login
form), over a database holding an upload and its undo; the login form itself is visited too.
"""
from __future__ import annotations

import pytest

from indicators.auth import users
from indicators.ingest import reporting
from indicators.store import open_store
from tests.e2e.conftest import demo_copy, log_in_context, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "ett-långt-lösenord"
DEVICES = {"desktop": {"width": 1400, "height": 1800}, "phone": {"width": 390, "height": 844}}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (name in the screenshot, URL, expected title in Swedish and English); the pages of dashboard.PAGES,
# the map view of Nyckeltal, Kommun before a municipality is chosen, and the login form a visitor sees
PAGES = [
    ("oversikt", "/", ("Översikt", "Overview")),
    ("kommun", "/kommun?kommun=1490&indikator=GN.10", ("Kommun", "Municipality")),
    ("kommun-valj", "/kommun", ("Kommun", "Municipality")),         # no municipality yet: the page asks
    ("nyckeltal", "/nyckeltal?indikator=GN.10&kommuner=1490,0180", ("Nyckeltal", "Indicator")),
    ("nyckeltal-karta", "/nyckeltal?indikator=GN.10&vy=karta", ("Nyckeltal", "Indicator")),
    ("jamfor", "/jamfor?kommun=1490&grupp=county&tema=klimat", ("Jämför", "Compare")),
    ("tema", "/tema?kommun=1490&tema=energi", ("Tema", "Themes")),
    ("rapportera", "/rapportera?year=2024", ("Rapportera", "Report")),
    ("uppladdningar", "/uppladdningar", ("Uppladdningar", "Uploads")),
    ("rapporteringsstatus", "/rapporteringsstatus", ("Rapporteringsstatus", "Reporting status")),
    ("admin", "/admin", ("Administration", "Administration")),
    ("om", "/om", ("Om och metod", "About and method")),
    ("oppna_data", "/oppna_data", ("Öppna data", "Open data")),
    ("login", "/rapportera", ("Rapportera", "Report")),
]
CHART_SVG = '[data-testid="stPlotlyChart"] svg.main-svg'
NO_CHARTS = ("rapportera", "uppladdningar", "rapporteringsstatus", "admin", "login", "oppna_data", "kommun-valj")


@pytest.fixture(scope="module")
def a11y_server(demo_db_template, tmp_path_factory):
    """`streamlit run app.py` over a demo copy with the secretariat's account and one upload that
    was undone (so Uppladdningar shows both)."""
    db = demo_copy(demo_db_template, tmp_path_factory, "a11y_server")
    store = open_store(db)
    setup = users.User("setup", "admin")
    users.add_account(store, setup, "sekr", PASSWORD, "admin")
    admin = users.User("sekr", "admin")
    body = "kommunkod;indikator;år;värde;kommentar\n1490;GN.9a;2024;812;Ny avläsning\n"
    report = reporting.prepare_upload(store, body.encode("utf-8"), "boras_2024.csv", admin)
    reporting.revert_upload(store, admin, reporting.commit_upload(store, report, admin).upload_id)
    store.close()
    with serve(db) as server:
        yield server


@pytest.fixture(scope="module")
def contexts(browser, browser_context_args, a11y_server):
    """A browser context per device: one logged in as the secretariat, one anonymous."""
    made = {}
    for device, viewport in DEVICES.items():
        for who in ("sekr", None):
            ctx = browser.new_context(**{**browser_context_args, "viewport": viewport})
            if who:
                log_in_context(ctx, a11y_server["url"], who, PASSWORD)
            made[(device, who)] = ctx
    yield made
    for ctx in made.values():
        ctx.close()


def serious_violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", TAGS)
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        lines += [f"    {n['target']} {n['html'][:160]}" for n in v["nodes"][:5]]
    return "\n".join(lines)


def wait_for_charts(page, at_least: int) -> None:
    """At least `at_least` Plotly charts, and every chart on the page drawn with its text alternative."""
    page.wait_for_function(
        """n => { const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
                  return charts.length >= n && charts.every(c => { const svg = c.querySelector('svg.main-svg');
                      return svg && svg.getAttribute('role') === 'img' && svg.getAttribute('aria-label'); }); }""",
        arg=at_least, timeout=30_000)


@pytest.mark.parametrize("screen", list(DEVICES))
@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name, path, titles", PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violation(contexts, a11y_server, axe_source, name, path, titles, lang,
                                                     screen):
    page = contexts[(screen, None if name == "login" else "sekr")].new_page()
    offsite: list[str] = []
    page.on("request", lambda req: offsite.append(req.url) if not req.url.startswith(
        ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")) else None)
    try:
        url = a11y_server["url"] + path + ("" if lang == "sv" else ("&" if "?" in path else "?") + "lang=en")
        page.goto(url)
        wait_for_app(page)
        if name == "login":
            page.locator("form.gn-login").wait_for()
        wait_for_charts(page, 0 if name in NO_CHARTS else 1)
        if name == "nyckeltal-karta":
            page.wait_for_function("() => document.querySelectorAll('.choroplethlayer path').length === 290",
                                   timeout=30_000)
        page.wait_for_timeout(300)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.evaluate("document.documentElement.lang") == lang
        title = titles[0] if lang == "sv" else titles[1]
        assert page.title() == f"{title} – {'Gröna nyckeltal' if lang == 'sv' else 'Green Key Figures'}"
        shown = " ".join(page.locator('[data-testid="stMain"]').inner_text().split())
        for label in page.eval_on_selector_all(CHART_SVG + '[role="img"]', "els => els.map(e => e.getAttribute('aria-label'))"):
            assert label in shown, f"the chart's text alternative is not on the page: {label!r}"
        screenshot(page, f"page_{name}_{lang}_{screen}")
        violations = serious_violations(page, axe_source)
        assert not violations, describe(violations)
        assert offsite == []
    finally:
        page.close()


def test_the_language_toggle_updates_html_lang_and_title_without_a_reload(contexts, a11y_server):
    page = contexts[("desktop", None)].new_page()
    try:
        page.goto(a11y_server["url"] + "/om")
        wait_for_app(page)
        assert page.evaluate("document.documentElement.lang") == "sv" and page.title() == "Om och metod – Gröna nyckeltal"
        page.evaluate("window.__notReloaded = true")
        page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
        page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30_000)
        page.wait_for_function("() => document.title === 'About and method – Green Key Figures'", timeout=30_000)
        assert page.evaluate("window.__notReloaded") is True
    finally:
        page.close()
