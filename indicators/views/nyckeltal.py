"""Nyckeltal: one indicator. The members ranked on their latest values, the map of all 290
municipalities for one year with its best and worst lists, the chart's summary in words, and
the catalogue's facts (Källa och metod). Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.text import provenance
from indicators.text.i18n import t
from indicators.text.labels import band_label, signed_percent, target_label, theme_name, value_text
from indicators.text.summaries import verdict_sentence
from indicators.views import charts
from indicators.views.geo import STATIC_GEOJSON_URL
from indicators.views.snapshot import Snapshot, breaks_for, missing, network_series, source_text


def default_kommuner(snap: Snapshot, indicator_id: str) -> list[str]:
    """The best and the worst member on their latest values (the chart's default)."""
    tt = snap.trends[(snap.trends["indicator_id"] == indicator_id) & snap.trends["rank"].notna()]
    if not len(tt):
        return []
    tt = tt.sort_values(["rank", "kommunkod"])
    return list(dict.fromkeys([tt["kommunkod"].iloc[0], tt["kommunkod"].iloc[-1]]))


def ranking_table(snap: Snapshot, indicator_id: str, lang: str) -> pd.DataFrame:
    """Members ranked on their latest values: value, year, change since base, verdict, band,
    kind of value. Rank 1 is best along the better direction."""
    ind = snap.catalog[indicator_id]
    tt = snap.trends[(snap.trends["indicator_id"] == indicator_id) & snap.trends["rank"].notna()]
    tt = tt.sort_values(["rank", "kommunkod"])
    cur = snap.current[snap.current["indicator_id"] == indicator_id].set_index(["kommunkod", "year"])
    kinds = dict(zip(cur.index, zip(cur["source_kind"], cur["provenance"])))
    names = snap.names()
    return pd.DataFrame({
        t("common.rank", lang): tt["rank"].astype(int).to_numpy(),
        t("common.municipality", lang): tt["kommunkod"].map(names).to_numpy(),
        f"{t('common.value', lang)} ({ind.unit})": tt["latest_value"].round(ind.decimals).to_numpy(),
        t("common.year", lang): tt["latest_year"].astype(int).to_numpy(),
        f"{t('common.change_since_base', lang)} ({t('common.pp', lang) if ind.is_share else ind.unit})":
            tt["change"].round(ind.decimals).to_numpy(),
        t("common.base_year", lang): tt["base_year"].to_numpy(),
        t("common.verdict", lang): [t(f"verdict.short.{v}", lang) for v in tt["verdict"]],
        t("common.band", lang): [band_label(b, lang) if not missing(b) else "" for b in tt["band"]],
        t("common.source_kind", lang): [provenance.source_label(*kinds.get((k, y), ("reported", None)), lang)
                                        for k, y in zip(tt["kommunkod"], tt["latest_year"])],
        t("common.rank_n", lang): tt["rank_n"].astype(int).to_numpy()})


def map_years(snap: Snapshot, indicator_id: str) -> list[int]:
    return [int(y) for y in network_series(snap, indicator_id)["year"]]


def map_frame(snap: Snapshot, indicator_id: str, year: int) -> pd.DataFrame:
    """All 290 municipalities for one year: value, and status value / no_data / non_member."""
    members = snap.members(year)
    cur = snap.current[(snap.current["indicator_id"] == indicator_id) & (snap.current["year"] == year)]
    values = dict(zip(cur["kommunkod"], cur["value"]))
    m = snap.municipalities[["kommunkod", "name"]].copy()
    m["value"] = [values.get(k) if k in members else None for k in m["kommunkod"]]
    m["status"] = ["non_member" if k not in members else "value" if k in values else "no_data"
                   for k in m["kommunkod"]]
    return m


def map_table(snap: Snapshot, indicator_id: str, year: int, lang: str) -> pd.DataFrame:
    """The map's table twin: every municipality, its value or why it has none."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    return pd.DataFrame({t("common.municipality", lang): m["name"], "kommunkod": m["kommunkod"],
                         f"{t('common.value', lang)} ({ind.unit})": m["value"].astype(float).round(ind.decimals),
                         t("common.year", lang): year,
                         t("common.flag", lang): [t(f"map.{s}", lang) if s != "value" else "" for s in m["status"]]})


def year_ranking(snap: Snapshot, indicator_id: str, year: int, lang: str) -> pd.DataFrame:
    """The members' values in one year, best first (the map's best and worst lists)."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    m = m[m["status"] == "value"].sort_values(["value", "name"], ascending=[ind.better == "lower", True])
    return pd.DataFrame({t("common.rank", lang): m["value"].rank(method="min", ascending=ind.better == "lower")
                         .astype(int).to_numpy(), t("common.municipality", lang): m["name"].to_numpy(),
                         f"{t('common.value', lang)} ({ind.unit})": m["value"].astype(float).round(ind.decimals).to_numpy()})


