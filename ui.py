"""Streamlit glue shared by every page: the cached store, language and URL state,
cached loaders over indicators/, the demo banner, error rendering and downloads.

This is the only place (with the pages) that imports streamlit. It holds no SQL and
no maths: it calls indicators/.
"""
from __future__ import annotations

import streamlit as st

from indicators.store import observations, reference
from indicators.text import i18n, numbers
from indicators.catalog import default_catalog
from indicators.errors import GNError, PermissionDenied, StoreError, StoreLocked
from indicators.text.tables import to_excel_csv, to_xlsx
from indicators.paths import db_path
from indicators.store import open_store

PLOTLY_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}

# ------------------------------------------------------------------ store and loaders

@st.cache_resource
def _store(path: str):
    """One Store per server process and file. It holds no connection while idle: reads open
    the file read-only and let go, writes take the write lock only for the commit (waiting
    while another process, e.g. an import, writes)."""
    from indicators.ingest.reference_files import load_reference
    store = open_store(path)
    if not reference.fetch_municipalities(store).shape[0]:
        load_reference(store)
    return store


def get_store():
    return _store(str(db_path()))


def db_key() -> str:
    """The cache key of every loader: the database file and its version, which changes with
    every write any process commits (a stat per call; a read only after the file changed).
    So another process's write (the nightly import, a CLI import, a second dashboard) shows
    at the next rerun, without a restart."""
    return f"{db_path()}#v{get_store().version()}"


@st.cache_data(show_spinner=False)
def load_current(key: str, indicators: tuple | None = None, kommuner: tuple | None = None):
    return observations.fetch_current(get_store(), list(indicators) if indicators else None,
                                 list(kommuner) if kommuner else None)


@st.cache_data(show_spinner=False)
def load_municipalities(key: str):
    return reference.fetch_municipalities(get_store())


@st.cache_data(show_spinner=False)
def load_members(key: str, year: int | None = None) -> list[str]:
    return reference.fetch_members(get_store(), year)


def municipalities():
    return load_municipalities(db_key())


def members(year: int | None = None) -> list[str]:
    return load_members(db_key(), year)


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
    return numbers.format_number(value, lang(), decimals)


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


@st.cache_data(show_spinner=False)
def _municipality_labels(key: str) -> dict[str, str]:
    m = load_municipalities(key)
    return {k: f"{n} ({k})" for k, n in zip(m["kommunkod"], m["name"])}


def municipality_labels() -> dict[str, str]:
    """{kommunkod: 'Name (kod)'}, read once per rerun (one cache hit, not one per option)."""
    return _municipality_labels(db_key())


def municipality_label(kod: str) -> str:
    return municipality_labels().get(kod, kod)


def municipality_options() -> list[str]:
    """Members first, then every other municipality, each part by name."""
    labels, member_codes = municipality_labels(), members()
    others = [k for k in labels if k not in set(member_codes)]
    return sorted(member_codes, key=labels.get) + sorted(others, key=labels.get)


def municipality_picker(key: str = "kommun.select", label_key: str = "common.municipality") -> str:
    """Members first, then every other municipality; the choice lives in ?kommun=."""
    labels, options = municipality_labels(), municipality_options()
    wanted = url_state("kommun", options[0] if options else None)
    index = options.index(wanted) if wanted in options else 0
    chosen = st.selectbox(tr(label_key), options, index=index, format_func=lambda k: labels.get(k, k), key=key)
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


@st.cache_data(show_spinner=False, max_entries=128)
def _export_bytes(frame, kind: str) -> bytes:
    """Export once per distinct table: building an XLSX costs ~50 ms, a rerun must not pay it."""
    return to_excel_csv(frame) if kind == "csv" else to_xlsx(frame)


def download_buttons(frame, basename: str, key: str) -> None:
    """CSV for Swedish Excel and XLSX of exactly the table shown."""
    with st.container(horizontal=True):
        st.download_button(tr("download.csv"), _export_bytes(frame, "csv"), f"{basename}.csv", "text/csv",
                           key=f"{key}.csv", icon=":material/download:")
        st.download_button(tr("download.xlsx"), _export_bytes(frame, "xlsx"), f"{basename}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}.xlsx",
                           icon=":material/download:")


