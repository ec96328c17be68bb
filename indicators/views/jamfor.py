"""Jämför: a municipality among its peers (own choice, the members of its county, all members,
members of a similar size) on one theme: small multiples, a rank table per indicator (values of
the indicator's latest complete year; ties share a rank) that flags large differences from the
group median in words, and the summary of both. Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.text import provenance
from indicators.text.i18n import labelled, t
from indicators.text.labels import value_text
from indicators.text.numbers import format_number, round_half_up
from indicators.text.summaries import ordinal
from indicators.views import charts
from indicators.views.pickers import join_names, theme_no_data_text
from indicators.views.snapshot import Snapshot, breaks_for, kommun_name, network_year, source_text, theme_indicators


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


def custom_group_label(snap: Snapshot, kommuner: tuple, lang: str) -> str:
    """An own choice named by its members: 'Halmstad, Kumla, Borås och Stockholm'."""
    return join_names([kommun_name(snap, k) for k in kommuner], lang)


def compare_frame(snap: Snapshot, kommuner: tuple, theme: str) -> pd.DataFrame:
    ids = [i.id for i in theme_indicators(snap, theme)]
    cur = snap.current[snap.current["indicator_id"].isin(ids) & snap.current["kommunkod"].isin(list(kommuner))]
    return cur.assign(name=cur["kommunkod"].map(snap.names()))


def is_share(ind) -> bool:
    """An indicator in percent (a share): its differences are in percentage points, never relative."""
    return ind.unit.strip() == "%"


def compare_rows(snap: Snapshot, kommuner: tuple, theme: str) -> pd.DataFrame:
    """Canonical rows: per theme indicator (catalogue order) and municipality of the group, its
    value in the indicator's latest complete year, the rank within the group on those values
    (ties share it, rank_shared says how many), the group median, the difference from it and flag:
    better | worse where it lies LARGE_DIFFERENCE or more from the median (relative to the median,
    rel_diff). diff is in percentage points for a share (diff_kind "pp": 8 % against 83 % is −75)
    and relative to the median otherwise (diff_kind "relative", a fraction: −0.9). score is
    rel_diff turned so that positive is better (for the table's good→bad shading). A municipality
    without a value that year is listed with its latest value and year, unranked (flag
    other_year): ranks only compare values of the same year; one with no value at all is listed
    too (flag no_data), so every chosen place has its row."""
    rows = []
    cols = ["indicator_id", "kommunkod", "rank", "rank_shared", "value", "year", "median", "diff", "diff_kind",
            "rel_diff", "score", "flag"]
    for ind in theme_indicators(snap, theme):
        year = network_year(snap, ind.id)
        cur = snap.current[(snap.current["indicator_id"] == ind.id) & snap.current["kommunkod"].isin(list(kommuner))]
        if year is None:
            continue
        cur = cur[cur["year"] <= year]
        at = cur[cur["year"] == year].drop_duplicates("kommunkod")
        vals = at["value"].astype(float)
        median = float(vals.median()) if len(vals) else np.nan
        ranks = vals.rank(method="min", ascending=ind.better == "lower")
        shared = ranks.map(ranks.value_counts())
        kind, sign = ("pp" if is_share(ind) else "relative"), (1 if ind.better == "higher" else -1)
        for (_, r), rank, n_same in zip(at.iterrows(), ranks, shared):
            rel = (r["value"] - median) / abs(median) if median else np.nan
            good = (rel > 0) == (ind.better == "higher")
            rows.append({"indicator_id": ind.id, "kommunkod": r["kommunkod"], "rank": int(rank),
                         "rank_shared": int(n_same), "value": float(r["value"]), "year": int(year), "median": median,
                         "diff": r["value"] - median if kind == "pp" else rel, "diff_kind": kind, "rel_diff": rel,
                         "score": sign * rel, "flag": ("better" if good else "worse") if abs(rel) >= LARGE_DIFFERENCE
                         else ""})
        older = cur[~cur["kommunkod"].isin(set(at["kommunkod"]))].sort_values("year").groupby("kommunkod").tail(1)
        for r in older.itertuples():
            rows.append({"indicator_id": ind.id, "kommunkod": r.kommunkod, "rank": None, "rank_shared": None,
                         "value": float(r.value), "year": int(r.year), "median": median, "diff": np.nan,
                         "diff_kind": kind, "rel_diff": np.nan, "score": np.nan, "flag": "other_year"})
        for kod in (k for k in dict.fromkeys(kommuner) if k not in set(cur["kommunkod"])):
            rows.append({"indicator_id": ind.id, "kommunkod": kod, "rank": None, "rank_shared": None,
                         "value": np.nan, "year": None, "median": median, "diff": np.nan, "diff_kind": kind,
                         "rel_diff": np.nan, "score": np.nan, "flag": "no_data"})
    out = pd.DataFrame(rows, columns=cols).astype({"rank": "Int64", "rank_shared": "Int64", "year": "Int64"})
    order = {i.id: n for n, i in enumerate(snap.catalog)}
    return out.sort_values(["indicator_id", "rank"], key=lambda s: s.map(order) if s.name == "indicator_id" else s,
                           kind="stable", na_position="last").reset_index(drop=True)


DIFF_HEADERS = {"pp": "common.diff_median_pp", "relative": "common.diff_median"}


def _diff_shown(diff: float, kind: str, decimals: int) -> float:
    """A difference as the table shows it: points with the indicator's decimals, or whole percent."""
    return round_half_up(diff, decimals) if kind == "pp" else round_half_up(100 * diff, 0)


def _display(snap: Snapshot, rows: pd.DataFrame, lang: str, with_indicator: bool = True) -> pd.DataFrame:
    """compare_rows in the UI language: names, values rounded half up (the indicator's decimals),
    the difference from the median in its own column: percentage points for shares, percent of the
    median for the rest (the header says which), the flag in words."""
    dec = {i.id: i.decimals for i in snap.catalog}
    names = snap.names()
    shown = pd.DataFrame({
        "indicator": [snap.catalog[i].name(lang) for i in rows["indicator_id"]], "rank": rows["rank"],
        "rank_shared": rows["rank_shared"],
        "municipality": [names.get(k, k) for k in rows["kommunkod"]],
        "value": [round_half_up(v, dec[i]) for v, i in zip(rows["value"], rows["indicator_id"])],
        "unit": [snap.catalog[i].unit_for(lang) for i in rows["indicator_id"]], "year": rows["year"],
        "median": [round_half_up(v, dec[i]) for v, i in zip(rows["median"], rows["indicator_id"])],
        "flag": [t(f"compare.flag_{f}", lang) if f else "" for f in rows["flag"]]})
    for kind in DIFF_HEADERS:
        shown[f"diff_{kind}"] = [_diff_shown(d, k, dec[i]) if k == kind else np.nan
                                 for d, k, i in zip(rows["diff"], rows["diff_kind"], rows["indicator_id"])]
    kinds = set(rows["diff_kind"])
    headers = {"indicator": "common.indicator", "rank": "common.rank", "rank_shared": "common.rank_shared",
               "municipality": "common.municipality", "value": "common.value", "unit": "common.unit",
               "year": "common.year", "median": "common.median",
               **{f"diff_{k}": DIFF_HEADERS[k] for k in DIFF_HEADERS if with_indicator or k in kinds},
               "flag": "common.flag"}
    if not with_indicator:
        headers = {k: v for k, v in headers.items() if k not in ("indicator", "unit", "median")}
    return labelled(shown, lang, headers)


def compare_table(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> pd.DataFrame:
    """The rank table of the whole theme in the UI language (the download)."""
    return _display(snap, compare_rows(snap, kommuner, theme), lang)


def compare_sections(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> list[dict]:
    """The rank table split per indicator for display: id, name, the group median as text, the
    rows (every municipality of the group, those without data included), each row's flag code and
    score (positive = better than the median, for a good→bad shading), and the decimals of each
    number column (the indicator's own, whole percent for a relative difference)."""
    rows = compare_rows(snap, kommuner, theme)
    out = []
    for ind_id, part in rows.groupby("indicator_id", sort=False):
        ind = snap.catalog[ind_id]
        kind = part["diff_kind"].iloc[0]
        decimals = {t("common.value", lang): ind.decimals,
                    t(DIFF_HEADERS[kind], lang): ind.decimals if kind == "pp" else 0}
        out.append({"id": ind_id, "name": ind.name(lang), "median": value_text(part["median"].iloc[0], ind, lang),
                    "table": _display(snap, part.reset_index(drop=True), lang, with_indicator=False),
                    "flags": list(part["flag"]), "scores": [None if pd.isna(x) else float(x) for x in part["score"]],
                    "decimals": decimals, "diff_kind": kind, "diff_column": t(DIFF_HEADERS[kind], lang)})
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
                         t("common.source_kind", lang): provenance.source_labels(frame["source_kind"],
                                                                                 frame["provenance"], lang)})


def compare_no_data(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> str:
    """The chosen places the small multiples cannot draw, named per indicator ('' when none)."""
    return theme_no_data_text(snap, [i.id for i in theme_indicators(snap, theme)], kommuner, lang)


def compare_summary(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> str:
    """The small multiples in words: the base municipality's place in the group per indicator."""
    rows = compare_rows(snap, kommuner, theme)
    if not len(rows):
        return ""
    size = rows[rows["rank"].notna()].groupby("indicator_id").size()
    mine = rows[rows["kommunkod"] == kommuner[0]]
    parts = []
    for r in mine.itertuples():
        name = snap.catalog[r.indicator_id].name(lang)
        if r.flag == "no_data":
            parts.append(t("compare.summary_no_data", lang, indicator=name))
        elif pd.isna(r.rank):
            parts.append(t("compare.summary_other_year", lang, indicator=name, year=int(r.year)))
        elif int(r.rank_shared) > 1:
            parts.append(t("compare.summary_part_tied", lang, indicator=name, rank=ordinal(int(r.rank), lang),
                           n=int(size[r.indicator_id]), shared=int(r.rank_shared)))
        else:
            parts.append(t("compare.summary_part", lang, indicator=name, rank=int(r.rank), n=int(size[r.indicator_id])))
    return t("compare.summary", lang, name=kommun_name(snap, kommuner[0]), parts="; ".join(parts)) if parts else ""


def compare_figure(snap: Snapshot, kommuner: tuple, theme: str, highlight: tuple, title: str,
                   lang: str) -> go.Figure:
    inds = theme_indicators(snap, theme)
    panels = [{"id": i.id, "title": i.name(lang), "unit": i.unit_for(lang), "decimals": i.decimals,
               "breaks": [b["year"] for b in breaks_for(snap, i)]} for i in inds]
    network = snap.network[snap.network["indicator_id"].isin([i.id for i in inds])]
    return charts.small_multiples(compare_frame(snap, kommuner, theme), panels, title=title, lang=lang,
                                  network=network, highlight=highlight or None, cols=min(3, max(len(panels), 1)),
                                  note=t("chart.note", lang, source="; ".join(dict.fromkeys(
                                      source_text(snap, i.id, lang) for i in inds))))
