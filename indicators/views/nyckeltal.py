"""Nyckeltal: one indicator. The members ranked in the latest complete year (ties share a rank),
the map of all 290 municipalities for one year with its best and worst lists (ties included;
none for a preliminary year; stale members marked), the chart's summary in words, and the
catalogue's facts (Källa och metod). Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.stats import trends
from indicators.stats.trends import compute_band
from indicators.text import provenance
from indicators.text.i18n import t
from indicators.text.labels import band_label, signed_percent, target_label, theme_name, value_text
from indicators.text.numbers import round_column
from indicators.text.summaries import preliminary_label, verdict_sentence
from indicators.views import charts
from indicators.views.geo import STATIC_GEOJSON_URL, sweden_bounds
from indicators.views.snapshot import (Snapshot, breaks_for, later_preliminary, network_point, network_series,
                                       network_year, source_text)


LIST_LENGTH = 5            # the map's best and worst lists: five places (ties at the edge included)
LIST_MAX_ROWS = 10         # ...but at most this many rows; the rest are counted in words


def year_values(snap: Snapshot, indicator_id: str, year: int) -> pd.DataFrame:
    """The members' values in one year with competition ranks (1 = best, ties share the best
    rank), how many share each rank, and the rank counted from the worst end."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    m = m[m["status"] == "value"].copy()
    m["value"] = m["value"].astype(float)
    best_first = ind.better == "lower"
    m["rank"] = m["value"].rank(method="min", ascending=best_first).astype(int)
    m["rank_shared"] = m.groupby("rank")["value"].transform("size").astype(int)
    m["rank_from_worst"] = m["value"].rank(method="min", ascending=not best_first).astype(int)
    return m.sort_values(["rank", "name"]).reset_index(drop=True)


def _is_preliminary(snap: Snapshot, indicator_id: str, year: int) -> dict | None:
    net = network_series(snap, indicator_id)
    hit = net[(net["year"] == year) & net["preliminary"]]
    return hit.iloc[0].to_dict() if len(hit) else None


def default_kommuner(snap: Snapshot, indicator_id: str) -> list[str]:
    """The best and the worst member in the latest complete year (the chart's default)."""
    year = network_year(snap, indicator_id)
    if year is None:
        return []
    vals = year_values(snap, indicator_id, year)
    if not len(vals):
        return []
    return list(dict.fromkeys([vals["kommunkod"].iloc[0], vals["kommunkod"].iloc[-1]]))


def ranking_table(snap: Snapshot, indicator_id: str, lang: str) -> pd.DataFrame:
    """The members ranked in the latest complete year (the year the network's figures come from):
    rank (ties share it, and say how many), value, the series' change since its base and verdict,
    band, kind of value. Rank 1 is best along the better direction. A member's later, early
    value does not move it; members without a value that year are not in it."""
    ind = snap.catalog[indicator_id]
    year = network_year(snap, indicator_id)
    vals = year_values(snap, indicator_id, year) if year is not None else pd.DataFrame(
        columns=["kommunkod", "name", "value", "rank", "rank_shared"])
    tt = snap.trends[snap.trends["indicator_id"] == indicator_id].set_index("kommunkod")
    yv = snap.year_verdicts[snap.year_verdicts["indicator_id"] == indicator_id].set_index("kommunkod")["verdict"]
    cur = snap.current[snap.current["indicator_id"] == indicator_id].set_index(["kommunkod", "year"])
    kinds = dict(zip(cur.index, zip(cur["source_kind"], cur["provenance"])))
    unit = ind.unit_for(lang)
    codes = list(vals["kommunkod"])
    bands = [compute_band(v, ind) for v in vals["value"]]
    return pd.DataFrame({
        t("common.rank", lang): vals["rank"].astype(int).to_numpy(),
        t("common.rank_shared", lang): vals["rank_shared"].astype(int).to_numpy(),
        t("common.municipality", lang): vals["name"].to_numpy(),
        f"{t('common.value', lang)} ({unit})": round_column(vals["value"], ind.decimals).to_numpy(),
        t("common.year", lang): [year] * len(vals),
        t("common.base_year", lang): [tt["base_year"].get(k) for k in codes],
        t("common.verdict", lang): [t(f"verdict.short.{yv.get(k, 'insufficient')}", lang) for k in codes],
        t("common.band", lang): [band_label(b["band"], lang) if b else "" for b in bands],
        t("common.source_kind", lang): [provenance.source_label(*kinds.get((k, year), ("reported", None)), lang)
                                        for k in codes],
        t("common.rank_n", lang): [len(vals)] * len(vals)})


