"""The Administration page's tables as people read them: accounts, membership periods, municipal
targets and series breaks with headers in the UI language, roles, kinds and yes/no in words,
municipalities by name, and no raw column names or codes. Missing values stay missing (the page
shows them as a dash); numbers stay numbers (the page formats them). Pure formatting of frames
from indicators.ingest.admin / indicators.auth.users; never imports streamlit, runs no SQL.
"""
from __future__ import annotations

import pandas as pd

from indicators.catalog import Catalog, default_catalog
from indicators.text.i18n import t
from indicators.views.uploads import actor_text

# canonical column -> header key; only the columns a frame has are shown, in this order
ACCOUNT_HEADERS = {"username": "admin.username", "role": "admin.role", "municipalities": "admin.municipalities",
                   "email": "admin.col_email", "disabled": "admin.col_disabled",
                   "failed_logins": "admin.col_failed_logins", "locked_until": "admin.col_locked_until",
                   "created_at": "admin.col_created"}


def _when(value):
    return value.strftime("%Y-%m-%d %H:%M") if value is not None and not pd.isna(value) else None


def _municipalities(codes, names: dict[str, str]) -> str | None:
    codes = list(codes) if codes is not None and not isinstance(codes, float) else []
    return ", ".join(names.get(k, k) for k in codes) or None


def _indicator(ind_id: str, lang: str, catalog: Catalog) -> str:
    return f"{ind_id} {catalog[ind_id].name(lang)}" if ind_id in catalog.ids else ind_id


def account_table(accounts: pd.DataFrame, lang: str, names: dict[str, str]) -> pd.DataFrame:
    """One row per account; `names` is {kommunkod: 'Name (kod)'}. Never a password hash."""
    a = accounts.drop(columns=[c for c in accounts.columns if "password" in c])
    shown = {
        "username": a.get("username"),
        "role": a.get("role", pd.Series(dtype=object)).map(lambda r: t(f"login.role_{r}", lang)),
        "municipalities": a.get("municipalities", pd.Series(dtype=object)).map(lambda m: _municipalities(m, names)),
        "email": a.get("email", pd.Series(dtype=object)).map(lambda e: e if isinstance(e, str) and e else None),
        "disabled": a.get("disabled", pd.Series(dtype=object)).map(lambda d: t("common.yes" if d else "common.no", lang)),
        "failed_logins": a.get("failed_logins"),
        "locked_until": a.get("locked_until", pd.Series(dtype=object)).map(_when),
        "created_at": a.get("created_at", pd.Series(dtype=object)).map(_when),
    }
    return pd.DataFrame({t(key, lang): shown[col].tolist() for col, key in ACCOUNT_HEADERS.items()
                         if col in accounts.columns})


def membership_table(periods: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Membership periods: municipality, from year, to year ('pågår' while open), note."""
    p = periods
    return pd.DataFrame({
        t("common.municipality", lang): (p["name"] + " (" + p["kommunkod"] + ")").tolist(),
        t("admin.from_year", lang): p["from_year"].astype("int64").tolist(),
        t("admin.col_to_year", lang): [t("admin.ongoing", lang) if pd.isna(y) else str(int(y)) for y in p["to_year"]],
        t("admin.note", lang): [n if isinstance(n, str) and n else None for n in p["note"]]})


def target_table(targets: pd.DataFrame, lang: str, names: dict[str, str],
                 catalog: Catalog | None = None) -> pd.DataFrame:
    """Active municipal targets: which, for whom, kind in words, value, year and base year."""
    catalog = catalog or default_catalog()
    g = targets
    return pd.DataFrame({
        t("admin.col_id", lang): g["id"].astype("int64").tolist(),
        t("common.municipality", lang): g["kommunkod"].map(lambda k: names.get(k, k)).tolist(),
        t("common.indicator", lang): g["indicator_id"].map(lambda i: _indicator(i, lang, catalog)).tolist(),
        t("admin.kind", lang): g["kind"].map(lambda k: t(f"admin.kind_{k}", lang)).tolist(),
        t("admin.target_value", lang): g["value"].astype("float64").tolist(),
        t("admin.target_year", lang): g["year"].astype("int64").tolist(),
        t("admin.col_base_year", lang): g["base_year"].astype("Int64").tolist(),
        t("admin.label", lang): [x if isinstance(x, str) and x else None for x in g["label"]],
        t("uploads.col_who", lang): g["created_by"].map(lambda n: actor_text(n, lang)).tolist(),
        t("uploads.col_when", lang): g["created_at"].map(_when).tolist()})


def target_label(row, lang: str, names: dict[str, str]) -> str:
    """'#3 Borås (1490): GN.7, 60 till 2030' for the picker."""
    return f"#{int(row['id'])} {names.get(row['kommunkod'], row['kommunkod'])}: {row['indicator_id']}, {int(row['year'])}"


def break_table(breaks: pd.DataFrame, lang: str, names: dict[str, str],
                catalog: Catalog | None = None) -> pd.DataFrame:
    """Series breaks: indicator, year, for whom ('alla kommuner' when for everyone), what changed."""
    catalog = catalog or default_catalog()
    b = breaks
    return pd.DataFrame({
        t("admin.col_id", lang): b["id"].astype("int64").tolist(),
        t("common.indicator", lang): b["indicator_id"].map(lambda i: _indicator(i, lang, catalog)).tolist(),
        t("common.year", lang): b["year"].astype("int64").tolist(),
        t("common.municipality", lang): [t("admin.break_all", lang) if k is None or pd.isna(k) else names.get(k, k)
                                         for k in b["kommunkod"]],
        t("admin.break_note", lang): [n if isinstance(n, str) and n else None for n in b["note"]],
        t("uploads.col_who", lang): b["created_by"].map(lambda n: actor_text(n, lang)).tolist(),
        t("uploads.col_when", lang): b["created_at"].map(_when).tolist()})
