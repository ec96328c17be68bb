"""Tema: one municipality against the SEKOM average across one theme's indicators: the table
behind the theme's charts (the cards and charts themselves come from views.kommun and
views.trend_chart). Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd

from indicators.text.i18n import t
from indicators.views.snapshot import Snapshot, theme_indicators
from indicators.views.trend_chart import chart_table


def theme_table(snap: Snapshot, theme: str, kommun: str, lang: str) -> pd.DataFrame:
    """Per theme indicator and year: the municipality's value and kind, the SEKOM average and n."""
    frames = []
    for ind in theme_indicators(snap, theme):
        tab = chart_table(snap, ind.id, (kommun,), lang)
        tab.insert(0, t("common.indicator", lang), ind.name(lang))
        tab.insert(1, t("common.unit", lang), ind.unit_for(lang))
        frames.append(tab)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
