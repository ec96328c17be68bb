"""Jämför: a municipality among its peers (own choice, the members of its county, all members,
members of a similar size) on one theme: small multiples, a rank table per indicator that flags
large differences from the group median in words, and the summary of both. Pure functions over a
Snapshot; never streamlit.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.text.i18n import t
from indicators.text.labels import value_text
from indicators.text.numbers import format_number
from indicators.views import charts
from indicators.views.snapshot import Snapshot, kommun_name, theme_indicators


SIZE_BANDS = (0, 15_000, 50_000, 100_000, math.inf)      # inhabitants: small, medium, large, city


LARGE_DIFFERENCE = 0.5          # |value − group median| ≥ 50 % of the median is "a large difference"


PEER_GROUPS = ("custom", "county", "members", "size")


def size_band(snap: Snapshot, kommun: str) -> tuple[float, float] | None:
    pop = snap.population[snap.population["kommunkod"] == kommun]
    if not len(pop):
        return None
    people = float(pop.sort_values("year")["population"].iloc[-1])
    for low, high in zip(SIZE_BANDS, SIZE_BANDS[1:]):
        if low <= people < high:
            return low, high
    return None


def peer_group(snap: Snapshot, kind: str, kommun: str, chosen: tuple = ()) -> list[str]:
    """The municipalities to compare: own choice, the members of the same county, all
    members, or the members of the same size band (needs population). Base first."""
    members = snap.members(None if not len(snap.current) else int(snap.current["year"].max()))
    if kind == "custom":
        return list(dict.fromkeys([kommun, *chosen])) if kommun else list(chosen)
    if kind == "county":
        m = snap.municipalities
        lan = m.loc[m["kommunkod"] == kommun, "lan_code"]
        codes = set(m.loc[m["lan_code"] == lan.iloc[0], "kommunkod"]) & members if len(lan) else set()
    elif kind == "size":
        band = size_band(snap, kommun)
        if band is None:
            return []
        pop = snap.population.sort_values("year").groupby("kommunkod").tail(1)
        codes = set(pop.loc[(pop["population"] >= band[0]) & (pop["population"] < band[1]), "kommunkod"]) & members
    else:
        codes = members
    names = snap.names()
    return [kommun] + sorted(codes - {kommun}, key=lambda k: names.get(k, k))


def group_label(snap: Snapshot, kind: str, kommun: str, lang: str) -> str:
    name = kommun_name(snap, kommun)
    if kind == "county":
        m = snap.municipalities
        return str(m.loc[m["kommunkod"] == kommun, "lan_name"].iloc[0])
    if kind == "size":
        band = size_band(snap, kommun)
        if band is None:
            return ""
        low = format_number(band[0], lang)
        return t("compare.size_band_top", lang, low=low) if math.isinf(band[1]) else \
            t("compare.size_band", lang, low=low, high=format_number(band[1], lang))
    return t("compare.group_members", lang) if kind == "members" else name


def compare_frame(snap: Snapshot, kommuner: tuple, theme: str) -> pd.DataFrame:
    ids = [i.id for i in theme_indicators(snap, theme)]
    cur = snap.current[snap.current["indicator_id"].isin(ids) & snap.current["kommunkod"].isin(list(kommuner))]
    return cur.assign(name=cur["kommunkod"].map(snap.names()))


def compare_table(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> pd.DataFrame:
    """Rank within the group on each theme indicator's latest values, with the group median and
    a text flag where a value lies LARGE_DIFFERENCE or more from it (better or worse)."""
    names, rows = snap.names(), []
    for ind in theme_indicators(snap, theme):
        tt = snap.trends[(snap.trends["indicator_id"] == ind.id) & snap.trends["kommunkod"].isin(list(kommuner))]
        if not len(tt):
            continue
        vals = tt["latest_value"].astype(float)
        median = float(vals.median())
        ranks = vals.rank(method="min", ascending=ind.better == "lower").astype(int)
        for (_, r), rank in zip(tt.iterrows(), ranks):
            diff = (r["latest_value"] - median) / abs(median) if median else np.nan
            good = (diff > 0) == (ind.better == "higher")
            flag = "" if not abs(diff) >= LARGE_DIFFERENCE else t(
                "compare.flag_better" if good else "compare.flag_worse", lang)
            rows.append({t("common.indicator", lang): ind.name(lang), t("common.rank", lang): int(rank),
                         t("common.municipality", lang): names.get(r["kommunkod"], r["kommunkod"]),
                         t("common.value", lang): round(float(r["latest_value"]), ind.decimals),
                         t("common.unit", lang): ind.unit, t("common.year", lang): int(r["latest_year"]),
                         t("common.median", lang): round(median, ind.decimals),
                         t("common.diff_median", lang): float(round(100 * diff, 0)) if not np.isnan(diff) else np.nan,
                         t("common.flag", lang): flag})
    out = pd.DataFrame(rows)
    if len(out):
        key = [t("common.indicator", lang), t("common.rank", lang)]
        order = {i.name(lang): n for n, i in enumerate(snap.catalog)}
        out = out.sort_values(key, key=lambda s: s.map(order) if s.name == key[0] else s).reset_index(drop=True)
    return out


def compare_sections(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> list[dict]:
    """compare_table split per indicator for display: name, the group median as text, the rows."""
    table = compare_table(snap, kommuner, theme, lang)
    if not len(table):
        return []
    ind_col, median_col, unit_col = t("common.indicator", lang), t("common.median", lang), t("common.unit", lang)
    by_name = {i.name(lang): i for i in snap.catalog}
    out = []
    for name, part in table.groupby(ind_col, sort=False):
        ind = by_name[name]
        out.append({"id": ind.id, "name": name, "median": value_text(part[median_col].iloc[0], ind, lang),
                    "table": part.drop(columns=[ind_col, median_col, unit_col]).reset_index(drop=True)})
    return out


def compare_series_table(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> pd.DataFrame:
    """The small multiples' table twin: every value drawn, per indicator, municipality and year."""
    frame = compare_frame(snap, kommuner, theme)
    names = {i.id: i.name(lang) for i in snap.catalog}
    order = {k: n for n, k in enumerate(kommuner)}
    frame = frame.sort_values(["indicator_id", "kommunkod", "year"],
                              key=lambda s: s.map(order) if s.name == "kommunkod" else s)
    return pd.DataFrame({t("common.indicator", lang): frame["indicator_id"].map(names).to_numpy(),
                         t("common.municipality", lang): frame["name"].to_numpy(),
                         t("common.year", lang): frame["year"].astype(int).to_numpy(),
                         t("common.value", lang): frame["value"].to_numpy(),
                         t("common.source_kind", lang): [t(f"chart.source.{k}", lang) for k in frame["source_kind"]]})


