"""The benchmark's polars peer computes what the trend table computes (for series without
breaks): otherwise trend_vs_polars_ratio would compare unequal work."""
from __future__ import annotations

import numpy as np
import polars as pl

from bench.peer_polars import peer_trend
from indicators.catalog import default_catalog
from indicators.stats import trends
from indicators.stats.network import network_aggregates
from indicators.stats.trendmath import member_year_pairs
from indicators.store import observations, reference


def test_polars_peer_matches_the_trend_table_on_the_demo_database(demo_store, tmp_path):
    cat = default_catalog()
    parquet = tmp_path / "revisions.parquet"
    observations.export_revisions_parquet(demo_store, parquet)
    indicators = pl.DataFrame({"indicator_id": [i.id for i in cat], "start_year": [i.start_year for i in cat],
                               "higher": [i.better == "higher" for i in cat]})
    pairs = member_year_pairs(reference.fetch_membership(demo_store))
    members = pl.DataFrame({"kommunkod": pairs["kommunkod"].astype(str).tolist(),
                            "year": pairs["year"].to_numpy(np.int16)})
    series, network = peer_trend(str(parquet), indicators, members)
    table = trends.trend_table_from_store(demo_store, cat)
    no_breaks = [i.id for i in cat if not i.series_breaks]
    ours = table[table["indicator"].isin(no_breaks)].set_index(["indicator", "kommunkod"])
    peer = series.to_pandas().set_index(["indicator_id", "kommunkod"]).loc[ours.index]
    assert len(ours) > 500
    assert (peer["verdict"] == ours["verdict"]).all()
    assert (peer["latest_year"].to_numpy() == ours["latest_year"].to_numpy()).all()
    slope = ours["slope_per_year"].to_numpy(float)
    has = ~np.isnan(slope)
    np.testing.assert_allclose(peer["slope"].to_numpy(float)[has], slope[has], rtol=1e-9)
    net = network_aggregates(observations.fetch_current(demo_store), reference.fetch_membership(demo_store), catalog=cat)
    merged = network.to_pandas().merge(net, on=["indicator_id", "year"], suffixes=("_peer", ""))
    assert len(merged) == len(net) > 100
    np.testing.assert_allclose(merged["mean_peer"], merged["mean"], rtol=1e-12)
