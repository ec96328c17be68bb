"""Översikt: the network's latest values per indicator."""
import streamlit as st

import ui

st.title(ui.tr("app.title"))
st.caption(ui.tr("app.subtitle"))
cur = ui.current()
ui.demo_banner(cur)
rows = []
for ind in ui.catalog():
    sub = cur[cur["indicator_id"] == ind.id]
    if len(sub):
        latest = int(sub["year"].max())
        vals = sub[sub["year"] == latest]["value"]
        rows.append({ui.tr("common.indicator"): ind.name(ui.lang()), ui.tr("common.year"): latest,
                     ui.tr("common.value"): ui.fmt(vals.mean(), ind.decimals) + " " + ind.unit, "n": len(vals)})
st.dataframe(rows, hide_index=True)
