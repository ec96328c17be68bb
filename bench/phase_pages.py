"""Phase: median server-side AppTest rerun time of every page over the database at argv[1]."""
import json
import os
import sys
import time

from streamlit.testing.v1 import AppTest

from bench.timing import ROOT, median_time, peak_rss_mb

os.environ["GN_DB"] = sys.argv[1]
PAGES = sorted(p.stem for p in (ROOT / "app_pages").rglob("*.py"))
PARAMS = {"kommun": "1490", "indikator": "GN.10"}


def page_rerun_ms(page: str) -> float:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in PARAMS.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(str(next((ROOT / "app_pages").rglob(f"{page}.py")).relative_to(ROOT))).run()
    if at.exception:
        raise RuntimeError(f"page {page} raised: {[e.value for e in at.exception]}")
    return median_time(at.run, runs=5, warmup=1) * 1000


t0 = time.perf_counter()
result = {page: round(page_rerun_ms(page), 1) for page in PAGES}
print(json.dumps({"page_rerun_ms": result, "pages_peak_rss_mb": round(peak_rss_mb(), 1),
                  "pages_total_s": round(time.perf_counter() - t0, 1)}))
