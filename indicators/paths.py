"""File locations, anchored on this file so nothing depends on the working directory.

The database path comes from an explicit argument, else the GN_DB environment
variable, else data/gronanyckeltal.duckdb; the catalogue likewise from GN_CATALOG, else
data/indicators.toml. Imports nothing from the product.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
CATALOG_FILE = DATA_DIR / "indicators.toml"
MUNICIPALITIES_FILE = DATA_DIR / "municipalities.csv"
MEMBERS_FILE = DATA_DIR / "members.csv"
DEFAULT_DB = DATA_DIR / "gronanyckeltal.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file to use: explicit path, else $GN_DB, else the default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("GN_DB")
    return Path(env) if env else DEFAULT_DB


def catalog_path() -> Path:
    """The indicator catalogue to use: $GN_CATALOG, else data/indicators.toml."""
    env = os.environ.get("GN_CATALOG")
    return Path(env) if env else CATALOG_FILE
