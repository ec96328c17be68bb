"""Several processes on one database file, for real: two dashboards (`streamlit run app.py`)
serve the same file while two `python -m indicators import` processes write to it at the
same time. Nothing is refused, nothing is lost, the dashboards keep serving during the
writes, and both show the new values afterwards without a restart."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from indicators.store import observations, open_store, uploads
from tests.conftest import ROOT
from tests.e2e.conftest import demo_copy, screenshot, serve, wait_for_app
from tests.e2e.test_browser_reporting import shows_value

pytestmark = pytest.mark.browser
NEW = {"1490": 4321.0, "0180": 4398.0}     # GN.9a, 2025: values no demo series has


def kommun_page(page, url: str, kod: str) -> None:
    page.goto(f"{url}/kommun?kommun={kod}")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=30_000)
    page.wait_for_timeout(300)
    assert page.locator('[data-testid="stException"]').count() == 0


def eventually_shows(page, url: str, kod: str, value: float, seconds: float = 20) -> bool:
    """Reload until the value is drawn: the dashboard notices the other processes' writes by itself."""
    deadline = time.monotonic() + seconds
    while True:
        kommun_page(page, url, kod)
        if shows_value(page, value):
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(500)


def test_two_dashboards_keep_serving_while_two_imports_write_the_same_file(demo_db_template, tmp_path_factory,
                                                                            page, offsite_requests, tmp_path):
    db = demo_copy(demo_db_template, tmp_path_factory, "shared")
    files = {}
    for kod, value in NEW.items():
        files[kod] = tmp_path / f"import_{kod}.csv"
        files[kod].write_text(f"kommunkod;indikator;år;värde\n{kod};GN.9a;2025;{value:.0f}\n",
                              encoding="utf-8")
    with serve(db) as first, serve(db) as second:
        kommun_page(page, first["url"], "1490")
        assert not shows_value(page, NEW["1490"])
        writers = [subprocess.Popen([sys.executable, "-m", "indicators", "import", str(f), "--db", str(db),
                                     "--flag-comment", "Testvärde"], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for f in files.values()]
        kommun_page(page, second["url"], "0180")          # served while the imports run
        results = [w.communicate(timeout=180) for w in writers]
        for w, (_, err) in zip(writers, results):
            assert w.returncode == 0, err                  # nothing refused
            assert "Committed as upload #" in err or "Sparat som uppladdning #" in err
        assert eventually_shows(page, first["url"], "1490", NEW["1490"])
        assert eventually_shows(page, second["url"], "0180", NEW["0180"])
        assert eventually_shows(page, second["url"], "1490", NEW["1490"])
        screenshot(page, "sharing_second_dashboard_after_imports")
        assert first["proc"].poll() is None and second["proc"].poll() is None
    store = open_store(db, read_only=True)                 # nothing lost
    current = observations.fetch_current(store, ["GN.9a"], list(NEW), 2025)
    assert dict(zip(current["kommunkod"], current["value"])) == NEW
    assert uploads.count_uploads(store) == 2
    assert offsite_requests == []
