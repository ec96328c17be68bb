"""Logins that survive a reload, in a real browser against a real `streamlit run app.py`: the login
form posts to POST /account/login, which sets a signed session cookie (HttpOnly, SameSite=Lax,
never a token in a URL); the session lives in the database, so a reload, a page opened by its
URL, a second tab and a restarted server keep it, while logout (in any tab) and the idle timeout
end it everywhere. A post from another site is refused."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from indicators.auth import users
from indicators.store import open_store
from tests.e2e.conftest import demo_copy, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "ett-långt-lösenord"
LOGGED_IN = "Inloggad: anna (rapportör)"
SHORT_TIMEOUT_MIN = 0.1             # 6 seconds, for the idle-timeout test


def accounts_copy(demo_db_template, tmp_path_factory, name: str):
    db = demo_copy(demo_db_template, tmp_path_factory, name)
    store = open_store(db)
    setup = users.User("setup", "admin")
    for account in ("anna", "bertil"):
        users.add_account(store, setup, account, PASSWORD, "reporter", ["1490"])
    store.close()
    return db


@pytest.fixture(scope="module")
def session_db(demo_db_template, tmp_path_factory):
    return accounts_copy(demo_db_template, tmp_path_factory, "session_server")


@pytest.fixture(scope="module")
def session_server(session_db):
    with serve(session_db) as server:
        yield server


def log_in(page, url: str, user: str = "anna", password: str = PASSWORD) -> None:
    page.goto(url)
    wait_for_app(page)
    page.get_by_label("Användarnamn").fill(user)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    wait_for_app(page)


def logged_in(page) -> bool:
    return page.get_by_text(LOGGED_IN).count() == 1


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.locator("h1").first.wait_for(timeout=30_000)
    page.locator('[data-testid="stSidebar"]').get_by_text("Om och metod").or_(
        page.locator('[data-testid="stSidebar"]').get_by_text("About and method")).wait_for(timeout=30_000)


def test_a_login_survives_a_reload_a_deep_link_and_a_second_tab(session_server, context):
    url = session_server["url"]
    page = context.new_page()
    log_in(page, url + "/rapportera?year=2024")
    page.get_by_text(LOGGED_IN).wait_for(timeout=30_000)
    assert page.url.endswith("/rapportera?year=2024")            # back where the form was
    page.locator('[data-testid="stFileUploader"]').wait_for(timeout=30_000)
    page.reload()
    page.locator('[data-testid="stFileUploader"]').wait_for(timeout=30_000)
    assert logged_in(page)
    open_page(page, url + "/uppladdningar")                      # a coordinator opens Uppladdningar by its URL
    page.get_by_text("Historik för ett värde").wait_for(timeout=30_000)
    assert logged_in(page) and page.get_by_label("Användarnamn").count() == 0
    second = context.new_page()
    open_page(second, url + "/rapportera?lang=en")
    assert second.get_by_text("Logged in: anna (reporter)").count() == 1
    screenshot(second, "session_second_tab")
    assert "gn_session" not in page.url and "gn_session" not in second.url


def test_the_cookie_is_httponly_samesite_and_carries_neither_password_nor_name(session_server, context):
    page = context.new_page()
    log_in(page, session_server["url"] + "/rapportera")
    page.get_by_text(LOGGED_IN).wait_for(timeout=30_000)
    (cookie,) = [c for c in context.cookies() if c["name"] == "gn_session"]
    assert cookie["httpOnly"] is True and cookie["sameSite"] in ("Lax", "Strict") and cookie["path"] == "/"
    assert cookie["expires"] > time.time() + 3600                # lasts past the page, ends within hours
    assert cookie["expires"] < time.time() + 13 * 3600
    assert PASSWORD not in urllib.parse.unquote(cookie["value"]) and "anna" not in cookie["value"]
    assert "gn_session" not in page.evaluate("document.cookie")  # no script can read it


def test_logout_in_one_tab_ends_the_session_in_the_other(session_server, context):
    url = session_server["url"]
    first = context.new_page()
    log_in(first, url + "/rapportera")
    first.get_by_text(LOGGED_IN).wait_for(timeout=30_000)
    second = context.new_page()
    open_page(second, url + "/uppladdningar")
    assert logged_in(second)
    first.get_by_role("button", name="Logga ut").click()
    first.get_by_label("Användarnamn").wait_for(timeout=30_000)
    assert not logged_in(first)
    assert "gn_session" not in [c["name"] for c in context.cookies()]
    # the other tab has not reloaded: its next run asks the database and finds the session ended
    second.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    second.get_by_label("User name").wait_for(timeout=30_000)
    assert second.get_by_text("Logged in: anna").count() == 0
    screenshot(second, "session_other_tab_after_logout")


def test_a_wrong_password_is_refused_in_the_page_language_and_repeated_failures_wait(session_server, context):
    page = context.new_page()
    page.goto(session_server["url"] + "/rapportera?lang=en")
    wait_for_app(page)
    page.get_by_label("User name").fill("bertil")
    page.get_by_label("Password").fill("fel-lösenord")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Wrong user name or password.").wait_for(timeout=30_000)
    page.wait_for_function("() => !location.search.includes('login_error')", timeout=30_000)
    assert "lang=en" in page.url
    for attempt in range(users.MAX_FAILURES):          # more wrong ones, then the right one: it must wait
        page.get_by_label("User name").fill("bertil")
        page.get_by_label("Password").fill(PASSWORD if attempt == users.MAX_FAILURES - 1 else "fel")
        page.get_by_role("button", name="Log in").click()
        wait_for_app(page)
        page.get_by_role("alert").first.wait_for(timeout=30_000)
    page.get_by_text("Too many failed logins").wait_for(timeout=30_000)
    assert page.get_by_text("Too many failed logins").count() == 1
    assert "gn_session" not in [c["name"] for c in context.cookies()]


def _post(url: str, data: dict, headers: dict) -> tuple[int, dict]:
    """A POST without following redirects: (status, headers)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers, method="POST")
    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)
    return response.status, dict(response.headers)


