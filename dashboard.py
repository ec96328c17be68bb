"""Gröna nyckeltal: the Streamlit page script that every request runs first. It sets up the
page, the language toggle and the account box, and routes to one page script under app_pages/
with st.navigation. The sections of the navigation are the folders of app_pages/ (data,
reporting, about); each page is listed once, here, with its title key, icon and URL.

Why app_pages/ and not pages/: Streamlit treats ANY folder named pages/ beside the main script as
a legacy (v1) multipage app, whatever it holds, and then answers a deep link on a fresh server
with a "Page not found" dialog before st.navigation runs (see the README's layout section).
The server entry that adds HTTP routes is app.py (st.App); this script is its page script.
"""
from pathlib import Path

import streamlit as st

from ui import embed, session, state

# page_icon: an emoji is drawn locally; a ":material/...:" favicon is fetched from fonts.gstatic.com (not offline)
st.set_page_config(page_title="Gröna nyckeltal", page_icon="🌱", layout="wide")

# (script under app_pages/, title key, icon, URL path); the first is the default page.
PAGES = [
    ("data/oversikt.py", "nav.overview", ":material/dashboard:", "oversikt"),
    ("data/kommun.py", "nav.kommun", ":material/location_city:", "kommun"),
    ("data/nyckeltal.py", "nav.indicator", ":material/monitoring:", "nyckeltal"),
    ("data/jamfor.py", "nav.compare", ":material/compare_arrows:", "jamfor"),
    ("data/tema.py", "nav.theme", ":material/category:", "tema"),
    ("reporting/rapportera.py", "nav.rapportera", ":material/upload_file:", "rapportera"),
    ("reporting/uppladdningar.py", "nav.uppladdningar", ":material/history:", "uppladdningar"),
    ("reporting/status.py", "nav.rapporteringsstatus", ":material/fact_check:", "rapporteringsstatus"),
    ("reporting/admin.py", "nav.admin", ":material/admin_panel_settings:", "admin"),
    ("about/om.py", "nav.about", ":material/info:", "om"),
    ("about/oppna_data.py", "nav.opendata", ":material/api:", "oppna_data"),
]


def navigation() -> dict[str, list]:
    """{section title: [st.Page, ...]} with the sections in the order their folders first appear."""
    sections: dict[str, list] = {}
    for n, (script, title, icon, url) in enumerate(PAGES):
        section = state.tr(f"nav.section.{Path(script).parent.name}")
        sections.setdefault(section, []).append(
            st.Page(f"app_pages/{script}", title=state.tr(title), icon=icon, url_path=url, default=n == 0))
    return sections


if embed.active():          # ?visa=inbaddning: an embedded chart has no sidebar, menu or account box
    st.navigation(navigation(), position="hidden").run()
else:
    state.language_picker()
    session.account_sidebar()
    state.carry_url_state()
    st.navigation(navigation()).run()
    state.remember_url_state()
