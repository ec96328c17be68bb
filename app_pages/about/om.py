"""Om och metod: the verdict rule in plain Swedish with a worked example, the recent direction,
the SEKOM average, targets, imputed values and demo data, the sources, the licence, how to cite."""
import datetime

import streamlit as st

from indicators.views.om import example_figure, example_table, method_params, sources_table
from ui import loaders, state, widgets

lang = state.lang()
st.title(state.tr("about.title"))
st.markdown(state.tr("about.intro"))

st.header(state.tr("about.verdict_heading"))
st.markdown(state.tr("about.verdict_body"))
st.subheader(state.tr("about.example_heading"))
widgets.plotly_chart(loaders.cached(example_figure, lang), key="about.example", filename="gronanyckeltal_exempel",
                     summary=state.tr("about.example_summary"))
st.caption(state.tr("about.example_summary"))
widgets.table_twin(loaders.cached(example_table, lang), "gronanyckeltal_exempel", key="about.example_twin")

params = loaders.cached(method_params, lang)
for section in ("direction", "network", "target", "honesty"):
    st.header(state.tr(f"about.{section}_heading"))
    st.markdown(state.tr(f"about.{section}_body", **params))

st.header(state.tr("about.sources_heading"))
st.markdown(state.tr("about.sources_intro"))
sources = loaders.cached(sources_table, lang)
widgets.table(sources, key="about.sources")
widgets.download_buttons(sources, "gronanyckeltal_kallor", key="about.sources.download")

st.header(state.tr("about.licence_heading"))
st.markdown(state.tr("about.licence_body"))
st.header(state.tr("about.cite_heading"))
st.code(state.tr("about.cite_body", date=datetime.date.today().isoformat()), language=None, wrap_lines=True)
