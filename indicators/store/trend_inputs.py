"""The trend engine's one big read: current values (current_observation, kept at write time,
so no revision is deduplicated here) joined to the engine's dense ids, as flat numpy arrays;
the grouping into series and network groups is numpy's (stats.trendmath.inputs_from_arrays),
which does it from a dense grid faster than any GROUP BY with list aggregates here. No UI
imports; nothing above the store layer (the engine's parameters come in as plain frames).
"""
from __future__ import annotations

import numpy as np

from indicators.store.connection import Store


# Every series: one scan of the current values and two joins to small frames.
TREND_INPUTS_SQL = """
SELECT i.ii, k.ki, o.year::INTEGER AS year, o.value
FROM current_observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
WHERE o.year <= $year_max AND isfinite(o.value)
"""

# Some municipalities (ki_lo..ki_hi, e.g. a scorecard): their series, and the members' values of
# every year (which years are still preliminary, and so where the network's figures come from,
# needs each year's count), so a scorecard never reads the non-members' rows.
TREND_INPUTS_SELECTED_SQL = """
WITH cur AS MATERIALIZED (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, o.value
    FROM current_observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    WHERE o.year <= $year_max AND isfinite(o.value) AND k.ki BETWEEN $ki_lo AND $ki_hi)
SELECT * FROM cur
UNION
SELECT i.ii, k.ki, o.year::INTEGER AS year, o.value
FROM current_observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
JOIN gn_t_kom k ON k.kommunkod = o.kommunkod JOIN gn_t_mem m ON m.ki = k.ki AND m.year = o.year
WHERE o.year <= $year_max AND isfinite(o.value)
"""

# The benchmark's floor: the bare scan of the observation data, one GROUP BY over indicator and
# municipality with the aggregates a trend needs at the least (make bench: duckdb_floor_s).
FLOOR_SQL = """
SELECT indicator_id, kommunkod, min(year) AS first_year, max(year) AS last_year,
       arg_min(value, year) AS first_value, arg_max(value, year) AS last_value,
       regr_slope(value, year) AS slope, count(*) AS n
FROM observation GROUP BY ALL
"""


def fetch_trend_inputs(store: Store, params, year_max: int = 2100, kommuner=None) -> dict[str, np.ndarray]:
    """The current values the trend engine reads (trendmath.EngineParams in): flat arrays ii, ki
    (the engine's dense indicator and municipality ids), year and value, finite values only,
    one row per key, in no particular order. Municipalities outside params.kommuner, indicators
    outside params.indicators and years after year_max are not read.

    With kommuner (codes), only the municipalities between the first and the last of them in
    params.kommuner order (a superset the caller filters), plus the members' values of every year
    (the network and its preliminary years; network_frame needs kommuner=None)."""
    kom = params.kommuner[["ki", "kommunkod"]]
    ki_lo, ki_hi = 0, len(kom) - 1
    if kommuner is not None:
        sel = kom["ki"].to_numpy(np.int64)[kom["kommunkod"].isin(list(kommuner)).to_numpy()]
        ki_lo, ki_hi = (int(sel.min()), int(sel.max())) if len(sel) else (0, -1)
    frames = {"gn_t_ind": params.indicators[["ii", "indicator_id"]], "gn_t_kom": kom,
              "gn_t_mem": params.member_years}
    with store.cursor() as cur:
        for name, frame in frames.items():
            cur.register(name, frame)
        sql = TREND_INPUTS_SQL if kommuner is None else TREND_INPUTS_SELECTED_SQL
        table = cur.sql(sql, params={"year_max": int(year_max), "ki_lo": ki_lo, "ki_hi": ki_hi}
                        if kommuner is not None else {"year_max": int(year_max)}).to_arrow_table()
        for name in frames:
            cur.unregister(name)
    return {k: table[k].to_numpy() for k in ("ii", "ki", "year", "value")}


def fetch_floor_scan(store: Store):
    """The floor the benchmark compares the trend table with (an Arrow table; large at scale)."""
    with store.cursor() as cur:
        return cur.sql(FLOOR_SQL).to_arrow_table()
