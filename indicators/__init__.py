"""Gröna nyckeltal domain package.

Owns the catalogue, the DuckDB store, the trend engine, ingest, accounts, texts and
chart builders. It must never import streamlit: the UI layer (dashboard.py, pages/,
ui.py) calls into this package, never the other way round.
"""

__version__ = "0.1.0"
