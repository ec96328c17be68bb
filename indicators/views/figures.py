"""The dashboard's figures: service data (a Snapshot) composed with the pure builders in
charts.py, with titles and labels in the UI language. Cached by the UI like page data.
No SQL, no UI imports.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.stats import targets
from indicators.views import charts
from indicators.views import common
from indicators.views.geo import STATIC_GEOJSON_URL
from indicators.text.numbers import format_number
from indicators.text.i18n import t
from indicators.views.common import Snapshot


def overview_figure(snap: Snapshot, lang: str, theme: str | None = None) -> go.Figure:
    return charts.verdict_bars(common.verdict_counts(snap, lang, theme), title=t("overview.chart_title", lang),
                               lang=lang)


def position_figure(snap: Snapshot, kommun: str, lang: str) -> go.Figure:
    table = common.position_table(snap, kommun, lang)
    cols = list(table.columns)
    frame = pd.DataFrame({"label": table[cols[0]], "share": table[cols[3]],
                          "text": [t("common.rank_of", lang, rank=r, n=n) for r, n in zip(table[cols[1]], table[cols[2]])]})
    return charts.position_bars(frame, title=t("kommun.position_title", lang, name=common.kommun_name(snap, kommun)),
                                lang=lang)


def _targets_path(row: dict | None, ind, lang: str) -> tuple[list[dict], dict | None]:
    """A municipality's resolved targets as lines, and the path to its primary target."""
    if row is None:
        return [], None
    lines = [{"value": tg["target_value"], "year": tg["target_year"],
              "label": common.target_label(tg["label"], ind, lang)}
             for tg in row["targets"] or [] if tg.get("target_value") is not None and tg.get("target_year")]
    primary = targets.primary_target(row["targets"] or [], row["latest_year"])
    path = None
    if primary and primary.get("target_value") is not None and not primary.get("target_passed"):
        path = {"from_year": row["latest_year"], "from_value": row["latest_value"],
                "to_year": primary["target_year"], "to_value": primary["target_value"],
                "label": t("target.path", lang, year=primary["target_year"])}
    return lines, path


def kommun_figure(snap: Snapshot, kommun: str, indicator_id: str, lang: str) -> go.Figure:
    """One municipality against the SEKOM average (n), its targets, the target path, bands."""
    ind = snap.catalog[indicator_id]
    lines, path = _targets_path(common._row(snap, kommun, indicator_id), ind, lang)
    return charts.trend_figure(
        common._series(snap, indicator_id, (kommun,)),
        title=f"{ind.name(lang)}<br><sup>{t('kommun.chart_subtitle', lang, name=common.kommun_name(snap, kommun))}</sup>",
        unit=ind.unit, decimals=ind.decimals, better=ind.better, lang=lang, network=common._network(snap, ind.id),
        targets=lines, target_path=path, bands=common.bands_for(ind, lang),
        breaks=common.breaks_for(snap, ind, kommun), note=t("chart.note", lang, source=ind.source), height=450)


def indicator_figure(snap: Snapshot, indicator_id: str, kommuner: tuple, lang: str) -> go.Figure:
    """Chosen municipalities against the SEKOM average and the national targets."""
    ind = snap.catalog[indicator_id]
    tg = snap.targets[(snap.targets["indicator_id"] == ind.id) & snap.targets["kommunkod"].isna()
                      & (snap.targets["kind"] == "absolute")]
    lines = [{"value": float(r.value), "year": int(r.year), "label": common.target_label(r.label, ind, lang)}
             for r in tg.itertuples()]
    path = None
    if len(kommuner) == 1:
        lines, path = _targets_path(common._row(snap, kommuner[0], ind.id), ind, lang)
    return charts.trend_figure(
        common._series(snap, ind.id, kommuner), title=t("indicator.chart_title", lang, indicator=ind.name(lang)),
        unit=ind.unit, decimals=ind.decimals, better=ind.better, lang=lang, network=common._network(snap, ind.id),
        targets=lines, target_path=path, bands=common.bands_for(ind, lang), breaks=common.breaks_for(snap, ind),
        note=t("chart.note", lang, source=ind.source), height=500)


def map_figure(snap: Snapshot, indicator_id: str, year: int, lang: str) -> go.Figure:
    ind = snap.catalog[indicator_id]
    return charts.choropleth_figure(
        common.map_frame(snap, indicator_id, year), STATIC_GEOJSON_URL,
        title=t("indicator.map_title", lang, indicator=ind.name(lang), year=year), unit=ind.unit,
        decimals=ind.decimals, better=ind.better, lang=lang, note=t("chart.source_only", lang, source=ind.source))


def compare_figure(snap: Snapshot, kommuner: tuple, theme: str, highlight: tuple, title: str,
                   lang: str) -> go.Figure:
    inds = common.theme_indicators(snap, theme)
    panels = [{"id": i.id, "title": i.name(lang), "unit": i.unit, "decimals": i.decimals} for i in inds]
    network = snap.network[snap.network["indicator_id"].isin([i.id for i in inds])]
    return charts.small_multiples(common.compare_frame(snap, kommuner, theme), panels, title=title, lang=lang,
                                  network=network, highlight=highlight or None, cols=min(3, max(len(panels), 1)),
                                  note=t("chart.note", lang, source="; ".join(dict.fromkeys(i.source for i in inds))))


def example_figure(snap: Snapshot, lang: str) -> go.Figure:
    """The verdict rule on invented values: only the base and the latest value count."""
    ex = common.example_series()
    first, last = ex.iloc[0], ex.iloc[-1]
    return charts.trend_figure(
        ex, title=t("about.example_title", lang), unit="%", decimals=1, better="higher", lang=lang, zero_based=False,
        notes=[{"x": int(p["year"]), "y": float(p["value"]), "text": t(key, lang, year=int(p["year"]),
                                                                         value=format_number(p["value"], lang, 1))}
               for p, key in ((first, "about.example_base"), (last, "about.example_latest"))],
        height=360)


UI_CALLS = {f.__name__: f for f in (overview_figure, position_figure, kommun_figure, indicator_figure, map_figure, compare_figure,
                                     example_figure)}
