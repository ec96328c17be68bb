"""The HTTP half of logging in: `POST /account/login` and `POST /account/logout`, served by the
server entry (app.py, st.App routes) beside the pages.

Streamlit can read cookies but not set them (a page talks over a websocket), so the login form
on a page is a plain HTML form that posts here. The route refuses a post whose Origin (or, when
a browser sends none, Referer) is not this server (no cross-site posts), checks the password
with the product's own `indicators.auth.sessions.login` (users.authenticate: throttling and
uniform messages), sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS, never a
token in a URL) and answers 303 back to the page the form came from. A failed login goes back
with `?login_error=failed|locked` (and `login_wait=N` seconds), which the page shows in
its language and then removes from the URL; a database that is locked or failing (a GNError
other than AuthError) gives `?login_error=busy`, its details only in the server log. Logout ends
the session in the database (so every tab and process sees it) and deletes the cookie; when the
database is busy it still deletes the cookie and answers `?login_error=logout_busy`.

Our paths avoid Streamlit's own /auth/login and /auth/logout (single sign-on, st.login).
Imports starlette, and on the first request indicators.auth and ui.loaders (the process's store).
"""
from __future__ import annotations

import logging
import os
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from indicators.publish.links import PUBLIC_URL_ENV      # pure, imports nothing heavy

LOGIN_PATH, LOGOUT_PATH = "/account/login", "/account/logout"
ERROR_PARAMS = ("login_error", "login_wait")
_log = logging.getLogger(__name__)


def _store():
    from ui import loaders
    return loaders.get_store()


def _sessions():
    # imported on the first login, not at server start: the health check answers before pandas loads
    from indicators.auth import sessions
    return sessions


def _origin(url: str) -> str:
    """scheme://host[:port], lower-case, the default port left out ('' when the URL has no host)."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return ""
    scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[:-len(default)]
    return f"{scheme}://{netloc}"


def same_origin(request: Request) -> bool:
    """The post comes from a page of this server: Origin (else Referer) names the Host we serve,
    or the origin (scheme, host, port) of GN_PUBLIC_URL when that is set (behind a reverse proxy
    that does not pass the Host header on)."""
    host = request.headers.get("host", "")
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    if not source or source == "null":
        return False
    public = _origin(os.environ.get(PUBLIC_URL_ENV, ""))
    if public and _origin(source) == public:
        return True
    return bool(host) and urlsplit(source).netloc.lower() == host.lower()


def safe_next(value: str | None) -> str:
    """Only a path on this server (no open redirect to another site)."""
    value = (value or "/").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value or any(c < " " for c in value):
        return "/"
    return value


def with_params(path: str, drop: tuple = ERROR_PARAMS, **params) -> str:
    """`path` with `params` set (None drops one) and the login error parameters removed."""
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in drop and k not in params]
    query += [(k, str(v)) for k, v in params.items() if v is not None]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def client_address(request: Request) -> str:
    """The client's address for login throttling: the trusted proxy header's last entry when
    GN_TRUSTED_PROXY_HEADER names one (indicators.auth.throttle), else the connection's peer."""
    from indicators.auth import throttle
    return throttle.client_address(dict(request.headers), request.client.host if request.client else None)


def _forbidden() -> Response:
    return PlainTextResponse("Förfrågan kom inte från den här webbplatsen. / The request did not come from this site.",
                             status_code=403)


async def login(request: Request) -> Response:
    if not same_origin(request):
        return _forbidden()
    from indicators.errors import AuthError, GNError
    sessions = _sessions()
    form = await request.form()
    back = safe_next(form.get("next"))
    try:
        _, token = await run_in_threadpool(sessions.login, _store(), str(form.get("username", "")),
                                           str(form.get("password", "")), client_address(request))
    except AuthError as exc:
        reason = exc.key.removeprefix("auth.")
        wait = exc.params.get("seconds") if reason == "locked" else None
        return RedirectResponse(with_params(back, login_error=reason, login_wait=wait), status_code=303)
    except GNError as exc:           # the store is locked or failing: say "busy", keep the details here
        _log.warning("login could not be checked: %s: %s", exc.key, exc)
        return RedirectResponse(with_params(back, login_error="busy"), status_code=303)
    response = RedirectResponse(with_params(back), status_code=303)
    response.set_cookie(sessions.COOKIE_NAME, token, max_age=sessions.max_age_seconds(), path="/",
                        httponly=True, samesite="lax", secure=_secure(request))
    return response


async def logout(request: Request) -> Response:
    if not same_origin(request):
        return _forbidden()
    from indicators.errors import GNError
    sessions = _sessions()
    form = await request.form()
    reason = None
    try:
        await run_in_threadpool(sessions.logout, _store(), request.cookies.get(sessions.COOKIE_NAME))
    except GNError as exc:           # the cookie goes all the same; the row ends with the idle timeout
        _log.warning("logout could not end the session in the database: %s: %s", exc.key, exc)
        reason = "logout_busy"
    response = RedirectResponse(with_params(safe_next(form.get("next")), login_error=reason), status_code=303)
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


ROUTES = [Route(LOGIN_PATH, login, methods=["POST"]), Route(LOGOUT_PATH, logout, methods=["POST"])]
