"""The trend engine's one big read: DuckDB dedupes revisions and groups every series and
the network in one scan, returning flat arrays (see fetch_trend_inputs). No UI imports;
nothing above the store layer (the engine's parameters come in as plain frames).
"""
from __future__ import annotations


from indicators.store.connection import Store


_TREND_PARTS_SQL = """
obs AS (
    SELECT c.ii, c.ki, c.year, c.value, i.start_year, i.has_breaks,
           CASE WHEN c.year >= i.start_year
                THEN greatest(i.start_year, coalesce(bn.brk, -1), coalesce(bm.brk, -1)) ELSE -1 END AS seg
    FROM {source} c JOIN gn_t_ind i ON i.ii = c.ii
    LEFT JOIN gn_t_bn bn ON bn.ii = c.ii AND bn.year = c.year
    LEFT JOIN gn_t_bm bm ON bm.ii = c.ii AND bm.ki = c.ki AND bm.year = c.year
    WHERE c.value IS NOT NULL AND isfinite(c.value) AND c.ki BETWEEN $ki_lo AND $ki_hi),
seg AS (
    -- indicators with series breaks: one row per (series, segment); -1 = before the start year
    SELECT 's' AS kind, ii, ki, seg, count(*) AS n, min(year) AS first_year, arg_min(value, year) AS first_value,
           max(year) AS last_year, arg_max(value, year) AS last_value,
           max(year, $window) AS win_years, arg_max(value, year, $window) AS win_values
    FROM obs WHERE has_breaks GROUP BY ii, ki, seg
    UNION ALL
    -- the rest (nearly all): one row per series, the same fields over the years from the start year
    -- on, except the last point, which is the series' own (the only data may predate the start year)
    SELECT 's' AS kind, ii, ki, CASE WHEN count(*) FILTER (WHERE seg >= 0) > 0 THEN any_value(start_year) ELSE -1 END,
           count(*) FILTER (WHERE seg >= 0), min(year) FILTER (WHERE seg >= 0),
           arg_min(value, year) FILTER (WHERE seg >= 0), max(year), arg_max(value, year),
           max(year, $window) FILTER (WHERE seg >= 0), arg_max(value, year, $window) FILTER (WHERE seg >= 0)
    FROM obs WHERE NOT has_breaks GROUP BY ii, ki),
net AS (
    SELECT 'n' AS kind, c.ii, c.year, count(*) AS n, sum(c.value) AS total, sum(c.value * p.population) AS wtotal,
           sum(p.population) AS wpop, count(p.population) AS wn, list(c.value ORDER BY c.value) AS net_values
    FROM {net_source} c JOIN gn_t_mem m ON m.ki = c.ki AND m.year = c.year
    LEFT JOIN gn_t_pop p ON p.ki = c.ki AND p.year = c.year
    WHERE c.value IS NOT NULL AND isfinite(c.value) GROUP BY c.ii, c.year),
refs AS (
    SELECT 'r' AS kind, c.ii, c.ki, c.year, c.value AS ref_value
    FROM {source} c JOIN gn_t_ref r ON r.ii = c.ii AND r.year = c.year
    WHERE c.value IS NOT NULL AND isfinite(c.value) AND c.ki BETWEEN $ki_lo AND $ki_hi)
SELECT * FROM seg UNION ALL BY NAME SELECT * FROM net UNION ALL BY NAME SELECT * FROM refs
"""

# Every series and the whole network from one revision-dedupe of every row.
TREND_INPUTS_SQL = """
WITH cur AS MATERIALIZED (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, arg_max_null(o.value, o.id) AS value
    FROM observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    WHERE o.year <= $year_max
    GROUP BY ALL),""" + _TREND_PARTS_SQL.format(source="cur", net_source="cur")

