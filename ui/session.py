"""Accounts in the UI: who is logged in, the login form (local accounts, and single sign-on when
.streamlit/secrets.toml has an [auth] section), logout, and the idle timeout. Only the user name
and role live in st.session_state; the account is re-read from the store on every run, so
disabling it takes effect at once. Imports the lower rooms of ui/ and indicators.auth.
"""
from __future__ import annotations

import time

import streamlit as st

from indicators.auth import throttle, users
from indicators.errors import GNError
from ui import loaders, password_form
from ui.state import tr
from ui.widgets import show_domain_error

_USER_KEY, _ROLE_KEY, _SEEN_KEY, _EXPIRED_KEY = "auth.user", "auth.role", "auth.last_seen", "auth.expired"


def _start_session(user) -> None:
    st.session_state[_USER_KEY] = user.username
    st.session_state[_ROLE_KEY] = user.role
    st.session_state[_SEEN_KEY] = time.time()
    st.session_state.pop(_EXPIRED_KEY, None)


def logout() -> None:
    for key in (_USER_KEY, _ROLE_KEY, _SEEN_KEY):
        st.session_state.pop(key, None)


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
    user = users.user_by_email(loaders.get_store(), str(st.user.get("email") or ""))
    if user is not None:
        _start_session(user)
    return user


def current_user():
    """The logged-in, enabled account (auth.User) or None for an anonymous visitor."""
    name = st.session_state.get(_USER_KEY)
    if name is None:
        return _sso_user()
    if time.time() - st.session_state.get(_SEEN_KEY, 0.0) > users.session_timeout_seconds():
        logout()
        st.session_state[_EXPIRED_KEY] = True
        return None
    user = users.get_user(loaders.get_store(), name)
    if user is None:
        logout()
        return None
    st.session_state[_SEEN_KEY] = time.time()
    return user


def login_form() -> None:
    if st.session_state.pop(_EXPIRED_KEY, False):
        st.info(tr("login.expired", minutes=users.session_timeout_seconds() // 60))
    st.info(tr("login.needed"), icon=":material/lock:")
    with st.form("login.form", clear_on_submit=True):
        name = st.text_input(tr("login.user"), key="login.user")
        password = st.text_input(tr("login.password"), type="password", key="login.password")
        submitted = st.form_submit_button(tr("login.submit"), key="login.submit", icon=":material/login:")
    if submitted:
        st.session_state.pop("login.password", None)     # never keep a password in the session
        try:
            user = users.authenticate(loaders.get_store(), name, password, address=client_address())
        except GNError as exc:
            show_domain_error(exc)
        else:
            _start_session(user)
            st.rerun()
    if sso_configured():
        if _sso_logged_in():
            st.warning(tr("login.sso_no_account", email=str(st.user.get("email") or "?")))
        elif st.button(tr("login.sso"), key="login.sso", icon=":material/badge:"):
            st.login()


def client_address() -> str:
    """The client's address for login throttling (the trusted proxy header when configured)."""
    try:
        headers = {str(k): str(v) for k, v in st.context.headers.items()}
    except (AttributeError, TypeError):      # no request behind this run (AppTest, bare mode)
        headers = {}
    ip = getattr(st.context, "ip_address", None)
    return throttle.client_address(headers, ip if isinstance(ip, str) else None)


def require_login():
    """The current user, or a login form (or a forced password change) and the end of this page run."""
    user = current_user()
    if user is None:
        login_form()
        st.stop()
    if user.must_change_password:
        password_form.change_password_form(user)
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
    """Who is logged in, and a log-out button (run on every page: it also keeps the session alive)."""
    user = current_user()
    if user is None:
        return
    st.sidebar.text(tr("login.logged_in_as", user=user.username, role=tr(f"login.role_{user.role}")))
    if st.sidebar.button(tr("login.logout"), key="login.logout", icon=":material/logout:"):
        logout()
        if _sso_logged_in():
            st.logout()
        st.rerun()
