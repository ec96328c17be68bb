"""Phase: the polars peer (bench/peer_polars.py) on the 10 M database at argv[1]; the revisions
go to Parquet once in argv[2] (not timed), then the lazy query is timed (median after a warm-up)."""
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

from bench.peer_polars import peer_trend
from bench.synth import synthetic_catalog
from bench.timing import median_time, peak_rss_mb
from indicators.stats.trendmath import member_year_pairs
from indicators.store import observations, open_store, reference

store = open_store(sys.argv[1], read_only=True, migrate=False)
parquet = str(Path(sys.argv[2]) / "revisions.parquet")
observations.export_revisions_parquet(store, parquet)
cat = synthetic_catalog()
indicators = pl.DataFrame({"indicator_id": [i.id for i in cat], "start_year": [i.start_year for i in cat],
                           "higher": [i.better == "higher" for i in cat]})
pairs = member_year_pairs(reference.fetch_membership(store))
members = pl.DataFrame({"kommunkod": pairs["kommunkod"].astype(str).tolist(),
                        "year": pairs["year"].to_numpy(np.int16)})
series, network = peer_trend(parquet, indicators, members)
seconds = median_time(lambda: peer_trend(parquet, indicators, members), runs=3)
print(json.dumps({"peer_polars_s": round(seconds, 3), "peer_series": series.height, "peer_network_groups": network.height,
                  "peer_right_share": round(float((series["verdict"] == "right").mean()), 4),
                  "peer_peak_rss_mb": round(peak_rss_mb(), 1)}))
