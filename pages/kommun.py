"""Kommun: one municipality's series."""
import plotly.express as px
import streamlit as st

import ui

st.title(ui.tr("nav.kommun"))
kod = ui.municipality_picker()
cur = ui.current(kommuner=[kod])
ui.demo_banner(cur)
for ind in ui.catalog():
    sub = cur[cur["indicator_id"] == ind.id]
    if len(sub):
        fig = px.line(sub, x="year", y="value", markers=True, title=ind.name(ui.lang()))
        ui.plotly_chart(fig, key=f"chart.{ind.id}", filename=f"{ind.id}_{kod}")
