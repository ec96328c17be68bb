"""Översikt: the network picture. One tile per indicator (the SEKOM average of the latest year,
n, the average's verdict and direction, a sparkline), how many members go each way per
indicator, and the tables behind both charts. Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.stats import trends
from indicators.text.i18n import t
from indicators.text.labels import value_text
from indicators.text.numbers import format_percent
from indicators.text.summaries import verdict_sentence
from indicators.views import charts
from indicators.views.snapshot import Snapshot, network_series, theme_indicators


def overview_tiles(snap: Snapshot, lang: str, theme: str | None = None) -> list[dict]:
    """One tile per indicator: the latest SEKOM average, n, the average's verdict and direction
    and its series for a sparkline."""
    verdicts = snap.network_verdicts.set_index("indicator_id")
    tiles = []
    for ind in theme_indicators(snap, theme):
        net = network_series(snap, ind.id)
        tile = {"id": ind.id, "name": ind.name(lang), "theme": ind.theme, "theme_slug": ind.theme_slug,
                "better": ind.better, "source": ind.source, "has_data": bool(len(net))}
        if len(net):
            last = net.iloc[-1]
            v = verdicts.loc[ind.id]
            tile.update(year=int(last["year"]), n=int(last["n"]), value=value_text(last["mean"], ind, lang),
                        verdict=v["verdict"], sentence=verdict_sentence(v["verdict"], v["base_year"], lang),
                        direction=v["direction"], spark=[round(float(x), 4) for x in net["mean"]],
                        years=[int(y) for y in net["year"]])
        tiles.append(tile)
    return tiles


def verdict_counts(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """Per indicator, how many members' series go each way (members in their latest year)."""
    inds = theme_indicators(snap, theme)
    tt = snap.trends[snap.trends["indicator_id"].isin([i.id for i in inds]) & snap.trends["rank"].notna()]
    counts = tt.groupby(["indicator_id", "verdict"]).size().rename("count").reset_index()
    names = {i.id: i.name(lang) for i in inds}
    counts["label"] = counts["indicator_id"].map(names)
    order = {i.id: n for n, i in enumerate(inds)}
    return counts.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)


def verdict_count_table(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """The table twin of the overview chart: one row per indicator, a column per verdict."""
    counts = verdict_counts(snap, lang, theme)
    wide = counts.pivot_table(index="label", columns="verdict", values="count", aggfunc="sum", fill_value=0,
                              sort=False)
    wide = wide.reindex(columns=list(trends.VERDICTS), fill_value=0).astype(int)
    wide.columns = [t(f"verdict.short.{v}", lang) for v in wide.columns]
    return wide.rename_axis(t("common.indicator", lang)).reset_index()


def network_table(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """The sparklines' table twin: the SEKOM average per indicator and year, with n."""
    inds = theme_indicators(snap, theme)
    net = snap.network[snap.network["indicator_id"].isin([i.id for i in inds])]
    names = {i.id: i.name(lang) for i in inds}
    units = {i.id: i.unit for i in inds}
    return pd.DataFrame({t("common.indicator", lang): net["indicator_id"].map(names).to_numpy(),
                         t("common.unit", lang): net["indicator_id"].map(units).to_numpy(),
                         t("common.year", lang): net["year"].astype(int).to_numpy(),
                         t("common.network_mean", lang): net["mean"].round(3).to_numpy(),
                         t("common.n", lang): net["n"].astype(int).to_numpy()})


def overview_headline(snap: Snapshot, theme: str | None = None) -> dict:
    ids = [i.id for i in theme_indicators(snap, theme)]
    nv = snap.network_verdicts[snap.network_verdicts["indicator_id"].isin(ids)]
    return {"right": int((nv["verdict"] == "right").sum()), "total": len(ids)}


def overview_chart_summary(snap: Snapshot, lang: str, theme: str | None = None) -> dict:
    counts = verdict_counts(snap, lang, theme)
    if not len(counts):
        return {}
    tot = counts.groupby("label", sort=False)["count"].sum()
    right = counts[counts["verdict"] == "right"].set_index("label")["count"].reindex(tot.index, fill_value=0)
    share = (100 * right / tot).sort_values()
    return {"best_name": share.index[-1], "best_share": format_percent(share.iloc[-1], lang),
            "worst_name": share.index[0], "worst_share": format_percent(share.iloc[0], lang)}


def overview_figure(snap: Snapshot, lang: str, theme: str | None = None) -> go.Figure:
    return charts.verdict_bars(verdict_counts(snap, lang, theme), title=t("overview.chart_title", lang),
                               lang=lang)
