"""Shared fixtures. Every test gets its own database in tmp_path (GN_DB points there), so
no test ever touches data/. The demo database is built once per session and copied."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indicators.ingest.demo import load_demo
from indicators.ingest.reference_files import load_reference
from indicators.store import open_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.duckdb"
    store = open_store(path)
    load_reference(store)
    load_demo(store)
    store.close()
    return path


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch) -> Path:
    """Point GN_DB at a fresh, empty location for every test."""
    path = tmp_path / "test.duckdb"
    monkeypatch.setenv("GN_DB", str(path))
    return path


@pytest.fixture
def demo_db(isolated_db, demo_db_template) -> Path:
    """A copy of the demo database at the test's GN_DB path."""
    shutil.copy(demo_db_template, isolated_db)
    return isolated_db


@pytest.fixture
def demo_store(demo_db):
    store = open_store(demo_db)
    yield store
    store.close()


@pytest.fixture
def empty_store(isolated_db):
    """Schema and reference data, no observations."""
    store = open_store(isolated_db)
    load_reference(store)
    yield store
    store.close()
