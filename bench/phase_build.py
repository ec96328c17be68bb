"""Phase: build the 10 M-row database at argv[1]; prints JSON with rows, seconds and peak RSS."""
import json
import sys
import time

from bench.synth import build_big_db
from bench.timing import peak_rss_mb

t0 = time.perf_counter()
rows = build_big_db(sys.argv[1])
print(json.dumps({"scale_rows": rows, "build_s": round(time.perf_counter() - t0, 2),
                  "build_peak_rss_mb": round(peak_rss_mb(), 1)}))
