"""Gröna nyckeltal: the Streamlit entry point. Sets up the page, the language toggle and
the navigation; every page is a thin script in pages/."""
import streamlit as st

import ui

st.set_page_config(page_title="Gröna nyckeltal", page_icon="🌱", layout="wide")

PAGES = [
    st.Page("pages/oversikt.py", title=ui.tr("nav.overview"), icon="🏠", url_path="oversikt", default=True),
    st.Page("pages/kommun.py", title=ui.tr("nav.kommun"), icon="🏛️", url_path="kommun"),
    st.Page("pages/rapportera.py", title=ui.tr("nav.rapportera"), icon=":material/upload_file:", url_path="rapportera"),
    st.Page("pages/uppladdningar.py", title=ui.tr("nav.uppladdningar"), icon=":material/history:",
            url_path="uppladdningar"),
    st.Page("pages/status.py", title=ui.tr("nav.rapporteringsstatus"), icon=":material/fact_check:",
            url_path="rapporteringsstatus"),
    st.Page("pages/admin.py", title=ui.tr("nav.admin"), icon=":material/admin_panel_settings:", url_path="admin"),
]

ui.language_picker()
ui.account_sidebar()
st.navigation(PAGES).run()
