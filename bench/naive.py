"""The naive baseline the trend engine is compared with: every observation into pandas, the
newest revision per key, then a Python function per series (base, latest, verdict)."""
from __future__ import annotations

import pandas as pd

from indicators.store import observations


def _series_verdict(group: pd.DataFrame, start_year: int, better: str) -> pd.Series:
    g = group[group["year"] >= start_year].sort_values("year")
    if len(g) < 3:
        return pd.Series({"base_year": None, "latest_year": None, "verdict": "insufficient"})
    base, latest = g.iloc[0], g.iloc[-1]
    diff = latest["value"] - base["value"]
    verdict = "unchanged" if diff == 0 else ("right" if (diff > 0) == (better == "higher") else "wrong")
    return pd.Series({"base_year": base["year"], "latest_year": latest["year"], "verdict": verdict})


def naive_trend_table(store, catalog) -> pd.DataFrame:
    obs = observations.fetch_all_revisions(store)
    newest = obs.sort_values("id").drop_duplicates(["indicator_id", "kommunkod", "year"], keep="last")
    newest = newest[newest["value"].notna()]
    meta = {i.id: (i.start_year, i.better) for i in catalog}
    return newest.groupby(["indicator_id", "kommunkod"]).apply(
        lambda g: _series_verdict(g, *meta[g.name[0]]), include_groups=False).reset_index()
