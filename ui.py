"""Streamlit glue shared by every page: the cached store, language and URL state,
cached loaders over indicators/, the demo banner, error rendering and downloads.

This is the only place (with the pages) that imports streamlit. It holds no SQL and
no maths: it calls indicators/.
"""
from __future__ import annotations

import streamlit as st

from indicators import i18n, queries
from indicators.catalog import default_catalog
from indicators.errors import GNError, PermissionDenied, StoreError, StoreLocked
from indicators.export import to_excel_csv, to_xlsx
from indicators.paths import db_path
from indicators.store import open_store

PLOTLY_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}


# ------------------------------------------------------------------ store and loaders

@st.cache_resource
def _store(path: str):
    """One read-write connection per server process: the dashboard is the single writer."""
    from indicators.reference import load_reference
    store = open_store(path)
    if not queries.fetch_municipalities(store).shape[0]:
        load_reference(store)
    return store


def get_store():
    return _store(str(db_path()))


@st.cache_data(show_spinner=False)
def load_current(path: str, indicators: tuple | None = None, kommuner: tuple | None = None):
    return queries.fetch_current(_store(path), list(indicators) if indicators else None,
                                 list(kommuner) if kommuner else None)


@st.cache_data(show_spinner=False)
def load_municipalities(path: str):
    return queries.fetch_municipalities(_store(path))


@st.cache_data(show_spinner=False)
def load_members(path: str, year: int | None = None) -> list[str]:
    return queries.fetch_members(_store(path), year)


def current(indicators=None, kommuner=None):
    return load_current(str(db_path()), tuple(indicators) if indicators else None,
                        tuple(kommuner) if kommuner else None)


def municipalities():
    return load_municipalities(str(db_path()))


def members(year: int | None = None) -> list[str]:
    return load_members(str(db_path()), year)


def catalog():
    return default_catalog()


def clear_caches() -> None:
    """After a commit or revert: every page must show the new values at once."""
    st.cache_data.clear()


# ------------------------------------------------------------------ language and URL state

def lang() -> str:
    return i18n.norm_lang(st.query_params.get("lang", i18n.DEFAULT_LANG))


def tr(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def fmt(value, decimals: int = 0) -> str:
    return i18n.format_number(value, lang(), decimals)


def url_state(name: str, default=None):
    return st.query_params.get(name, default)


def set_url_state(**values) -> None:
    for name, value in values.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def language_picker() -> None:
    """Sidebar toggle; the choice lives in the URL (?lang=en) so copied links keep it."""
    current_lang = lang()
    choice = st.sidebar.radio(tr("app.lang_label"), i18n.LANGS, index=i18n.LANGS.index(current_lang),
                              format_func=lambda code: i18n.t(f"app.lang_{code}", code),
                              horizontal=True, key="lang.select")
    if choice != current_lang:
        set_url_state(lang=None if choice == i18n.DEFAULT_LANG else choice)
        st.rerun()


def municipality_label(kod: str) -> str:
    names = dict(zip(municipalities()["kommunkod"], municipalities()["name"]))
    return f"{names.get(kod, kod)} ({kod})"


def municipality_picker(key: str = "kommun.select", label_key: str = "common.municipality") -> str:
    """Members first, then every other municipality; the choice lives in ?kommun=."""
    member_codes = members()
    others = [k for k in municipalities()["kommunkod"] if k not in set(member_codes)]
    options = sorted(member_codes, key=municipality_label) + sorted(others, key=municipality_label)
    wanted = url_state("kommun", options[0] if options else None)
    index = options.index(wanted) if wanted in options else 0
    chosen = st.selectbox(tr(label_key), options, index=index, format_func=municipality_label, key=key)
    set_url_state(kommun=chosen)
    return chosen


# ------------------------------------------------------------------ banners, errors, downloads

def demo_banner(frame) -> None:
    """Shown wherever demo values are on screen."""
    if frame is not None and len(frame) and "source_kind" in frame and (frame["source_kind"] == "demo").any():
        st.warning(f"**{tr('banner.demo')}**  \n{tr('banner.demo_detail')}", icon="⚠️")


def show_error(exc: GNError) -> None:
    """One place that renders the errors a user can cause; never a traceback."""
    if isinstance(exc, StoreLocked):
        st.error(tr("error.store_locked", holder=exc.params.get("holder", "?")))
    elif isinstance(exc, StoreError):
        st.error(tr("error.store_error", detail=str(exc)))
    elif isinstance(exc, PermissionDenied):
        st.error(tr("error.permission", detail=str(exc)))
    else:
        st.error(tr("error.generic", detail=str(exc)))


def download_buttons(frame, basename: str, key: str) -> None:
    """CSV for Swedish Excel and XLSX of exactly the table shown."""
    c1, c2 = st.columns(2)
    c1.download_button(tr("download.csv"), to_excel_csv(frame), f"{basename}.csv", "text/csv",
                       key=f"{key}.csv")
    c2.download_button(tr("download.xlsx"), to_xlsx(frame), f"{basename}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}.xlsx")


def plotly_chart(fig, key: str, filename: str) -> None:
    """Local topojson (offline) and a PNG download named after what is shown."""
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "filename": filename}}
    st.plotly_chart(fig, config=config, key=key, width="stretch")


