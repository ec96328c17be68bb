"""Gröna nyckeltal: the domain package. It never imports streamlit: the UI (dashboard.py,
app_pages/, ui/) calls into it, never the other way round.

The subpackages are the layers, lowest first; a layer imports only layers below it:

- `paths`, `errors`, `catalog`: file locations, typed errors, the indicator catalogue;
- `store`: the DuckDB file and every SQL statement (schema, migrations, queries by topic);
- `stats`: the trend engine (verdicts, directions, bands, targets, the network, ranks);
- `text`: UI strings sv/en, number formatting, sentences, labels, table files (CSV/XLSX);
- `auth`: accounts, password hashing, who may write what;
- `ingest`: everything that writes data in (uploads: parse, checks, reporting flow; demo,
  reference files, the secretariat's edits, comments, importers);
- `views`: one module per page: what the page shows, as plain data and Plotly figures;
- `publish`: out to the world: the open read API, the data package, OpenAPI, the licence of
  every value, embed links (it imports views, stats, text and store; app.py mounts the API);
- `cli`: `python -m indicators ...`.
"""

__version__ = "0.2.0"
