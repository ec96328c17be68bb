"""Översikt: the network picture. One tile per indicator (the SEKOM average of the latest
complete year, which mean it is, n of the members, the average's verdict and direction, a
sparkline; preliminary years marked, never the network's figure), how many members go each way
per indicator as of that year, and the tables behind both charts. Pure functions over a
Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.stats import trends
from indicators.text.i18n import t
from indicators.text.labels import value_text
from indicators.text.numbers import format_number, format_percent, round_column
from indicators.text.summaries import preliminary_label, verdict_sentence
from indicators.views import charts
from indicators.views.snapshot import (Snapshot, breaks_for, later_preliminary, network_point, network_series,
                                       theme_indicators)


def _mean_kind(weighted: bool, lang: str) -> str:
    return t("overview.mean_weighted" if weighted else "overview.mean_plain", lang)


def _unit_shown(ind, lang: str) -> str:
    """The unit as it follows the number on a tile: '%' (sv '43 %', en '43%'), 'kWh/årsarbetare'."""
    unit = ind.unit_for(lang)
    return unit.strip() if unit.strip() != "%" or lang == "sv" else "%"


def overview_tiles(snap: Snapshot, lang: str, theme: str | None = None) -> list[dict]:
    """One tile per indicator: the SEKOM average of the latest complete (not preliminary) year,
    which mean it is (population-weighted or plain), n of the members, the average's verdict and
    direction, and the later preliminary years marked 'preliminär (n = 3 av 94)'. value is the
    figure with its unit ('661 kWh/årsarbetare'); number and unit are its two parts, for a tile
    that writes the unit smaller beside a large number."""
    verdicts = snap.network_verdicts.set_index("indicator_id")
    tiles = []
    for ind in theme_indicators(snap, theme):
        point = network_point(snap, ind.id)
        tile = {"id": ind.id, "name": ind.name(lang), "theme": ind.theme, "theme_slug": ind.theme_slug,
                "better": ind.better, "source": ind.source, "has_data": point is not None,
                "preliminary": [f"{int(r.year)}: {preliminary_label(r.n, r.members, lang)}"
                                for r in later_preliminary(snap, ind.id).itertuples()]}
        if point is not None:
            v = verdicts.loc[ind.id]
            tile.update(year=int(point["year"]), n=int(point["n"]), members=int(point["members"]),
                        value=value_text(point["headline"], ind, lang),
                        number=format_number(point["headline"], lang, ind.decimals), unit=_unit_shown(ind, lang),
                        mean_kind=_mean_kind(bool(point["headline_weighted"]), lang),
                        verdict=v["verdict"], sentence=verdict_sentence(v["verdict"], v["base_year"], lang),
                        direction=v["direction"])
        tiles.append(tile)
    return tiles


def tile_sparkline(snap: Snapshot, indicator_id: str, lang: str) -> go.Figure:
    """A tile's sparkline: the headline average of the complete years, broken at series breaks,
    the later preliminary years as hollow points apart from the line."""
    net = network_series(snap, indicator_id)
    done, early = net[~net["preliminary"]], later_preliminary(snap, indicator_id)
    ind = snap.catalog[indicator_id]
    return charts.sparkline_figure([int(y) for y in done["year"]], [float(x) for x in done["headline"]],
                                   ind.name(lang), lang, breaks=[b["year"] for b in breaks_for(snap, ind)],
                                   preliminary=[(int(r.year), float(r.headline)) for r in early.itertuples()],
                                   decimals=ind.decimals, unit=ind.unit)


def tile_spark_text(snap: Snapshot, indicator_id: str, lang: str) -> str:
    """The sparkline's scale in words, shown under it and read as its text alternative: the first
    and the last complete year of the line with their averages ("SEKOM-medlet 2005–2024: 3,1 → 2,5
    ton CO2e/inv"), so a tiny change does not pass for a large one. Empty without two years."""
    done = network_series(snap, indicator_id)
    done = done[~done["preliminary"]]
    if len(done) < 2:
        return ""
    ind, first, last = snap.catalog[indicator_id], done.iloc[0], done.iloc[-1]
    return t("overview.spark_range", lang, first_year=int(first["year"]), last_year=int(last["year"]),
             first=value_text(float(first["headline"]), ind, lang), last=value_text(float(last["headline"]), ind, lang))


def verdict_counts(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """Per indicator, how many members' series go each way, as of the indicator's latest complete
    year (the members that reported that year): an early report does not move it."""
    inds = theme_indicators(snap, theme)
    yv = snap.year_verdicts[snap.year_verdicts["indicator_id"].isin([i.id for i in inds])]
    counts = yv.groupby(["indicator_id", "verdict"]).size().rename("count").reset_index()
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
    """The sparklines' table twin: the SEKOM average per indicator and year (the headline mean and
    which it is), n of the members, and the preliminary years marked."""
    inds = {i.id: i for i in theme_indicators(snap, theme)}
    net = snap.network[snap.network["indicator_id"].isin(list(inds))]
    return pd.DataFrame({t("common.indicator", lang): net["indicator_id"].map(lambda i: inds[i].name(lang)).to_numpy(),
                         t("common.unit", lang): net["indicator_id"].map(lambda i: inds[i].unit_for(lang)).to_numpy(),
                         t("common.year", lang): net["year"].astype(int).to_numpy(),
                         t("common.network_mean", lang): round_column(net["headline"], 3).to_numpy(),
                         t("overview.mean_kind", lang): [_mean_kind(w, lang) for w in net["headline_weighted"]],
                         t("common.n", lang): net["n"].astype(int).to_numpy(),
                         t("common.members", lang): net["members"].astype(int).to_numpy(),
                         t("common.flag", lang): [preliminary_label(n, m, lang) if p else ""
                                                  for n, m, p in zip(net["n"], net["members"], net["preliminary"])]})


def overview_headline(snap: Snapshot, theme: str | None = None) -> dict:
    ids = [i.id for i in theme_indicators(snap, theme)]
    nv = snap.network_verdicts[snap.network_verdicts["indicator_id"].isin(ids)]
    return {"right": int((nv["verdict"] == "right").sum()), "total": len(ids)}


def overview_chart_summary(snap: Snapshot, lang: str, theme: str | None = None) -> dict:
    """The chart in words: the best and the weakest indicator by the share going the right way
    among the members whose series can be judged (at least MIN_RANK_N of them); indicators where
    too few can be judged (too few years, e.g. after a series break) are named apart, never weakest."""
    counts = verdict_counts(snap, lang, theme)
    if not len(counts):
        return {}
    judged = counts[counts["verdict"] != "insufficient"]
    tot = judged.groupby("label", sort=False)["count"].sum()
    labels = list(dict.fromkeys(counts["label"]))
    too_few = [lab for lab in labels if tot.get(lab, 0) < trends.MIN_RANK_N]
    tot = tot[tot >= trends.MIN_RANK_N]
    out = {"too_few": ", ".join(too_few)}
    if len(tot) >= 2:                     # best and weakest need at least two indicators to compare
        right = judged[judged["verdict"] == "right"].set_index("label")["count"].reindex(tot.index, fill_value=0)
        share = (100 * right / tot).sort_values(kind="stable")
        out.update(best_name=share.index[-1], best_share=format_percent(share.iloc[-1], lang),
                   worst_name=share.index[0], worst_share=format_percent(share.iloc[0], lang))
    return out


def overview_figure(snap: Snapshot, lang: str, theme: str | None = None) -> go.Figure:
    return charts.verdict_bars(verdict_counts(snap, lang, theme), title=t("overview.chart_title", lang),
                               lang=lang)
