"""The forced password change: an account whose password fails today's rule (at least 12
characters, hard to guess: indicators/auth/passwords.py) chooses a new one before any reporting
page opens. No password is ever kept in st.session_state. Imports the lower rooms of ui/ and
indicators.auth.
"""
from __future__ import annotations

import streamlit as st

from indicators.auth import sessions, users
from indicators.errors import GNError
from ui import loaders
from ui.state import tr
from ui.widgets import show_domain_error

CHANGED_KEY = "password.changed"


def change_password_form(user, token: str | None = None) -> None:
    """Current password, new one twice; on success the page reruns with the account unlocked.
    The session of `token` (this tab's login) stays; every other session of the account ends."""
    st.warning(tr("login.change_needed", n=users.MIN_PASSWORD_LENGTH), icon=":material/key:")
    with st.form("password.form", clear_on_submit=True):
        current = st.text_input(tr("login.current_password"), type="password", key="password.current")
        new = st.text_input(tr("login.new_password"), type="password", key="password.new")
        repeat = st.text_input(tr("login.repeat_password"), type="password", key="password.repeat")
        submitted = st.form_submit_button(tr("login.change_submit"), key="password.submit", icon=":material/key:")
    if not submitted:
        return
    for key in ("password.current", "password.new", "password.repeat"):
        st.session_state.pop(key, None)
    if new != repeat:
        st.error(tr("login.mismatch"))
        return
    try:
        sessions.change_password(loaders.get_store(), user, current, new, token)
    except GNError as exc:
        show_domain_error(exc)
    else:
        st.session_state[CHANGED_KEY] = True
        st.rerun()


def show_changed() -> None:
    """Once, after the change: say that it worked."""
    if st.session_state.pop(CHANGED_KEY, False):
        st.success(tr("login.changed"), icon=":material/check_circle:")