def map_years(snap: Snapshot, indicator_id: str) -> list[int]:
    return [int(y) for y in network_series(snap, indicator_id)["year"]]


def map_frame(snap: Snapshot, indicator_id: str, year: int) -> pd.DataFrame:
    """All 290 municipalities for one year: value, and status value / no_data / stale (a member
    without a value that year whose latest value is STALE_YEARS or more older; latest_year) /
    non_member."""
    members = snap.members(year)
    cur = snap.current[(snap.current["indicator_id"] == indicator_id) & (snap.current["year"] <= year)]
    values = dict(zip(cur.loc[cur["year"] == year, "kommunkod"], cur.loc[cur["year"] == year, "value"]))
    latest = cur.groupby("kommunkod")["year"].max().to_dict()
    m = snap.municipalities[["kommunkod", "name"]].copy()
    m["value"] = [values.get(k) if k in members else None for k in m["kommunkod"]]
    m["latest_year"] = [latest.get(k) for k in m["kommunkod"]]
    m["status"] = ["non_member" if k not in members else "value" if k in values
                   else "stale" if latest.get(k) is not None and year - latest[k] >= trends.STALE_YEARS else "no_data"
                   for k in m["kommunkod"]]
    return m


def map_table(snap: Snapshot, indicator_id: str, year: int, lang: str) -> pd.DataFrame:
    """The map's table twin: every municipality, its value or why it has none."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    flags = [t("map.stale_hover", lang, year=int(y)) if s == "stale" else t(f"map.{s}", lang) if s != "value" else ""
             for s, y in zip(m["status"], m["latest_year"])]
    return pd.DataFrame({t("common.municipality", lang): m["name"], "kommunkod": m["kommunkod"],
                         f"{t('common.value', lang)} ({ind.unit_for(lang)})": round_column(m["value"], ind.decimals),
                         t("common.year", lang): year, t("common.flag", lang): flags})


def year_ranking(snap: Snapshot, indicator_id: str, year: int, lang: str) -> pd.DataFrame:
    """The members' values in one complete year, best first, ties sharing a rank (the map's best
    and worst lists); empty for a preliminary year, whose few values are not the network's."""
    ind = snap.catalog[indicator_id]
    vals = year_values(snap, indicator_id, year) if _is_preliminary(snap, indicator_id, year) is None else \
        year_values(snap, indicator_id, year).iloc[:0]
    return pd.DataFrame({t("common.rank", lang): vals["rank"].astype(int).to_numpy(),
                         t("common.rank_shared", lang): vals["rank_shared"].astype(int).to_numpy(),
                         t("common.municipality", lang): vals["name"].to_numpy(),
                         f"{t('common.value', lang)} ({ind.unit_for(lang)})":
                             round_column(vals["value"], ind.decimals).to_numpy()})


def map_lists(snap: Snapshot, indicator_id: str, year: int, lang: str) -> dict:
    """The map's best and worst lists: the first LIST_LENGTH places from each end, every member
    tied at an included place with them, at most LIST_MAX_ROWS rows (best_more/worst_more count
    the rest, said in words). Empty lists for a preliminary year."""
    table = year_ranking(snap, indicator_id, year, lang)
    vals = year_values(snap, indicator_id, year).iloc[:len(table)]
    best = table[(vals["rank"] <= LIST_LENGTH).to_numpy()]
    worst_mask = (vals["rank_from_worst"] <= LIST_LENGTH).to_numpy()
    worst = table[worst_mask]
    return {"best": best.head(LIST_MAX_ROWS), "best_more": max(len(best) - LIST_MAX_ROWS, 0),
            "worst": worst.tail(LIST_MAX_ROWS), "worst_more": max(len(worst) - LIST_MAX_ROWS, 0)}


