"""Phase: the open read API's latency over real HTTP from a real `streamlit run app.py` (ms).

`first_ms`: the first request after the server started; `after_write_ms`: the first request after
another process wrote a value (the state is read again from the store: snapshot, values with
källa/licens); the phase writes to the database it is given, so give it a copy; `miss_ms`: trends for parameters not asked
before (trend_records on a fresh read-only connection); per route `warm_ms`: the median of 20
requests once the state is cached; `revalidate_304_ms`: a request with a matching If-None-Match."""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pandas as pd

from bench.timing import ROOT
from indicators.store import observations, open_store
from tests.live_server import free_port, wait_healthy

ROUTES = {"indicators": "indicators", "trends_one": "trends?kommun=1490&indikator=GN.7",
          "trends_kommun": "trends?kommun=1490", "trends_all": "trends", "values_csv_kommun": "values.csv?kommun=1490",
          "values_csv_all": "values.csv", "values_parquet_all": "values.parquet",
          "datapackage": "datapackage.json", "openapi": "openapi.json"}


def _get(url: str, headers: dict | None = None) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=300) as resp:
            resp.read()
            status, etag = resp.status, resp.headers.get("ETag", "")
    except urllib.error.HTTPError as err:
        status, etag = err.code, ""
    return (time.perf_counter() - t0) * 1000, status, etag


def measure(db: str) -> dict:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
                             "--server.address=127.0.0.1", f"--server.port={port}", "--server.fileWatcherType=none"],
                            cwd=ROOT, env={**os.environ, "GN_DB": db}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api/v1/"
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, "(bench)")
        first, status, _ = _get(api + "values.csv?kommun=1490")
        assert status == 200
        miss = [_get(api + f"trends?kommun={k}")[0] for k in ("0180", "1280", "0114")]
        warm = {}
        for name, path in ROUTES.items():
            _get(api + path)
            warm[name] = round(statistics.median(_get(api + path)[0] for _ in range(20)), 1)
        _, _, etag = _get(api + "values.csv")
        revalidate = statistics.median(_get(api + "values.csv", {"If-None-Match": etag})[0] for _ in range(20))
        after_write = []
        for year in (2031, 2032, 2033):          # another process writes: the next request reads the new state
            store = open_store(db)
            with store.transaction() as cur:
                observations.insert_observations(cur, pd.DataFrame({
                    "indicator_id": ["GN.7"], "kommunkod": ["1490"], "year": [year], "value": [50.0],
                    "source_kind": ["reported"], "upload_id": [None], "created_by": ["bench"], "comment": [None]}))
            store.close()
            after_write.append(_get(api + "values.csv?kommun=1490")[0])
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"first_ms": round(first, 1), "after_write_ms": round(statistics.median(after_write), 1), "miss_ms": round(statistics.median(miss), 1), "warm_ms": warm,
            "revalidate_304_ms": round(revalidate, 1)}


print(json.dumps({"api_latency_ms": measure(sys.argv[1])}))
