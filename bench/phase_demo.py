"""Phase: build the demo database at argv[1] (as `make run` does)."""
import json
import sys
import time

from indicators.demo import load_demo
from indicators.reference import load_reference
from indicators.store import open_store

t0 = time.perf_counter()
store = open_store(sys.argv[1])
load_reference(store)
rows = load_demo(store)
store.close()
print(json.dumps({"demo_rows": rows, "demo_build_s": round(time.perf_counter() - t0, 2)}))
