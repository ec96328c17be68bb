"""Phase: build the demo database at argv[1] (as `make run` does)."""
import json
import sys
import time

from bench.timing import median_time
from indicators.stats import trends
from indicators.ingest.demo import load_demo
from indicators.ingest.reference_files import load_reference
from indicators.store import open_store

t0 = time.perf_counter()
store = open_store(sys.argv[1])
load_reference(store)
rows = load_demo(store)
build_s = time.perf_counter() - t0
trend_s = median_time(lambda: trends.trend_table_from_store(store), runs=5)
store.close()
print(json.dumps({"demo_rows": rows, "demo_build_s": round(build_s, 2), "trend_table_demo_s": round(trend_s, 3)}))
