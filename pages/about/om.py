"""Om och metod: the verdict rule in plain Swedish with a worked example, the recent direction,
the SEKOM average, targets, imputed values and demo data, the sources, the licence, how to cite."""
import datetime

import streamlit as st

import ui

lang = ui.lang()
st.title(ui.tr("about.title"))
st.markdown(ui.tr("about.intro"))

st.header(ui.tr("about.verdict_heading"))
st.markdown(ui.tr("about.verdict_body"))
st.subheader(ui.tr("about.example_heading"))
ui.plotly_chart(ui.data("example_figure", lang), key="about.example", filename="gronanyckeltal_exempel")
st.caption(ui.tr("about.example_summary"))
ui.table_twin(ui.data("example_table", lang), "gronanyckeltal_exempel", key="about.example_twin")

for section in ("direction", "network", "target", "honesty"):
    st.header(ui.tr(f"about.{section}_heading"))
    st.markdown(ui.tr(f"about.{section}_body"))

st.header(ui.tr("about.sources_heading"))
st.markdown(ui.tr("about.sources_intro"))
sources = ui.data("sources_table", lang)
ui.table(sources, key="about.sources")
ui.download_buttons(sources, "gronanyckeltal_kallor", key="about.sources.download")

st.header(ui.tr("about.licence_heading"))
st.markdown(ui.tr("about.licence_body"))
st.header(ui.tr("about.cite_heading"))
st.code(ui.tr("about.cite_body", date=datetime.date.today().isoformat()), language=None, wrap_lines=True)
