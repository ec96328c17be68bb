"""Addresses: the public base URL of the dashboard (the setting GN_PUBLIC_URL, else the address a
request or a page was opened with), the open API's paths, and the embed parameters (Streamlit's
own `embed=true`, which hides the page chrome, plus ours, `visa=inbaddning`, which leaves only the
chart and its summary). Pure; imports nothing from the product; never streamlit.
"""
from __future__ import annotations

import os
from urllib.parse import urlencode, urlsplit

PUBLIC_URL_ENV = "GN_PUBLIC_URL"
API_ROOT = "/api/v1"
DATAPACKAGE_PATH = f"{API_ROOT}/datapackage.json"
EMBED_PARAM, EMBED_VALUE = "visa", "inbaddning"
EMBED_PARAMS = {"embed": "true", EMBED_PARAM: EMBED_VALUE}


def origin_of(url: str | None) -> str:
    """scheme://host[:port] of a URL ('' when it has none)."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def public_base(opened_with: str = "") -> str:
    """The dashboard's public address without a trailing slash: $GN_PUBLIC_URL when set (a site
    behind a proxy), else the address it was opened with (scheme://host[:port][/prefix])."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    return (configured or opened_with or "").rstrip("/")


def page_url(base: str, url_path: str, params: dict | None = None) -> str:
    """base/url_path?params (params in the given order; None values left out)."""
    query = urlencode({k: str(v) for k, v in (params or {}).items() if v is not None and v != ""})
    return f"{base}/{url_path.strip('/')}" + (f"?{query}" if query else "")


def embed_url(base: str, url_path: str, params: dict | None = None) -> str:
    """The address of a page's embed view: its view parameters plus embed=true&visa=inbaddning."""
    return page_url(base, url_path, {**(params or {}), **EMBED_PARAMS})
