"""The server entry: Streamlit's ASGI app (st.App) serving the dashboard's pages
(dashboard.py) and, from the same process and port, the product's own HTTP routes.

`make run` and the browser tests start it with `streamlit run app.py`; AppTest runs the page
scripts (dashboard.py) directly. Routes are added to ROUTES: the open read API under /api/
(indicators/publish/api.py). They must not use Streamlit's reserved prefixes (/_stcore/,
/media/, /component/, /static/ ...).
"""
import streamlit as st

from indicators.publish import api

ROUTES: list = [api.mount()]

app = st.App("dashboard.py", routes=ROUTES)