def _names(names: list[str], lang: str, shown: int = 3) -> str:
    head = ", ".join(names[:shown])
    return head if len(names) <= shown else t("indicator.names_more", lang, names=head, more=len(names) - shown)


def map_summary(snap: Snapshot, indicator_id: str, year: int, lang: str) -> dict:
    """The map in words: how many members have a value; the highest and the lowest value with
    every municipality that shares it; or, for a preliminary year, that it is preliminary."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    vals = m[m["status"] == "value"]
    if not len(vals):
        return {}
    out = {"n_values": len(vals), "n_members": int((m["status"] != "non_member").sum()), "year": year,
           "n_stale": int((m["status"] == "stale").sum())}
    prelim = _is_preliminary(snap, indicator_id, year)
    if prelim is not None:
        return {**out, "preliminary": preliminary_label(prelim["n"], prelim["members"], lang)}
    for key, value in (("top", vals["value"].max()), ("bottom", vals["value"].min())):
        names = sorted(vals.loc[vals["value"] == value, "name"])
        out[key] = names[0] if len(names) == 1 else t("indicator.tied_names", lang, n=len(names),
                                                        names=_names(names, lang))
        out[f"{key}_value"] = value_text(value, ind, lang)
    return out


def network_summary(snap: Snapshot, indicator_id: str, lang: str) -> dict:
    """The SEKOM average of the latest complete year (which mean it is), n of the members and the
    average's verdict sentence, for a chart's text summary."""
    ind = snap.catalog[indicator_id]
    point = network_point(snap, indicator_id)
    if point is None:
        return {}
    v = snap.network_verdicts.set_index("indicator_id").loc[indicator_id]
    early = later_preliminary(snap, indicator_id)
    return {"mean": value_text(point["headline"], ind, lang), "year": int(point["year"]), "n": int(point["n"]),
            "members": int(point["members"]),
            "mean_kind": t("overview.mean_weighted" if point["headline_weighted"] else "overview.mean_plain", lang),
            "verdict": verdict_sentence(v["verdict"], v["base_year"], lang),
            "preliminary": "; ".join(f"{int(r.year)}: {preliminary_label(r.n, r.members, lang)}"
                                     for r in early.itertuples())}


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
    facts = [("indicator.fact_unit", ind.unit_for(lang)),
             ("indicator.fact_weight", t(f"indicator.weight_{ind.weight}", lang)), ("indicator.fact_source", ind.source),
             ("indicator.fact_reported_by", t(f"reported_by.{ind.reported_by}", lang)),
             ("indicator.fact_start_year", str(ind.start_year)), ("indicator.fact_better", t(f"better.{ind.better}", lang)),
             ("indicator.fact_targets", targets), ("indicator.fact_breaks", breaks), ("common.theme", theme_name(ind.theme, lang))]
    return pd.DataFrame({t("indicator.facts", lang): [t(k, lang) for k, _ in facts], "": [v for _, v in facts]})


def map_figure(snap: Snapshot, indicator_id: str, year: int, lang: str) -> go.Figure:
    ind = snap.catalog[indicator_id]
    prelim = _is_preliminary(snap, indicator_id, year)
    title = t("indicator.map_title", lang, indicator=ind.name(lang), year=year)
    if prelim is not None:
        title += f" – {preliminary_label(prelim['n'], prelim['members'], lang)}"
    return charts.choropleth_figure(
        map_frame(snap, indicator_id, year), STATIC_GEOJSON_URL, title=title, unit=ind.unit_for(lang),
        decimals=ind.decimals, better=ind.better, lang=lang, bounds=sweden_bounds(),
        note=t("chart.source_only", lang, source=source_text(snap, ind.id, lang)))
