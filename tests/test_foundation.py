"""Catalogue, migrations, revisions, import hygiene and the demo data."""
from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from indicators.store import observations
from indicators.store import reference
from indicators.store import schema
from indicators.catalog import THEMES, load_catalog, parse_catalog
from indicators.ingest.demo import generate_demo
from indicators.errors import CatalogError
from indicators.paths import CATALOG_FILE
from indicators.store import open_store
from tests.conftest import ROOT


def test_catalog_has_the_16_indicators_of_2023():
    cat = load_catalog()
    assert cat.ids == ["GN.1a", "GN.1b", "GN.2a", "GN.2b", "GN.3", "GN.4", "GN.5", "GN.6a", "GN.6b",
                       "GN.7", "GN.8a", "GN.8b", "GN.9a", "GN.9b", "GN.10", "GN.11"]
    assert {i.theme for i in cat} == set(THEMES)
    assert cat["GN.10"].national_target.value == 60 and cat["GN.10"].national_target.year == 2030
    assert cat["GN.1b"].national_target.kind == "relative" and cat["GN.1b"].national_target.base_year == 2005
    assert cat["GN.6a"].series_breaks[0].year == 2024
    assert cat["GN.2a"].band_labels[0] == "Mycket låg" and cat["GN.2a"].band_edges == (25, 50, 100, 150)


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["indicator"][0].pop("unit"), "unit"),
    (lambda d: d["indicator"][1].update(better="up"), "better"),
    (lambda d: d["indicator"][2].update(band_labels=["a", "b"]), "band_labels"),
    (lambda d: d["indicator"][3].update(band_edges=[90, 50, 70, 99]), "band_edges"),
    (lambda d: d["indicator"][4].update(theme="Rymden"), "theme"),
    (lambda d: d["indicator"][5].update(start_year="2006"), "start_year"),
    (lambda d: d["indicator"][14]["national_target"].pop("year"), "national_target.year"),
])
def test_broken_catalog_fails_naming_the_field(mutate, field):
    import tomllib
    data = tomllib.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(CatalogError, match=f"field '{field}'"):
        parse_catalog(data)


def test_catalog_duplicate_id_fails(tmp_path):
    text = CATALOG_FILE.read_text(encoding="utf-8")
    start = text.index("[[indicator]]")
    first = text[start:text.index("[[indicator]]", start + 1)]
    bad = tmp_path / "cat.toml"
    bad.write_text(text + "\n" + first, encoding="utf-8")
    with pytest.raises(CatalogError, match="'GN.1a' appears twice"):
        load_catalog(bad)


def test_migrations_are_idempotent(isolated_db):
    store = open_store(isolated_db)
    assert schema.fetch_schema_versions(store)["name"].tolist() == [n for n, _ in schema.MIGRATIONS]
    before = schema.fetch_table_names(store)
    assert schema.apply_migrations(store) == []
    assert schema.apply_migrations(store) == []
    assert schema.fetch_table_names(store) == before
    assert len(schema.fetch_schema_versions(store)) == len(schema.MIGRATIONS)
    for table in ["municipality", "membership", "indicator", "observation", "upload", "target", "comment",
                  "account", "schema_version"]:
        assert table in before


def _obs(value, by="tester"):
    return pd.DataFrame([{"indicator_id": "GN.10", "kommunkod": "1490", "year": 2022, "value": value,
                          "source_kind": "reported", "upload_id": None, "created_by": by, "comment": None}])


def test_new_revision_supersedes_and_old_is_kept(empty_store):
    with empty_store.transaction() as cur:
        observations.write_revisions(cur, _obs(29.0, "anna"))
    with empty_store.transaction() as cur:
        observations.write_revisions(cur, _obs(31.5, "bertil"))
    cur_vals = observations.fetch_current(empty_store, ["GN.10"], ["1490"])
    assert cur_vals["value"].tolist() == [31.5]
    assert cur_vals["created_by"].tolist() == ["bertil"]
    assert cur_vals["n_revisions"].tolist() == [2]
    hist = observations.fetch_value_history(empty_store, "GN.10", "1490", 2022)
    assert hist["value"].tolist() == [31.5, 29.0]
    assert observations.count_observations(empty_store) == 2


