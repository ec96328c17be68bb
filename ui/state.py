"""The UI language and the view state, both kept in the URL so a copied link opens exactly
that view: `?lang=en`, `?kommun=1490`, `?indikator=GN.10` ... Also page links that carry them.
Imports only indicators.text (strings, numbers); the lowest room of ui/.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from indicators.text import i18n, numbers

CARRIED_PARAMS = ("kommun", "medlemmar")     # put back when the sidebar navigation clears the URL
OWN_KEY = "account.kommuner"     # the logged-in reporter's own municipalities (ui/session.py sets them)


def lang() -> str:
    return i18n.norm_lang(st.query_params.get("lang", i18n.DEFAULT_LANG))


def tr(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def translator():
    """tr bound to this run's language, for format functions: Streamlit (and AppTest) may call them
    outside the run, where the URL's language is not at hand."""
    language = lang()
    return lambda key, **params: i18n.t(key, language, **params)


def fmt(value, decimals: int = 0) -> str:
    return numbers.format_number(value, lang(), decimals)


def url_state(name: str, default=None):
    return st.query_params.get(name, default)


def int_param(name: str, default: int | None = None) -> int | None:
    """A whole number from the URL, or `default`: only ASCII digits (1 to 6 of them) count, so
    "²", "١٢" or "-1" never reach int() (str.isdigit() accepts them and int() then raises)."""
    value = st.query_params.get(name)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip()):
        return int(value.strip())
    return default


def set_url_state(**values) -> None:
    for name, value in values.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def set_own_municipalities(codes) -> None:
    """ui/session.py, on every run: the municipalities the logged-in reporter reports for (none for
    a visitor or the secretariat). A municipality picker opens on the first when the URL names none."""
    st.session_state[OWN_KEY] = tuple(codes)


def own_municipalities() -> tuple[str, ...]:
    return tuple(st.session_state.get(OWN_KEY, ()))


def language_picker() -> None:
    """Sidebar toggle; the choice lives in the URL (?lang=en) so copied links keep it."""
    current_lang = lang()
    choice = st.sidebar.radio(tr("app.lang_label"), i18n.LANGS, index=i18n.LANGS.index(current_lang),
                              format_func=lambda code: i18n.t(f"app.lang_{code}", code),
                              horizontal=True, key="lang.select")
    if choice != current_lang:
        set_url_state(lang=None if choice == i18n.DEFAULT_LANG else choice)
        st.rerun()


def carry_url_state() -> None:
    """Before a page runs: sidebar navigation clears the query string; put the municipality back."""
    for name, value in st.session_state.get("url.memory", {}).items():
        if name not in st.query_params:
            st.query_params[name] = value


def remember_url_state() -> None:
    """After a page has run: remember the carried view state it left in the URL."""
    st.session_state["url.memory"] = {n: st.query_params[n] for n in CARRIED_PARAMS if n in st.query_params}


def page_link(page: str, label: str, icon: str | None = None, **params) -> None:
    """A link to another page that keeps the language and carries the given view state."""
    query = {k: str(v) for k, v in params.items() if v is not None}
    if lang() != i18n.DEFAULT_LANG:
        query["lang"] = lang()
    st.page_link(page, label=label, icon=icon, query_params=query)


def set_current_page(url_path: str) -> None:
    """dashboard.py names the page being run (its URL path), for links and forms that come back here."""
    st.session_state["nav.page"] = url_path


def current_path() -> str:
    """This page's path with its query string, e.g. '/rapportera?year=2024&lang=en'."""
    query = urlencode(st.query_params.to_dict())
    return "/" + st.session_state.get("nav.page", "") + (f"?{query}" if query else "")
