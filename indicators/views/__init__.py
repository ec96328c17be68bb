"""Views: one module per page (oversikt, kommun, nyckeltal, jamfor, tema, om, status, uploads)
holding what that page shows, as plain data and Plotly figures, computed from one Snapshot of
the store (snapshot.py). Shared pieces: trend_chart.py (one indicator's chart), charts.py (pure
figure builders), geo.py (the offline map shapes). Imports stats, text, store and ingest; never
streamlit or the CLI.
"""
