"""Phase: parse + validate + preview, then commit, of a 100 000-row Swedish CSV (';', decimal
comma, Windows-1252) against the demo database at argv[1], through the same functions as the
upload page and `python -m indicators import`."""
import io
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import median_time, peak_rss_mb
from indicators.ingest import reporting
from indicators.auth.users import system_admin
from indicators.catalog import default_catalog
from indicators.ingest.reference_files import read_municipalities
from indicators.store import open_store

YEARS = range(2000, 2022)       # 22 years × 16 indicators × 290 municipalities = 102 080 rows


def make_csv(rows_wanted: int = 100_000) -> bytes:
    rng = np.random.default_rng(100_000)
    cat = default_catalog()
    kommuner = read_municipalities()["kommunkod"].tolist()
    keys = pd.MultiIndex.from_product([kommuner, cat.ids, list(YEARS)], names=["kommunkod", "indikator", "år"])
    df = keys.to_frame(index=False).head(rows_wanted)
    high = df["indikator"].map({i.id: (90.0 if i.is_share else 500.0) for i in cat})
    df["värde"] = np.round(high * rng.uniform(0.1, 1.0, len(df)), 1)
    df["kommentar"] = "Benchmark"
    buf = io.StringIO()
    df.to_csv(buf, sep=";", decimal=",", index=False, lineterminator="\r\n")
    return buf.getvalue().encode("cp1252")


demo_db, tmp = Path(sys.argv[1]), Path(sys.argv[2])
data = make_csv()
admin = system_admin()
store = open_store(demo_db)
validate_s = median_time(lambda: reporting.prepare_upload(store, data, "bench.csv", admin), runs=3)
report = reporting.prepare_upload(store, data, "bench.csv", admin)
assert report.ok, report.problems[:5]
store.close()

commit_times = []
for run in range(3):             # each commit on a fresh copy of the demo database
    copy = tmp / f"commit{run}.duckdb"
    shutil.copy(demo_db, copy)
    s = open_store(copy)
    rep = reporting.prepare_upload(s, data, "bench.csv", admin)
    t0 = time.perf_counter()
    result = reporting.commit_upload(s, rep, admin)
    commit_times.append(time.perf_counter() - t0)
    s.close()
    copy.unlink()

print(json.dumps({"import_rows": len(report.rows), "import_100k_validate_s": round(validate_s, 3),
                  "import_100k_commit_s": round(sorted(commit_times)[1], 3),
                  "import_commit_runs_s": [round(x, 3) for x in commit_times],
                  "import_new": result.n_new, "import_changed": result.n_changed,
                  "import_peak_rss_mb": round(peak_rss_mb(), 1)}))
