"""Öppna data: the open read API and the bulk files documented on the address the page was opened
with (routes with links, parameters, examples that work as written, errors, caching), the sources
and licences per value, and how to embed a chart. Offline like every page: no external scripts."""
import pandas as pd
import streamlit as st

from indicators.publish import docs
from indicators.publish.terms import PUBLISHER
from ui import embed, state, widgets

lang = state.lang()
base = embed.base_url()
st.title(state.tr("opendata.title"))
st.markdown(state.tr("opendata.intro"))

st.header(state.tr("opendata.routes_heading"))
st.markdown(docs.routes_markdown(base, lang))
st.header(state.tr("opendata.params_heading"))
st.markdown(state.tr("opendata.params_body"))

st.header(state.tr("opendata.examples_heading"))
st.markdown(state.tr("opendata.examples_intro", base=base))     # not a caption: its link must keep 4.5:1
# Plain code blocks: Streamlit's syntax colours (fixed, not from the theme) fall below 4.5:1 contrast,
# and a block that scrolls sideways cannot be reached by keyboard, so every block wraps (axe, WCAG 2.1 AA)
for title_key, _language, code in docs.examples(base):
    st.markdown(f"**{state.tr(title_key)}**")
    st.code(code, language=None, wrap_lines=True)
st.markdown(f"**{state.tr('opendata.example.error')}** (`{docs.API_ROOT}/trends?kommun=149`)")
st.code(docs.error_example(), language=None, wrap_lines=True)

st.header(state.tr("opendata.caching_heading"))
st.markdown(state.tr("opendata.caching_body"))
st.header(state.tr("opendata.licence_heading"))
st.markdown(state.tr("opendata.licence_body", attribution=PUBLISHER))
widgets.table(pd.DataFrame(docs.terms_rows(lang)), key="opendata.terms")

st.header(state.tr("opendata.embed_heading"))
st.markdown(state.tr("opendata.embed_body", base=base))
