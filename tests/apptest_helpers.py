"""Helpers for AppTest page tests: open the app at a page with query params."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")


def page_script(name: str) -> str:
    """app_pages/<section>/<name>.py, relative to the app root."""
    (path,) = (ROOT / "app_pages").rglob(f"{name}.py")
    return str(path.relative_to(ROOT))


def open_page(page: str | None = None, **params) -> AppTest:
    """Run dashboard.py, then switch to the page script named <page>.py (app_pages/<section>/<page>.py);
    query params are set before the first run."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page_script(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page_as(page: str, username: str, password: str, **params) -> AppTest:
    """Open a page logged in: the session the login route would start (sessions.login checks the
    password), its token handed over as a browser hands over the cookie (AppTest cannot send one)."""
    from indicators.auth import sessions
    from ui import loaders
    from ui.session import TOKEN_KEY
    _, token = sessions.login(loaders.get_store(), username, password)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = token
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page_script(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plotly_figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def all_text(at: AppTest) -> str:
    """Every markdown/title/caption/alert text on the page, for content assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error",
                 "metric"):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")))
            if kind == "metric":
                parts.append(str(el.label))
    return "\n".join(parts)
