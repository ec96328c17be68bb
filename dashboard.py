"""Gröna nyckeltal: the Streamlit entry point. Sets up the page, the language toggle and
the navigation (grouped in sections); every page is a thin script in pages/."""
import streamlit as st

import ui

# page_icon: an emoji is drawn locally; a ":material/...:" favicon is fetched from fonts.gstatic.com (not offline)
st.set_page_config(page_title="Gröna nyckeltal", page_icon="🌱", layout="wide")

PAGES = [
    st.Page("pages/oversikt.py", title=ui.tr("nav.overview"), icon=":material/dashboard:", url_path="oversikt",
            default=True),
    st.Page("pages/kommun.py", title=ui.tr("nav.kommun"), icon=":material/location_city:", url_path="kommun"),
    st.Page("pages/nyckeltal.py", title=ui.tr("nav.indicator"), icon=":material/monitoring:", url_path="nyckeltal"),
    st.Page("pages/jamfor.py", title=ui.tr("nav.compare"), icon=":material/compare_arrows:", url_path="jamfor"),
    st.Page("pages/tema.py", title=ui.tr("nav.theme"), icon=":material/category:", url_path="tema"),
    st.Page("pages/rapportera.py", title=ui.tr("nav.rapportera"), icon=":material/upload_file:", url_path="rapportera"),
    st.Page("pages/uppladdningar.py", title=ui.tr("nav.uppladdningar"), icon=":material/history:",
            url_path="uppladdningar"),
    st.Page("pages/status.py", title=ui.tr("nav.rapporteringsstatus"), icon=":material/fact_check:",
            url_path="rapporteringsstatus"),
    st.Page("pages/admin.py", title=ui.tr("nav.admin"), icon=":material/admin_panel_settings:", url_path="admin"),
    st.Page("pages/om.py", title=ui.tr("nav.about"), icon=":material/info:", url_path="om"),
]

ui.language_picker()
ui.account_sidebar()
ui.carry_url_state()
st.navigation(ui.nav_sections(PAGES)).run()
ui.remember_url_state()
