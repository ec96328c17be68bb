"""Publishing: what the product gives to the world beyond its pages. A layer above views: it may
import views, stats, text, store and the catalogue; never streamlit, never ui/.

The municipality report (PDF and Word) from one translated content model: `content` holds the
dataclasses, `report` builds them from the Kommun page's views, `charts_png` turns the dashboard's
Plotly figures into PNG (kaleido + a local Chromium, warm and reusable, with a table fallback),
`pdf` and `docx` render.

The open read API and open data:
- `terms`: who a figure comes from and under which licence (källa/licens per value);
- `links`: the public base URL (GN_PUBLIC_URL, else the address a request came in on), the API's
  paths and the embed parameters;
- `dataset`: what the API serves, read from the store once per database state;
- `datapackage`, `openapi`, `docs`: the Frictionless Data Package, the OpenAPI description, what
  the Öppna data page says;
- `api`: the open read API under /api/v1/ (Starlette handlers: request in, response out),
  mounted by app.py into the dashboard's own server.
"""