def plotly_chart(fig, key: str, filename: str) -> None:
    """Local topojson (offline) and a PNG download named after what is shown."""
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "filename": filename}}
    st.plotly_chart(fig, config=config, key=key, width="stretch")


# ------------------------------------------------------------------ dashboard pages (section:dashboard)
# Page data and figures come from indicators.service, computed over one cached Snapshot per
# database file. Both are cached here, keyed on the path, so a rerun only draws.

from indicators.views import common as _service  # noqa: E402
from indicators.views import figures as _figures  # noqa: E402

CARRIED_PARAMS = ("kommun",)     # put back when the sidebar navigation clears the URL


@st.cache_data(show_spinner=False, max_entries=4)
def load_snapshot(key: str):
    return _service.load_snapshot(get_store(), catalog())


@st.cache_data(show_spinner=False, max_entries=512)
def _service_call(key: str, name: str, args: tuple):
    calls = {**_service.UI_CALLS, **_figures.UI_CALLS}
    if name not in calls:
        raise KeyError(f"{name} is not a service call the UI may make")
    return calls[name](load_snapshot(key), *args)


def data(name: str, *args):
    """service/figures.<name>(snapshot, *args), cached per database version: page data and figures."""
    return _service_call(db_key(), name, args)


@st.cache_data(show_spinner=False, max_entries=64)
def _comments(key: str, kommun: str) -> dict:
    return _service.load_comments(get_store(), kommun)


def comments(kommun: str) -> dict:
    """The reporters' comments per indicator (plain text: show with st.text, never as markdown)."""
    return _comments(db_key(), kommun)


def carry_url_state() -> None:
    """Before a page runs: sidebar navigation clears the query string; put the municipality back."""
    for name, value in st.session_state.get("url.memory", {}).items():
        if name not in st.query_params:
            st.query_params[name] = value


def remember_url_state() -> None:
    """After a page has run: remember the carried view state it left in the URL."""
    st.session_state["url.memory"] = {n: st.query_params[n] for n in CARRIED_PARAMS if n in st.query_params}


def theme_picker(key: str = "tema.select", allow_all: bool = True) -> str | None:
    """Theme pills; the choice lives in ?tema=<slug>. Returns the catalogue's theme name or None (all)."""
    slugs = list(_service.THEME_SLUGS.values())
    wanted = url_state("tema")
    default = wanted if wanted in slugs else (None if allow_all else slugs[0])
    choice = st.pills(tr("common.theme"), slugs, default=default, format_func=lambda s: tr(f"theme.{s}"),
                      key=key, required=not allow_all)
    set_url_state(tema=choice)
    return _service.theme_from_slug(choice)


def page_link(page: str, label: str, icon: str | None = None, **params) -> None:
    """A link to another page that keeps the language and carries the given view state."""
    query = {k: str(v) for k, v in params.items() if v is not None}
    if lang() != i18n.DEFAULT_LANG:
        query["lang"] = lang()
    st.page_link(page, label=label, icon=icon, query_params=query)


def source_caption(ind, computed: bool = True) -> None:
    """Name the source of a figure, and say when the figure is our own computation."""
    st.caption(tr("common.source_line", source=ind.source, computed=tr("common.computed_by_us") if computed else ""))


def _number(value, decimals, lg: str) -> str:
    """A number in the UI language; decimals None: as many as the value has (at most 2)."""
    if decimals is not None:
        return numbers.format_number(value, lg, decimals)
    text = numbers.format_number(value, lg, 2)
    sep = "," if lg == "sv" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text


def _styler(frame, decimals: dict | None):
    styler, lg = frame.style.hide(axis="index"), lang()
    floats = [c for c in frame.columns if frame[c].dtype.kind == "f"]
    for col in floats:
        dec = (decimals or {}).get(col)
        styler = styler.format(lambda v, d=dec: _number(v, d, lg), subset=[col], na_rep="–")
    return styler


def table(frame, key: str, decimals: dict | None = None, height="auto") -> None:
    """A sortable table with numbers formatted in the UI language (sorting uses the numbers)."""
    st.dataframe(_styler(frame, decimals), key=key, hide_index=True, height=height, placeholder="–")


