"""The store connection and the cached loaders over indicators/. Page data and figures come from
the view functions (indicators/views/<page>.py), called by reference through `cached(fn, *args)`:
an editor can follow the call and a wrong name fails at import. Everything is cached per
database version (db_key(): a write by any process changes it), so a rerun only draws;
`clear_caches()` after the dashboard's own commit refreshes every page at once.
Imports ui.state and indicators/; never ui.widgets or ui.session.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from indicators.catalog import default_catalog
from indicators.ingest.reference_files import load_reference
from indicators.paths import db_path
from indicators.store import open_store, reference
from indicators.views import snapshot


_stores: dict[str, object] = {}
_stores_lock = threading.Lock()


def _store(path: str):
    """One Store per server process and file. It holds no connection while idle: reads open the
    file read-only and let go, writes take the write lock only for the commit (waiting while
    another process, e.g. an import, writes). A plain process-wide memo rather than
    st.cache_resource, because the login routes (ui/account_routes.py) share it from outside
    any page run."""
    with _stores_lock:
        if path not in _stores:
            store = open_store(path)
            if not reference.fetch_municipalities(store).shape[0]:
                load_reference(store)
            _stores[path] = store
        return _stores[path]


def get_store():
    return _store(str(db_path()))


def db_key() -> str:
    """The cache key of every loader: the database file and its version, which changes with
    every write any process commits (a stat per call; a read only after the file changed).
    So another process's write (the nightly import, a CLI import, a second dashboard) shows
    at the next rerun, without a restart."""
    return f"{db_path()}#v{get_store().version()}"


def catalog():
    return default_catalog()


def clear_caches() -> None:
    """After a commit or revert: every page must show the new values at once."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=4)
def _snapshot(key: str):
    return snapshot.load_snapshot(get_store(), catalog())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(key: str, name: str, args: tuple, _fn: Callable):
    return _fn(_snapshot(key), *args)


def cached(fn: Callable, *args):
    """fn(snapshot, *args), cached per database version and arguments: every page's data and figures."""
    return _cached(db_key(), f"{fn.__module__}.{fn.__qualname__}", args, fn)


@st.cache_data(show_spinner=False)
def _municipalities(key: str):
    return reference.fetch_municipalities(get_store())


@st.cache_data(show_spinner=False)
def _members(key: str, year: int | None = None) -> list[str]:
    return reference.fetch_members(get_store(), year)


def municipalities():
    return _municipalities(db_key())


def members(year: int | None = None) -> list[str]:
    return _members(db_key(), year)


@st.cache_data(show_spinner=False)
def _municipality_labels(key: str) -> dict[str, str]:
    m = _municipalities(key)
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


@st.cache_data(show_spinner=False, max_entries=64)
def _comments(key: str, kommun: str) -> dict:
    return snapshot.load_comments(get_store(), kommun)


def comments(kommun: str) -> dict:
    """The reporters' comments per indicator (plain text: show with st.text, never as markdown)."""
    return _comments(db_key(), kommun)


def snapshot_now():
    """The cached snapshot of the current database (what every page's view functions read)."""
    return _snapshot(db_key())
