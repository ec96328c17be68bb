"""What the secretariat manages besides accounts: SEKOM membership per year, municipal
targets and series breaks. Every function checks the acting user (PermissionDenied) and
records who made the change. Never imports streamlit; SQL lives in the store layer (indicators/store).
"""
from __future__ import annotations

import pandas as pd

from indicators.store import admin_edits
from indicators.store import reference
from indicators.store import settings as settings_store
from indicators.stats.trends import PRELIMINARY_SETTING, read_preliminary_share
from indicators.auth.users import User, require_admin, require_can_write
from indicators.catalog import TARGET_KINDS, Catalog, default_catalog
from indicators.errors import GNError

MIN_YEAR, MAX_YEAR = 1970, 2100


class AdminInputError(GNError):
    """A form value the secretariat must correct."""


def _known_municipality(store, kommunkod: str) -> str:
    kod = str(kommunkod or "").strip().zfill(4)
    if kod not in set(reference.fetch_municipalities(store)["kommunkod"]):
        raise AdminInputError("admin.bad_municipality", f"Unknown municipality code {kommunkod!r}.")
    return kod


def _year(value, name: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise AdminInputError("admin.bad_year", f"{name}: {value!r} is not a year.") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise AdminInputError("admin.bad_year", f"{name}: {year} is outside {MIN_YEAR}–{MAX_YEAR}.")
    return year


def _indicator(indicator_id: str, catalog: Catalog | None) -> str:
    if indicator_id not in (catalog or default_catalog()):
        raise AdminInputError("admin.bad_indicator", f"Unknown indicator {indicator_id!r}.")
    return indicator_id


# ------------------------------------------------------------------ membership

def membership(store) -> pd.DataFrame:
    return reference.fetch_membership(store)


def save_membership(store, user: User | None, kommunkod: str, from_year: int, to_year: int | None = None,
                    note: str = "") -> None:
    """Add a membership period, or change the end year of the one starting in from_year."""
    require_admin(user)
    kod = _known_municipality(store, kommunkod)
    start = _year(from_year, "from_year")
    end = None if to_year in (None, "") else _year(to_year, "to_year")
    if end is not None and end < start:
        raise AdminInputError("admin.bad_period", f"The period ends ({end}) before it starts ({start}).")
    with store.transaction() as cur:
        admin_edits.upsert_membership_period(cur, kod, start, end, (note or "").strip())


def remove_membership(store, user: User | None, kommunkod: str, from_year: int) -> None:
    require_admin(user)
    with store.transaction() as cur:
        if not admin_edits.delete_membership_period(cur, str(kommunkod), int(from_year)):
            raise AdminInputError("admin.no_such_period", f"No membership of {kommunkod} starting {from_year}.")


# ------------------------------------------------------------------ municipal targets

def municipal_targets(store, kommuner: list[str] | None = None) -> pd.DataFrame:
    return admin_edits.fetch_municipal_targets(store, kommuner)


def add_municipal_target(store, user: User | None, indicator_id: str, kommunkod: str, value: float, year: int,
                         label: str = "", kind: str = "absolute", base_year: int | None = None,
                         catalog: Catalog | None = None) -> int:
    """A municipality's own target; an admin, or a reporter for their own municipality."""
    kod = _known_municipality(store, kommunkod)
    require_can_write(user, [kod])
    _indicator(indicator_id, catalog)
    if kind not in TARGET_KINDS:
        raise AdminInputError("admin.bad_kind", f"kind must be one of {TARGET_KINDS}.")
    base = None if base_year in (None, "") else _year(base_year, "base_year")
    if kind == "relative" and base is None:
        raise AdminInputError("admin.needs_base_year", "A relative target needs a base year.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AdminInputError("admin.bad_value", f"{value!r} is not a number.") from None
    with store.transaction() as cur:
        return admin_edits.insert_target(cur, indicator_id, kod, kind, number, _year(year, "year"), base,
                                     (label or "").strip(), user.username)


def deactivate_municipal_target(store, user: User | None, target_id: int) -> None:
    """Targets are never deleted: an old one is made inactive."""
    with store.transaction() as cur:
        target = admin_edits.fetch_target(cur, target_id)
        if target is None or target["kommunkod"] is None:
            raise AdminInputError("admin.no_such_target", f"No municipal target #{target_id}.")
        require_can_write(user, [target["kommunkod"]])
        admin_edits.deactivate_target(cur, target_id)


# ------------------------------------------------------------------ series breaks

def series_breaks(store) -> pd.DataFrame:
    return admin_edits.fetch_series_breaks_admin(store)


def add_series_break(store, user: User | None, indicator_id: str, year: int, note: str,
                     kommunkod: str | None = None, catalog: Catalog | None = None) -> int:
    """A year in which the definition changed (for everyone, or for one municipality)."""
    require_admin(user)
    _indicator(indicator_id, catalog)
    kod = _known_municipality(store, kommunkod) if kommunkod else None
    if not (note or "").strip():
        raise AdminInputError("admin.needs_note", "Say what changed in a short note.")
    with store.transaction() as cur:
        return admin_edits.insert_series_break(cur, indicator_id, kod, _year(year, "year"), note.strip(), user.username)


def remove_series_break(store, user: User | None, break_id: int) -> None:
    require_admin(user)
    with store.transaction() as cur:
        if not admin_edits.delete_series_break(cur, break_id):
            raise AdminInputError("admin.no_such_break",
                                  f"No series break #{break_id} entered by an admin (catalogue breaks stay).")


# ------------------------------------------------------------------ statistics settings

def preliminary_share(store) -> float:
    """The share of a year's members that must have a value before the year counts as complete."""
    return read_preliminary_share(store)


def set_preliminary_share(store, user: User | None, percent) -> float:
    """Set the preliminary-year threshold, in percent of that year's members (1..100); stored in
    the database so the command line, the API and every page use the same. Returns the share."""
    require_admin(user)
    try:
        value = float(percent)
    except (TypeError, ValueError):
        raise AdminInputError("admin.bad_share", f"Not a share: {percent!r}.", value=str(percent)) from None
    if not 1 <= value <= 100:
        raise AdminInputError("admin.bad_share", f"The share must be 1..100 %, got {value}.", value=str(percent))
    with store.transaction() as cur:
        settings_store.upsert_setting(cur, PRELIMINARY_SETTING, repr(value / 100.0), user.username)
    return value / 100.0
