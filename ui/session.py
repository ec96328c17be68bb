"""Accounts in the UI: who is logged in, the login form, logout, and single sign-on when
.streamlit/secrets.toml has an [auth] section.

A login survives a reload: the login form is a plain HTML form that posts to the server route
`POST /account/login` (ui/account_routes.py), which checks the password and sets an HttpOnly,
SameSite cookie holding a signed session token (indicators/auth/sessions.py). Every page run
reads that cookie and asks the database whether the session is still open and active; logout
(`POST /account/logout`) and the idle timeout end it for every tab. The password never passes
through Streamlit, and st.session_state holds no password, token hash or connection.

AppTest cannot send cookies, so a test hands the same signed token over st.session_state
(TOKEN_KEY), exactly as a browser hands it over the cookie; it is checked the same way.
Imports the lower rooms of ui/ and indicators.auth.
"""
from __future__ import annotations

import html

import streamlit as st

from indicators.auth import sessions, users
from ui import account_routes, loaders, password_form
from ui.state import current_path, int_param, set_own_municipalities, tr

TOKEN_KEY, _EXPIRED_KEY = "auth.token", "auth.expired"
LOGIN_ERRORS = {"failed": "auth.failed", "locked": "auth.locked", "busy": "auth.busy", "logout_busy": "auth.logout_busy"}


def sso_configured() -> bool:
    """Single sign-on is offered only when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _sso_logged_in() -> bool:
    return sso_configured() and bool(st.user.get("is_logged_in", False))


def _sso_user():
    if not _sso_logged_in():
        return None
    return users.user_by_email(loaders.get_store(), str(st.user.get("email") or ""))


def _token() -> str | None:
    """The session token: the cookie the browser sent (or, in AppTest, the one handed over)."""
    cookie = st.context.cookies.get(sessions.COOKIE_NAME)
    return (cookie if isinstance(cookie, str) else None) or st.session_state.get(TOKEN_KEY)


def current_user():
    """The logged-in, enabled account (auth.User) or None for an anonymous visitor. Every call
    asks the database, so a logout in another tab or a disabled account takes effect at once."""
    got = sessions.resolve(loaders.get_store(), _token())
    if got.state == sessions.EXPIRED:
        st.session_state[_EXPIRED_KEY] = got.reason or "idle"
    if got.user is not None:
        return got.user
    return _sso_user()


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        n, unit = seconds // 3600, "hour"
    else:
        n, unit = (seconds // 60, "minute") if seconds >= 60 else (seconds, "second")
    return tr(f"login.{unit}_one") if n == 1 else tr(f"login.{unit}s", n=n)


def _base_path() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _form(action: str, fields: str, button: str, css_class: str) -> str:
    here = html.escape(_base_path() + current_path(), quote=True)
    return (f'<form class="{css_class}" method="post" action="{_base_path()}{action}">'
            f'<input type="hidden" name="next" value="{here}">{fields}'
            f'<button type="submit">{html.escape(button)}</button></form>')


def login_form_html() -> str:
    """The login form: a plain HTML form posting to the server route (no password in Streamlit)."""
    fields = (f'<label for="gn-login-user">{html.escape(tr("login.user"))}</label>'
              '<input id="gn-login-user" name="username" autocomplete="username" autocapitalize="none" '
              'spellcheck="false" required>'
              f'<label for="gn-login-password">{html.escape(tr("login.password"))}</label>'
              '<input id="gn-login-password" name="password" type="password" autocomplete="current-password" '
              'required>')
    return _form(account_routes.LOGIN_PATH, fields, tr("login.submit"), "gn-login")


def _show_login_error() -> None:
    """A failed login comes back as ?login_error=...: say it in the UI language, once."""
    reason = st.query_params.get("login_error")
    if reason is None:
        return
    st.error(tr(LOGIN_ERRORS.get(reason, "auth.failed"), seconds=int_param("login_wait", 0)),
             icon=":material/error:")
    for name in account_routes.ERROR_PARAMS:
        st.query_params.pop(name, None)


def login_form() -> None:
    expired = st.session_state.pop(_EXPIRED_KEY, None)
    if expired == "expired":
        st.info(tr("login.expired_max_age", duration=_duration(sessions.max_age_seconds())))
    elif expired:
        st.info(tr("login.expired", duration=_duration(users.session_timeout_seconds())))
    st.info(tr("login.needed"), icon=":material/lock:")
    _show_login_error()
    st.html(login_form_html())
    if sso_configured():
        if _sso_logged_in():
            st.warning(tr("login.sso_no_account", email=str(st.user.get("email") or "?")))
        elif st.button(tr("login.sso"), key="login.sso", icon=":material/badge:"):
            st.login()


def require_login():
    """The current user, or a login form (or a forced password change) and the end of this page run."""
    user = current_user()
    if user is None:
        login_form()
        st.stop()
    if user.must_change_password:
        password_form.change_password_form(user, _token())
        st.stop()
    password_form.show_changed()
    return user


def require_admin():
    user = require_login()
    if not user.is_admin:
        st.error(tr("admin.only"))
        st.stop()
    return user


def account_sidebar() -> None:
    """Who is logged in, and a log-out button (run on every page: it also keeps the session alive).
    A reporter's own municipalities are remembered for the pickers (they open on the first)."""
    user = current_user()
    set_own_municipalities(user.municipalities if user is not None and not user.is_admin else ())
    if user is None:
        return
    st.sidebar.text(tr("login.logged_in_as", user=user.username, role=tr(f"login.role_{user.role}")))
    if _sso_logged_in() and _token() is None:
        if st.sidebar.button(tr("login.logout"), key="login.logout", icon=":material/logout:"):
            st.logout()
        return
    st.sidebar.html(_form(account_routes.LOGOUT_PATH, "", tr("login.logout"), "gn-logout"))

