"""The server entry: Streamlit's ASGI app (st.App) serving the dashboard's pages
(dashboard.py) and, from the same process and port, the product's own HTTP routes.

`make run` and the browser tests start it with `streamlit run app.py`; AppTest runs the page
scripts (dashboard.py) directly. Routes are added to ROUTES (for example the open read API
under /api/); they must not use Streamlit's reserved prefixes (/_stcore/, /app/static/ ...).
"""
import streamlit as st
from starlette.middleware import Middleware

from web_assets import FrontendAssets

ROUTES: list = []
MIDDLEWARE = [Middleware(FrontendAssets)]    # Streamlit's bundles gzipped once, the chart code preloaded

app = st.App("dashboard.py", routes=ROUTES, middleware=MIDDLEWARE)