def test_a_post_from_another_site_is_refused_and_next_stays_on_this_site(session_server):
    url = session_server["url"]
    form = {"username": "anna", "password": PASSWORD, "next": "/rapportera"}
    for headers in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"}, {}, {"Origin": "null"}):
        status, got = _post(url + "/account/login", form, headers)
        assert status == 403 and "set-cookie" not in {k.lower() for k in got}, headers
    status, got = _post(url + "/account/login", {**form, "next": "//evil.example/x"}, {"Origin": url})
    assert status == 303 and got["location"] == "/"
    assert "gn_session=" in got["set-cookie"] and "HttpOnly" in got["set-cookie"]
    assert "samesite=lax" in got["set-cookie"].lower()
    assert _post(url + "/account/logout", {"next": "/"}, {"Origin": "http://evil.example"})[0] == 403


def test_an_idle_session_ends_after_the_timeout(demo_db_template, tmp_path_factory, context):
    db = accounts_copy(demo_db_template, tmp_path_factory, "timeout_server")
    with serve(db, env={"GN_SESSION_TIMEOUT_MIN": str(SHORT_TIMEOUT_MIN)}) as server:
        page = context.new_page()
        log_in(page, server["url"] + "/rapportera")
        page.get_by_text(LOGGED_IN).wait_for(timeout=30_000)
        time.sleep(SHORT_TIMEOUT_MIN * 60 + 2)
        page.reload()
        wait_for_app(page)
        page.get_by_text("Du loggades ut efter 6 sekunder utan aktivitet").wait_for(timeout=30_000)
        assert not logged_in(page) and page.get_by_label("Användarnamn").count() == 1
        screenshot(page, "session_timed_out")


def test_a_session_survives_a_server_restart(demo_db_template, tmp_path_factory, context):
    """The key and the session are in the database: a new server process on the same file (a
    restart; the cookie goes to any port of 127.0.0.1) knows the login."""
    db = accounts_copy(demo_db_template, tmp_path_factory, "restart_server")
    page = context.new_page()
    with serve(db) as first:
        log_in(page, first["url"] + "/rapportera")
        page.get_by_text(LOGGED_IN).wait_for(timeout=30_000)
    with serve(db) as second:
        open_page(page, second["url"] + "/uppladdningar")
        assert logged_in(page)
