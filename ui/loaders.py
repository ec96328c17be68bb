"""The store connection and the cached loaders over indicators/. Page data and figures come from
the view functions (indicators/views/<page>.py), called by reference through `cached(fn, *args)`:
an editor can follow the call and a wrong name fails at import. Everything is cached per
database state, so a rerun only draws; `clear_caches()` after a commit refreshes every page.
Imports ui.state and indicators/; never ui.widgets or ui.session.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from indicators.catalog import default_catalog
from indicators.ingest.reference_files import load_reference
from indicators.paths import db_path
from indicators.store import open_store, reference
from indicators.views import snapshot


@st.cache_resource
def _store(path: str):
    """One store per server process (a cursor per query inside)."""
    store = open_store(path)
    if not reference.fetch_municipalities(store).shape[0]:
        load_reference(store)
    return store


def get_store():
    return _store(str(db_path()))


def catalog():
    return default_catalog()


def clear_caches() -> None:
    """After a commit or revert: every page must show the new values at once."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=4)
def _snapshot(path: str):
    return snapshot.load_snapshot(_store(path), catalog())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, name: str, args: tuple, _fn: Callable):
    return _fn(_snapshot(path), *args)


def cached(fn: Callable, *args):
    """fn(snapshot, *args), cached per database file and arguments: every page's data and figures."""
    return _cached(str(db_path()), f"{fn.__module__}.{fn.__qualname__}", args, fn)


@st.cache_data(show_spinner=False)
def _municipalities(path: str):
    return reference.fetch_municipalities(_store(path))


@st.cache_data(show_spinner=False)
def _members(path: str, year: int | None = None) -> list[str]:
    return reference.fetch_members(_store(path), year)


def municipalities():
    return _municipalities(str(db_path()))


def members(year: int | None = None) -> list[str]:
    return _members(str(db_path()), year)


@st.cache_data(show_spinner=False)
def _municipality_labels(path: str) -> dict[str, str]:
    m = _municipalities(path)
    return {k: f"{n} ({k})" for k, n in zip(m["kommunkod"], m["name"])}


def municipality_labels() -> dict[str, str]:
    """{kommunkod: 'Name (kod)'}, read once per rerun (one cache hit, not one per option)."""
    return _municipality_labels(str(db_path()))


def municipality_label(kod: str) -> str:
    return municipality_labels().get(kod, kod)


def municipality_options() -> list[str]:
    """Members first, then every other municipality, each part by name."""
    labels, member_codes = municipality_labels(), members()
    others = [k for k in labels if k not in set(member_codes)]
    return sorted(member_codes, key=labels.get) + sorted(others, key=labels.get)


@st.cache_data(show_spinner=False, max_entries=64)
def _comments(path: str, kommun: str) -> dict:
    return snapshot.load_comments(_store(path), kommun)


def comments(kommun: str) -> dict:
    """The reporters' comments per indicator (plain text: show with st.text, never as markdown)."""
    return _comments(str(db_path()), kommun)


def snapshot_now():
    """The cached snapshot of the current database (what every page's view functions read)."""
    return _snapshot(str(db_path()))
