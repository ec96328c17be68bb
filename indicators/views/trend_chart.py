"""One indicator's trend chart, shared by Kommun, Nyckeltal and Tema: chosen municipalities
against the SEKOM average (with n), targets and the path to the primary target, status bands and
series breaks; and the chart's table twin. Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.stats.targets import primary_target
from indicators.text import provenance
from indicators.text.i18n import t
from indicators.text.labels import target_label
from indicators.text.numbers import round_column
from indicators.text.summaries import preliminary_label
from indicators.views import charts
from indicators.views.snapshot import (Snapshot, bands_for, breaks_for, computed_note, kommun_name,
                                       network_series, series_of, source_text, trend_row)


def chart_table(snap: Snapshot, indicator_id: str, kommuner: tuple, lang: str) -> pd.DataFrame:
    """The table twin of a trend chart: per year each municipality's value and kind, and the
    SEKOM average (the headline mean: weighted where the catalogue says so) with n of the members;
    a preliminary year is marked 'preliminär (n = 3 av 94)'. Values rounded half up."""
    ind = snap.catalog[indicator_id]
    net = network_series(snap, indicator_id)
    out = pd.DataFrame({"year": net["year"].to_numpy(),
                        t("common.network_mean", lang): round_column(net["headline"], ind.decimals + 1).to_numpy(),
                        t("common.n", lang): net["n"].to_numpy(), t("common.members", lang): net["members"].to_numpy(),
                        t("common.flag", lang): [preliminary_label(n, m, lang) if p else ""
                                                 for n, m, p in zip(net["n"], net["members"], net["preliminary"])]})
    out = out.set_index("year")
    series = series_of(snap, indicator_id, kommuner)
    for kod, part in series.groupby("kommunkod", sort=False):
        name = str(part["name"].iloc[0])
        p = part.set_index("year")
        labels = pd.Series(provenance.source_labels(p["source_kind"], p["provenance"], lang), index=p.index)
        out = out.join(round_column(p["value"], ind.decimals + 1).rename(name), how="outer").join(
            labels.rename(f"{name}: {t('common.source_kind', lang).lower()}"), how="outer")
    return out.reset_index().rename(columns={"year": t("common.year", lang)})


def _targets_path(row: dict | None, ind, lang: str) -> tuple[list[dict], dict | None]:
    """A municipality's resolved targets as lines, and the path to its primary target."""
    if row is None:
        return [], None
    lines = [{"value": tg["target_value"], "year": tg["target_year"],
              "label": target_label(tg["label"], ind, lang)}
             for tg in row["targets"] or [] if tg.get("target_value") is not None and tg.get("target_year")]
    primary = primary_target(row["targets"] or [], row["latest_year"])
    path = None
    if primary and primary.get("target_value") is not None and not primary.get("target_passed"):
        path = {"from_year": row["latest_year"], "from_value": row["latest_value"],
                "to_year": primary["target_year"], "to_value": primary["target_value"],
                "label": t("target.path", lang, year=primary["target_year"])}
    return lines, path


def kommun_figure(snap: Snapshot, kommun: str, indicator_id: str, lang: str) -> go.Figure:
    """One municipality against the SEKOM average (n), its targets, the target path, bands."""
    ind = snap.catalog[indicator_id]
    lines, path = _targets_path(trend_row(snap, kommun, indicator_id), ind, lang)
    return charts.trend_figure(
        series_of(snap, indicator_id, (kommun,)),
        title=f"{ind.name(lang)}<br><sup>{t('kommun.chart_subtitle', lang, name=kommun_name(snap, kommun))}</sup>",
        unit=ind.unit_for(lang), decimals=ind.decimals, better=ind.better, lang=lang,
        network=network_series(snap, ind.id), targets=lines, target_path=path, bands=bands_for(ind, lang),
        breaks=breaks_for(snap, ind, kommun), note=t("chart.note", lang, source=source_text(snap, ind.id, lang)),
        height=450, computed_note=computed_note(snap, ind.id, lang))


def indicator_figure(snap: Snapshot, indicator_id: str, kommuner: tuple, lang: str) -> go.Figure:
    """Chosen municipalities against the SEKOM average and the national targets."""
    ind = snap.catalog[indicator_id]
    tg = snap.targets[(snap.targets["indicator_id"] == ind.id) & snap.targets["kommunkod"].isna()
                      & (snap.targets["kind"] == "absolute")]
    lines = [{"value": float(r.value), "year": int(r.year), "label": target_label(r.label, ind, lang)}
             for r in tg.itertuples()]
    path = None
    if len(kommuner) == 1:
        lines, path = _targets_path(trend_row(snap, kommuner[0], ind.id), ind, lang)
    return charts.trend_figure(
        series_of(snap, ind.id, kommuner), title=t("indicator.chart_title", lang, indicator=ind.name(lang)),
        unit=ind.unit_for(lang), decimals=ind.decimals, better=ind.better, lang=lang,
        network=network_series(snap, ind.id), targets=lines, target_path=path, bands=bands_for(ind, lang),
        breaks=breaks_for(snap, ind), note=t("chart.note", lang, source=source_text(snap, ind.id, lang)), height=500,
        computed_note=computed_note(snap, ind.id, lang))