# ------------------------------------------------------------------ accounts and login (reporting)
# Only the user name and role live in st.session_state; the account is re-read from the store on
# every run, so disabling it takes effect at once. Idle sessions time out (auth.SESSION_TIMEOUT_MINUTES).

import time as _time  # noqa: E402

from indicators import auth as _auth  # noqa: E402

_USER_KEY, _ROLE_KEY, _SEEN_KEY, _EXPIRED_KEY = "auth.user", "auth.role", "auth.last_seen", "auth.expired"


def _start_session(user) -> None:
    st.session_state[_USER_KEY] = user.username
    st.session_state[_ROLE_KEY] = user.role
    st.session_state[_SEEN_KEY] = _time.time()
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


def _sso_user():
    if not sso_configured() or not st.user.is_logged_in:
        return None
    user = _auth.user_by_email(get_store(), str(st.user.get("email") or ""))
    if user is not None:
        _start_session(user)
    return user


def current_user():
    """The logged-in, enabled account (auth.User) or None for an anonymous visitor."""
    name = st.session_state.get(_USER_KEY)
    if name is None:
        return _sso_user()
    if _time.time() - st.session_state.get(_SEEN_KEY, 0.0) > _auth.session_timeout_seconds():
        logout()
        st.session_state[_EXPIRED_KEY] = True
        return None
    user = _auth.get_user(get_store(), name)
    if user is None:
        logout()
        return None
    st.session_state[_SEEN_KEY] = _time.time()
    return user


def show_domain_error(exc: GNError) -> None:
    """A typed error in the UI language when its key has a string; else the generic renderer."""
    try:
        st.error(tr(exc.key, **exc.params))
    except (KeyError, IndexError):
        show_error(exc)


def login_form() -> None:
    if st.session_state.pop(_EXPIRED_KEY, False):
        st.info(tr("login.expired", minutes=_auth.session_timeout_seconds() // 60))
    st.info(tr("login.needed"), icon=":material/lock:")
    with st.form("login.form", clear_on_submit=True):
        name = st.text_input(tr("login.user"), key="login.user")
        password = st.text_input(tr("login.password"), type="password", key="login.password")
        submitted = st.form_submit_button(tr("login.submit"), key="login.submit", icon=":material/login:")
    if submitted:
        st.session_state.pop("login.password", None)     # never keep a password in the session
        try:
            user = _auth.authenticate(get_store(), name, password)
        except GNError as exc:
            show_domain_error(exc)
        else:
            _start_session(user)
            st.rerun()
    if sso_configured():
        if st.user.is_logged_in:
            st.warning(tr("login.sso_no_account", email=str(st.user.get("email") or "?")))
        elif st.button(tr("login.sso"), key="login.sso", icon=":material/badge:"):
            st.login()


def require_login():
    """The current user, or a login form and the end of this page run."""
    user = current_user()
    if user is None:
        login_form()
        st.stop()
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
        if sso_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()
