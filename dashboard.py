"""Gröna nyckeltal: the Streamlit entry point. Sets up the page, the language toggle and
the navigation; every page is a thin script in pages/."""
import streamlit as st

import ui

st.set_page_config(page_title="Gröna nyckeltal", page_icon="🌱", layout="wide")

PAGES = [
    st.Page("pages/oversikt.py", title=ui.tr("nav.overview"), icon="🏠", url_path="oversikt", default=True),
    st.Page("pages/kommun.py", title=ui.tr("nav.kommun"), icon="🏛️", url_path="kommun"),
]

ui.language_picker()
st.navigation(PAGES).run()