def compare_summary(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> str:
    """The small multiples in words: the base municipality's place in the group per indicator."""
    table = compare_table(snap, kommuner, theme, lang)
    if not len(table):
        return ""
    base = kommun_name(snap, kommuner[0])
    mine = table[table[t("common.municipality", lang)] == base]
    size = table.groupby(t("common.indicator", lang)).size()
    parts = [t("compare.summary_part", lang, indicator=r[t("common.indicator", lang)], rank=int(r[t("common.rank", lang)]),
               n=int(size[r[t("common.indicator", lang)]])) for _, r in mine.iterrows()]
    return t("compare.summary", lang, name=base, parts="; ".join(parts)) if parts else ""


def compare_figure(snap: Snapshot, kommuner: tuple, theme: str, highlight: tuple, title: str,
                   lang: str) -> go.Figure:
    inds = theme_indicators(snap, theme)
    panels = [{"id": i.id, "title": i.name(lang), "unit": i.unit, "decimals": i.decimals} for i in inds]
    network = snap.network[snap.network["indicator_id"].isin([i.id for i in inds])]
    return charts.small_multiples(compare_frame(snap, kommuner, theme), panels, title=title, lang=lang,
                                  network=network, highlight=highlight or None, cols=min(3, max(len(panels), 1)),
                                  note=t("chart.note", lang, source="; ".join(dict.fromkeys(i.source for i in inds))))
