"""Phase: time from navigation to the first visible chart, per dashboard page, in Debian's
Chromium with a fresh browser context each time (nothing cached), against a real
`streamlit run app.py` over the demo database at argv[1]. Prints the median over every
page and run, and each page's median."""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

from bench.timing import ROOT

CHROMIUM = "/usr/bin/chromium"
PAGES = {"oversikt": "/", "kommun": "/kommun?kommun=1490", "nyckeltal": "/nyckeltal?indikator=GN.10",
         "jamfor": "/jamfor?kommun=1490", "tema": "/tema?kommun=1490&tema=energi", "om": "/om"}
RUNS = 3
CHART = ".js-plotly-plot"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
                             "--server.address=127.0.0.1", f"--server.port={port}", "--server.fileWatcherType=none",
                             "--browser.gatherUsageStats=false"], cwd=ROOT, env={**os.environ, "GN_DB": db},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            if time.time() > deadline:
                proc.terminate()
                raise RuntimeError("streamlit did not become healthy")
            time.sleep(0.2)


def first_chart_ms(browser, url: str) -> float:
    """A fresh context (empty cache, no cookies), navigate, wait until a chart is visible."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        return (time.perf_counter() - t0) * 1000
    finally:
        context.close()


def main(db: str) -> dict:
    proc, url = start_server(db)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            for path in PAGES.values():              # warm-up: the server's first run of each page
                first_chart_ms(browser, url + path)
            runs = {name: [first_chart_ms(browser, url + path) for _ in range(RUNS)] for name, path in PAGES.items()}
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    every = [ms for times in runs.values() for ms in times]
    return {"browser_first_chart_ms": round(statistics.median(every)),
            "browser_first_chart_ms_pages": {n: round(statistics.median(t)) for n, t in runs.items()}}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
