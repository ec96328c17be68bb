"""The server entry: Streamlit's ASGI app (st.App) serving the dashboard's pages
(dashboard.py) and, from the same process and port, the product's own HTTP routes.

`make run` and the browser tests start it with `streamlit run app.py`; AppTest runs the page
scripts (dashboard.py) directly. Routes are added to ROUTES: the open read API under /api/
(indicators/publish/api.py). They must not use Streamlit's reserved prefixes (/_stcore/,
/media/, /component/, /static/ ...).
"""
import streamlit as st
from starlette.middleware import Middleware

from indicators.publish import api
from ui import account_routes
from web_assets import FrontendAssets

# the open read API under /api/v1; POST /account/login and /account/logout (the session cookie)
ROUTES: list = [api.mount(), *account_routes.ROUTES]
MIDDLEWARE = [Middleware(FrontendAssets)]    # Streamlit's bundles gzipped once, the chart code preloaded

app = st.App("dashboard.py", routes=ROUTES, middleware=MIDDLEWARE)
