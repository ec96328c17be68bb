"""The login and logout routes over real HTTP: a real `streamlit run app.py` on a loopback port.
A locked database (another process holds DuckDB's write lock) is a 303 back with
?login_error=busy (logout: the cookie is deleted all the same, ?login_error=logout_busy), never a
500 with a traceback; the page then says it in its language. Also the origin check with GN_PUBLIC_URL."""
from __future__ import annotations

import http.client
import shutil
from urllib.parse import parse_qs, urlencode, urlsplit

import duckdb
import pytest

from indicators.auth import users
from indicators.store import open_store
from tests.apptest_helpers import open_page
from tests.live_server import serve
from tests.reporting_helpers import ADMIN, PASSWORD

PUBLIC_URL = "https://nyckeltal.example.se"


@pytest.fixture(scope="module")
def server(demo_db_template, tmp_path_factory):
    db = tmp_path_factory.mktemp("routes") / "routes.duckdb"
    shutil.copy(demo_db_template, db)
    store = open_store(db)
    users.add_account(store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    store.close()
    with serve(db, env={"GN_LOCK_WAIT_S": "1", "GN_PUBLIC_URL": PUBLIC_URL + "/"}) as srv:
        yield srv


def post(srv, path: str, form: dict, origin: str | None = None, cookie: str | None = None):
    """(status, headers, body) of one real POST, redirects not followed."""
    host = urlsplit(srv["url"]).netloc
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin or srv["url"]}
    if cookie:
        headers["Cookie"] = f"gn_session={cookie}"
    conn = http.client.HTTPConnection(host, timeout=60)
    try:
        conn.request("POST", path, body=urlencode(form), headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def cookie_of(headers) -> str | None:
    for value in headers.get_all("set-cookie") or []:
        if value.startswith("gn_session="):
            return value
    return None


def error_param(headers) -> list[str]:
    return parse_qs(urlsplit(headers["location"]).query).get("login_error", [])


def login(srv, password: str = PASSWORD, **kw):
    return post(srv, "/account/login", {"username": "anna", "password": password, "next": "/rapportera?lang=en"}, **kw)


def test_a_locked_database_sends_login_and_logout_back_busy_and_logout_still_drops_the_cookie(server):
    status, headers, _ = login(server)
    assert status == 303 and error_param(headers) == []
    token = cookie_of(headers).split(";")[0].split("=", 1)[1]
    holder = duckdb.connect(str(server["db"]))           # another process writes: the server cannot open the file
    try:
        status, headers, body = login(server)
        assert status == 303, body[:500]
        assert error_param(headers) == ["busy"] and cookie_of(headers) is None
        assert headers["location"].startswith("/rapportera?") and "lang=en" in headers["location"]
        status, headers, body = post(server, "/account/logout", {"next": "/rapportera"}, cookie=token)
        assert status == 303, body[:500]
        assert error_param(headers) == ["logout_busy"]
        dropped = cookie_of(headers)
        assert dropped is not None and ('Max-Age=0' in dropped or 'expires=Thu, 01 Jan 1970' in dropped), dropped
    finally:
        holder.close()
    status, headers, _ = post(server, "/account/logout", {"next": "/rapportera"}, cookie=token)
    assert status == 303 and error_param(headers) == []


@pytest.mark.parametrize("lang, words", [
    ("sv", "Databasen är upptagen just nu"), ("en", "The database is busy right now")])
def test_the_page_says_busy_in_its_language(demo_db, lang, words):
    at = open_page("rapportera", login_error="busy", lang=lang)
    assert any(words in e.value for e in at.error)
    at = open_page("rapportera", login_error="logout_busy", lang=lang)
    assert any(("utloggad" if lang == "sv" else "logged out") in e.value for e in at.error)


def test_the_public_url_origin_is_accepted_and_another_origin_is_refused(server):
    status, headers, _ = login(server, origin=PUBLIC_URL)
    assert status == 303 and error_param(headers) == [] and cookie_of(headers)
    for other in ("https://nyckeltal.example.se.evil.test", "http://nyckeltal.example.se",
                  "https://nyckeltal.example.se:8443", "https://evil.test"):
        status, _, body = login(server, origin=other)
        assert status == 403 and "did not come from this site" in body.decode(), other
