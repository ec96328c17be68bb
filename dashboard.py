"""Gröna nyckeltal: the Streamlit page script that every request runs first. It sets up the
page (its own browser title, the accessibility script and style of ui/a11y.py), the language
toggle and the account box, and routes to one page script under app_pages/ with st.navigation
(position="hidden": the sidebar shows our own links, grouped by section, instead of Streamlit's
list). The sections are the folders of app_pages/ (data, reporting, about); each page is listed
once, here, with its title key, icon and URL.

Why app_pages/ and not pages/: Streamlit treats ANY folder named pages/ beside the main script as
a legacy (v1) multipage app, whatever it holds, and then answers a deep link on a fresh server
with a "Page not found" dialog before st.navigation runs (see the README's layout section).
The server entry that adds HTTP routes is app.py (st.App); this script is its page script.
"""
from pathlib import Path

import streamlit as st

from ui import a11y, embed, session, state

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


def pages() -> list:
    return [st.Page(f"app_pages/{script}", title=state.tr(title), icon=icon, url_path=url, default=n == 0)
            for n, (script, title, icon, url) in enumerate(PAGES)]


def sections(all_pages: list) -> dict[str, list]:
    """{section title: [st.Page, ...]} with the sections in the order their folders first appear."""
    out: dict[str, list] = {}
    for (script, *_), page in zip(PAGES, all_pages):
        out.setdefault(state.tr(f"nav.section.{Path(script).parent.name}"), []).append(page)
    return out


def navigation_links(all_pages: list) -> None:
    """Our own sidebar navigation: a link per page under its section's name. Streamlit's built-in
    sidebar list breaks the list semantics screen readers rely on (axe: list, listitem); links
    also keep the language. The municipality follows through state.carry_url_state."""
    with st.sidebar.container(key=a11y.NAV_KEY):
        for title, group in sections(all_pages).items():
            st.markdown(f"**{title}**")
            for page in group:
                state.page_link(page, page.title, page.icon)


# page_icon before st.navigation: an emoji is drawn locally, while the pages' ":material/...:" icons
# would become the favicon, fetched from fonts.gstatic.com (not offline)
st.set_page_config(page_icon="🌱", layout="wide")
all_pages = pages()
page = st.navigation(all_pages, position="hidden")
# every page has its own title in the browser tab (and for screen readers), in the UI language
st.set_page_config(page_title=f"{page.title} – {state.tr('app.title')}", page_icon="🌱", layout="wide")
a11y_slot = a11y.begin()
state.set_current_page(page.url_path)
if embed.active():          # ?visa=inbaddning: an embedded chart has no sidebar, menu or account box
    page.run()
else:
    navigation_links(all_pages)
    state.language_picker()
    session.account_sidebar()
    state.carry_url_state()
    page.run()
    state.remember_url_state()
a11y.finish(a11y_slot)