def flagged_table(frame, key: str, flag_column: str) -> None:
    """A table whose flagged rows (non-empty flag text) are also shaded: text first, colour second."""
    styler = _styler(frame, None)
    if len(frame):
        styler = styler.apply(lambda row: ["background-color: #fff3cd" if row[flag_column] else ""] * len(row), axis=1)
    st.dataframe(styler, key=key, hide_index=True, placeholder="–")


def large_difference_text() -> str:
    return numbers.format_percent(_service.LARGE_DIFFERENCE * 100, lang())


def table_twin(frame, basename: str, key: str, decimals: dict | None = None, expanded: bool = False) -> None:
    """The table behind a chart, with CSV/XLSX downloads of exactly that table. Drawn only when
    opened: a formatted table of thousands of rows would cost every rerun ~0.5 s."""
    box = st.expander(tr("common.table_twin"), expanded=expanded, icon=":material/table:", key=f"{key}.open",
                      on_change="rerun")
    if box.open:
        with box:
            table(frame, key=f"{key}.table", decimals=decimals)
            download_buttons(frame, basename, key=f"{key}.download")


def theme_slug(theme: str) -> str:
    return _service.THEME_SLUGS[theme]


def kommuner_picker(label_key: str, default: list[str], key: str) -> list[str]:
    """Several municipalities; the choice lives in ?kommuner=1490,0180 (else ?kommun=, else default)."""
    labels, options = municipality_labels(), municipality_options()
    wanted = [k for k in (url_state("kommuner") or "").split(",") if k in labels]
    if not wanted:
        wanted = [url_state("kommun")] if url_state("kommun") in labels else [k for k in default if k in labels]
    chosen = st.multiselect(tr(label_key), options, default=wanted, format_func=lambda k: labels.get(k, k), key=key)
    set_url_state(kommuner=",".join(chosen) if chosen else None)
    return chosen


def year_slider(years: list[int], key: str) -> int:
    """A year slider over the years with data; the choice lives in ?år= (default: the latest)."""
    wanted = url_state("år")
    value = int(wanted) if wanted and wanted.isdigit() and int(wanted) in years else years[-1]
    year = st.select_slider(tr("indicator.year"), options=years, value=value, key=key) if len(years) > 1 else years[0]
    set_url_state(år=year)
    return int(year)


def chart_filename(indicator_id: str, kommuner) -> str:
    """A PNG/CSV file name that names the indicator and the municipalities shown."""
    labels = municipality_labels()
    names = [labels.get(k, k).replace(" (", "_").replace(")", "").replace(" ", "-") for k in kommuner][:4]
    return "_".join(["gronanyckeltal", indicator_id, *names])


def value_decimals(frame, decimals: int) -> dict:
    """{column: decimals} for the float columns of a table (formatted in the UI language)."""
    return {c: decimals for c in frame.columns if frame[c].dtype.kind == "f"}


def remember_opened(key: str, indicator_id: str) -> None:
    """Expander callback: the opened indicator goes into ?indikator= so a copied link reopens it."""
    if st.session_state.get(key):
        st.query_params["indikator"] = indicator_id
    elif st.query_params.get("indikator") == indicator_id:
        del st.query_params["indikator"]


def state_style(kind: str, code: str) -> tuple[str, str]:
    """(material icon, colour name) for a verdict, direction or target state."""
    return _service.state_style(kind, code)


def state_badge(kind: str, code: str, text: str) -> None:
    """A verdict/direction/target state as icon AND text (never colour alone)."""
    icon, colour = _service.state_style(kind, code)
    st.markdown(f":{colour}[{icon} {text}]")


# ------------------------------------------------------------------ accounts and login (reporting)
# Only the user name and role live in st.session_state; the account is re-read from the store on
# every run, so disabling it takes effect at once. Idle sessions time out (auth.SESSION_TIMEOUT_MINUTES).

import time as _time  # noqa: E402

from indicators.auth import users as _auth  # noqa: E402

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


def _sso_logged_in() -> bool:
    return sso_configured() and bool(st.user.get("is_logged_in", False))


def _sso_user():
    if not _sso_logged_in():
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
        if _sso_logged_in():
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
        if _sso_logged_in():
            st.logout()
        st.rerun()
