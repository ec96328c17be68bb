"""Om och metod: the verdict rule shown on invented values (chart and table) and the table of
sources. Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.stats import trends
from indicators.text.i18n import t
from indicators.text.labels import theme_name
from indicators.text.numbers import format_number, format_percent
from indicators.views import charts
from indicators.views.snapshot import Snapshot


EXAMPLE = ((2014, 32.0), (2015, 31.2), (2016, 30.6), (2017, 31.1), (2018, 30.9), (2019, 31.7), (2020, 32.6),
           (2021, 31.9), (2022, 32.1), (2023, 32.3))


def exampleseries() -> pd.DataFrame:
    """Invented values that show the verdict rule: only the base and the latest value count."""
    return pd.DataFrame({"kommunkod": "exempel", "name": "", "year": [y for y, _ in EXAMPLE],
                         "value": [v for _, v in EXAMPLE], "source_kind": "example"})


def method_params(snap: Snapshot, lang: str) -> dict:
    """The method's numbers for the text: the preliminary share in force (a setting), the
    minimum n for a rank and the years after which a value is stale."""
    return {"share": format_percent(100 * snap.preliminary_share, lang), "min_n": trends.MIN_RANK_N,
            "stale": trends.STALE_YEARS}


def example_table(snap: Snapshot, lang: str) -> pd.DataFrame:
    ex = exampleseries()
    return pd.DataFrame({t("common.year", lang): ex["year"], t("common.value", lang): ex["value"]})


def sources_table(snap: Snapshot, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [i.id for i in snap.catalog], t("common.indicator", lang): [i.name(lang) for i in snap.catalog],
        t("common.theme", lang): [theme_name(i.theme, lang) for i in snap.catalog],
        t("common.unit", lang): [i.unit_for(lang) for i in snap.catalog],
        t("indicator.fact_source", lang): [i.source for i in snap.catalog],
        t("indicator.fact_reported_by", lang): [t(f"reported_by.{i.reported_by}", lang) for i in snap.catalog],
        t("indicator.fact_start_year", lang): [i.start_year for i in snap.catalog]})


def example_figure(snap: Snapshot, lang: str) -> go.Figure:
    """The verdict rule on invented values: only the base and the latest value count."""
    ex = exampleseries()
    first, last = ex.iloc[0], ex.iloc[-1]
    return charts.trend_figure(
        ex, title=t("about.example_title", lang), unit="%", decimals=1, better="higher", lang=lang, zero_based=False,
        notes=[{"x": int(p["year"]), "y": float(p["value"]), "text": t(key, lang, year=int(p["year"]),
                                                                         value=format_number(p["value"], lang, 1))}
               for p, key in ((first, "about.example_base"), (last, "about.example_latest"))],
        height=360)
