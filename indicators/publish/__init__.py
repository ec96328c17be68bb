"""Publishing: what the product gives to the world beyond its pages. A layer above views: it may
import views, stats, text, store and the catalogue; never streamlit, never ui/.

- `terms`: who a figure comes from and under which licence (källa/licens per value);
- `links`: the public base URL (GN_PUBLIC_URL, else the address a request came in on), the API's
  paths and the embed parameters;
- `dataset`: what the API serves, read from the store once per database state;
- `datapackage`, `openapi`: the Frictionless Data Package and the OpenAPI description;
- `api`: the open read API under /api/v1/ (Starlette handlers: request in, response out),
  mounted by app.py into the dashboard's own server.
"""