# Some municipalities (ki_lo..ki_hi, e.g. a scorecard): their series, and the network from the
# members' rows only (every year: which years are still preliminary, and so where the network's
# figures come from, needs each year's count), so non-members' rows are never deduped.
TREND_INPUTS_SELECTED_SQL = """
WITH cur AS MATERIALIZED (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, arg_max_null(o.value, o.id) AS value
    FROM observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    WHERE o.year <= $year_max AND k.ki BETWEEN $ki_lo AND $ki_hi
    GROUP BY ALL),
mem AS (
    SELECT i.ii, k.ki, o.year::INTEGER AS year, arg_max_null(o.value, o.id) AS value
    FROM observation o JOIN gn_t_ind i ON i.indicator_id = o.indicator_id
    JOIN gn_t_kom k ON k.kommunkod = o.kommunkod
    JOIN gn_t_mem m ON m.ki = k.ki AND m.year = o.year
    WHERE o.year <= $year_max
    GROUP BY ALL),""" + _TREND_PARTS_SQL.format(source="cur", net_source="mem")


def fetch_trend_inputs(store: Store, params, window: int, year_max: int = 2100, kommuner=None) -> dict:
    """The trend engine's inputs in one scan (trendmath.EngineParams in, flat arrays out).

    Current values (newest revision, retractions dropped) per series are split at the start
    year and at series breaks; each segment gives its count, first and last point and its
    last `window` points. The network part gives, per indicator and year, the members'
    count, sums and sorted values. Municipalities outside params.kommuner and years after
    year_max are not read.
    One query with a materialised CTE: at 10 M rows that is one revision-dedupe instead of
    three. Returns plain numpy arrays and small DataFrames.

    With kommuner (codes), segments and reference values are read only for the municipalities
    between the first and the last of them in params.kommuner order (a superset the caller
    filters), and the network from the members' rows of every year (the same groups as
    without kommuner): a scorecard dedupes the members' rows, not every row."""
    import numpy as np
    import pyarrow.compute as pc

    kom = params.kommuner[["ki", "kommunkod"]]
    ki_lo, ki_hi = 0, len(kom) - 1
    if kommuner is not None:
        sel = kom["ki"].to_numpy(np.int64)[kom["kommunkod"].isin(list(kommuner)).to_numpy()]
        ki_lo, ki_hi = (int(sel.min()), int(sel.max())) if len(sel) else (0, -1)
        ki = kom["ki"].to_numpy(np.int64)
        kom = kom[((ki >= ki_lo) & (ki <= ki_hi)) | np.isin(ki, params.member_years["ki"].to_numpy())]
    frames = {"gn_t_ind": params.indicators[["ii", "indicator_id", "start_year", "has_breaks"]],
              "gn_t_kom": kom, "gn_t_bn": params.breaks_nat,
              "gn_t_bm": params.breaks_mun, "gn_t_mem": params.member_years, "gn_t_pop": params.population,
              "gn_t_ref": params.ref_years}
    with store.cursor() as cur:
        for name, frame in frames.items():
            cur.register(name, frame)
        sql = TREND_INPUTS_SQL if kommuner is None else TREND_INPUTS_SELECTED_SQL
        table = cur.sql(sql, params={"window": int(window), "year_max": int(year_max),
                                     "ki_lo": ki_lo, "ki_hi": ki_hi}).to_arrow_table()
        for name in frames:
            cur.unregister(name)

    def part(kind: str, cols: list[str]):
        return table.filter(pc.equal(table["kind"], kind)).select(cols)

    def flat(column):
        arr = column.combine_chunks()
        lengths = pc.list_value_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
        values = pc.list_flatten(arr).to_numpy(zero_copy_only=False).astype(float)
        return np.r_[0, np.cumsum(lengths)].astype(np.int64), values

    seg = part("s", ["ii", "ki", "seg", "n", "first_year", "first_value", "last_year", "last_value",
                     "win_years", "win_values"])
    net = part("n", ["ii", "year", "n", "total", "wtotal", "wpop", "wn", "net_values"])
    win_offsets, win_years = flat(seg["win_years"])
    _, win_values = flat(seg["win_values"])
    net_offsets, net_values = flat(net["net_values"])
    return {"segments": seg.drop_columns(["win_years", "win_values"]).to_pandas(),
            "win_offsets": win_offsets, "win_years": win_years, "win_values": win_values,
            "network": net.drop_columns(["net_values"]).to_pandas().fillna({"wtotal": 0.0, "wpop": 0.0}),
            "net_offsets": net_offsets, "net_values": net_values,
            "refs": part("r", ["ii", "ki", "year", "ref_value"]).to_pandas().rename(columns={"ref_value": "value"})}
