"""Phase: DuckDB's floor (the bare scan), the trend table, the naive baseline, the scorecard and
the ranking on the 10 M database."""
import json
import sys
import time

from bench.naive import naive_trend_table
from bench.synth import synthetic_catalog
from bench.timing import median_time, peak_rss_mb
from indicators.stats import network
from indicators.stats import trends
from indicators.store import observations
from indicators.store import reference
from indicators.store import trend_inputs
from indicators.store import uploads
from indicators.catalog import default_catalog
from indicators.store import open_store
from indicators.text.summaries import add_summaries

store = open_store(sys.argv[1], read_only=True, migrate=False)
big = synthetic_catalog()
real = default_catalog()
KOMMUN, INDICATOR, YEAR = "1490", "GN.10", 2020

NAMES = dict(zip(reference.fetch_municipalities(store)["kommunkod"], reference.fetch_municipalities(store)["name"]))


def with_sentences():
    add_summaries(trends.trend_table_from_store(store, big), big, NAMES)


# The floor, the table itself (every field but the two sentences), then the same with the sentences.
floor_s = median_time(lambda: trend_inputs.fetch_floor_scan(store), runs=3)
trend_s = median_time(lambda: trends.trend_table_from_store(store, big), runs=3)
n_series = len(trends.trend_table_from_store(store, big))
with_sentences_s = median_time(with_sentences, runs=1, warmup=0)
engine_peak_mb = peak_rss_mb()                 # before the naive baseline loads 10 M rows into pandas
t0 = time.perf_counter()
naive = naive_trend_table(store, big)          # one run: it takes minutes, a median would add nothing
naive_s = time.perf_counter() - t0


def scorecard():
    """What the Kommun page reads for one municipality: its trend rows and its current values.
    One burst of reads: one connection (opening the file costs ~15 ms; nothing holds it between)."""
    with store.reading():
        trends.trend_table_from_store(store, real, kommuner=[KOMMUN])
        observations.fetch_current(store, indicators=real.ids, kommuner=[KOMMUN])
        uploads.fetch_comments(store, KOMMUN)


def ranking():
    with store.reading():
        cur = observations.fetch_current(store, indicators=[INDICATOR], year=YEAR)
        members = reference.fetch_membership(store)
    return network.rank_members(cur, real, members, year=YEAR)


print(json.dumps({
    "duckdb_floor_s": round(floor_s, 3), "trend_vs_floor_ratio": round(trend_s / floor_s, 2),
    "trend_table_all_s": round(trend_s, 3), "trend_table_all_with_sentences_s": round(with_sentences_s, 2),
    "trend_series": n_series, "naive_pandas_s": round(naive_s, 2),
    "naive_series": len(naive), "trend_vs_naive_pandas_ratio": round(trend_s / naive_s, 4),
    "scorecard_query_ms": round(median_time(scorecard, runs=7) * 1000, 1),
    "ranking_query_ms": round(median_time(ranking, runs=7) * 1000, 1),
    "query_peak_rss_mb": round(engine_peak_mb, 1), "naive_peak_rss_mb": round(peak_rss_mb(), 1),
}))