def test_failed_transaction_writes_nothing(empty_store):
    with pytest.raises(RuntimeError):
        with empty_store.transaction() as cur:
            observations.write_revisions(cur, _obs(29.0))
            raise RuntimeError("boom in the middle")
    assert observations.count_observations(empty_store) == 0


def test_a_second_writer_waits_then_gets_a_plain_lock_message(isolated_db, monkeypatch):
    store = open_store(isolated_db)
    monkeypatch.setenv("GN_LOCK_WAIT_S", "1")
    code = ("import sys; from indicators.store import open_store; from indicators.errors import StoreLocked\n"
            f"try:\n with open_store({str(isolated_db)!r}, migrate=False).transaction(): pass\n"
            "except StoreLocked as e:\n print(e); sys.exit(3)")
    with store.transaction():          # this process writes for as long as the other one waits
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 3, out.stderr
    assert f"is in use by" in out.stdout and f"(PID {os.getpid()})" in out.stdout
    assert "waited 1 s" in out.stdout and "Try again in a moment" in out.stdout


def test_indicators_package_never_imports_streamlit():
    code = ("import sys, importlib, pkgutil, indicators\n"
            "for m in pkgutil.walk_packages(indicators.__path__, 'indicators.'):\n"
            "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_demo_data_is_deterministic_and_plausible():
    a, b = generate_demo(), generate_demo()
    pd.testing.assert_frame_equal(a, b)
    assert set(a["source_kind"]) == {"demo"}
    assert a["year"].min() >= 2005 and a["year"].max() == 2024
    shares = a[a["indicator_id"].isin(["GN.2b", "GN.3", "GN.10", "GN.7"])]["value"]
    assert shares.between(0, 100).all()
    assert (a["value"] >= 0).all()
    # some members never report some indicators, and some series start late
    pairs = a.groupby(["kommunkod", "indicator_id"]).size()
    assert len(pairs) < 96 * 16
    firsts = a[a["indicator_id"] == "GN.10"].groupby("kommunkod")["year"].min()
    assert (firsts > 2005).any() and (firsts == 2005).any()
    # both rising and falling series exist
    ends = a[a["indicator_id"] == "GN.10"].sort_values("year").groupby("kommunkod")["value"].agg(["first", "last"])
    assert (ends["last"] > ends["first"]).any() and (ends["last"] < ends["first"]).any()


def test_membership_is_per_year(demo_store):
    assert "1382" in reference.fetch_members(demo_store, 2020)      # Falkenberg left in 2021
    assert "1382" not in reference.fetch_members(demo_store, 2021)
    assert len(reference.fetch_members(demo_store)) == 96


def test_latest_year_skips_a_year_whose_only_value_was_retracted(empty_store):
    assert observations.fetch_latest_year(empty_store) is None
    with empty_store.transaction() as cur:
        observations.write_revisions(cur, _obs(29.0))                     # 2022
        late = _obs(30.0).assign(year=2023)
        observations.write_revisions(cur, late)
        observations.write_revisions(cur, late.assign(value=None))        # the 2023 value is retracted
    assert observations.fetch_latest_year(empty_store) == 2022


def test_a_national_target_without_an_english_label_is_refused_naming_the_field():
    from indicators.catalog import parse_indicator
    from indicators.errors import CatalogError
    raw = {"id": "X.1", "name_sv": "X", "name_en": "X", "unit": "%", "better": "higher", "theme": "Klimat",
           "start_year": 2010, "decimals": 0, "source": "s", "reported_by": "member",
           "unit_en": "%", "weight": "none",
           "national_target": {"kind": "absolute", "value": 5, "year": 2030, "label": "Mål"}}
    with pytest.raises(CatalogError, match="national_target.label_en"):
        parse_indicator(raw, 1)