def map_summary(snap: Snapshot, indicator_id: str, year: int, lang: str) -> dict:
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    vals = m[m["status"] == "value"].sort_values("value", ascending=ind.better == "lower")
    if not len(vals):
        return {}
    best, worst = vals.iloc[0], vals.iloc[-1]
    top, bottom = (best, worst) if ind.better == "higher" else (worst, best)
    return {"n_values": len(vals), "n_members": int((m["status"] != "non_member").sum()), "year": year,
            "top": top["name"], "top_value": value_text(top["value"], ind, lang),
            "bottom": bottom["name"], "bottom_value": value_text(bottom["value"], ind, lang)}


def network_summary(snap: Snapshot, indicator_id: str, lang: str) -> dict:
    """The SEKOM average's latest value, n and verdict sentence, for a chart's text summary."""
    ind = snap.catalog[indicator_id]
    net = network_series(snap, indicator_id)
    if not len(net):
        return {}
    v = snap.network_verdicts.set_index("indicator_id").loc[indicator_id]
    return {"mean": value_text(net["mean"].iloc[-1], ind, lang), "year": int(net["year"].iloc[-1]),
            "n": int(net["n"].iloc[-1]), "verdict": verdict_sentence(v["verdict"], v["base_year"], lang)}


def kommun_summaries(snap: Snapshot, indicator_id: str, kommuner: tuple, lang: str) -> str:
    col = "summary_en" if lang == "en" else "summary_sv"
    tt = snap.trends[(snap.trends["indicator_id"] == indicator_id) & snap.trends["kommunkod"].isin(list(kommuner))]
    order = {k: i for i, k in enumerate(kommuner)}
    return " ".join(tt.sort_values("kommunkod", key=lambda s: s.map(order))[col])


def indicator_facts(snap: Snapshot, indicator_id: str, lang: str) -> pd.DataFrame:
    """Källa och metod: the catalogue's facts about one indicator as a two-column table."""
    ind = snap.catalog[indicator_id]
    tg = snap.targets[(snap.targets["indicator_id"] == indicator_id) & snap.targets["kommunkod"].isna()]
    targets = "; ".join(f"{target_label(r.label, ind, lang)} ({value_text(r.value, ind, lang) if r.kind == 'absolute' else signed_percent(r.value, lang)}"
                        f", {int(r.year)})" for r in tg.itertuples()) or t("indicator.fact_none", lang)
    breaks = "; ".join(f"{b['year']}: {b['note']}" for b in breaks_for(snap, ind)) or t("indicator.fact_none", lang)
    facts = [("indicator.fact_unit", ind.unit), ("indicator.fact_source", ind.source),
             ("indicator.fact_reported_by", t(f"reported_by.{ind.reported_by}", lang)),
             ("indicator.fact_start_year", str(ind.start_year)), ("indicator.fact_better", t(f"better.{ind.better}", lang)),
             ("indicator.fact_targets", targets), ("indicator.fact_breaks", breaks), ("common.theme", theme_name(ind.theme, lang))]
    return pd.DataFrame({t("indicator.facts", lang): [t(k, lang) for k, _ in facts], "": [v for _, v in facts]})


def map_figure(snap: Snapshot, indicator_id: str, year: int, lang: str) -> go.Figure:
    ind = snap.catalog[indicator_id]
    return charts.choropleth_figure(
        map_frame(snap, indicator_id, year), STATIC_GEOJSON_URL,
        title=t("indicator.map_title", lang, indicator=ind.name(lang), year=year), unit=ind.unit,
        decimals=ind.decimals, better=ind.better, lang=lang,
        note=t("chart.source_only", lang, source=source_text(snap, ind.id, lang)))
